"""The Stripe v1 API over WSGI, request by request:

authenticate -> route -> Stripe-Version -> Stripe-Account -> gate faults -> idempotency ->
parameters -> endpoint faults -> handler (under the state lock) -> answer faults -> response.

Every response carries `Request-Id`; errors are Stripe's error hash; `/_control` goes to the
control API instead.
"""
import base64
import binascii
import json
import re
import socket
import sys
import time
import traceback
from dataclasses import dataclass, field

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import errors, ids
from .control import ControlApi
from .expansion import check_expandable, expand
from .forms import parse_pairs
from .params import validate
from .resources import ROUTES
from .resources.common import connected_account
from .state import Call

VERSION_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}(\.[a-z]+)?")


@dataclass
class Exchange:
    """What is known about one request so far, for the response headers and the request log."""
    request: Request
    request_id: str = field(default_factory=lambda: ids.new_id("req"))
    version: str | None = None
    account: str | None = None
    idempotency_key: str | None = None
    replay_of: str | None = None
    fault: str | None = None
    drop: bool = False


class StripeApi:
    def __init__(self, state):
        self.state = state
        self._routes = {route.name: route for route in ROUTES}
        self._map = Map([Rule(route.rule, methods=[route.method], endpoint=route.name) for route in ROUTES])

    def respond(self, request):
        exchange = Exchange(request)
        try:
            status, body, headers = self._process(exchange)
        except errors.StripeError as error:
            status, body, headers = _as_answer(error, exchange)
        except Exception:
            status, body, headers = _unexpected(exchange)
        return self._response(exchange, status, body, headers)

    def _process(self, exchange):
        request = exchange.request
        api_key = self._api_key(request)
        route, args = self._route(request)
        exchange.version = self._version(request)
        exchange.account = self._stripe_account(request, api_key)
        self._gate(exchange)
        posted = request.method == "POST"
        pairs = list((request.form if posted else request.args).items(multi=True))
        # Stripe ignores Idempotency-Key on reads.
        exchange.idempotency_key = request.headers.get("Idempotency-Key") if posted else None
        if exchange.idempotency_key is None:
            return self._answer(exchange, *self._execute(exchange, route, args, pairs))
        return self._idempotent(exchange, api_key, route, args, pairs)

    def _idempotent(self, exchange, api_key, route, args, pairs):
        scope = (api_key, exchange.account or "", exchange.idempotency_key)
        endpoint = f"{exchange.request.method} {exchange.request.path}"
        saved = self.state.idempotency.begin(scope, endpoint, tuple(sorted(pairs)), exchange.request_id)
        if saved is not None:
            exchange.replay_of = saved.request_id
            return saved.status, saved.body, {**saved.headers, "Idempotent-Replayed": "true"}
        try:
            status, body, headers = self._execute(exchange, route, args, pairs)
        except Exception:
            self.state.idempotency.release(scope)
            raise
        self.state.idempotency.save(scope, status, body, headers)
        return self._answer(exchange, status, body, headers)

    def _execute(self, exchange, route, args, pairs):
        """Validate (errors here are raised: the endpoint never started), then run the endpoint."""
        params = validate(route.spec, parse_pairs(pairs))
        check_expandable(self.state.fixtures, route.returns, params.get("expand", []))
        call = Call(self.state, params, args, exchange.account, exchange.request_id, exchange.idempotency_key)
        try:
            self._endpoint_fault(exchange)
            with self.state.lock:
                return 200, expand(self.state, route.handler(call), params.get("expand", [])), {}
        except errors.StripeError as error:
            return _as_answer(error, exchange)
        except Exception:
            return _unexpected(exchange)

    def _api_key(self, request):
        key = _key_from_authorization(request.headers.get("Authorization", ""))
        if not key:
            raise errors.no_api_key()
        allowed = self.state.config.api_keys
        if not key.startswith(("sk_test_", "rk_test_")) or (allowed and key not in allowed):
            raise errors.invalid_api_key(key)
        return key

    def _route(self, request):
        try:
            name, args = self._map.bind_to_environ(request.environ).match()
        except (NotFound, MethodNotAllowed):
            raise errors.unrecognized_url(request.method, request.path) from None
        return self._routes[name], args

    def _version(self, request):
        version = request.headers.get("Stripe-Version")
        if version is None:
            return self.state.config.api_version
        if not VERSION_FORMAT.fullmatch(version):
            raise errors.invalid_request(f"Invalid Stripe API version: {version}")
        return version

    def _stripe_account(self, request, api_key):
        account = request.headers.get("Stripe-Account")
        if not account or account == self.state.platform_account_id:
            return None
        with self.state.lock:
            if connected_account(self.state.store, account) is None:
                raise errors.account_invalid(api_key, account)
        return account

    def _gate(self, exchange):
        fault = self.state.faults.take("gate", exchange.request.method, exchange.request.path)
        if fault:
            exchange.fault = fault.kind
            raise fault.error()

    def _endpoint_fault(self, exchange):
        fault = self.state.faults.take("endpoint", exchange.request.method, exchange.request.path)
        if fault is None:
            return
        exchange.fault = fault.kind
        if fault.kind == "latency":
            time.sleep(fault.delay_seconds)
            return
        raise fault.error()

    def _answer(self, exchange, status, body, headers):
        """The endpoint is done (and its result saved); an answer fault may still lose the answer."""
        fault = self.state.faults.take("answer", exchange.request.method, exchange.request.path)
        if fault is None:
            return status, body, headers
        exchange.fault = fault.kind
        if fault.kind == "drop":
            exchange.drop = True
            return status, body, headers
        return _as_answer(fault.error(), exchange)

    def _response(self, exchange, status, body, headers):
        headers = {"Request-Id": exchange.request_id,
                   "Stripe-Version": exchange.version or self.state.config.api_version,
                   "Cache-Control": "no-cache, no-store", **headers}
        if exchange.idempotency_key:
            headers["Idempotency-Key"] = exchange.idempotency_key
            headers["Original-Request"] = exchange.replay_of or exchange.request_id
        self.state.log_request({
            "request_id": exchange.request_id, "method": exchange.request.method,
            "path": exchange.request.path, "status": status, "stripe_account": exchange.account,
            "idempotency_key": exchange.idempotency_key, "replayed": exchange.replay_of is not None,
            "fault": exchange.fault,
        })
        if exchange.drop:
            _hang_up(exchange.request)
        return Response(json.dumps(body, indent=2), status=status, headers=headers,
                        content_type="application/json")


def _as_answer(error, exchange):
    return error.status, error.body(exchange.request_id), error.headers()


def _unexpected(exchange):
    """A bug in this server surfaces as Stripe's own 500, with the traceback on stderr."""
    traceback.print_exc(file=sys.stderr)
    return _as_answer(errors.api_error(), exchange)


def _key_from_authorization(header):
    scheme, _, credentials = header.partition(" ")
    if scheme == "Bearer":
        return credentials.strip()
    if scheme == "Basic":
        try:
            return base64.b64decode(credentials).decode("utf-8").partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            return ""
    return ""


def _hang_up(request):
    """Close the connection without answering: the client cannot know the operation happened."""
    connection = request.environ.get("werkzeug.socket")
    if connection is not None:
        connection.shutdown(socket.SHUT_RDWR)


def create_app(state):
    """The WSGI application: the Stripe API, plus the control API under /_control."""
    api, control = StripeApi(state), ControlApi(state)

    @Request.application
    def application(request):
        if request.path == "/_control" or request.path.startswith("/_control/"):
            return control.respond(request)
        return api.respond(request)

    return application
