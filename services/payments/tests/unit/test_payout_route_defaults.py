"""What every route gets from the port when its provider has no bulk API: a few orders at
once, one payee's orders one after another, each order's own answer."""
import eventlet

from reintegra.money import Money

from payments.adapters.routes.partner import PartnerRoute
from payments.service_layer.payout_route import (Payee, PayoutOrder, PayoutRoute, ProviderReport,
                                                 RouteUnavailable)


class OneByOne(PayoutRoute):
    name = "bank_account"

    def __init__(self, calls_at_once: int):
        self.calls_at_once = calls_at_once
        self.in_flight: dict[str, int] = {}
        self.most_at_once = self.most_for_one_payee = 0

    def submit(self, order):
        return self._answer(order, ProviderReport("submitted", f"tr-{order.payout_id}"))

    def fetch_status(self, order):
        if order.payout_id.startswith("unknown"):
            raise LookupError(order.payout_id)
        return self._answer(order, ProviderReport("paid", f"tr-{order.payout_id}"))

    def _answer(self, order, report):
        payee = order.payee.id
        self.in_flight[payee] = self.in_flight.get(payee, 0) + 1
        self.most_at_once = max(self.most_at_once, sum(self.in_flight.values()))
        self.most_for_one_payee = max(self.most_for_one_payee, self.in_flight[payee])
        eventlet.sleep(0.01)
        self.in_flight[payee] -= 1
        if order.payout_id.startswith("down"):
            raise RouteUnavailable("provider answered 503")
        return report


def order(payout_id: str, payee_id: str) -> PayoutOrder:
    return PayoutOrder(payout_id, f"key-{payout_id}", Money(75_000, "EUR"),
                       Payee(payee_id, "Awa Jallow"), reference=f"Reintegra {payout_id}")


def test_orders_are_submitted_a_few_at_once_and_one_payees_orders_one_after_another():
    route = OneByOne(calls_at_once=3)
    orders = [order(f"p{n}", f"payee-{n % 4}") for n in range(12)] + [order("down-1", "payee-9")]

    answers = route.submit_many(orders)

    assert route.most_at_once == 3 and route.most_for_one_payee == 1
    assert {k: v.status for k, v in answers.items() if k != "down-1"} == {
        f"p{n}": "submitted" for n in range(12)}
    assert isinstance(answers["down-1"], RouteUnavailable)


def test_statuses_are_fetched_a_few_at_once_and_an_order_never_seen_answers_none():
    route = OneByOne(calls_at_once=2)
    answers = route.fetch_many([order(f"p{n}", f"payee-{n}") for n in range(5)]
                               + [order("unknown-1", "payee-7")])
    assert route.most_at_once == 2
    assert answers["unknown-1"] is None and answers["p4"].status == "paid"


def test_a_route_calling_once_per_order_is_handed_a_few_rounds_of_calls_at_a_time():
    assert OneByOne(calls_at_once=4).orders_per_submission == 16
    assert PartnerRoute("http://127.0.0.1:1", route="mobile_money").orders_per_submission is None
    assert PartnerRoute("http://127.0.0.1:1", route="cash_pickup",
                        bulk=False).orders_per_submission == 4
