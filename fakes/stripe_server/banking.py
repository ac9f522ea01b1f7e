"""Bank details: IBAN checks, Stripe's test account numbers and tokens, payout failure codes.

Stripe's Connect test numbers decide how a payout to the account ends. For IBANs the test
bank is the German 37040044 / 0532013000 family: the last digit picks the outcome (0 paid,
1 no_account, 2 account_closed, 3 insufficient_funds, 4 debit_not_authorized, 5
invalid_currency). Elsewhere the account number's ending does (000123456789 paid,
000111111116 no_account, 000111111113 account_closed, 000222222227 insufficient_funds,
000333333335 debit_not_authorized, 000444444440 invalid_currency). Any other valid number pays.
"""
import hashlib
import re

STRIPE_TEST_IBAN = re.compile(r"^DE\d{2}3704004405320130(0[0-5])$")

_IBAN_OUTCOMES = {"00": None, "01": "no_account", "02": "account_closed", "03": "insufficient_funds",
                  "04": "debit_not_authorized", "05": "invalid_currency"}

_NUMBER_OUTCOMES = {"1111116": "no_account", "1111113": "account_closed", "2222227": "insufficient_funds",
                    "3333335": "debit_not_authorized", "4444440": "invalid_currency"}

# Stripe's magic bank account tokens (US test bank), usable without creating a token first.
TEST_TOKENS = {
    "btok_us_verified": None,
    "btok_us_verified_noAccount": "no_account",
    "btok_us_verified_accountClosed": "account_closed",
    "btok_us_verified_insufficientFunds": "insufficient_funds",
    "btok_us_verified_debitNotAuthorized": "debit_not_authorized",
    "btok_us_verified_invalidCurrency": "invalid_currency",
}

FAILURE_MESSAGES = {
    "account_closed": "The bank account has been closed.",
    "account_frozen": "The bank account has been frozen.",
    "bank_account_restricted": "The bank account has restrictions on either the type, or the number, of "
                               "payouts allowed. This normally indicates that the bank account is a "
                               "savings or other non-checking account.",
    "bank_ownership_changed": "The destination bank account is no longer valid because its branch has "
                              "changed ownership.",
    "could_not_process": "The bank could not process this payout.",
    "debit_not_authorized": "Debit transactions are not approved on the bank account. (Stripe requires "
                            "bank accounts to be set up for both credit and debit payouts.)",
    "declined": "The bank has declined this transfer. Please contact the bank before retrying.",
    "incorrect_account_holder_name": "Your bank notified us that the bank account holder name on file is "
                                     "incorrect.",
    "insufficient_funds": "Your Stripe account has insufficient funds to cover the payout.",
    "invalid_account_number": "The routing number seems correct, but the account number is invalid.",
    "invalid_currency": "The bank was unable to process this payout because of its currency. This is "
                        "probably because the bank account cannot accept payments in that currency.",
    "no_account": "The bank account details on file are probably incorrect. No bank account could be "
                  "located with those details.",
}

# Countries whose bank accounts are given as IBANs (SEPA and a few neighbours).
IBAN_COUNTRIES = frozenset(
    "AD AE AL AT BA BE BG BH CH CY CZ DE DK EE ES FI FO FR GB GE GI GL GR HR HU IE IL IS IT JO KW KZ LB "
    "LI LT LU LV MC MD ME MK MR MT MU NL NO PK PL PS PT QA RO RS SA SE SI SK SM TN TR UA VG XK".split())

DEFAULT_CURRENCY = {"US": "usd", "GB": "gbp", "CH": "chf", "SE": "sek", "DK": "dkk", "NO": "nok",
                    "PL": "pln", "CZ": "czk", "HU": "huf", "RO": "ron", "BG": "bgn", "CA": "cad",
                    "AU": "aud", "JP": "jpy", "MA": "mad", "TN": "tnd", "SN": "xof", "NG": "ngn",
                    "GH": "ghs", "KE": "kes", "TR": "try", "UA": "uah", "GE": "gel", "AL": "all"}


def failure_message(failure_code):
    return FAILURE_MESSAGES.get(failure_code, FAILURE_MESSAGES["could_not_process"])


def default_currency(country):
    return DEFAULT_CURRENCY.get(country, "eur" if country in IBAN_COUNTRIES else "usd")


def normalise_account_number(number):
    return re.sub(r"[\s-]", "", number).upper()


def iban_is_valid(iban):
    """ISO 13616 mod-97 check, plus Stripe's test IBANs (some of which fail the checksum)."""
    if STRIPE_TEST_IBAN.match(iban):
        return True
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def payout_outcome(account_number):
    """The failure code a payout to this account number will end with, or None if it is paid."""
    test_iban = STRIPE_TEST_IBAN.match(account_number)
    if test_iban:
        return _IBAN_OUTCOMES[test_iban.group(1)]
    digits = account_number.lstrip("0")
    return next((code for ending, code in _NUMBER_OUTCOMES.items() if digits.endswith(ending)), None)


def fingerprint(country, number):
    """Stable per account number, like Stripe's, so the same account is recognisable."""
    return hashlib.sha256(f"{country}:{number}".encode()).hexdigest()[:16]
