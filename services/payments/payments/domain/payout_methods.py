"""Validation of payout methods and payees' details, per route: `{field: [reasons]}`, empty if valid.

This is the one place where a route's details are checked: the payout method a caseworker
sets on a case (`PUT /cases/{id}/payout-method`) and the bank or mobile-money details of a
supplier or trusted third party (`POST /cases/{id}/payees`). Whether a route is offered in
the return country is `route_policy`'s rule; which mobile-money operators work there is
configuration handed in by the caller, never constants here. Field names are the ones the
route adapters read from `Payee.details`; any other field is refused, so nothing the
adapters would not use is stored.

A supplier or third party is a payee of its own (`payees.Payee`), so a payout method by the
`supplier` or `third_party` route only names it: `{"payee_id": ...}`.
"""
from __future__ import annotations

import datetime
import re
from typing import Iterable, Mapping

BANK_ACCOUNT, MOBILE_MONEY, CASH_PICKUP = "bank_account", "mobile_money", "cash_pickup"
PREPAID_CARD, SUPPLIER, THIRD_PARTY = "prepaid_card", "supplier", "third_party"
ROUTES = (BANK_ACCOUNT, MOBILE_MONEY, CASH_PICKUP, PREPAID_CARD, SUPPLIER, THIRD_PARTY)
# Suppliers and trusted third parties are paid through one of these underlying routes.
CARRIER_ROUTES = (BANK_ACCOUNT, MOBILE_MONEY)
# Routes whose payout method names a payee recorded on the case rather than carrying details.
PAYEE_ROUTES = (SUPPLIER, THIRD_PARTY)
# Every field each route's adapter reads; the bank and card adapters also take the holder's
# first and last name when a payee's name does not split obviously.
FIELDS: Mapping[str, frozenset] = {
    BANK_ACCOUNT: frozenset({"iban", "account_number", "bank_code", "account_holder_name", "currency",
                             "country", "date_of_birth", "first_name", "last_name"}),
    MOBILE_MONEY: frozenset({"phone", "operator", "account_holder_name"}),
    CASH_PICKUP: frozenset({"given_name", "family_name", "id_document_type", "id_document_number"}),
    PREPAID_CARD: frozenset({"email", "phone", "billing_address", "first_name", "last_name"}),
    SUPPLIER: frozenset({"payee_id"}),
    THIRD_PARTY: frozenset({"payee_id"}),
}

# ISO 13616 IBAN lengths of the countries programmes meet most (origin and return countries).
IBAN_LENGTHS = {
    "AL": 28, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
    "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GE": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IT": 27,
    "LT": 20, "LU": 20, "LV": 21, "MA": 28, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24,
    "SN": 28, "TN": 24, "TR": 26, "UA": 29, "XK": 20, "IQ": 23, "JO": 30, "LB": 28, "EG": 29,
    "ML": 28, "CI": 28, "BF": 28, "BJ": 28, "CM": 27, "DZ": 26,
}
# Country calling codes, to check a mobile number belongs to the return country.
CALLING_CODES = {"GM": "220", "SN": "221", "MR": "222", "ML": "223", "GN": "224", "CI": "225", "BF": "226",
                 "NE": "227", "TG": "228", "BJ": "229", "SL": "232", "GH": "233", "NG": "234", "CM": "237",
                 "CV": "238", "GW": "245", "KE": "254", "UG": "256", "MA": "212", "DZ": "213", "TN": "216",
                 "EG": "20", "PK": "92", "AF": "93", "IQ": "964", "GE": "995", "UA": "380", "AL": "355"}
ID_DOCUMENT_TYPES = frozenset({"passport", "national_id", "residence_permit", "travel_document",
                               "consular_card", "voter_card", "other"})
THIRD_PARTY_RELATIONSHIPS = frozenset({"spouse", "parent", "child", "sibling", "relative", "partner_ngo",
                                       "legal_guardian"})

SUPPLIER_DOCUMENT_KINDS = frozenset({"invoice", "quote"})

_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")

Problems = dict[str, list[str]]


def validate(route: str, details, *, country: str,
             operators: Mapping[str, Iterable[str]] | None = None) -> Problems:
    """What is wrong with `details` for paying by `route` in return `country` ({} if nothing).

    `operators` are the mobile-money operators configured per country; a country without a
    list of its own takes any operator's name (the partner then decides)."""
    if route not in ROUTES:
        return {"route": [f"one of {', '.join(ROUTES)}"]}
    if not isinstance(details, Mapping):
        return {"details": ["an object with the route's fields"]}
    problems: Problems = {field: ["unknown field"] for field in sorted(set(details) - FIELDS[route])}
    problems.update(_VALIDATORS[route](details, _Context(country, operators or {})))
    return problems


def supplier_problems(body: Mapping, *, country: str, operators: Mapping[str, Iterable[str]] | None = None
                      ) -> Problems:
    """A supplier: its name, the plan line it is paid for, the invoice or quote (kind,
    reference, amount) and the bank or mobile-money details it is paid to."""
    problems: Problems = {}
    _add(problems, "name", _text_problems(body.get("name"), 140))
    _add(problems, "plan_line_id", _text_problems(body.get("plan_line_id"), 64))
    document = body.get("document")
    if not isinstance(document, Mapping):
        _add(problems, "document", ["{kind: invoice or quote, reference, amount}"])
    else:
        if document.get("kind") not in SUPPLIER_DOCUMENT_KINDS:
            _add(problems, "document.kind", ["invoice or quote"])
        _add(problems, "document.reference", _text_problems(document.get("reference"), 100))
        _add(problems, "document.amount", _money_problems(document.get("amount")))
    problems.update(_carrier_problems(body, country, operators))
    return problems


def third_party_problems(body: Mapping, *, country: str, today: datetime.date,
                         operators: Mapping[str, Iterable[str]] | None = None) -> Problems:
    """A trusted third party: name, relationship to the beneficiary, the beneficiary's signed
    authorisation (when, and the signed document's reference) and its bank or mobile money."""
    problems: Problems = {}
    _add(problems, "name", _name_problems(body.get("name")))
    if body.get("relationship") not in THIRD_PARTY_RELATIONSHIPS:
        _add(problems, "relationship", [f"one of {', '.join(sorted(THIRD_PARTY_RELATIONSHIPS))}"])
    authorisation = body.get("authorisation")
    if not isinstance(authorisation, Mapping):
        _add(problems, "authorisation", ["{signed_on, document_reference}"])
    else:
        _add(problems, "authorisation.signed_on", _past_date_problems(authorisation.get("signed_on"), today))
        _add(problems, "authorisation.document_reference",
             _text_problems(authorisation.get("document_reference"), 100))
    problems.update(_carrier_problems(body, country, operators))
    return problems


def requires_supervisor_approval(route: str) -> bool:
    """Money to someone other than the beneficiary on their say-so needs a supervisor first."""
    return route == THIRD_PARTY


def iban_problems(iban) -> list[str]:
    """Reasons an IBAN is not valid: characters, country length, ISO 7064 mod-97 checksum."""
    compact = re.sub(r"\s+", "", str(iban or "")).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", compact):
        return ["not an IBAN: two letters, two check digits, then letters and digits"]
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected and len(compact) != expected:
        return [f"an IBAN from {compact[:2]} has {expected} characters, not {len(compact)}"]
    digits = "".join(str(int(char, 36)) for char in compact[4:] + compact[:4])
    return [] if int(digits) % 97 == 1 else ["IBAN check digits do not match (mod 97)"]


def nuban_problems(account_number, bank_code) -> list[str]:
    """Nigeria's NUBAN: 10 digits whose last is a check digit over the 3-digit bank code."""
    account_number, bank_code = str(account_number or ""), str(bank_code or "")
    if not re.fullmatch(r"\d{10}", account_number):
        return ["a NUBAN account number has 10 digits"]
    if not re.fullmatch(r"\d{3}", bank_code):
        return ["a NUBAN needs the 3-digit bank code"]
    weights = (3, 7, 3, 3, 7, 3, 3, 7, 3, 3, 7, 3)
    total = sum(int(digit) * weight for digit, weight in zip(bank_code + account_number[:9], weights))
    check = (10 - total % 10) % 10
    return [] if int(account_number[9]) == check else ["NUBAN check digit does not match"]


class _Context:
    def __init__(self, country: str, operators: Mapping[str, Iterable[str]]):
        self.country, self.operators = country, operators


def _bank_account(details: Mapping, context: _Context) -> Problems:
    problems: Problems = {}
    if details.get("iban"):
        _add(problems, "iban", iban_problems(details["iban"]))
    elif context.country == "NG":
        _add(problems, "account_number", nuban_problems(details.get("account_number"),
                                                        details.get("bank_code")))
    elif details.get("account_number"):
        if not re.fullmatch(r"[0-9A-Z\- ]{6,34}", str(details["account_number"]).upper()):
            _add(problems, "account_number", ["6 to 34 digits or letters"])
        if not details.get("bank_code"):
            _add(problems, "bank_code", ["required with a local account number"])
    else:
        _add(problems, "iban", ["an IBAN, or a local account number and bank code, is required"])
    _add(problems, "account_holder_name", _name_problems(details.get("account_holder_name")))
    return problems


def _mobile_money(details: Mapping, context: _Context) -> Problems:
    problems: Problems = {}
    phone = re.sub(r"[\s\-()]", "", str(details.get("phone") or ""))
    if not _E164.match(phone):
        _add(problems, "phone", ["an international number in E.164 form, e.g. +2207000001"])
    elif context.country in CALLING_CODES and not phone[1:].startswith(CALLING_CODES[context.country]):
        _add(problems, "phone", [f"not a {context.country} number (+{CALLING_CODES[context.country]})"])
    offered = sorted(context.operators.get(context.country, ()))
    if offered and details.get("operator") not in offered:
        _add(problems, "operator", [f"one of {', '.join(offered)} in {context.country}"])
    elif not offered:
        _add(problems, "operator", _text_problems(details.get("operator"), 40))
    # The wallet's KYC name, when the caseworker has it, is what the payee check compares.
    if details.get("account_holder_name") is not None:
        _add(problems, "account_holder_name", _name_problems(details["account_holder_name"]))
    return problems


def _cash_pickup(details: Mapping, context: _Context) -> Problems:
    problems: Problems = {}
    _add(problems, "given_name", _name_problems(details.get("given_name")))
    _add(problems, "family_name", _name_problems(details.get("family_name")))
    if details.get("id_document_type") not in ID_DOCUMENT_TYPES:
        _add(problems, "id_document_type", [f"one of {', '.join(sorted(ID_DOCUMENT_TYPES))}"])
    if not re.fullmatch(r"[A-Z0-9]{5,20}", re.sub(r"[\s\-]", "", str(details.get("id_document_number") or "")).upper()):
        _add(problems, "id_document_number", ["5 to 20 letters or digits"])
    return problems


def _prepaid_card(details: Mapping, context: _Context) -> Problems:
    problems: Problems = {}
    if details.get("email") and not _EMAIL.match(str(details["email"])):
        _add(problems, "email", ["not an email address"])
    if details.get("phone") and not _E164.match(str(details["phone"])):
        _add(problems, "phone", ["an international number in E.164 form"])
    address = details.get("billing_address")
    if address is not None and not isinstance(address, Mapping):
        _add(problems, "billing_address", ["{line1, city, postal_code, country}"])
    elif address is not None:
        for part in ("line1", "city", "postal_code", "country"):
            if not str(address.get(part) or "").strip():
                _add(problems, f"billing_address.{part}", ["required"])
    return problems


def _named_payee(details: Mapping, context: _Context) -> Problems:
    """Supplier and third-party payout methods name a payee recorded on the case."""
    return {"payee_id": reasons} if (reasons := _text_problems(details.get("payee_id"), 36)) else {}


def _carrier_problems(body: Mapping, country: str, operators) -> Problems:
    """The bank or mobile-money details a supplier or third party is paid through."""
    carrier = body.get("route")
    if carrier not in CARRIER_ROUTES:
        return {"route": [f"one of {', '.join(CARRIER_ROUTES)}"]}
    nested = validate(carrier, body.get("details"), country=country, operators=operators)
    return {f"details.{field}" if field != "details" else field: reasons for field, reasons in nested.items()}


def _name_problems(name) -> list[str]:
    text = " ".join(str(name or "").split())
    if not text:
        return ["required"]
    if len(text) > 140 or not _NAME.match(text):
        return ["letters, spaces, hyphens and apostrophes only"]
    return []


def _text_problems(value, longest: int) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return ["required"]
    return [f"at most {longest} characters"] if len(value) > longest else []


def _money_problems(value) -> list[str]:
    if not isinstance(value, Mapping):
        return ["{amount: minor units, currency}"]
    amount, currency = value.get("amount"), value.get("currency")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        return ["a positive amount in minor units"]
    return [] if isinstance(currency, str) and _CURRENCY.match(currency) else ["an ISO 4217 currency"]


def _past_date_problems(value, today: datetime.date) -> list[str]:
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return ["a date (YYYY-MM-DD)"]
    return ["cannot be in the future"] if day > today else []


def _add(problems: Problems, field: str, reasons: list[str]) -> None:
    if reasons:
        problems.setdefault(field, []).extend(reasons)


_VALIDATORS = {BANK_ACCOUNT: _bank_account, MOBILE_MONEY: _mobile_money, CASH_PICKUP: _cash_pickup,
               PREPAID_CARD: _prepaid_card, SUPPLIER: _named_payee, THIRD_PARTY: _named_payee}
