"""Money as integer minor units with an explicit currency.

Floats never touch money: amounts are ints of the currency's minor unit (cents for EUR),
and splitting allocates the remainder so parts always sum exactly to the whole.
"""
from __future__ import annotations

from dataclasses import dataclass

# ISO 4217 minor-unit exponents for currencies that differ from the usual 2.
_EXPONENTS = {"JPY": 0, "KRW": 0, "XOF": 0, "XAF": 0, "GNF": 0, "BIF": 0, "RWF": 0,
              "UGX": 0, "VND": 0, "CLP": 0, "PYG": 0, "KMF": 0, "DJF": 0, "VUV": 0,
              "BHD": 3, "KWD": 3, "OMR": 3, "TND": 3, "JOD": 3, "IQD": 3, "LYD": 3}


class CurrencyMismatch(ValueError):
    """Arithmetic between two different currencies was attempted."""


_ZEROS: dict[str, "Money"] = {}
_CHECKED_CURRENCIES: set[str] = set()  # codes that passed the format check once


def minor_unit_exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


@dataclass(frozen=True, order=False)
class Money:
    amount: int
    currency: str

    def __post_init__(self):
        # Exact-type and known-currency fast paths first: a payout batch builds hundreds of
        # thousands of Money values from rows, nearly all plain ints in a handful of currencies.
        amount, currency = self.amount, self.currency
        if type(amount) is not int and (isinstance(amount, bool) or not isinstance(amount, int)):
            raise TypeError(f"amount must be an int of minor units, got {amount!r}")
        if type(currency) is str and currency in _CHECKED_CURRENCIES:
            return
        if not (isinstance(currency, str) and len(currency) == 3
                and currency.isalpha() and currency.isupper()):
            raise ValueError(f"currency must be an ISO 4217 code, got {currency!r}")
        _CHECKED_CURRENCIES.add(currency)

    @classmethod
    def _trusted(cls, amount: int, currency: str) -> "Money":
        """The result of arithmetic on two valid Money values: its int amount and currency
        were checked already, so it skips __post_init__ (ledger work makes dozens per payout)."""
        money = object.__new__(cls)
        object.__setattr__(money, "amount", amount)
        object.__setattr__(money, "currency", currency)
        return money

    @classmethod
    def zero(cls, currency: str) -> "Money":
        # Immutable, so one zero per currency serves every caller.
        try:
            return _ZEROS[currency]
        except (KeyError, TypeError):
            zero = cls(0, currency)
            _ZEROS[currency] = zero
            return zero

    @classmethod
    def from_dict(cls, data: dict) -> "Money":
        return cls(data["amount"], data["currency"])

    def to_dict(self) -> dict:
        return {"amount": self.amount, "currency": self.currency}

    def _same_currency(self, other: "Money") -> None:
        if not isinstance(other, Money):
            raise TypeError(f"expected Money, got {other!r}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money._trusted(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money._trusted(self.amount - other.amount, self.currency)

    def __neg__(self) -> "Money":
        return Money._trusted(-self.amount, self.currency)

    def __lt__(self, other: "Money") -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: "Money") -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: "Money") -> bool:
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: "Money") -> bool:
        self._same_currency(other)
        return self.amount >= other.amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_negative(self) -> bool:
        return self.amount < 0

    def allocate(self, percentages: list[int]) -> list["Money"]:
        """Split by whole percentages summing to 100; remainder cents go to the last part.

        `Money(200001, "EUR").allocate([50, 50])` -> 100000 and 100001: the parts always
        add up to the whole, which a float split cannot promise.
        """
        if sum(percentages) != 100 or any(p < 0 for p in percentages):
            raise ValueError(f"split must be non-negative and sum to 100, got {percentages}")
        parts = [self.amount * p // 100 for p in percentages]
        parts[-1] += self.amount - sum(parts)
        return [Money(p, self.currency) for p in parts]

    def __str__(self) -> str:
        exp = minor_unit_exponent(self.currency)
        sign = "-" if self.amount < 0 else ""
        whole, frac = divmod(abs(self.amount), 10 ** exp) if exp else (abs(self.amount), 0)
        return f"{sign}{whole}.{frac:0{exp}d} {self.currency}" if exp else f"{sign}{whole} {self.currency}"
