"""One harness per payout route adapter, each against its honest fake over real HTTP.

A harness knows how to make orders for its route, how to make its provider finish (pay or
fail) an order, how to count what the provider did, and how to break the provider. The
contract suite runs the same tests through every harness.
"""
import itertools
import time
import uuid

import pytest
import requests
from reintegra.money import Money

from payments.adapters.routes.stripe_bank import StripeBankRoute
from payments.adapters.routes.stripe_card import StripeCardRoute
from payments.adapters.routes.stripe_gateway import StripeGateway
from payments.domain.payouts import idempotency_key_for, payout_id_for
from payments.service_layer.payout_route import Payee, PayoutOrder, RouteUnavailable

WEBHOOK_SECRET = "whsec_reintegra_tests"  # the root conftest's stripe_server signs with it
GOOD_IBAN = "DE89370400440532013000"
CLOSED_IBAN = "DE35370400440532013002"
OFFICE = {"line1": "Rua da Palma 1", "city": "Lisboa", "postal_code": "1100-001", "country": "PT"}
# Short enough to keep timeout tests fast, long enough for a loaded 2-core machine.
TIMEOUT_SECONDS = 1.0
_sequence = itertools.count(1)


def new_order(payee: Payee, amount: Money = Money(100_000, "EUR")) -> PayoutOrder:
    instalment = f"inst-{uuid.uuid4().hex[:8]}"
    return PayoutOrder(payout_id_for(instalment, 1), idempotency_key_for(instalment, 1), amount, payee,
                       f"REINTEGRA {next(_sequence)}")


@pytest.fixture
def until_answered():
    """Call until the provider answers, as the engine retries RouteUnavailable with the same key."""
    def call(function, attempts=60):
        for _ in range(attempts):
            try:
                return function()
            except RouteUnavailable:
                time.sleep(0.1)
        raise AssertionError("the provider never answered")
    return call


def stripe_gateway(server, retries=0):
    return StripeGateway("sk_test_reintegra", server.url, max_network_retries=retries,
                         timeout_seconds=TIMEOUT_SECONDS)


class StripeHarness:
    """What the Stripe routes share: faults are armed on the money-moving endpoint."""
    money_path: str

    def __init__(self, server):
        self.server = server

    def break_with_5xx(self):
        self.server.arm_fault(kind="api_error", timing="before", path=self.money_path, method="POST", count=50)

    def break_with_timeout(self):
        self.server.arm_fault(kind="latency", path=self.money_path, method="POST",
                              delay_seconds=TIMEOUT_SECONDS * 2)

    def heal(self):
        self.server.ok("DELETE", "/_control/faults")


class StripeBankHarness(StripeHarness):
    money_path = "/v1/transfers"

    def make_route(self):
        return StripeBankRoute(stripe_gateway(self.server))

    def order(self):
        return new_order(Payee(f"payee-{uuid.uuid4().hex[:8]}", "Amina Diallo",
                               {"iban": GOOD_IBAN, "date_of_birth": "1991-07-04", "country": "SN"}))

    def failing(self):
        payee = Payee(f"payee-{uuid.uuid4().hex[:8]}", "Amina Diallo",
                      {"iban": CLOSED_IBAN, "date_of_birth": "1991-07-04", "country": "SN"})
        return new_order(payee), "account_closed"

    def settle(self, order):
        for payout in self.server.objects("payout"):
            if payout["metadata"].get("payout_id") == order.payout_id:
                self.server.ok("POST", f"/_control/payouts/{payout['id']}/settle")

    def moved(self, order):
        return sum(1 for transfer in self.server.objects("transfer")
                   if transfer["metadata"].get("payout_id") == order.payout_id)


class StripeCardHarness(StripeHarness):
    money_path = "/v1/topups"

    def make_route(self):
        return StripeCardRoute(stripe_gateway(self.server), default_billing_address=OFFICE)

    def order(self):
        return new_order(Payee(f"payee-{uuid.uuid4().hex[:8]}", "Amina Diallo", {}))

    def failing(self):
        # The platform issues cards in EUR only (the fake's Issuing balance): USD is refused.
        payee = Payee(f"payee-{uuid.uuid4().hex[:8]}", "Amina Diallo", {})
        return new_order(payee, Money(100_000, "USD")), "currency_not_supported"

    def settle(self, order):
        for topup in self.server.objects("topup"):
            if topup["metadata"].get("payout_id") == order.payout_id and topup["status"] == "pending":
                self.server.ok("POST", f"/_control/topups/{topup['id']}/settle")

    def moved(self, order):
        return sum(1 for topup in self.server.objects("topup")
                   if topup["metadata"].get("payout_id") == order.payout_id)


class PartnerHarness:
    """The sandbox partner (mobile money or cash pickup) through the other helper's PartnerRoute."""

    def __init__(self, partner, route):
        self.partner, self.route_name = partner, route
        self._expire_after_submit = False

    def make_route(self):
        # Imported here so that a missing adapter fails these tests loudly instead of hiding them.
        from payments.adapters.routes.partner import PartnerRoute
        return PartnerRoute(self.partner.url, self.partner.token, route=self.route_name,
                            timeout=TIMEOUT_SECONDS)

    def order(self):
        return new_order(self._payee())

    def _payee(self):
        payee_id = f"payee-{uuid.uuid4().hex[:8]}"
        if self.route_name == "mobile_money":
            return Payee(payee_id, "Awa Jallow", {"phone": "+2207000001", "operator": "afrimoney"})
        return Payee(payee_id, "Awa Jallow", {"given_name": "Awa", "family_name": "Jallow",
                                              "id_document_type": "passport",
                                              "id_document_number": "GM1234567"})

    def failing(self):
        order = self.order()
        if self.route_name == "mobile_money":
            self.partner.control.fail_next_transfers(1, "PAYEE_NOT_FOUND")
            return order, "account_invalid"
        self._expire_after_submit = True
        return order, "voucher_expired"

    def settle(self, order):
        """Mobile money settles by itself; a voucher is collected at an agent (or left to expire)."""
        if self.route_name == "cash_pickup":
            voucher = self._voucher(order)
            if self._expire_after_submit:
                self.partner.control.expire_voucher(voucher["referenceId"])
            else:
                self.partner.control.collect_voucher(voucher["voucherCode"], "GM1234567")

    def _voucher(self, order):
        from payments.adapters.routes.partner import reference_id_for
        answer = requests.get(f"{self.partner.url}/cashpickup/v1_0/voucher/{reference_id_for(order.idempotency_key)}",
                              headers={"Authorization": f"Bearer {self.partner.token}"}, timeout=5)
        answer.raise_for_status()
        return answer.json()

    def moved(self, order):
        return self.partner.control.transfers()["countsByExternalId"].get(order.payout_id, 0)

    def break_with_5xx(self):
        self.partner.control.go_down()

    def break_with_timeout(self):
        self.partner.control.time_out_next_submissions(1, int(TIMEOUT_SECONDS * 2000))

    def heal(self):
        self.partner.control.come_up()


@pytest.fixture(scope="session")
def sandbox_partner(tmp_path_factory):
    from sandbox_partner.process import SandboxPartnerProcess
    with SandboxPartnerProcess(tmp_path_factory.mktemp("partner"), settle_delay_ms=50) as partner:
        yield partner


@pytest.fixture(params=["stripe_bank", "stripe_card", "mobile_money", "cash_pickup"])
def harness(request):
    """Every route adapter, in turn, against a fresh provider."""
    if request.param.startswith("stripe"):
        server = request.getfixturevalue("fresh_stripe")
        return (StripeBankHarness if request.param == "stripe_bank" else StripeCardHarness)(server)
    partner = request.getfixturevalue("sandbox_partner")
    partner.control.reset()
    return PartnerHarness(partner, request.param)


@pytest.fixture
def bank_order_for():
    """An order to a new bank payee whose IBAN decides how Stripe's payout ends."""
    def order(iban=GOOD_IBAN):
        return new_order(Payee(f"payee-{uuid.uuid4().hex[:8]}", "Amina Diallo",
                               {"iban": iban, "date_of_birth": "1991-07-04", "country": "SN"}))
    return order


@pytest.fixture
def bank_order(bank_order_for):
    return bank_order_for()
