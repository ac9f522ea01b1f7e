import pytest

from reintegra.money import Money

from plans.domain.plan_lines import (AmountNotPositive, CapExceeded, Category,
                                     DescriptionRequired, EmptyPlan, JustificationRequired,
                                     PlanLine, Supplier, SupplierNameRequired, WrongCurrency,
                                     validate_lines)

NEEDS_JUSTIFICATION = [Category.EDUCATION, Category.HEALTH, Category.HOUSING,
                       Category.BASIC_NECESSITIES, Category.OTHER]


def test_a_plan_of_exactly_the_cap_is_accepted(line, cap):
    total = validate_lines([line(amount=150_000), line(amount=50_000)], cap)
    assert total == Money(200_000, "EUR")


def test_rejects_a_plan_one_cent_over_the_cap(line, cap):
    with pytest.raises(CapExceeded) as refused:
        validate_lines([line(amount=150_000), line(amount=50_001)], cap)
    assert refused.value.cap == Money(200_000, "EUR")
    assert refused.value.total == Money(200_001, "EUR")
    assert refused.value.excess == Money(1, "EUR")
    assert "2000.00 EUR" in str(refused.value) and "0.01 EUR" in str(refused.value)


def test_the_cap_is_the_programmes_not_a_constant(line):
    care_cap = Money(300_000, "EUR")
    assert validate_lines([line(amount=250_000)], care_cap) == Money(250_000, "EUR")


@pytest.mark.parametrize("category", [Category.INCOME_GENERATING_ACTIVITY,
                                      Category.VOCATIONAL_TRAINING])
def test_income_generation_and_training_need_no_justification(category, eur, cap):
    plain = PlanLine(category, "a course", eur(40_000))
    assert validate_lines([plain], cap) == eur(40_000)


@pytest.mark.parametrize("category", NEEDS_JUSTIFICATION)
@pytest.mark.parametrize("justification", [None, "", "   \n"])
def test_every_other_category_needs_a_written_justification(category, justification, line, eur,
                                                            cap):
    lines = [line(), PlanLine(category, "rent, 3 months", eur(30_000),
                              justification=justification)]
    with pytest.raises(JustificationRequired) as refused:
        validate_lines(lines, cap)
    assert refused.value.line_index == 1
    assert refused.value.field == "lines[1].justification"


@pytest.mark.parametrize("category", NEEDS_JUSTIFICATION)
def test_a_justified_line_of_any_other_category_is_accepted(category, eur, cap):
    justified = PlanLine(category, "rent, 3 months", eur(30_000),
                         justification="after an individual analysis: homeless on return")
    assert validate_lines([justified], cap) == eur(30_000)


def test_a_plan_needs_at_least_one_line(cap):
    with pytest.raises(EmptyPlan):
        validate_lines([], cap)


@pytest.mark.parametrize("cents", [0, -500])
def test_every_amount_must_be_positive(line, cap, cents):
    with pytest.raises(AmountNotPositive) as refused:
        validate_lines([line(), line(amount=cents)], cap)
    assert refused.value.field == "lines[1].amount"


def test_a_negative_line_cannot_hide_an_excess_over_the_cap(line, cap):
    with pytest.raises(AmountNotPositive):
        validate_lines([line(amount=250_000), line(amount=-50_000)], cap)


def test_every_line_must_be_in_the_programme_currency(cap):
    dollars = PlanLine(Category.VOCATIONAL_TRAINING, "course", Money(10_000, "USD"))
    with pytest.raises(WrongCurrency) as refused:
        validate_lines([dollars], cap)
    assert (refused.value.expected, refused.value.actual) == ("EUR", "USD")


def test_every_line_needs_a_description(line, cap):
    with pytest.raises(DescriptionRequired):
        validate_lines([line(description=" ")], cap)


def test_a_supplier_is_optional_but_needs_a_name_when_given(line, cap, eur):
    with_reference = line(supplier=Supplier("Loja do Ferreiro", "quote 17"))
    without_reference = line(supplier=Supplier("Escola Técnica"))
    assert validate_lines([with_reference, without_reference], cap) == eur(200_000)
    with pytest.raises(SupplierNameRequired):
        validate_lines([line(supplier=Supplier(""))], cap)
