"""Validation of a registration payload (brief §2): every field checked, unknown fields
refused, and the rules that relate fields to each other.

`validate_registration(payload, today)` returns `(clean_document, {})` — dates as
`date`, codes in canonical case, phone numbers without separators — or
`(None, {"field.path": ["reason", ...]})`.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Mapping

from ..domain.person import (ADULT_AGE, DocumentType, MigratoryStatus, ReferralSource,
                             Relationship, Sex, age_on)
from ..domain.vulnerability import VulnerabilityFactor
from .fields import choice, country, past_date, text, unique_list
from .validator import IntakeValidator

CONSENT_PURPOSES = ("case_management", "return_travel", "reintegration_support",
                    "monitoring", "notifications", "sharing_with_partners")
CONTACT_CHANNELS = ("sms", "email", "messaging_app")
# The contact detail each consented channel needs.
CHANNEL_CONTACT = {"sms": "phone", "messaging_app": "phone", "email": "email"}
# Where the referral came from must be named, except when the person came by themselves.
REFERRAL_NEEDS_DETAILS = frozenset({ReferralSource.PARTNER_NGO, ReferralSource.CONSULATE,
                                    ReferralSource.OTHER})

_NAME = 200

REGISTRATION_SCHEMA = {
    "programme_id": text(64, required=True),
    "given_names": text(_NAME, required=True, check_with="person_name"),
    # Optional: some people have a single name.
    "family_names": text(_NAME, nullable=True, check_with="person_name"),
    "date_of_birth": past_date(required=True, lifetime=True),
    "sex": choice(Sex, required=True),
    "nationality": country(required=True),
    "identity_document": {"type": "dict", "nullable": True, "schema": {
        "type": choice(DocumentType, required=True),
        "number": text(30, required=True, check_with="document_number"),
        "issuing_country": country(required=True)}},
    "languages": unique_list({"type": "string", "coerce": "lower", "check_with": "language"},
                             required=True, min_items=1, max_items=20),
    "contact": {"type": "dict", "schema": {
        "phone": {"type": "string", "coerce": "phone", "check_with": "e164",
                  "nullable": True},
        "email": text(254, nullable=True, check_with="email"),
        "address": text(500, nullable=True)}},
    "migratory_status": choice(MigratoryStatus, required=True),
    "return_country": country(required=True),
    "return_city": text(100, nullable=True),
    "household_members": {"type": "list", "maxlength": 30, "schema": {
        "type": "dict", "schema": {
            "relationship": choice(Relationship, required=True),
            "date_of_birth": past_date(required=True, lifetime=True)}}},
    "referral_source": choice(ReferralSource, required=True),
    "referral_details": text(500, nullable=True),
    "consent": {"type": "dict", "required": True, "schema": {
        "given": {"type": "boolean", "required": True, "check_with": "must_be_true"},
        "date": past_date(required=True),
        "scope": unique_list(choice(CONSENT_PURPOSES), required=True, min_items=1),
        "channels": unique_list(choice(CONTACT_CHANNELS))}},
    "intends_to_apply_for_reintegration": {"type": "boolean", "required": True},
    "vulnerability_factors": unique_list({"type": "string",
                                          "check_with": "vulnerability_factor"}),
    "vulnerability_other_text": text(1000, nullable=True),
}


def validate_registration(payload: Any, today: date
                          ) -> tuple[dict | None, dict[str, list[str]]]:
    if not isinstance(payload, Mapping):
        return None, {"body": ["must be a JSON object"]}
    validator = IntakeValidator(REGISTRATION_SCHEMA, today=today)
    validator.validate(dict(payload))
    errors = dict(validator.errors)
    checked = _CheckedValues(validator.document, set(errors))
    for check in _CROSS_FIELD_CHECKS:
        for path, reasons in check(checked, today).items():
            errors.setdefault(path, reasons)
    return (None, errors) if errors else (validator.document, {})


class _CheckedValues:
    """The values that passed their own checks. Rules relating fields to each other only
    judge these, so one bad value is reported once, not again by every rule that uses it."""

    def __init__(self, document: Mapping, paths_in_error: set[str]):
        self._document = document
        self._paths_in_error = paths_in_error

    def get(self, path: str, kind: type) -> Any:
        if path in self._paths_in_error:
            return None
        value: Any = self._document
        for part in path.split("."):
            if isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                value = value.get(part) if isinstance(value, Mapping) else None
        return value if isinstance(value, kind) else None

    def is_missing(self, path: str) -> bool:
        """Neither given nor reported: a wrong value is not also a missing one."""
        return path not in self._paths_in_error and not self.get(path, object)


def _household_ages(values: _CheckedValues, today: date) -> dict[str, list[str]]:
    applicant_dob = values.get("date_of_birth", date)
    errors = {}
    for index in range(len(values.get("household_members", list) or [])):
        path = f"household_members.{index}.date_of_birth"
        dob = values.get(path, date)
        relationship = values.get(f"household_members.{index}.relationship", str)
        if applicant_dob is None or dob is None:
            continue
        if relationship == Relationship.CHILD and dob <= applicant_dob:
            errors[path] = ["a child must be born after the applicant"]
        if relationship == Relationship.PARENT and dob >= applicant_dob:
            errors[path] = ["a parent must be born before the applicant"]
    return errors


def _other_vulnerability_text(values: _CheckedValues, today: date) -> dict[str, list[str]]:
    factors = values.get("vulnerability_factors", list) or []
    has_text = bool(values.get("vulnerability_other_text", str))
    if VulnerabilityFactor.OTHER in factors and not has_text:
        return {"vulnerability_other_text": [
            "is required when 'other' is among the vulnerability factors"]}
    if has_text and VulnerabilityFactor.OTHER not in factors:
        return {"vulnerability_other_text": [
            "is only allowed when 'other' is among the vulnerability factors"]}
    return {}


def _age_bound_factors(values: _CheckedValues, today: date) -> dict[str, list[str]]:
    factors = values.get("vulnerability_factors", list) or []
    dob = values.get("date_of_birth", date)
    if dob is None:
        return {}
    adult = age_on(dob, today) >= ADULT_AGE
    reasons = []
    if VulnerabilityFactor.UNACCOMPANIED_OR_SEPARATED_CHILD in factors and adult:
        reasons.append("unaccompanied_or_separated_child applies only to a person under 18")
    if VulnerabilityFactor.FORMER_UNACCOMPANIED_MINOR in factors and not adult:
        reasons.append("former_unaccompanied_minor applies only to a person aged 18 or over")
    return {"vulnerability_factors": reasons} if reasons else {}


def _referral_details(values: _CheckedValues, today: date) -> dict[str, list[str]]:
    source = values.get("referral_source", str)
    if source in REFERRAL_NEEDS_DETAILS and not values.get("referral_details", str):
        return {"referral_details": [f"is required when the referral source is {source}"]}
    return {}


def _channels_have_contact(values: _CheckedValues, today: date) -> dict[str, list[str]]:
    channels = values.get("consent.channels", list) or []
    missing = [f"{channel} needs contact.{CHANNEL_CONTACT[channel]}"
               for channel in channels if channel in CHANNEL_CONTACT
               and values.is_missing(f"contact.{CHANNEL_CONTACT[channel]}")]
    return {"consent.channels": missing} if missing else {}


_CROSS_FIELD_CHECKS: tuple[Callable[[_CheckedValues, date], dict[str, list[str]]], ...] = (
    _household_ages, _other_vulnerability_text, _age_bound_factors, _referral_details,
    _channels_have_contact)
