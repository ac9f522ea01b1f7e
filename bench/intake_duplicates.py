"""Duplicate check and staff search against 1,000,000 registered cases (intake).

    .venv/bin/python bench/intake_duplicates.py [--cases 1000000] [--checks 2000]

Builds a SQLite database with intake's own migrations, bulk-loads the cases' rows,
blocking keys and search terms (computed by intake's domain code, inserted through its
tables), then times, through intake's adapters and a real unit of work:
- the duplicate check of new registrations (blocking keys of the new person + the index
  lookup), half of them variants of registered people (swapped names, accents, another
  spelling, same phone), half newcomers;
- searches: name fragment, full name, document number, status filter, and the next page.
Writes p50/p95 to docs/performance.md (section intake_duplicates). Goal: p95 < 20 ms.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from reintegra.messaging.migrations import upgrade
from reintegra.messaging.storage import Store
from intake.adapters import case_search, duplicate_index
from intake.adapters.tables import blocking_keys, cases, programmes, search_terms
from intake.domain.duplicates import blocking_keys as keys_of
from intake.domain.person import (Consent, Contact, DocumentType, IdentityDocument,
                                  MigratoryStatus, PersonDetails, Referral, ReferralSource, Sex)
from intake.domain.search_terms import parse_query, search_terms as terms_of

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402

SYLLABLES = ("ba", "di", "ka", "lo", "ma", "ne", "ou", "ra", "si", "ta", "vu", "ya", "zo",
             "fa", "go", "hi", "ja", "ke", "mu", "sa")
NATIONALITIES = ("GN", "SN", "BR", "CV", "AO", "MA", "NG", "IN", "PK", "BD", "UA", "GE",
                 "NP", "CN", "VE", "CO", "GH", "ML", "CM", "DZ")
STATUSES = ("registered", "counselled", "return_approved", "travel_booked", "arrived", "closed")
CHUNK = 20_000
GOAL_MS = 20.0


def name_pool(rng: random.Random, size: int) -> list[str]:
    names: set[str] = set()
    while len(names) < size:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize())
    return sorted(names)


class People:
    """Synthetic people with realistic spread: 400 given and 400 family names, 60 years
    of birth dates, 20 nationalities; most have a document and a phone."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.given, self.family = name_pool(self.rng, 400), name_pool(self.rng, 400)

    def person(self, index: int) -> PersonDetails:
        rng = self.rng
        document = (IdentityDocument(DocumentType.PASSPORT, f"P{index:09d}", rng.choice(NATIONALITIES))
                    if rng.random() < 0.7 else None)
        nationality = rng.choice(NATIONALITIES)
        return PersonDetails(
            given_names=rng.choice(self.given), family_names=rng.choice(self.family),
            date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(60 * 365)),
            sex=Sex.FEMALE, nationality=nationality, languages=("en",),
            migratory_status=MigratoryStatus.IRREGULAR, return_country=nationality,
            consent=Consent(True, date(2024, 1, 1), ("case_management",)),
            referral=Referral(ReferralSource.SELF), intends_to_apply_for_reintegration=True,
            identity_document=document,
            contact=Contact(phone=f"+351{900000000 + index}" if rng.random() < 0.8 else None))


def load(url: str, count: int, people: People) -> tuple[list[PersonDetails], list[str]]:
    """Bulk-load `count` cases; returns a sample of the registered people and their ids."""
    engine = sa.create_engine(url)
    started = datetime(2020, 1, 1, tzinfo=timezone.utc)
    sample, sample_ids = [], []
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.execute(programmes.insert().values(
            id="programme-1", code="BENCH", name="Benchmark", host_country="PT", currency="EUR",
            settings={}, created_at=started))
    for first in range(0, count, CHUNK):
        case_rows, key_rows, term_rows = [], [], []
        for index in range(first, min(first + CHUNK, count)):
            person, case_id = people.person(index), f"case-{index:09d}"
            case_rows.append(_case_row(case_id, person, started + timedelta(seconds=30 * index),
                                       people.rng))
            key_rows += [{"key": k, "case_id": case_id} for k in keys_of(person)]
            term_rows += [{"term": t, "case_id": case_id} for t in terms_of(person)]
            if index % 500 == 0:
                sample.append(person)
                sample_ids.append(case_id)
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
            conn.execute(cases.insert(), case_rows)
            conn.execute(blocking_keys.insert(), key_rows)
            conn.execute(search_terms.insert(), term_rows)
        print(f"\r  loaded {min(first + CHUNK, count):,} cases", end="", flush=True)
    print()
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return sample, sample_ids


def _case_row(case_id: str, person: PersonDetails, at: datetime, rng: random.Random) -> dict:
    return {"id": case_id, "programme_id": "programme-1", "status": rng.choice(STATUSES),
            "person": {"given_names": person.given_names, "family_names": person.family_names,
                       "date_of_birth": person.date_of_birth.isoformat(),
                       "nationality": person.nationality},
            "registered_by": "caseworker", "registered_at": at, "assigned_caseworker_id": "caseworker",
            "return_country": person.return_country, "vulnerability_factors": [],
            "other_vulnerability": None, "eligibility_reasons": [], "sensitive_data": None,
            "protected": False}


def variant(person: PersonDetails, how: int) -> PersonDetails:
    """The same person registered again, written differently."""
    from dataclasses import replace
    if how == 0:  # names swapped, no document
        return replace(person, given_names=person.family_names, family_names=person.given_names,
                       identity_document=None, contact=Contact())
    if how == 1:  # accents and case
        return replace(person, given_names=person.given_names.upper().replace("A", "Á"),
                       identity_document=None, contact=Contact())
    return replace(person, given_names="Someone", family_names="Else",  # same phone only
                   identity_document=None)


def time_ms(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


def duplicate_checks(store: Store, people: People, sample: list[PersonDetails],
                     count: int, total: int) -> tuple[list[float], int]:
    timings, found = [], 0
    for i in range(count):
        person = (variant(sample[i % len(sample)], i % 3) if i % 2 == 0
                  else people.person(total + i))
        result = {}

        def check():
            with store.unit_of_work() as uow:
                result["c"] = duplicate_index.find_candidates(uow.session, keys_of(person))
        timings.append(time_ms(check))
        found += bool(result["c"])
    return timings, found


def searches(store: Store, sample: list[PersonDetails], rounds: int) -> dict[str, list[float]]:
    kinds = {
        "name fragment (3 letters)": lambda p: {"query": parse_query(p.family_names[:3])},
        "full name": lambda p: {"query": parse_query(f"{p.given_names} {p.family_names}")},
        "document number": lambda p: {"query": parse_query(
            p.identity_document.number if p.identity_document else "P000000000")},
        "status filter": lambda p: {"query": parse_query(""), "status": "arrived"},
        "name + country": lambda p: {"query": parse_query(p.family_names),
                                     "country": p.nationality},
    }
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    timings["next page (status filter)"] = []
    for i in range(rounds):
        person = sample[i % len(sample)]
        for kind, arguments in kinds.items():
            def run(a=arguments(person)):
                with store.unit_of_work() as uow:
                    return case_search.search(uow.session, limit=51, **a)
            timings[kind].append(time_ms(run))
        with store.unit_of_work() as uow:
            last = case_search.search(uow.session, parse_query(""), status="arrived", limit=50)[-1]

        def next_page(after=(last.registered_at, last.id)):
            with store.unit_of_work() as uow:
                case_search.search(uow.session, parse_query(""), status="arrived", limit=51,
                                   after=after)
        timings["next page (status filter)"].append(time_ms(next_page))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=2_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--no-report", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{Path(workdir) / 'intake.sqlite'}"
        upgrade("intake", url)
        people = People()
        started = time.perf_counter()
        sample, _ = load(url, args.cases, people)
        load_seconds = time.perf_counter() - started
        store = Store(url, source="intake")
        checks, found = duplicate_checks(store, people, sample, args.checks, args.cases)
        search_timings = searches(store, sample, args.searches)
        keys = store.engine.connect().execute(sa.select(sa.func.count()).select_from(blocking_keys)).scalar()
        store.dispose()
    markdown = report(args, checks, found, search_timings, load_seconds, keys)
    print(markdown)
    if not args.no_report:
        write_section("intake_duplicates", markdown)


def report(args, checks, found, search_timings, load_seconds, keys) -> str:
    p50, p95 = percentiles(checks)
    verdict = "meets" if p95 < GOAL_MS else "misses"
    lines = [
        "## Intake: duplicate check and search at scale",
        "",
        f"{args.cases:,} registered cases ({keys:,} blocking keys) in SQLite, loaded in "
        f"{load_seconds:.0f} s; `bench/intake_duplicates.py`.",
        "",
        f"**Duplicate check** ({args.checks:,} new registrations, half of them variants of "
        f"registered people; {found:,} had candidates): p50 **{p50:.2f} ms**, "
        f"p95 **{p95:.2f} ms** — {verdict} the goal of p95 < {GOAL_MS:.0f} ms.",
        "",
        f"**Search** ({args.searches} searches of each kind, page of 50, newest first):",
        "",
        "| search | p50 (ms) | p95 (ms) |",
        "| --- | ---: | ---: |",
    ]
    for kind, timings in search_timings.items():
        s50, s95 = percentiles(timings)
        lines.append(f"| {kind} | {s50:.2f} | {s95:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
