"""Who a programme may assist. The rules are programme data set by an admin, e.g.

    {"excluded_nationalities": "EU"}                      # the default: non-EU nationals
    {"excluded_nationalities": ["EU", "CH", "IS", "LI", "NO"], "min_age": 18}
    {"requires_any_vulnerability_factor": ["victim_of_trafficking"]}   # a CARE-like programme

Recognised keys (all optional; an empty dict means nobody is excluded):
- excluded_nationalities: "EU" or a list of ISO 3166-1 alpha-2 codes, where "EU" stands
  for the member states below
- allowed_nationalities: list of codes; when present, only these nationalities qualify
- min_age, max_age: whole years on the day of registration, inclusive
- allowed_return_countries: list of codes
- allowed_migratory_statuses: list of migratory statuses
- requires_any_vulnerability_factor: list of factors; at least one must apply
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping

from .errors import InvalidEligibilityRules
from .person import MigratoryStatus, PersonDetails
from .vulnerability import VulnerabilityFactor

# The 27 member states since 1 February 2020, as ISO 3166-1 alpha-2 (Greece is GR here,
# not the EU's own "EL").
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})

EU = "EU"
DEFAULT_RULES: Mapping[str, Any] = MappingProxyType({"excluded_nationalities": EU})


@dataclass(frozen=True)
class EligibilityDecision:
    eligible: bool
    reasons: list[str] = field(default_factory=list)


def evaluate(rules: Mapping[str, Any] | None, person: PersonDetails, today: date,
             vulnerability_factors: Iterable[VulnerabilityFactor] = ()
             ) -> EligibilityDecision:
    """Apply a programme's rules (DEFAULT_RULES when None) to a person registering on
    `today`. Every rule that fails contributes a reason; none means eligible."""
    rules = DEFAULT_RULES if rules is None else rules
    errors = rule_errors(rules)
    if errors:
        raise InvalidEligibilityRules(errors)
    factors = frozenset(VulnerabilityFactor(f) for f in vulnerability_factors)
    reasons = [reason for key, check in _CHECKS.items() if key in rules
               for reason in check(rules[key], person, today, factors)]
    return EligibilityDecision(eligible=not reasons, reasons=reasons)


def rule_errors(rules: Mapping[str, Any]) -> dict[str, list[str]]:
    """What is wrong with a programme's rules, {"rule": ["reason"]}; empty when valid."""
    errors = {key: ["is not a known eligibility rule"] for key in rules if key not in _SHAPES}
    for key, value in rules.items():
        if key in _SHAPES and not _SHAPES[key](value):
            errors[key] = [_SHAPE_MESSAGES[key]]
    if not errors and "min_age" in rules and "max_age" in rules \
            and rules["min_age"] > rules["max_age"]:
        errors["min_age"] = ["cannot be greater than max_age"]
    return errors


def expand_nationalities(codes: str | Iterable[str]) -> frozenset[str]:
    """Country codes with the "EU" shorthand replaced by the member states."""
    listed = [codes] if isinstance(codes, str) else list(codes)
    return frozenset(c for code in listed
                     for c in (EU_MEMBER_STATES if code == EU else {code}))


def _excluded_nationality(value, person, today, factors) -> list[str]:
    if person.nationality not in expand_nationalities(value):
        return []
    why = " (EU member state)" if person.nationality in EU_MEMBER_STATES else ""
    return [f"nationality {person.nationality} is excluded by the programme{why}"]


def _allowed_nationality(value, person, today, factors) -> list[str]:
    if person.nationality in expand_nationalities(value):
        return []
    return [f"nationality {person.nationality} is not among the programme's nationalities"]


def _min_age(value, person, today, factors) -> list[str]:
    age = person.age_on(today)
    return [] if age >= value else [
        f"age {age} is below the programme's minimum age of {value}"]


def _max_age(value, person, today, factors) -> list[str]:
    age = person.age_on(today)
    return [] if age <= value else [
        f"age {age} is above the programme's maximum age of {value}"]


def _return_country(value, person, today, factors) -> list[str]:
    return [] if person.return_country in value else [
        f"return country {person.return_country} is not served by the programme"]


def _migratory_status(value, person, today, factors) -> list[str]:
    return [] if person.migratory_status in value else [
        f"migratory status {person.migratory_status} is not covered by the programme"]


def _vulnerability(value, person, today, factors) -> list[str]:
    # Worded without naming the factor: the reason is shown to every staff role, and the
    # required factor may be a sensitive one (trafficking).
    return [] if factors & set(value) else [
        "the person has none of the vulnerability factors the programme is for"]


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 2 and value.isascii() and value.isupper()


def _is_code_list(value: Any, extra: frozenset[str] = frozenset()) -> bool:
    return (isinstance(value, (list, tuple)) and bool(value)
            and all(_is_code(v) or v in extra for v in value))


def _is_age(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 120


def _is_list_of(allowed: Iterable[str]) -> Callable[[Any], bool]:
    allowed = frozenset(allowed)
    return lambda value: (isinstance(value, (list, tuple)) and bool(value)
                          and all(v in allowed for v in value))


_SHAPES: Mapping[str, Callable[[Any], bool]] = MappingProxyType({
    "excluded_nationalities": lambda v: v == EU or _is_code_list(v, frozenset({EU})),
    "allowed_nationalities": lambda v: _is_code_list(v, frozenset({EU})),
    "min_age": _is_age,
    "max_age": _is_age,
    "allowed_return_countries": _is_code_list,
    "allowed_migratory_statuses": _is_list_of(MigratoryStatus),
    "requires_any_vulnerability_factor": _is_list_of(VulnerabilityFactor),
})

_SHAPE_MESSAGES = {
    "excluded_nationalities": 'must be "EU" or a non-empty list of ISO country codes',
    "allowed_nationalities": 'must be a non-empty list of ISO country codes (or "EU")',
    "min_age": "must be a whole number of years between 0 and 120",
    "max_age": "must be a whole number of years between 0 and 120",
    "allowed_return_countries": "must be a non-empty list of ISO country codes",
    "allowed_migratory_statuses":
        f"must be a non-empty list drawn from: {', '.join(MigratoryStatus)}",
    "requires_any_vulnerability_factor":
        "must be a non-empty list of known vulnerability factors",
}

_CHECKS = {
    "excluded_nationalities": _excluded_nationality,
    "allowed_nationalities": _allowed_nationality,
    "min_age": _min_age,
    "max_age": _max_age,
    "allowed_return_countries": _return_country,
    "allowed_migratory_statuses": _migratory_status,
    "requires_any_vulnerability_factor": _vulnerability,
}
