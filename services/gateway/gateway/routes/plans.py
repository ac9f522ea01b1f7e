"""Reintegration applications and plans (plans service; API.md "plans")."""
from __future__ import annotations


class PlanRoutes:
    pass


PATHS: dict = {}
