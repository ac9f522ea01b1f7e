"""Wiring: one store, one fault injector, the two background loops and the WSGI application."""
import ipaddress
import logging
import sys
import traceback
from pathlib import Path

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from .callbacks import CallbackDispatcher
from .control_api import ControlApi
from .errors import PartnerError
from .faults import FaultInjector
from .operator_api import OperatorApi
from .responses import error_response
from .settings import PartnerSettings
from .settlement import Settler
from .store import PartnerStore

CONTROL_PREFIX = "/_control/"
_DOWN_RETRY_AFTER_S = "1"


class PartnerApp:
    """Routes requests: the control API (loopback only, never down) or the operator API."""

    def __init__(self, operator: OperatorApi, control: ControlApi, faults: FaultInjector):
        self._operator = operator
        self._operator_routes = Map(operator.rules())
        self._control_routes = Map(control.rules())
        self._faults = faults

    def __call__(self, environ, start_response):
        request = Request(environ)
        return self._respond(request)(environ, start_response)

    def _respond(self, request: Request) -> Response:
        try:
            return self._route(request)
        except PartnerError as error:
            return error_response(error)
        except HTTPException as error:
            return error_response(PartnerError(error.code, _http_code(error), error.description))
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return error_response(PartnerError(500, "INTERNAL_PROCESSING_ERROR", "unexpected error"))

    def _route(self, request: Request) -> Response:
        if request.path.startswith(CONTROL_PREFIX):
            if not ipaddress.ip_address(request.remote_addr).is_loopback:
                raise PartnerError(403, "NOT_ALLOWED", "the control API answers loopback callers only")
            return _dispatch(self._control_routes, request)
        if self._faults.is_down():
            return error_response(PartnerError(503, "SERVICE_UNAVAILABLE", "the operator is down"),
                                  {"Retry-After": _DOWN_RETRY_AFTER_S})
        self._operator.authorize(request)
        return _dispatch(self._operator_routes, request)


def _dispatch(routes: Map, request: Request) -> Response:
    endpoint, values = routes.bind_to_environ(request.environ).match()
    return endpoint(request, **values)


def _http_code(error: HTTPException) -> str:
    return {404: "RESOURCE_NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(error.code, "BAD_REQUEST")


class Partner:
    """A running sandbox partner minus its HTTP server: state, faults and background loops."""

    def __init__(self, settings: PartnerSettings, data_dir: Path):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.store = PartnerStore(data_dir / "partner.sqlite3")
        self.faults = FaultInjector()
        self.dispatcher = CallbackDispatcher(self.store, settings)
        self.settler = Settler(self.store, on_settled=self.dispatcher.wake)
        self.app = PartnerApp(OperatorApi(self.store, self.faults, settings, self.wake_background),
                              ControlApi(self.store, self.faults, settings, self.wake_background),
                              self.faults)

    def wake_background(self) -> None:
        """Something changed: new work may be due for settlement or callback delivery."""
        self.settler.wake()
        self.dispatcher.wake()

    def start(self) -> None:
        self.settler.start()
        self.dispatcher.start()

    def stop(self) -> None:
        self.settler.stop()
        self.dispatcher.stop()
        self.store.close()


class _QuietRequestHandler(WSGIRequestHandler):
    """Keeps per-request access lines out of the log; benchmarks send a lot of requests."""

    def log_request(self, code="-", size="-") -> None:
        pass


def http_server(partner: Partner, host: str, port: int, access_log: bool) -> BaseWSGIServer:
    if not access_log:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    handler = WSGIRequestHandler if access_log else _QuietRequestHandler
    return make_server(host, port, partner.app, threaded=True, request_handler=handler)
