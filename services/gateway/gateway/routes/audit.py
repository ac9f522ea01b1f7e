"""The audit trail, read-only, for auditors (API.md "GET /api/v1/audit")."""
from __future__ import annotations


class AuditRoutes:
    pass


PATHS: dict = {}
