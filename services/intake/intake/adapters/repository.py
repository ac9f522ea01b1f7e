"""Cases as domain aggregates: saved to and loaded from intake's tables.

The repository is the only place that sees both the sensitive plaintext and the database:
sensitive details are encrypted on the way in and decrypted on the way out, so nothing
above or below it handles ciphertext, and nothing in the tables holds plaintext.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import sqlalchemy as sa

from reintegra.contracts.errors import NotFound
from intake.adapters.crypto import SensitiveDataCipher
from intake.adapters.tables import blocking_keys, case_transitions, cases, search_terms
from intake.domain.case import Case, SensitiveDetails
from intake.domain.duplicates import blocking_keys as keys_of
from intake.domain.journey import CaseStatus, Transition
from intake.domain.person import PersonDetails
from intake.domain.search_terms import search_terms as terms_of
from intake.domain.vulnerability import OtherFactor, OtherFactorStatus, VulnerabilityFactor

SENSITIVE_FIELD = "sensitive_vulnerability_factors"
_DATE_FIELDS = ("travel_date", "arrival_date")


class CaseRepository:
    def __init__(self, session, cipher: SensitiveDataCipher):
        self.session = session
        self._cipher = cipher

    def add(self, case: Case) -> None:
        """A newly registered case, its first history entry, its blocking keys and its
        search terms."""
        registered = case.history[0]
        self.session.execute(cases.insert().values(
            id=case.id, programme_id=case.programme_id, status=case.status.value,
            person=case.person.to_dict(), registered_by=registered.actor_id,
            registered_at=registered.at, assigned_caseworker_id=case.assigned_caseworker_id,
            return_country=case.person.return_country,
            eligibility_reasons=list(case.eligibility_reasons),
            **self._vulnerability_columns(case)))
        self.add_transition(case.id, registered)
        self._insert_many(blocking_keys, [{"key": k, "case_id": case.id}
                                          for k in sorted(keys_of(case.person))])
        self._insert_many(search_terms, [{"term": t, "case_id": case.id}
                                         for t in sorted(terms_of(case.person))])

    def get(self, case_id: str) -> Case:
        row = self.session.execute(sa.select(cases).where(cases.c.id == case_id)).first()
        if row is None:
            raise NotFound(f"case {case_id} not found")
        return self._case_from(row, self._history(case_id))

    def add_transition(self, case_id: str, transition: Transition) -> bool:
        """Store a history entry and the case's new status; False (nothing changed) when
        the case is no longer in the entry's from-state because another process moved it
        in the meantime."""
        if transition.from_status is not None:
            moved = self.session.execute(
                cases.update().where(cases.c.id == case_id,
                                     cases.c.status == transition.from_status.value)
                .values(status=transition.to_status.value))
            if moved.rowcount != 1:
                return False
        self.session.execute(case_transitions.insert().values(
            case_id=case_id,
            from_status=transition.from_status.value if transition.from_status else None,
            to_status=transition.to_status.value, actor_id=transition.actor_id,
            actor_role=transition.actor_role, at=transition.at, reason=transition.reason,
            data={k: _json_safe(v) for k, v in transition.data.items()}))
        return True

    def save_vulnerability(self, case: Case) -> None:
        self.session.execute(cases.update().where(cases.c.id == case.id)
                             .values(**self._vulnerability_columns(case)))

    def assign(self, case_id: str, caseworker_id: str) -> None:
        self.session.execute(cases.update().where(cases.c.id == case_id)
                             .values(assigned_caseworker_id=caseworker_id))

    def _vulnerability_columns(self, case: Case) -> dict:
        sensitive = sorted(case.sensitive.factors)
        return {
            "vulnerability_factors": sorted(case.vulnerability_factors),
            "other_vulnerability": _other_to_json(case.other_vulnerability),
            "sensitive_data": (self._cipher.encrypt(case.id, SENSITIVE_FIELD, sensitive)
                               if sensitive else None),
            "protected": bool(sensitive)}

    def _history(self, case_id: str) -> list[Transition]:
        rows = self.session.execute(
            sa.select(case_transitions).where(case_transitions.c.case_id == case_id)
            .order_by(case_transitions.c.id)).all()
        return [Transition(
            CaseStatus(r.from_status) if r.from_status else None, CaseStatus(r.to_status),
            r.actor_id, r.actor_role, aware_utc(r.at), r.reason,
            {k: date.fromisoformat(v) if k in _DATE_FIELDS else v for k, v in r.data.items()})
            for r in rows]

    def _case_from(self, row, history: list[Transition]) -> Case:
        sensitive = (self._cipher.decrypt(row.id, SENSITIVE_FIELD, row.sensitive_data)
                     if row.sensitive_data else [])
        return Case(
            id=row.id, programme_id=row.programme_id,
            person=PersonDetails.from_dict(row.person),
            assigned_caseworker_id=row.assigned_caseworker_id, status=CaseStatus(row.status),
            vulnerability_factors=frozenset(VulnerabilityFactor(f)
                                            for f in row.vulnerability_factors),
            other_vulnerability=_other_from_json(row.other_vulnerability),
            sensitive=SensitiveDetails(frozenset(VulnerabilityFactor(f) for f in sensitive)),
            eligibility_reasons=tuple(row.eligibility_reasons), history=history)

    def _insert_many(self, table: sa.Table, rows: list[dict]) -> None:
        if rows:
            self.session.execute(table.insert(), rows)


def _other_to_json(other: OtherFactor | None) -> dict | None:
    if other is None:
        return None
    return {"text": other.text, "status": other.status.value, "decided_by": other.decided_by,
            "decided_at": other.decided_at.isoformat() if other.decided_at else None}


def _other_from_json(doc: dict | None) -> OtherFactor | None:
    if doc is None:
        return None
    return OtherFactor(doc["text"], OtherFactorStatus(doc["status"]), doc["decided_by"],
                       datetime.fromisoformat(doc["decided_at"]) if doc["decided_at"] else None)


def _json_safe(value):
    return value.isoformat() if isinstance(value, date) else value


def aware_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything intake stores is UTC.
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
