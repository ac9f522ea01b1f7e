"""The rules of payout methods and payees' details that a schema cannot say by itself.

The payout method a caseworker sets on a case (`PUT /cases/{id}/payout-method`) and the
bank or mobile-money details of a supplier or trusted third party (`POST /cases/{id}/payees`)
are validated with cerberus, one schema per route (`service_layer.payout_method_schemas`).
Those schemas use what is here: the routes and the fields each route's adapter reads, the
known lists (identity documents, relationships), and the checks that need arithmetic or the
return country (IBAN mod 97 and length, NUBAN, a phone number of the country, an operator
configured there, a person's name, a date not in the future). Each check returns its
reasons (empty if the value is fine). Whether a route is offered in the return country is
`route_policy`'s rule; which mobile-money operators work there is configuration handed in by
the caller, never constants here.

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

# An international number as the E.164 standard writes it: +, country code, subscriber number.
E164 = r"^\+[1-9]\d{7,14}$"
NUBAN_COUNTRY = "NG"
# How a bank account is given: by IBAN, by Nigerian NUBAN, or by a local number and bank code.
IBAN_FORM, NUBAN_FORM, LOCAL_FORM = "iban", "nuban", "local"

_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")


def requires_supervisor_approval(route: str) -> bool:
    """Money to someone other than the beneficiary on their say-so needs a supervisor first."""
    return route == THIRD_PARTY


def bank_account_form(details: Mapping, country: str) -> str:
    """Which account the details give: an IBAN when there is one, else a NUBAN in Nigeria,
    else a local account number (an IBAN is asked for when there is neither)."""
    if details.get("iban"):
        return IBAN_FORM
    if country == NUBAN_COUNTRY:
        return NUBAN_FORM
    return LOCAL_FORM if details.get("account_number") else IBAN_FORM


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


def phone_problems(phone: str, country: str) -> list[str]:
    """A mobile-money number: E.164 (spaces, hyphens and brackets aside) and, where the
    calling code of the return country is known, one of that country's numbers."""
    compact = re.sub(r"[\s\-()]", "", phone)
    if not re.match(E164, compact):
        return ["an international number in E.164 form, e.g. +2207000001"]
    code = CALLING_CODES.get(country)
    return [f"not a {country} number (+{code})"] if code and not compact[1:].startswith(code) else []


def operator_problems(operator: str, country: str, operators: Mapping[str, Iterable[str]]) -> list[str]:
    """One of the operators configured for the country; where none are, any name (the
    partner then decides)."""
    offered = sorted(operators.get(country, ()))
    return [f"one of {', '.join(offered)} in {country}"] if offered and operator not in offered else []


def name_problems(name: str) -> list[str]:
    """A person's name: letters (any script) in words joined by spaces, hyphens, apostrophes
    or full stops; at most 140 characters once spaces are tidied."""
    text = " ".join(name.split())
    if not text:
        return ["required"]
    if len(text) > 140 or not _NAME.match(text):
        return ["letters, spaces, hyphens and apostrophes only"]
    return []


def past_date_problems(value: str, today: datetime.date) -> list[str]:
    """A day written YYYY-MM-DD, not after `today` (an authorisation is signed before it is recorded)."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return ["a date (YYYY-MM-DD)"]
    return ["cannot be in the future"] if day > today else []
