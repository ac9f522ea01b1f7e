"""What a connected account still owes Stripe, and what that enables.

Test mode verifies instantly: as soon as nothing is outstanding, requested capabilities turn
`active` and payouts are enabled (with a bank account on file), and an `account.updated`
Connect event says so. What counts as outstanding is a simplification of Stripe's
country-specific lists; see the README.
"""
from .. import ids
from ..state import now
from .common import previous_attributes
from .rendering import render

ADDRESS_FIELDS = ("line1", "line2", "city", "postal_code", "state", "country")

# Fields whose change makes Stripe send account.updated.
WATCHED = ("capabilities", "requirements", "charges_enabled", "payouts_enabled", "details_submitted",
           "email", "business_type", "individual", "company", "tos_acceptance", "business_profile",
           "settings", "metadata", "default_currency", "external_accounts")


def refresh(state, account):
    """Recompute requirements, capability statuses and the enabled flags."""
    due = _outstanding(state, account)
    has_bank = bool(state.store.select("bank_account", owner=account["id"]))
    for name in account["capabilities"]:
        account["capabilities"][name] = "inactive" if due else "active"
    account["requirements"] = {
        "alternatives": [], "current_deadline": None, "currently_due": due, "eventually_due": due,
        "past_due": due, "pending_verification": [], "errors": [],
        "disabled_reason": "requirements.past_due" if due else None,
    }
    account["details_submitted"] = not due
    account["payouts_enabled"] = not due and has_bank
    account["charges_enabled"] = not due and "card_payments" in account["capabilities"]


def announce_changes(state, account, before, request=None):
    """Emit account.updated if anything Stripe watches differs from `before` (a rendering)."""
    after = render(state, account)
    changed = previous_attributes({key: before.get(key) for key in WATCHED},
                                  {key: after.get(key) for key in WATCHED})
    if changed:
        state.events.emit("account.updated", after, account=account["id"], previous=changed,
                          request=request)
    return after


def complete_onboarding(state, account):
    """What a person finishing Stripe-hosted onboarding would provide (control API)."""
    account["business_type"] = account["business_type"] or "individual"
    person = account.get("individual") or new_person(state, account["id"])
    person["first_name"] = person["first_name"] or "Test"
    person["last_name"] = person["last_name"] or "Recipient"
    person["dob"] = {"day": 1, "month": 1, "year": 1990}
    account["individual"] = person
    account["tos_acceptance"].update({"date": account["tos_acceptance"]["date"] or now(),
                                      "ip": account["tos_acceptance"]["ip"] or "127.0.0.1"})
    state.store.private(account["id"])["extra_due"] = []


def new_person(state, account_id):
    """The account's representative, from Stripe's example person."""
    person = state.fixtures.template("person")
    person.update({"id": ids.new_id("person"), "account": account_id, "created": now(),
                   "email": None, "phone": None, "address": dict.fromkeys(ADDRESS_FIELDS)})
    person["relationship"]["representative"] = True
    return person


def require_information(state, account, fields):
    """Stripe asking for more (e.g. after a failed verification): payouts stop (control API)."""
    state.store.private(account["id"])["extra_due"] = list(fields)


def payout_schedule_interval(account):
    return account["settings"]["payouts"]["schedule"]["interval"]


def _outstanding(state, account):
    due = []
    if not account["business_type"]:
        due.append("business_type")
    if account["business_type"] == "individual":
        person = account.get("individual") or {}
        due += [f"individual.{name}" for name in ("first_name", "last_name") if not person.get(name)]
        dob = person.get("dob") or {}
        due += [f"individual.dob.{part}" for part in ("day", "month", "year") if not dob.get(part)]
    elif account["business_type"] and not (account.get("company") or {}).get("name"):
        due.append("company.name")
    if not state.store.select("bank_account", owner=account["id"]):
        due.append("external_account")
    due += [f"tos_acceptance.{part}" for part in ("date", "ip") if not account["tos_acceptance"].get(part)]
    return due + state.store.private(account["id"]).get("extra_due", [])
