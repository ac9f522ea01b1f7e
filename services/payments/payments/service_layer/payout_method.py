"""How a case's beneficiary is paid: a route and its details, checked before they are stored.

The body is validated per route by the cerberus schemas of `payout_method_schemas` (the
one validation: 400 naming each bad field); the route must then be offered in the case's
return country (`domain.route_policy`, configured by `PAYOUT_COUNTRY_ROUTES`: 422 naming
route and country). A `supplier` or `third_party` payout method names a payee recorded on the case
(`{"payee_id": ...}`): the rest of each instalment, after open supplier invoices, goes to it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Mapping

import sqlalchemy as sa

from reintegra.contracts.errors import InvalidInput, NotFound, RuleViolation

from payments.adapters.payee_repository import PayeeRepository
from payments.adapters.tables import beneficiary_cases, payout_methods
from payments.domain.payees import PayeeKind
from payments.domain.payout_methods import PAYEE_ROUTES
from payments.domain.route_policy import DEFAULT_ALLOWED_ROUTES, RoutePolicy
from payments.service_layer.payout_method_schemas import Problems, payout_method_problems


@dataclass(frozen=True)
class PayoutRules:
    """The programme's configuration of routes: which are offered in which return country
    (`PAYOUT_COUNTRY_ROUTES`) and which mobile-money operators work where
    (`PAYOUT_MOBILE_MONEY_OPERATORS`, country → operator names)."""
    policy: RoutePolicy = field(default_factory=RoutePolicy)
    operators: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Mapping) -> "PayoutRules":
        operators = config.get("PAYOUT_MOBILE_MONEY_OPERATORS") or {}
        return cls(RoutePolicy(config.get("PAYOUT_COUNTRY_ROUTES") or DEFAULT_ALLOWED_ROUTES),
                   {country: tuple(names) for country, names in operators.items()})


def set_payout_method(uow, case_id: str, body: dict, actor_id: str | None,
                      rules: PayoutRules = PayoutRules()) -> dict:
    body = body if isinstance(body, dict) else {}
    route, details = body.get("route"), body.get("details")
    country = return_country(uow.session, case_id)
    # What can be checked without the case is checked first: a bad field is a 400 whether or
    # not the case is known here yet.
    raise_if_invalid(f"invalid {route} payout method",
                     payout_method_problems(body, country=country or "", operators=rules.operators))
    if country is None:
        raise NotFound(f"no case {case_id}")
    raise_if_not_offered(_refusals(uow.session, case_id, route, details, country, rules.policy))
    values = dict(route=route, details=dict(details), updated_by=actor_id,
                  updated_at=datetime.now(timezone.utc))
    updated = uow.session.execute(payout_methods.update().where(
        payout_methods.c.case_id == case_id).values(**values)).rowcount
    if not updated:
        uow.session.execute(payout_methods.insert().values(case_id=case_id, **values))
    return {"case_id": case_id, "route": route, "details": dict(details)}


def return_country(session, case_id: str) -> str | None:
    return session.execute(sa.select(beneficiary_cases.c.return_country).where(
        beneficiary_cases.c.case_id == case_id)).scalar()


def raise_if_invalid(message: str, problems: Problems) -> None:
    if problems:
        raise InvalidInput(message, fields=problems)


def raise_if_not_offered(refusals: list[str]) -> None:
    """A route refused (not offered in the country, not for this kind of payee) is a rule
    broken, said per reason under `route`."""
    if refusals:
        raise RuleViolation("; ".join(refusals), fields={"route": refusals})


def _refusals(session, case_id: str, route: str, details: dict, country: str,
              policy: RoutePolicy) -> list[str]:
    if route not in PAYEE_ROUTES:
        return policy.refusals(PayeeKind.BENEFICIARY, route, country)
    payee = PayeeRepository(session).get(details["payee_id"])
    if payee is None or payee.case_id != case_id or payee.kind.value != route:
        raise InvalidInput(f"no {route} payee {details['payee_id']} on this case",
                           fields={"details.payee_id": [f"a {route} payee recorded on this case"]})
    return policy.refusals(payee.kind, payee.route, country)
