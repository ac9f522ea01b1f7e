"""The budget RPCs plans calls: reserve, release, report — idempotent, never below zero."""
import pytest

from reintegra.contracts.errors import Conflict


def test_a_new_programme_has_its_whole_budget_available_by_funding_source(call, funded_programme):
    report = call("get_budget", funded_programme)
    assert report["total"] == report["available"] == {"amount": 5_000_000, "currency": "EUR"}
    assert [(s["code"], s["available"]["amount"]) for s in report["by_funding_source"]] == [
        ("EU", 3_750_000), ("PT", 1_250_000)]


def test_a_reservation_is_split_across_funding_sources_by_their_shares(call, funded_programme, money):
    answer = call("reserve_budget", "plan:p1:v1:reserve", funded_programme, "plan:p1", money(150_001))
    assert {s["code"]: s["amount"]["amount"] for s in answer["by_funding_source"]} == {
        "EU": 112_501, "PT": 37_500}
    assert answer["available"] == money(5_000_000 - 150_001)
    report = call("get_budget", funded_programme)
    assert report["reserved"] == money(150_001)


def test_the_same_operation_twice_answers_the_first_result_and_reserves_once(
        call, funded_programme, money):
    first = call("reserve_budget", "op-1", funded_programme, "plan:p1", money(100_000))
    again = call("reserve_budget", "op-1", funded_programme, "plan:p1", money(100_000))
    assert again == first
    assert call("get_budget", funded_programme)["reserved"] == money(100_000)


def test_the_same_operation_id_with_other_data_is_a_conflict(call, funded_programme, money):
    call("reserve_budget", "op-1", funded_programme, "plan:p1", money(100_000))
    with pytest.raises(Conflict):
        call("reserve_budget", "op-1", funded_programme, "plan:p1", money(100_001))


def test_a_reservation_beyond_the_budget_is_refused_naming_what_is_available(
        call, funded_programme, money):
    call("reserve_budget", "op-1", funded_programme, "plan:p1", money(4_900_000))
    with pytest.raises(Conflict) as refused:
        call("reserve_budget", "op-2", funded_programme, "plan:p2", money(200_000))
    assert refused.value.details["available"] == money(100_000)
    assert "EUR 1,000.00 available" in refused.value.message
    assert call("get_budget", funded_programme)["reserved"] == money(4_900_000)


def test_releasing_without_an_amount_gives_back_everything_the_reference_holds(
        call, funded_programme, money):
    call("reserve_budget", "r1", funded_programme, "plan:p1", money(100_000))
    call("reserve_budget", "r2", funded_programme, "plan:p1", money(20_000))
    answer = call("release_budget", "rel-1", funded_programme, "plan:p1", None)
    assert answer["released"] == money(120_000) and answer["still_reserved"] == money(0)
    assert call("release_budget", "rel-1", funded_programme, "plan:p1", None) == answer
    assert call("get_budget", funded_programme)["available"] == money(5_000_000)


def test_releasing_more_than_is_reserved_is_a_conflict(call, funded_programme, money):
    call("reserve_budget", "r1", funded_programme, "plan:p1", money(100_000))
    with pytest.raises(Conflict):
        call("release_budget", "rel-1", funded_programme, "plan:p1", money(100_001))
