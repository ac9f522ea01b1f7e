"""Which parameters each operation accepts, their types, and which are required.

Like Stripe, a parameter the operation does not know is refused (`parameter_unknown`) instead
of silently ignored, so an adapter that sends a misspelt or unsupported field fails here as it
would against Stripe. A spec maps dotted patterns to coercers: `*` matches any hash key, `#`
any array position (`spending_controls.spending_limits.#.amount`).
"""
import re
from dataclasses import dataclass

from . import errors
from .forms import bracket_name

CURRENCIES = frozenset(
    "aed all amd ang aud azn bam bdt bgn bif bwp cad cdf chf clp cny cop crc cve czk djf dkk dop dzd "
    "egp etb eur gbp gel ghs gmd gnf gtq hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw "
    "kzt lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nok npr nzd pen php "
    "pkr pln pyg qar ron rsd rub rwf sar scr sek sgd sle sll sos szl thb tjs tnd top try ttd twd tzs uah "
    "ugx usd uyu uzs vnd xaf xof yer zar zmw".split())


@dataclass(frozen=True)
class Spec:
    fields: dict
    required: tuple = ()
    # Hash parameters that may be sent as "" to mean "unset" (Stripe's convention).
    emptiable: tuple = ("metadata",)


def validate(spec, raw):
    """Coerce `raw` (output of forms.parse_pairs) against `spec`; raise StripeError on the first fault."""
    result = _coerce_tree(spec, raw, ())
    for required in spec.required:
        _check_present(result, required)
    return result


def _coerce_tree(spec, node, path):
    if isinstance(node, dict):
        return {str(key): _coerce_tree(spec, value, path + (key,)) for key, value in node.items()}
    if isinstance(node, list):
        return [_coerce_tree(spec, value, path + (index,)) for index, value in enumerate(node)]
    if node == "" and len(path) == 1 and path[0] in spec.emptiable:
        return ""
    return _coercer_for(spec, path)(node, bracket_name(path))


def _coercer_for(spec, path):
    for pattern, coerce in spec.fields.items():
        if _matches(pattern.split("."), path):
            return coerce
    raise errors.parameter_unknown(bracket_name(path))


def _matches(pattern, path):
    if len(pattern) != len(path):
        return False
    return all(_segment_matches(want, got) for want, got in zip(pattern, path))


def _segment_matches(want, got):
    if want == "#":
        return isinstance(got, int)
    if want == "*":
        return True
    return want == got


def _check_present(result, dotted):
    node = result
    for part in dotted.split("."):
        if not isinstance(node, dict) or node.get(part) in (None, ""):
            raise errors.parameter_missing(bracket_name(dotted.split(".")))
        node = node[part]


# Coercers: (value, param name) -> coerced value.

def string(value, name):
    if not isinstance(value, str):
        raise errors.invalid_request(f"Invalid string: {value!r}", param=name)
    return value


def integer(value, name):
    if not re.fullmatch(r"-?\d+", string(value, name)):
        raise errors.invalid_integer(name, value)
    return int(value)


def positive_integer(value, name):
    number = integer(value, name)
    if number < 1:
        raise errors.invalid_request("Invalid positive integer", code="parameter_invalid_integer", param=name)
    return number


def non_negative_integer(value, name):
    number = integer(value, name)
    if number < 0:
        raise errors.invalid_request("This value must be greater than or equal to 0.",
                                     code="parameter_invalid_integer", param=name)
    return number


def boolean(value, name):
    if value not in ("true", "false"):
        raise errors.invalid_request(f"Invalid boolean: {value}", param=name)
    return value == "true"


def currency(value, name):
    code = string(value, name).lower()
    if code not in CURRENCIES:
        raise errors.invalid_request(f"Invalid currency: {value}. Stripe currently supports these "
                                     f"currencies: {', '.join(sorted(CURRENCIES))}", param=name)
    return code


def country(value, name):
    if not re.fullmatch(r"[A-Za-z]{2}", string(value, name)):
        raise errors.invalid_request(f"Country '{value}' is unknown. Try using a 2-character "
                                     "alphanumeric country code instead, such as 'US', 'EG', or 'GB'.",
                                     code="country_unsupported", param=name)
    return value.upper()


def limit(value, name):
    number = integer(value, name)
    if not 1 <= number <= 100:
        raise errors.invalid_request("This value must be between 1 and 100 (it currently is "
                                     f"{number}).", code="parameter_invalid_integer", param=name)
    return number


def metadata_value(value, name):
    text = string(value, name)
    if len(text) > 500:
        raise errors.invalid_request(
            f"Metadata values can have up to 500 characters, but you passed in a value that is {len(text)} "
            f"characters. Invalid value: {text}", param=name)
    if len(name) - len("metadata[]") > 40:
        raise errors.invalid_request("Metadata keys can have up to 40 characters.", param=name)
    return text


def one_of(*choices):
    def coerce(value, name):
        if value not in choices:
            listed = ", ".join(choices[:-1]) + f", or {choices[-1]}" if len(choices) > 1 else choices[0]
            raise errors.invalid_request(f"Invalid {name}: must be one of {listed}", param=name)
        return value
    return coerce


COMMON = {"expand.#": string, "metadata.*": metadata_value}
LISTING = {"expand.#": string, "limit": limit, "starting_after": string, "ending_before": string}
RETRIEVE = Spec({"expand.#": string})


def spec(fields, required=()):
    """An operation that writes: it also takes `expand` and `metadata`."""
    return Spec({**COMMON, **fields}, tuple(required))


def listing(fields=None):
    """A list operation: `limit`, `starting_after`, `ending_before`, `expand` and its own filters."""
    return Spec({**LISTING, **(fields or {})})
