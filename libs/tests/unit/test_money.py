import pytest

from reintegra.money import CurrencyMismatch, Money


def test_a_split_always_adds_up_to_the_whole_with_the_remainder_on_the_last_part():
    assert Money(200001, "EUR").allocate([50, 50]) == [Money(100000, "EUR"), Money(100001, "EUR")]
    assert sum(p.amount for p in Money(100, "EUR").allocate([33, 33, 34])) == 100


def test_a_split_must_sum_to_a_hundred_percent():
    with pytest.raises(ValueError):
        Money(100, "EUR").allocate([50, 40])


def test_money_refuses_floats_and_unknown_currency_shapes():
    with pytest.raises(TypeError):
        Money(10.5, "EUR")
    with pytest.raises(ValueError):
        Money(10, "euro")


def test_money_of_different_currencies_never_mixes():
    with pytest.raises(CurrencyMismatch):
        Money(1, "EUR") + Money(1, "XOF")


def test_money_prints_in_major_units_by_currency_exponent():
    assert str(Money(150000, "EUR")) == "1500.00 EUR"
    assert str(Money(5000, "XOF")) == "5000 XOF"
    assert str(Money(-5, "EUR")) == "-0.05 EUR"
