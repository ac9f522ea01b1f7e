"""GET /v1/balance: the caller's available balances (platform, or the Stripe-Account's)."""
from .. import params as p
from .routing import Route


def retrieve_balance(call):
    balance = call.fixtures.template("balance")
    owner = call.account
    currencies = call.ledger.currencies(owner) or ["eur"]
    balance["available"] = [{"amount": call.ledger.available(owner, currency), "currency": currency,
                             "source_types": {"card": call.ledger.available(owner, currency)}}
                            for currency in currencies]
    balance["pending"] = [{"amount": 0, "currency": currency, "source_types": {"card": 0}}
                          for currency in currencies]
    balance["livemode"] = False
    if owner is None:
        balance["connect_reserved"] = [{"amount": 0, "currency": currency} for currency in currencies]
        balance["issuing"] = {"available": [{"amount": amount, "currency": currency}
                                            for currency, amount in call.ledger.issuing().items()]}
    else:
        del balance["connect_reserved"]
    return balance


ROUTES = [Route("GET", "/v1/balance", retrieve_balance, p.RETRIEVE, "balance")]
