import datetime

import pytest
from reintegra.money import Money

from payments.domain.payees import (AlreadyApproved, AuthorisationRevoked, Decision, HoldAlreadyDecided,
                                    HoldResolution, NotASupervisor, Payee, PayeeKind, PayoutHold,
                                    SameApproverAsRecorder, SupplierDocument, ThirdPartyAuthorisation,
                                    confirm_payee, share_instalment)

NOON = datetime.datetime(2024, 5, 2, 12, 0, tzinfo=datetime.timezone.utc)
WALLET = {"route": "mobile_money", "details": {"phone": "+2207000001", "operator": "afrimoney"}}


def authorisation(recorded_by: str = "caseworker-1") -> ThirdPartyAuthorisation:
    return ThirdPartyAuthorisation(datetime.date(2024, 4, 30), "sibling", "DOC-2024-118", recorded_by)


def third_party(auth: ThirdPartyAuthorisation | None = None) -> Payee:
    return Payee.third_party("payee-3", "case-1", "Awa Jallow", auth or authorisation(), "mobile_money", WALLET)


def supplier(**overrides) -> Payee:
    fields = dict(payee_id="payee-2", case_id="case-1", name="Banjul Tools Ltd", plan_line_id="line-4",
                  document=SupplierDocument("invoice", "INV-0042", Money(30_000, "EUR")), route="bank_account",
                  details={"iban": "GM00TEST"})
    fields.update(overrides)
    return Payee.supplier(**fields)


# Beneficiaries and suppliers ---------------------------------------------------------------

def test_a_payout_to_the_beneficiary_may_be_prepared_at_once():
    payee = Payee.beneficiary("payee-1", "case-1", "Amina Diallo", "cash_pickup", {})
    assert payee.kind is PayeeKind.BENEFICIARY
    assert payee.payout_readiness().allowed
    assert payee.payout_readiness().reasons == ()


def test_a_payee_without_a_name_cannot_be_paid():
    readiness = Payee.beneficiary("payee-1", "case-1", "  ", "cash_pickup", {}).payout_readiness()
    assert not readiness.allowed
    assert readiness.reasons == ("the payee has no name",)


def test_a_supplier_named_on_a_plan_line_is_paid_against_its_invoice():
    payee = supplier()
    assert payee.payout_readiness().allowed
    assert (payee.plan_line_id, payee.document.kind, payee.document.reference) == ("line-4", "invoice", "INV-0042")


def test_a_supplier_may_be_paid_against_a_quote():
    assert supplier(document=SupplierDocument("quote", "Q-7", Money(12_000, "EUR"))).payout_readiness().allowed


def test_a_supplier_without_plan_line_or_invoice_cannot_be_paid_and_is_told_both():
    reasons = supplier(plan_line_id=None, document=None).payout_readiness().reasons
    assert reasons == ("a supplier is paid for a plan line, and none is named",
                       "a supplier is paid against an invoice or quote, and none is recorded")


@pytest.mark.parametrize("kind, reference, amount", [("receipt", "R-1", 100), ("invoice", "  ", 100),
                                                     ("invoice", "INV-1", 0)])
def test_a_supplier_document_is_an_invoice_or_quote_with_a_reference_and_an_amount(kind, reference, amount):
    with pytest.raises(ValueError):
        SupplierDocument(kind, reference, Money(amount, "EUR"))


def test_payee_details_are_copied_so_later_edits_of_the_request_do_not_leak_in():
    details = {"iban": "GM00TEST"}
    payee = Payee.beneficiary("payee-1", "case-1", "Amina Diallo", "bank_account", details)
    details["iban"] = "changed"
    assert payee.details == {"iban": "GM00TEST"}


# Trusted third parties: authorisation and four eyes ----------------------------------------

def test_a_third_party_cannot_be_paid_until_a_supervisor_approves_the_authorisation():
    payee = third_party()
    readiness = payee.payout_readiness()
    assert not readiness.allowed
    assert readiness.reasons == ("the beneficiary's authorisation awaits a supervisor's approval",)

    payee.authorisation.approve("supervisor-1", "supervisor", NOON)

    assert payee.payout_readiness().allowed
    assert (payee.authorisation.approved_by, payee.authorisation.approved_at) == ("supervisor-1", NOON)


def test_a_third_party_without_a_recorded_authorisation_cannot_be_paid():
    payee = Payee(id="payee-3", case_id="case-1", kind=PayeeKind.THIRD_PARTY, name="Awa Jallow",
                  route="mobile_money")
    assert payee.payout_readiness().reasons == (
        "no authorisation from the beneficiary is recorded for this third party",)


def test_the_authorisation_records_date_relationship_and_signed_document():
    auth = third_party().authorisation
    assert (auth.given_on, auth.relationship, auth.signed_document_reference) == (
        datetime.date(2024, 4, 30), "sibling", "DOC-2024-118")


@pytest.mark.parametrize("role", ["caseworker", "finance_officer", "admin", ""])
def test_only_a_supervisor_may_approve_a_third_party_authorisation(role):
    payee = third_party()
    with pytest.raises(NotASupervisor):
        payee.authorisation.approve("someone-else", role, NOON)
    assert not payee.authorisation.approved
    assert not payee.payout_readiness().allowed


def test_the_supervisor_who_recorded_the_authorisation_cannot_approve_it_too():
    payee = third_party(authorisation(recorded_by="supervisor-1"))
    with pytest.raises(SameApproverAsRecorder):
        payee.authorisation.approve("supervisor-1", "supervisor", NOON)
    assert not payee.payout_readiness().allowed
    payee.authorisation.approve("supervisor-2", "supervisor", NOON)
    assert payee.payout_readiness().allowed


def test_an_approved_authorisation_is_not_approved_again_by_someone_else():
    auth = authorisation()
    auth.approve("supervisor-1", "supervisor", NOON)
    with pytest.raises(AlreadyApproved):
        auth.approve("supervisor-2", "supervisor", NOON)
    assert auth.approved_by == "supervisor-1"


def test_a_revoked_authorisation_blocks_further_payouts_even_once_approved():
    payee = third_party()
    payee.authorisation.approve("supervisor-1", "supervisor", NOON)
    assert payee.authorisation.revoke("caseworker-1", "the beneficiary withdrew it", NOON)
    readiness = payee.payout_readiness()
    assert not readiness.allowed
    assert readiness.reasons == ("the beneficiary's authorisation was revoked on 2024-05-02",)


def test_a_revoked_authorisation_cannot_be_approved():
    auth = authorisation()
    auth.revoke("caseworker-1", "signed under pressure", NOON)
    with pytest.raises(AuthorisationRevoked):
        auth.approve("supervisor-1", "supervisor", NOON)
    assert not auth.approved


def test_revoking_twice_keeps_the_first_revocation_and_needs_a_reason():
    auth = authorisation()
    with pytest.raises(ValueError):
        auth.revoke("caseworker-1", " ", NOON)
    assert auth.revoke("caseworker-1", "withdrawn", NOON)
    assert not auth.revoke("caseworker-2", "again", NOON + datetime.timedelta(days=1))
    assert (auth.revoked_by, auth.revocation_reason, auth.revoked_at) == ("caseworker-1", "withdrawn", NOON)


# Confirming the payee before paying ------------------------------------------------------------

def test_the_same_name_written_the_providers_way_is_paid():
    confirmation = confirm_payee("DIALLO AMINA", "Amina Diallo")
    assert confirmation.decision is Decision.PAY
    assert confirmation.reason == "the account holder is the payee"


def test_another_account_holder_holds_the_payout_for_review():
    confirmation = confirm_payee("Fatou Ceesay", "Amina Diallo")
    assert confirmation.decision is Decision.HOLD_FOR_REVIEW
    assert confirmation.reason == "the account holder's name is not the payee's"


def test_a_route_that_cannot_look_up_the_holder_pays_without_a_comparison():
    confirmation = confirm_payee(None, "Amina Diallo")
    assert confirmation.decision is Decision.PAY
    assert confirmation.reason == "the route cannot look up the account holder"


def test_an_account_with_no_holder_name_at_the_provider_is_held():
    assert confirm_payee("", "Amina Diallo").decision is Decision.HOLD_FOR_REVIEW


def held() -> PayoutHold:
    return PayoutHold("payout-1", "Fatou Ceesay", "Amina Diallo", NOON)


def test_a_held_payout_is_released_by_a_person_who_says_why():
    hold = held()
    assert hold.pending
    later = NOON + datetime.timedelta(hours=2)
    hold.release("supervisor-1", " Wallet registered in her mother's name; confirmed by phone ", later)
    assert not hold.pending
    assert (hold.resolution, hold.decided_by, hold.decided_at, hold.why) == (
        HoldResolution.RELEASED, "supervisor-1", later, "Wallet registered in her mother's name; confirmed by phone")


def test_a_held_payout_may_be_rejected_instead():
    hold = held()
    hold.reject("supervisor-1", "not her wallet", NOON)
    assert hold.resolution is HoldResolution.REJECTED


@pytest.mark.parametrize("who, why", [("", "checked"), ("supervisor-1", "  ")])
def test_a_hold_is_not_decided_without_who_and_why(who, why):
    hold = held()
    with pytest.raises(ValueError):
        hold.release(who, why, NOON)
    assert hold.pending


def test_a_decided_hold_is_not_decided_again():
    hold = held()
    hold.reject("supervisor-1", "not her wallet", NOON)
    with pytest.raises(HoldAlreadyDecided):
        hold.release("supervisor-2", "looks fine to me", NOON)
    assert (hold.resolution, hold.decided_by) == (HoldResolution.REJECTED, "supervisor-1")


# Who an instalment pays ------------------------------------------------------------------------

def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def invoiced(payee_id: str, amount: int) -> Payee:
    return supplier(payee_id=payee_id, document=SupplierDocument("invoice", f"INV-{payee_id}", eur(amount)))


BENEFICIARY = Payee.beneficiary("case-1", "case-1", "", "mobile_money", {})


def test_an_instalment_pays_the_open_invoices_first_and_the_rest_to_the_beneficiary():
    shares = share_instalment(eur(75_000), [(invoiced("s1", 30_000), eur(0)), (invoiced("s2", 10_000), eur(0))],
                              BENEFICIARY)
    assert [(share.payee.id, share.amount) for share in shares] == [
        ("s1", eur(30_000)), ("s2", eur(10_000)), ("case-1", eur(35_000))]


def test_an_invoice_larger_than_the_instalment_takes_all_of_it_and_leaves_the_rest_for_the_next():
    shares = share_instalment(eur(75_000), [(invoiced("s1", 100_000), eur(0))], BENEFICIARY)
    assert [(share.payee.id, share.amount) for share in shares] == [("s1", eur(75_000))]
    shares = share_instalment(eur(75_000), [(invoiced("s1", 100_000), eur(75_000))], BENEFICIARY)
    assert [(share.payee.id, share.amount) for share in shares] == [("s1", eur(25_000)), ("case-1", eur(50_000))]


def test_an_invoice_already_paid_in_full_takes_nothing_more():
    shares = share_instalment(eur(75_000), [(invoiced("s1", 30_000), eur(30_000))], BENEFICIARY)
    assert [(share.payee.id, share.amount) for share in shares] == [("case-1", eur(75_000))]


def test_the_rest_of_an_instalment_may_go_to_a_third_party_instead_of_the_beneficiary():
    shares = share_instalment(eur(75_000), [], third_party())
    assert [(share.payee.kind, share.amount) for share in shares] == [(PayeeKind.THIRD_PARTY, eur(75_000))]
