"""The declaration of one API operation: method, URL rule, parameter spec and handler."""
from dataclasses import dataclass
from typing import Callable

from ..params import Spec


@dataclass(frozen=True)
class Route:
    method: str
    rule: str
    handler: Callable
    spec: Spec
    # What the operation answers with: an object type, or "list:<type>" (for expand checks).
    returns: str

    @property
    def name(self):
        return f"{self.method} {self.rule}"
