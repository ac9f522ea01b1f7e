import pytest
from reintegra.money import Money

from payments.domain.ledger import BudgetLedger


@pytest.fixture
def funded_ledger() -> BudgetLedger:
    """Programme P1 with EUR 50,000: 75 % from the EU fund (AMIF), 25 % national (PT)."""
    ledger = BudgetLedger()
    ledger.allocate_budget("alloc-1", "P1", {"AMIF": Money(3_750_000, "EUR"),
                                             "PT": Money(1_250_000, "EUR")})
    ledger.events.clear()
    return ledger
