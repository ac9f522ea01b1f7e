"""In-memory objects and balances. Nothing survives a restart, as befits a test server.

Every object has an owner: None for the platform, or the connected account it lives on
(a payout created with `Stripe-Account: acct_...`). Stripe answers 404 when an object is
read under the wrong account, and so does this store.
"""
from collections import defaultdict

EVERY_OWNER = object()


class Store:
    def __init__(self):
        self._objects = {}
        self._owners = {}
        self._private = defaultdict(dict)

    def add(self, obj, owner=None):
        self._objects[obj["id"]] = obj
        self._owners[obj["id"]] = owner
        return obj

    def remove(self, object_id):
        self._objects.pop(object_id, None)
        self._owners.pop(object_id, None)

    def get(self, object_id, object_type, owner=EVERY_OWNER):
        """The object with this id and type, visible to `owner`, or None."""
        obj = self._objects.get(object_id)
        if obj is None or obj["object"] != object_type:
            return None
        if owner is not EVERY_OWNER and self._owners[object_id] != owner:
            return None
        return obj

    def find(self, object_id):
        return self._objects.get(object_id)

    def owner_of(self, object_id):
        return self._owners.get(object_id)

    def private(self, object_id):
        """Facts Stripe keeps but never returns (full account numbers, test outcomes, token use)."""
        return self._private[object_id]

    def select(self, object_type, owner=EVERY_OWNER, where=None):
        """Objects of one type, newest first, as Stripe lists them."""
        found = [obj for object_id, obj in self._objects.items()
                 if obj["object"] == object_type
                 and (owner is EVERY_OWNER or self._owners[object_id] == owner)
                 and (where is None or where(obj))]
        return found[::-1]

    def counts(self):
        totals = defaultdict(int)
        for obj in self._objects.values():
            totals[obj["object"]] += 1
        return dict(sorted(totals.items()))


class Ledger:
    """Balances in minor units per (owner, currency): owner None is the platform."""

    def __init__(self, platform_opening, issuing_opening):
        self._available = defaultdict(int)
        self._issuing = defaultdict(int)
        for currency, amount in platform_opening.items():
            self._available[(None, currency)] = amount
        for currency, amount in issuing_opening.items():
            self._issuing[currency] = amount

    def available(self, owner, currency):
        return self._available[(owner, currency)]

    def set_available(self, owner, currency, amount):
        self._available[(owner, currency)] = amount

    def move(self, owner, currency, amount):
        """Add `amount` (negative to take money out) to the owner's available balance."""
        self._available[(owner, currency)] += amount

    def currencies(self, owner):
        return sorted(currency for (holder, currency) in self._available if holder == owner)

    def issuing(self):
        return dict(sorted(self._issuing.items()))

    def set_issuing(self, currency, amount):
        self._issuing[currency] = amount
