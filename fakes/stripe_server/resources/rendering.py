"""Objects as the API returns them: stored state plus live parts (lists, embedded objects)."""
import copy

_RENDERERS = {}


def renders(object_type):
    """Register the function that completes a stored `object_type` for output."""
    def register(function):
        _RENDERERS[object_type] = function
        return function
    return register


def render(state, obj):
    """A detached copy of `obj` as Stripe would return it now."""
    detached = copy.deepcopy(obj)
    complete = _RENDERERS.get(obj["object"])
    return complete(state, detached) if complete else detached


def sublist(state, objects, url, limit=10):
    """The embedded list Stripe nests in a parent (`reversals`, `external_accounts`)."""
    return {"object": "list", "data": [render(state, obj) for obj in objects[:limit]],
            "has_more": len(objects) > limit, "total_count": len(objects), "url": url}
