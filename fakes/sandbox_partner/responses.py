"""Small helpers shared by the operator and control APIs."""
import json

from werkzeug.wrappers import Response

from .errors import PartnerError


def json_response(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def error_response(error: PartnerError, headers: dict | None = None) -> Response:
    response = json_response(error.body(), error.status)
    response.headers.update(headers or {})
    return response
