"""The cerberus validator intake schemas use: coercions from JSON values and the checks
cerberus lacks (real dates relative to today, ISO codes, E.164 phone numbers, names).

Checks that compare with the current date read `today` from the validator's
configuration — `IntakeValidator(schema, today=date(...))` — so validation never reads
the clock itself and tests can fix the day.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from cerberus import Validator

from ..domain.vulnerability import DECLARABLE_FACTORS, DERIVED_FACTORS
from .countries import COUNTRY_CODES
from .languages import LANGUAGE_CODES
from .messages import FieldErrors

MAX_AGE_YEARS = 120

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_PHONE_PUNCTUATION = re.compile(r"[\s().-]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_DOCUMENT_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z ./-]{0,29}")
_IATA_AIRPORT = re.compile(r"[A-Z]{3}")
_NAME_PUNCTUATION = frozenset(" '’-.")


class IntakeValidator(Validator):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_handler", FieldErrors)
        super().__init__(*args, **kwargs)

    @property
    def today(self) -> date:
        return self._config["today"]

    # Coercions: JSON carries dates and codes as strings.

    def _normalize_coerce_date(self, value):
        if isinstance(value, date):
            return value
        if not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
            raise ValueError("must be a date written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value} is not a real calendar date") from None

    def _normalize_coerce_strip(self, value):
        return value.strip() if isinstance(value, str) else value

    def _normalize_coerce_upper(self, value):
        return value.strip().upper() if isinstance(value, str) else value

    def _normalize_coerce_lower(self, value):
        return value.strip().lower() if isinstance(value, str) else value

    def _normalize_coerce_phone(self, value):
        return _PHONE_PUNCTUATION.sub("", value) if isinstance(value, str) else value

    # Checks.

    def _check_with_not_in_future(self, field, value):
        if value > self.today:
            self._error(field, "cannot be in the future")

    def _check_with_within_lifetime(self, field, value):
        if value < _years_before(self.today, MAX_AGE_YEARS):
            self._error(field, f"cannot be more than {MAX_AGE_YEARS} years ago")

    def _check_with_country(self, field, value):
        if value not in COUNTRY_CODES:
            self._error(field, f"{value!r} is not an ISO 3166-1 alpha-2 country code")

    def _check_with_language(self, field, value):
        if value not in LANGUAGE_CODES:
            self._error(field, f"{value!r} is not an ISO 639-1 language code")

    def _check_with_e164(self, field, value):
        if not _E164.fullmatch(value):
            self._error(field, "must be an international number in E.164 form: "
                               "+, country code and number, e.g. +351912345678")

    def _check_with_email(self, field, value):
        if not _EMAIL.fullmatch(value):
            self._error(field, "must be an email address such as name@example.org")

    def _check_with_person_name(self, field, value):
        if not all(ch.isalpha() or unicodedata.combining(ch) or ch in _NAME_PUNCTUATION
                   for ch in value) or not any(ch.isalpha() for ch in value):
            self._error(field, "may contain only letters, spaces, apostrophes, hyphens "
                               "and full stops")

    def _check_with_document_number(self, field, value):
        if not _DOCUMENT_NUMBER.fullmatch(value):
            self._error(field, "must be 1 to 30 letters and digits "
                               "(spaces, '.', '/' and '-' allowed)")

    def _check_with_airport(self, field, value):
        if not _IATA_AIRPORT.fullmatch(value):
            self._error(field, "must be an IATA airport code: three letters, e.g. LIS")

    def _check_with_unique_items(self, field, value):
        repeated = sorted({str(item) for item in value if value.count(item) > 1})
        if repeated:
            self._error(field, f"lists {', '.join(repeated)} more than once")

    def _check_with_vulnerability_factor(self, field, value):
        if value in DERIVED_FACTORS:
            self._error(field, f"{value} is derived from the date of birth; do not enter it")
        elif value not in DECLARABLE_FACTORS:
            self._error(field, f"{value!r} is not a known vulnerability factor")

    def _check_with_must_be_true(self, field, value):
        if value is not True:
            self._error(field, "must be true: a person cannot be registered without "
                               "consent to the processing of their data")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)
