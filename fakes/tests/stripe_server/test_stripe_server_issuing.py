"""Stripe Issuing through the official SDK: cardholders and cards limited to an instalment."""
import pytest
import stripe



@pytest.fixture
def cardholder(client):
    return client.v1.issuing.cardholders.create({
        "name": "Amina Diallo", "type": "individual", "email": "amina@example.org",
        "billing": {"address": {"line1": "Rue 10", "city": "Dakar", "postal_code": "10200", "country": "SN"}},
        "individual": {"first_name": "Amina", "last_name": "Diallo"},
        "metadata": {"beneficiary": "B-12"},
    })


def instalment_card(client, cardholder, amount=100_000):
    return client.v1.issuing.cards.create({
        "cardholder": cardholder.id, "currency": "eur", "type": "virtual", "status": "active",
        "spending_controls": {"spending_limits": [{"amount": amount, "interval": "all_time"}]},
        "metadata": {"instalment": "1"},
    })


def test_a_cardholder_keeps_its_billing_address_names_and_metadata(cardholder, client):
    fetched = client.v1.issuing.cardholders.retrieve(cardholder.id)

    assert fetched.id.startswith("ich_")
    assert (fetched.billing.address.city, fetched.billing.address.country) == ("Dakar", "SN")
    assert (fetched.individual.first_name, fetched.metadata["beneficiary"]) == ("Amina", "B-12")
    assert fetched.requirements.past_due == []


def test_a_cardholder_without_names_has_them_past_due(client):
    holder = client.v1.issuing.cardholders.create({"name": "A. D.", "type": "individual", "billing": {
        "address": {"line1": "Rue 10", "city": "Dakar", "postal_code": "10200", "country": "SN"}}})

    assert holder.requirements.past_due == ["individual.first_name", "individual.last_name"]


def test_a_cardholder_needs_a_billing_address(client):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.issuing.cardholders.create({"name": "Amina Diallo"})

    assert refused.value.param == "billing[address][line1]"


def test_a_virtual_card_is_limited_to_the_instalment_for_its_whole_life(client, cardholder):
    card = instalment_card(client, cardholder, amount=100_000)

    assert (card.type, card.status, card.currency) == ("virtual", "active", "eur")
    assert card.cardholder.id == cardholder.id
    assert [(limit.amount, limit.interval) for limit in card.spending_controls.spending_limits] == [
        (100_000, "all_time")]
    assert card.spending_controls.spending_limits_currency == "eur"
    assert len(card.last4) == 4


def test_cards_start_inactive_unless_asked_otherwise(client, cardholder):
    card = client.v1.issuing.cards.create({"cardholder": cardholder.id, "currency": "eur", "type": "virtual"})

    assert card.status == "inactive"


def test_raising_the_limit_for_a_second_instalment_replaces_the_spending_controls(client, cardholder):
    card = instalment_card(client, cardholder, amount=100_000)

    updated = client.v1.issuing.cards.update(card.id, {"spending_controls": {
        "spending_limits": [{"amount": 200_000, "interval": "all_time"}]}})

    assert [limit.amount for limit in updated.spending_controls.spending_limits] == [200_000]
    assert client.v1.issuing.cards.retrieve(card.id).spending_controls.spending_limits[0].amount == 200_000


def test_a_canceled_card_cannot_be_changed_again(client, cardholder):
    card = instalment_card(client, cardholder)

    canceled = client.v1.issuing.cards.update(card.id, {"status": "canceled", "cancellation_reason": "lost"})
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.issuing.cards.update(card.id, {"status": "active"})

    assert (canceled.status, canceled.cancellation_reason) == ("canceled", "lost")


def test_a_limit_needs_a_known_interval(client, cardholder):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.issuing.cards.create({
            "cardholder": cardholder.id, "currency": "eur", "type": "virtual",
            "spending_controls": {"spending_limits": [{"amount": 100, "interval": "per_instalment"}]}})

    assert refused.value.param == "spending_controls[spending_limits][0][interval]"


def test_a_limit_needs_an_amount(client, cardholder):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.issuing.cards.create({
            "cardholder": cardholder.id, "currency": "eur", "type": "virtual",
            "spending_controls": {"spending_limits": [{"interval": "all_time"}]}})

    assert refused.value.code == "parameter_missing"
    assert refused.value.param == "spending_controls[spending_limits][0][amount]"


def test_a_physical_card_needs_a_shipping_address(client, cardholder):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.issuing.cards.create({"cardholder": cardholder.id, "currency": "eur", "type": "physical"})

    assert refused.value.param == "shipping"


def test_a_card_for_an_unknown_cardholder_is_refused_on_the_cardholder_param(client):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.issuing.cards.create({"cardholder": "ich_unknown", "currency": "eur", "type": "virtual"})

    assert (refused.value.code, refused.value.param) == ("resource_missing", "cardholder")


def test_cards_are_issued_only_in_the_platforms_issuing_currency(client, cardholder):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.issuing.cards.create({"cardholder": cardholder.id, "currency": "xof", "type": "virtual"})

    assert refused.value.param == "currency"


def test_cards_can_be_listed_per_cardholder(client, cardholder):
    card = instalment_card(client, cardholder)
    other = client.v1.issuing.cardholders.create({"name": "Jo Ba", "billing": {"address": {
        "line1": "Rue 1", "city": "Thiès", "postal_code": "21000", "country": "SN"}}})
    instalment_card(client, other)

    listed = client.v1.issuing.cards.list({"cardholder": cardholder.id})

    assert [found.id for found in listed.data] == [card.id]


def test_the_platform_balance_shows_the_issuing_balance(client):
    balance = client.v1.balance.retrieve()

    assert [entry.currency for entry in balance.issuing.available] == ["eur"]
