"""Stripe's own example objects (openapi/fixtures3.json), the starting point of every response."""
import copy
import json
import os
from pathlib import Path

# A verbatim copy of ../shared/stripe/fixtures3.json (see reference/README.md), so that a
# clone runs its tests wherever it is checked out.
DEFAULT_PATH = Path(__file__).resolve().parent / "reference" / "fixtures3.json"


def default_path():
    return Path(os.environ.get("STRIPE_FIXTURES", DEFAULT_PATH))


class Fixtures:
    """Read-only catalogue keyed by Stripe object type ("transfer", "issuing.card", ...)."""

    def __init__(self, resources):
        self._resources = resources

    @classmethod
    def load(cls, path=None):
        with open(path or default_path(), encoding="utf-8") as handle:
            return cls(json.load(handle)["resources"])

    def template(self, object_type):
        """A fresh deep copy of the example object, for the caller to overwrite."""
        return copy.deepcopy(self._resources[object_type])
