import pytest
from cerberus import Validator
from reintegra.contracts.registry import contract_for
from reintegra.money import Money

from payments.domain.events import (BudgetReleased, BudgetReserved, InstalmentDue,
                                    PayoutFailed, PayoutPaid, PayoutReleased)

AMOUNT = Money(100_000, "EUR")
PAYOUT = dict(payout_id="po-1", instalment_id="inst-1", case_id="case-1",
              route="mobile_money", amount=AMOUNT)

EVENTS = [
    BudgetReserved(reservation_id="plan-1", programme_id="P1", amount=AMOUNT),
    BudgetReleased(reservation_id="plan-1", programme_id="P1", amount=AMOUNT),
    InstalmentDue(instalment_id="inst-1", case_id="case-1", plan_id="plan-1", number=1,
                  amount=AMOUNT),
    PayoutReleased(batch_id="batch-1", **PAYOUT),
    PayoutPaid(**PAYOUT),
    PayoutFailed(reason="wallet_closed", **PAYOUT),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: event.name)
def test_every_event_payload_meets_its_published_contract_exactly(event):
    validator = Validator(contract_for("payments", event.name, 1), allow_unknown=False)
    assert validator.validate(event.payload()), validator.errors


def test_money_travels_as_minor_units_with_its_currency():
    assert EVENTS[0].payload()["amount"] == {"amount": 100_000, "currency": "EUR"}
