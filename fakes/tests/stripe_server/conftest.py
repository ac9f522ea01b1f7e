"""One Stripe test server per module, reset before each test that uses it, and the official
SDK pointed at it."""
import pytest
import stripe

from stripe_server.testing import running_server


@pytest.fixture(scope="module")
def server():
    with running_server() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_state(request):
    # Only tests that talk to the server need it reset (and started).
    if "server" in request.fixturenames:
        request.getfixturevalue("server").reset()


@pytest.fixture
def client(server):
    return stripe.StripeClient("sk_test_reintegra", base_addresses={"api": server.url})
