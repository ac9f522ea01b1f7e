"""Bank account tokens (POST /v1/tokens with bank_account[...]), usable once as an external account."""
from .. import banking, ids, params as p
from ..state import now
from .external_accounts import DETAILS, bank_details_from_hash
from .rendering import render
from .routing import Route

CREATE = p.spec({f"bank_account.{name}": coerce for name, coerce in DETAILS.items() if name != "object"},
                required=("bank_account",))


def create_token(call):
    details = bank_details_from_hash({"object": "bank_account", **call.params["bank_account"]},
                                     "bank_account")
    token = call.fixtures.template("token")
    del token["card"]
    token.update({"id": ids.new_id("btok"), "created": now(), "type": "bank_account", "used": False,
                  "livemode": False, "bank_account": _bank_account_view(call, details)})
    call.store.add(token, owner=call.account)
    call.store.private(token["id"])["details"] = details
    return render(call.state, token)


def _bank_account_view(call, details):
    bank = call.fixtures.template("bank_account")
    bank.update({"id": ids.new_id("ba"), "account_holder_name": details["holder_name"],
                 "account_holder_type": details["holder_type"], "country": details["country"],
                 "currency": details["currency"], "last4": details["number"][-4:],
                 "fingerprint": banking.fingerprint(details["country"], details["number"]),
                 "routing_number": details["routing_number"], "status": "new"})
    return bank


ROUTES = [Route("POST", "/v1/tokens", create_token, CREATE, "token")]
