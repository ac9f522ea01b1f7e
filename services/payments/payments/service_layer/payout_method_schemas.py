"""The cerberus schemas of payout methods and payees, one per route: `{"field.path": [reasons]}`.

Every body that sets a payout method (`{route, details}`) or records a supplier or trusted
third party is checked here and nowhere else, with cerberus' own rules (types, required,
allowed values, lengths, patterns) and, through `PayoutValidator`'s `check_with` rules, the
domain's checks that need arithmetic or the return country (`domain.payout_methods`). A
field no route adapter reads is refused rather than stored (`allow_unknown` is off).

The return country, the configured mobile-money operators and today's date reach the
validator as context: they are put in its configuration before each validation, which
cerberus hands on to the validators of nested fields. Reasons are worded for the person
who fixes the field: a rule's own wording can be given in the field's
`meta: {"reasons": {rule: reason}}`, and a field with `meta: {"one_field": True}` reports
what is wrong inside it under its own name (`document.amount`, not `document.amount.amount`).
"""
from __future__ import annotations

import datetime
from collections import deque
from functools import cache
from typing import Iterable, Mapping

from cerberus import TypeDefinition, Validator
from cerberus import errors as cerberus_errors

from reintegra.contracts.errors import field_reasons

from payments.domain import payout_methods as rules
from payments.domain.payees import SUPPLIER_DOCUMENTS
from payments.domain.payout_methods import (BANK_ACCOUNT, CARRIER_ROUTES, CASH_PICKUP, FIELDS, IBAN_FORM,
                                            LOCAL_FORM, MOBILE_MONEY, NUBAN_FORM, PREPAID_CARD, ROUTES,
                                            SUPPLIER, THIRD_PARTY)

Problems = dict[str, list[str]]
Operators = Mapping[str, Iterable[str]]


# Entry points -----------------------------------------------------------------------------------

def payout_method_problems(body, *, country: str, operators: Operators | None = None) -> Problems:
    """What is wrong with `{route, details}` as a payout method for return `country` ({} if nothing).

    `operators` are the mobile-money operators configured per country; a country without a
    list of its own takes any operator's name."""
    body = body if isinstance(body, Mapping) else {}
    return _pool(("method", *_route_and_form(body, country, ROUTES))).problems(
        body, country=country, operators=operators or {})


def supplier_problems(body, *, country: str, operators: Operators | None = None) -> Problems:
    """A supplier: its name, the plan line it is paid for, the invoice or quote (kind,
    reference, amount) and the bank or mobile-money details it is paid to."""
    return _payee_problems(SUPPLIER, body, country=country, operators=operators or {})


def third_party_problems(body, *, country: str, today: datetime.date,
                         operators: Operators | None = None) -> Problems:
    """A trusted third party: name, relationship to the beneficiary, the beneficiary's signed
    authorisation (when, and the signed document's reference) and its bank or mobile money."""
    return _payee_problems(THIRD_PARTY, body, country=country, operators=operators or {}, today=today)


def _payee_problems(kind: str, body, **context) -> Problems:
    body = body if isinstance(body, Mapping) else {}
    schema = (kind, *_route_and_form(body, context["country"], CARRIER_ROUTES))
    return _pool(schema).problems(body, **context)


def _route_and_form(body: Mapping, country: str, routes: tuple) -> tuple[str | None, str | None]:
    """Which schema the body is checked with: its route's (and for a bank account, the form
    its account is given in), or none when the route is not one of `routes`."""
    route, details = body.get("route"), body.get("details")
    if route not in routes:
        return None, None
    if route != BANK_ACCOUNT:
        return route, None
    return route, rules.bank_account_form(details if isinstance(details, Mapping) else {}, country)


# The validator ----------------------------------------------------------------------------------

class PayoutValidator(Validator):
    """Cerberus with the domain's checks as `check_with` rules and the context they need."""

    types_mapping = {**Validator.types_mapping,
                     # JSON's true is no amount of money, though Python counts it as 1.
                     "minor_units": TypeDefinition("minor_units", (int,), (bool,))}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_handler", PayoutErrors)
        super().__init__(*args, **kwargs)

    def problems(self, document: Mapping, **context) -> Problems:
        self._config.update(context)
        return {} if self.validate(document, normalize=False) else field_reasons(self.errors)

    def _validate_check_with(self, checks, field, value):
        # Cerberus 1.3 still runs `check_with` on a null value the `nullable` rule has judged.
        if value is not None:
            super()._validate_check_with(checks, field, value)

    # Cerberus reads a rule's own schema from its docstring.
    _validate_check_with.__doc__ = Validator._validate_check_with.__doc__

    def _check_with_text(self, field, value):
        if not value.strip():
            self._error(field, "required")

    def _check_with_iban(self, field, value):
        self._reasons(field, rules.iban_problems(value))

    def _check_with_nuban(self, field, value):
        self._reasons(field, rules.nuban_problems(value, self.document.get("bank_code")))

    def _check_with_phone(self, field, value):
        self._reasons(field, rules.phone_problems(value, self._config["country"]))

    def _check_with_operator(self, field, value):
        self._reasons(field, rules.operator_problems(value, self._config["country"],
                                                     self._config["operators"]))

    def _check_with_person_name(self, field, value):
        self._reasons(field, rules.name_problems(value))

    def _check_with_past_date(self, field, value):
        self._reasons(field, rules.past_date_problems(value, self._config["today"]))

    def _reasons(self, field, reasons: list[str]) -> None:
        for reason in reasons:
            self._error(field, reason)


class PayoutErrors(cerberus_errors.BasicErrorHandler):
    """Cerberus' error tree with reasons worded as the API gives them (flattened to
    `{"field.path": [...]}` by `field_reasons`)."""

    messages = {**cerberus_errors.BasicErrorHandler.messages,
                cerberus_errors.REQUIRED_FIELD.code: "required",
                cerberus_errors.UNKNOWN_FIELD.code: "unknown field",
                cerberus_errors.EMPTY_NOT_ALLOWED.code: "required",
                cerberus_errors.NOT_NULLABLE.code: "required",
                cerberus_errors.MAX_LENGTH.code: "at most {constraint} characters",
                cerberus_errors.REGEX_MISMATCH.code: "not in the expected form",
                cerberus_errors.MIN_VALUE.code: "at least {constraint}"}
    _TYPES = {"string": "text", "dict": "an object", "minor_units": "a whole number"}

    def start(self, validator):
        super().start(validator)
        self.schema = validator.schema

    def _format_message(self, field, error):
        reason = self._field_rules(error.schema_path).get("meta", {}).get("reasons", {}).get(error.rule)
        if reason and error.code != cerberus_errors.CUSTOM.code:
            return reason
        if error.code == cerberus_errors.UNALLOWED_VALUE.code:
            return f"one of {', '.join(error.constraint)}"
        if error.code == cerberus_errors.BAD_TYPE.code:
            return f"must be {self._TYPES.get(error.constraint, error.constraint)}"
        return super()._format_message(field, error)

    def _insert_group_error(self, error):
        if not self._field_rules(error.schema_path).get("meta", {}).get("one_field"):
            return super()._insert_group_error(error)
        for child in error.child_errors:
            self._insert_error(error.document_path, self._format_message(child.field, child))

    def _field_rules(self, schema_path: tuple) -> Mapping:
        """The rules of the field an error is about (its schema path ends with the rule)."""
        node = self.schema
        try:
            for step in schema_path[:-1]:
                node = node[step]
        except (KeyError, TypeError):
            return {}
        return node if isinstance(node, Mapping) else {}


# The schemas ----------------------------------------------------------------------------------

def _said(reason: str, *failed_rules: str, **meta) -> dict:
    """The reason to give when the field fails any of `failed_rules` (and any other `meta`)."""
    return {"meta": {"reasons": dict.fromkeys(failed_rules, reason), **meta}}


def _text(longest: int) -> dict:
    return {"type": "string", "required": True, "check_with": "text", "maxlength": longest}


_MISSING = ("required", "nullable", "empty")
_NAME = {"type": "string", "required": True, "check_with": "person_name"}
_OPTIONAL_TEXT = {"type": "string", "nullable": True}


def _bank_account(form: str) -> dict:
    account = {
        IBAN_FORM: {"iban": {"type": "string", "required": True, "empty": False, "check_with": "iban",
                             **_said("an IBAN, or a local account number and bank code, is required", *_MISSING)},
                    "account_number": _OPTIONAL_TEXT, "bank_code": _OPTIONAL_TEXT},
        NUBAN_FORM: {"account_number": {"type": "string", "required": True, "check_with": "nuban"},
                     "iban": _OPTIONAL_TEXT, "bank_code": _OPTIONAL_TEXT},
        LOCAL_FORM: {"account_number": {"type": "string", "required": True, "regex": r"^[0-9A-Za-z\- ]{6,34}$",
                                        **_said("6 to 34 digits or letters", "regex")},
                     "bank_code": {"type": "string", "required": True, "empty": False, "check_with": "text",
                                   **_said("required with a local account number", *_MISSING)},
                     "iban": _OPTIONAL_TEXT},
    }[form]
    optional = ("currency", "country", "date_of_birth", "first_name", "last_name")
    return {**account, "account_holder_name": _NAME, **dict.fromkeys(optional, _OPTIONAL_TEXT)}


_MOBILE_MONEY = {
    "phone": {"type": "string", "required": True, "check_with": "phone",
              **_said("an international number in E.164 form, e.g. +2207000001", *_MISSING)},
    "operator": {"type": "string", "required": True, "check_with": ["text", "operator"], "maxlength": 40},
    # The wallet's KYC name, when the caseworker has it, is what the payee check compares.
    "account_holder_name": {**_NAME, "required": False, "nullable": True},
}
_CASH_PICKUP = {
    "given_name": _NAME, "family_name": _NAME,
    "id_document_type": {"type": "string", "required": True, "allowed": sorted(rules.ID_DOCUMENT_TYPES)},
    # Spaces and hyphens as printed on the document are fine.
    "id_document_number": {"type": "string", "required": True,
                           "regex": r"^[\s\-]*(?:[A-Za-z0-9][\s\-]*){5,20}$",
                           **_said("5 to 20 letters or digits", "regex")},
}
_BILLING_ADDRESS_PARTS = ("line1", "city", "postal_code", "country")
_PREPAID_CARD = {
    "email": {"type": "string", "nullable": True, "empty": True, "regex": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
              **_said("not an email address", "regex")},
    "phone": {"type": "string", "nullable": True, "empty": True, "regex": rules.E164,
              **_said("an international number in E.164 form", "regex")},
    "billing_address": {"type": "dict", "nullable": True, **_said("{line1, city, postal_code, country}", "type"),
                        "schema": {**{part: {"type": "string", "required": True, "check_with": "text"}
                                      for part in _BILLING_ADDRESS_PARTS},
                                   "line2": _OPTIONAL_TEXT, "state": _OPTIONAL_TEXT}},
    "first_name": _OPTIONAL_TEXT, "last_name": _OPTIONAL_TEXT,
}
_NAMED_PAYEE = {"payee_id": _text(36)}


def _details(route: str, form: str | None) -> dict:
    """Exactly the fields the route's adapter reads (`FIELDS`), each with its rules: nothing
    else is stored."""
    rules_of = _bank_account(form) if route == BANK_ACCOUNT else {
        MOBILE_MONEY: _MOBILE_MONEY, CASH_PICKUP: _CASH_PICKUP, PREPAID_CARD: _PREPAID_CARD,
        SUPPLIER: _NAMED_PAYEE, THIRD_PARTY: _NAMED_PAYEE}[route]
    return {name: rules_of[name] for name in FIELDS[route]}


def _route_and_details(routes: tuple, route: str | None, form: str | None) -> dict:
    """`route` and `details`: the details checked per route, or left alone while the route is wrong."""
    if route is None:
        return {"route": {"type": "string", "required": True, "allowed": list(routes)},
                "details": {"nullable": True}}
    return {"route": {"type": "string", "required": True, "allowed": [route]},
            "details": {"type": "dict", "required": True, "schema": _details(route, form),
                        **_said("an object with the route's fields", *_MISSING, "type")}}


# An invoice's amount is reported as one field: `document.amount`.
_AMOUNT = {"type": "dict", "required": True,
           **_said("{amount: minor units, currency}", *_MISSING, "type", one_field=True),
           "schema": {"amount": {"type": "minor_units", "required": True, "min": 1,
                                 **_said("a positive amount in minor units", "required", "type", "min")},
                      "currency": {"type": "string", "required": True, "regex": r"^[A-Z]{3}$",
                                   **_said("an ISO 4217 currency", "required", "type", "regex")}}}
_SUPPLIER = {
    "kind": {"type": "string", "required": True, "allowed": [SUPPLIER]},
    "name": _text(140),
    "plan_line_id": _text(64),
    "document": {"type": "dict", "required": True,
                 **_said("{kind: invoice or quote, reference, amount}", *_MISSING, "type"),
                 "schema": {"kind": {"type": "string", "required": True,
                                     "allowed": sorted(SUPPLIER_DOCUMENTS),
                                     **_said("invoice or quote", "allowed")},
                            "reference": _text(100),
                            "amount": _AMOUNT}},
}
_THIRD_PARTY = {
    "kind": {"type": "string", "required": True, "allowed": [THIRD_PARTY]},
    "name": _NAME,
    "relationship": {"type": "string", "required": True, "allowed": sorted(rules.THIRD_PARTY_RELATIONSHIPS)},
    "authorisation": {"type": "dict", "required": True,
                      **_said("{signed_on, document_reference}", *_MISSING, "type"),
                      "schema": {"signed_on": {"type": "string", "required": True, "check_with": "past_date",
                                               **_said("a date (YYYY-MM-DD)", "type")},
                                 "document_reference": _text(100)}},
}


class _Pool:
    """Validators of one schema, each lent to one caller at a time: building one checks the
    schema, which costs more than validating, and a validator holds the document it works on."""

    def __init__(self, schema: dict):
        self.schema, self.idle = schema, deque()

    def problems(self, document: Mapping, **context) -> Problems:
        try:
            validator = self.idle.pop()
        except IndexError:
            validator = PayoutValidator(self.schema)
        try:
            return validator.problems(document, **context)
        finally:
            self.idle.append(validator)


@cache
def _pool(key: tuple) -> _Pool:
    """The validators of a payout method (`("method", route, form)`) or of a supplier or third
    party (`(kind, carrier route, form)`), built on first use."""
    kind, route, form = key
    if kind == "method":
        return _Pool(_route_and_details(ROUTES, route, form))
    return _Pool({**(_SUPPLIER if kind == SUPPLIER else _THIRD_PARTY),
                  **_route_and_details(CARRIER_ROUTES, route, form)})
