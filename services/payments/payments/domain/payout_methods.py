"""Validation of a payee's payout method details, per route: `{field: [reasons]}`, empty if valid.

Which routes a programme offers in which return country, and which mobile-money operators
work there, are configuration handed in by the caller (mappings), never constants here.
Field names are the ones the route adapters read from `Payee.details`.
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
                               "consular_card", "voter_card"})
THIRD_PARTY_RELATIONSHIPS = frozenset({"spouse", "parent", "child", "sibling", "relative", "partner_ngo",
                                       "legal_guardian"})

_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

Problems = dict[str, list[str]]


def validate(route: str, details: Mapping, *, country: str, allowed_routes: Mapping[str, Iterable[str]],
             operators: Mapping[str, Iterable[str]] | None = None,
             today: datetime.date | None = None) -> Problems:
    """What is wrong with paying by `route` with `details` in return `country` ({} if nothing)."""
    if route not in ROUTES:
        return {"route": [f"unknown route {route!r}"]}
    if route not in set(allowed_routes.get(country, ())):
        return {"route": [f"{route} is not offered in {country}"]}
    context = _Context(country, allowed_routes, operators or {}, today or datetime.date.today())
    return _VALIDATORS[route](details, context)


def requires_supervisor_approval(route: str) -> bool:
    """Money to someone other than the beneficiary on their say-so needs a supervisor first."""
    return route == THIRD_PARTY


def iban_problems(iban: str) -> list[str]:
    """Reasons an IBAN is not valid: characters, country length, ISO 7064 mod-97 checksum."""
    compact = re.sub(r"\s+", "", iban or "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", compact):
        return ["not an IBAN: two letters, two check digits, then letters and digits"]
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected and len(compact) != expected:
        return [f"an IBAN from {compact[:2]} has {expected} characters, not {len(compact)}"]
    digits = "".join(str(int(char, 36)) for char in compact[4:] + compact[:4])
    return [] if int(digits) % 97 == 1 else ["IBAN check digits do not match (mod 97)"]


def nuban_problems(account_number: str, bank_code: str) -> list[str]:
    """Nigeria's NUBAN: 10 digits whose last is a check digit over the 3-digit bank code."""
    if not re.fullmatch(r"\d{10}", account_number or ""):
        return ["a NUBAN account number has 10 digits"]
    if not re.fullmatch(r"\d{3}", bank_code or ""):
        return ["a NUBAN needs the 3-digit bank code"]
    weights = (3, 7, 3, 3, 7, 3, 3, 7, 3, 3, 7, 3)
    total = sum(int(digit) * weight for digit, weight in zip(bank_code + account_number[:9], weights))
    check = (10 - total % 10) % 10
    return [] if int(account_number[9]) == check else ["NUBAN check digit does not match"]


class _Context:
    def __init__(self, country, allowed_routes, operators, today):
        self.country, self.allowed_routes = country, allowed_routes
        self.operators, self.today = operators, today


def _bank_account(details: Mapping, context: _Context) -> Problems:
    problems: Problems = {}
    if details.get("iban"):
        _add(problems, "iban", iban_problems(details["iban"]))
    elif context.country == "NG":
        _add(problems, "account_number", nuban_problems(details.get("account_number", ""),
                                                        details.get("bank_code", "")))
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
    offered = set(context.operators.get(context.country, ()))
    if details.get("operator") not in offered:
        _add(problems, "operator", [f"one of {', '.join(sorted(offered)) or 'no operator'} in {context.country}"])
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
    if details.get("email") and not _EMAIL.match(details["email"]):
        _add(problems, "email", ["not an email address"])
    if details.get("phone") and not _E164.match(details["phone"]):
        _add(problems, "phone", ["an international number in E.164 form"])
    address = details.get("billing_address")
    if address is not None:
        for part in ("line1", "city", "postal_code", "country"):
            if not (address.get(part) or "").strip():
                _add(problems, f"billing_address.{part}", ["required"])
    return problems


def _supplier(details: Mapping, context: _Context) -> Problems:
    problems: Problems = {}
    if not (details.get("name") or "").strip():
        _add(problems, "name", ["required"])
    if not details.get("plan_line_id"):
        _add(problems, "plan_line_id", ["the plan line this supplier is paid for"])
    if not (details.get("invoice_reference") or "").strip():
        _add(problems, "invoice_reference", ["the invoice or quote being paid"])
    problems.update(_carrier(details, context))
    return problems


def _third_party(details: Mapping, context: _Context) -> Problems:
    problems: Problems = {}
    _add(problems, "name", _name_problems(details.get("name")))
    if details.get("relationship") not in THIRD_PARTY_RELATIONSHIPS:
        _add(problems, "relationship", [f"one of {', '.join(sorted(THIRD_PARTY_RELATIONSHIPS))}"])
    _add(problems, "authorisation_date", _past_date_problems(details.get("authorisation_date"), context.today))
    if not (details.get("signed_document_reference") or "").strip():
        _add(problems, "signed_document_reference", ["the beneficiary's signed authorisation"])
    problems.update(_carrier(details, context))
    return problems


def _carrier(details: Mapping, context: _Context) -> Problems:
    """The bank or mobile-money details a supplier or third party is paid through."""
    carrier = details.get("route")
    if carrier not in CARRIER_ROUTES:
        return {"route": [f"one of {', '.join(CARRIER_ROUTES)}"]}
    if carrier not in set(context.allowed_routes.get(context.country, ())):
        return {"route": [f"{carrier} is not offered in {context.country}"]}
    nested = _VALIDATORS[carrier](details.get("details") or {}, context)
    return {f"details.{field}": reasons for field, reasons in nested.items()}


def _name_problems(name) -> list[str]:
    text = " ".join(str(name or "").split())
    if not text:
        return ["required"]
    if len(text) > 140 or not _NAME.match(text):
        return ["letters, spaces, hyphens and apostrophes only"]
    return []


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
               PREPAID_CARD: _prepaid_card, SUPPLIER: _supplier, THIRD_PARTY: _third_party}
