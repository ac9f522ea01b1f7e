"""The stored ledger is the domain ledger: random histories of reserve, release, post,
return and reinstate through the repository keep the balance rows, and each reference's
earmark row, equal to the sum of the stored postings, debits equal to credits, and no
available account below zero."""
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from reintegra.contracts.errors import ApiError
from reintegra.messaging.migrations import upgrade
from reintegra.messaging.storage import Store
from reintegra.money import Money

from payments.adapters.ledger_repository import LedgerRepository
from payments.domain.ledger import LedgerError
from payments.service_layer.budget import allocate_budget, release_budget, reserve_budget

REFERENCES = ["plan:a", "plan:b", "plan:c"]


class StoredLedgerMachine(RuleBasedStateMachine):
    @initialize()
    def a_funded_programme(self):
        self.directory = tempfile.TemporaryDirectory()
        url = f"sqlite:///{Path(self.directory.name) / 'ledger.sqlite'}"
        upgrade("payments", url)
        self.store = Store(url, source="payments")
        self.programme = str(uuid.uuid4())
        self.operations = 0
        with self.store.unit_of_work() as uow:
            allocate_budget(uow, self.programme, {"AMIF": Money(300_001, "EUR"),
                                                  "PT": Money(99_999, "EUR")})
            uow.commit()

    def teardown(self):
        self.store.dispose()
        self.directory.cleanup()

    def _run(self, operation):
        self.operations += 1
        with self.store.unit_of_work() as uow:
            try:
                operation(uow, f"op-{self.operations}")
                uow.commit()
            except ApiError:
                pass  # refused: nothing may have been recorded (the invariants check it)

    @rule(reference=st.sampled_from(REFERENCES), amount=st.integers(1, 150_000))
    def reserve(self, reference, amount):
        self._run(lambda uow, op: reserve_budget(uow, op, self.programme, reference,
                                                 Money(amount, "EUR")))

    @rule(reference=st.sampled_from(REFERENCES), amount=st.none() | st.integers(1, 100_000))
    def release(self, reference, amount):
        self._run(lambda uow, op: release_budget(
            uow, op, self.programme, reference, None if amount is None else Money(amount, "EUR")))

    def _draw(self, operation: str, reference: str, amount: int) -> None:
        """A ledger operation that moves a reference's money between kinds, straight
        through the repository (post, return_funds, reinstate)."""
        def draw(uow, op):
            repository = LedgerRepository(uow.session)
            ledger = repository.load(self.programme, [reference])
            try:
                getattr(ledger, operation)(op, self.programme, reference, Money(amount, "EUR"))
            except LedgerError:
                return  # more than the reference holds there: refused, nothing recorded
            repository.save(ledger, {op: (operation, {})})
        self._run(draw)

    @rule(reference=st.sampled_from(REFERENCES), amount=st.integers(1, 80_000))
    def post_a_payout(self, reference, amount):
        self._draw("post", reference, amount)

    @rule(reference=st.sampled_from(REFERENCES), percent=st.integers(1, 101))
    def post_a_share_of_the_reservation(self, reference, percent):
        self._draw("post", reference, max(1, self._held(reference, "reserved") * percent // 100))

    def _held(self, reference: str, kind: str) -> int:
        return sum(amount for (amount,) in self._rows(
            f"SELECT {kind} FROM budget_earmarks WHERE programme_id = :p "
            f"AND reference = '{reference}'"))

    # These draw a share of what the reference holds there (random amounts are nearly always
    # refused), now and then a cent more than it holds.
    @rule(reference=st.sampled_from(REFERENCES), percent=st.integers(1, 101))
    def paid_money_comes_back(self, reference, percent):
        self._draw("return_funds", reference,
                   max(1, self._held(reference, "paid") * percent // 100))

    @rule(reference=st.sampled_from(REFERENCES), percent=st.integers(1, 101))
    def returned_money_is_reserved_again(self, reference, percent):
        self._draw("reinstate", reference,
                   max(1, self._held(reference, "returned") * percent // 100))

    @rule(reference=st.sampled_from(REFERENCES), amount=st.integers(1, 150_000))
    def the_same_reservation_delivered_again(self, reference, amount):
        with self.store.unit_of_work() as uow:
            try:
                first = reserve_budget(uow, "repeated", self.programme, reference,
                                       Money(amount, "EUR"))
                uow.commit()
            except ApiError:
                return
        with self.store.unit_of_work() as uow:
            assert reserve_budget(uow, "repeated", self.programme, reference,
                                  Money(amount, "EUR")) == first

    def _rows(self, query):
        with self.store.engine.connect() as conn:
            return conn.execute(sa.text(query), {"p": self.programme}).all()

    @invariant()
    def balance_rows_are_the_sum_of_the_postings(self):
        if not hasattr(self, "store"):
            return
        folded = defaultdict(int)
        for source, kind, amount in self._rows(
                "SELECT funding_source, kind, amount FROM ledger_postings WHERE programme_id = :p"):
            folded[(source, kind)] += amount
        stored = {(s, k): a for s, k, a in self._rows(
            "SELECT funding_source, kind, amount FROM budget_balances WHERE programme_id = :p")}
        assert {key: value for key, value in stored.items() if value} == {
            key: value for key, value in folded.items() if value}

    @invariant()
    def earmark_rows_hold_what_their_references_postings_add_up_to(self):
        if not hasattr(self, "store"):
            return
        folded = defaultdict(int)
        for source, reference, kind, amount in self._rows(
                "SELECT funding_source, reference, kind, amount FROM ledger_postings "
                "WHERE programme_id = :p AND kind IN ('reserved', 'paid', 'returned')"):
            folded[(source, reference, kind)] += amount
        stored = {}
        for source, reference, reserved, paid, returned in self._rows(
                "SELECT funding_source, reference, reserved, paid, returned FROM budget_earmarks "
                "WHERE programme_id = :p"):
            stored.update({(source, reference, "reserved"): reserved,
                           (source, reference, "paid"): paid,
                           (source, reference, "returned"): returned})
        assert {key: value for key, value in stored.items() if value} == {
            key: value for key, value in folded.items() if value}

    @invariant()
    def debits_equal_credits_and_available_is_never_negative(self):
        if not hasattr(self, "store"):
            return
        unbalanced = self._rows("SELECT transaction_id FROM ledger_postings WHERE programme_id = :p"
                                " GROUP BY transaction_id HAVING sum(amount) <> 0")
        assert unbalanced == []
        negative = self._rows("SELECT 1 FROM budget_balances WHERE programme_id = :p AND"
                              " kind = 'available' AND amount < 0")
        assert negative == []


StoredLedgerMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=15, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_the_stored_ledger_keeps_every_rule_over_random_histories = StoredLedgerMachine.TestCase


def test_a_payment_returned_and_reinstated_keeps_every_stored_row_equal_to_the_postings():
    """The history the random runs reach only now and then, run every time."""
    machine = StoredLedgerMachine()
    machine.a_funded_programme()
    try:
        machine.reserve("plan:a", 100_000)
        machine.post_a_share_of_the_reservation("plan:a", 50)
        machine.paid_money_comes_back("plan:a", 50)
        machine.returned_money_is_reserved_again("plan:a", 100)
        machine.post_a_share_of_the_reservation("plan:a", 100)
        # 50,000 paid, 25,000 of it back and reserved again, then all 75,000 reserved paid.
        assert [machine._held("plan:a", kind) for kind in ("reserved", "paid", "returned")] == [
            0, 100_000, 0]
        machine.balance_rows_are_the_sum_of_the_postings()
        machine.earmark_rows_hold_what_their_references_postings_add_up_to()
        machine.debits_equal_credits_and_available_is_never_negative()
    finally:
        machine.teardown()
