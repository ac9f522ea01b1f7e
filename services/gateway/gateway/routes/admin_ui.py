"""The admin UI: one static page and its assets (not part of the API document)."""
from __future__ import annotations

from pathlib import Path

from nameko.web.handlers import http
from werkzeug.wrappers import Response

UI_DIR = Path(__file__).resolve().parents[1] / "ui"
ASSETS = {"app.js": "text/javascript", "style.css": "text/css"}


class AdminUiRoutes:
    @http("GET", "/")
    def ui_index(self, request):
        return Response((UI_DIR / "index.html").read_bytes(), mimetype="text/html")

    @http("GET", "/ui/<string:asset>")
    def ui_asset(self, request, asset):
        if asset not in ASSETS:
            return Response("not found", status=404)
        return Response((UI_DIR / asset).read_bytes(), mimetype=ASSETS[asset])
