from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from reintegra.money import Money

from plans.domain.case_facts import VulnerabilityLevel
from plans.domain.ranking import MixedProgrammes, RankedApplication, rank_applications


def order(ranked):
    return [r.application_id for r in ranked]


def test_applications_are_ranked_by_score_best_first(evaluated, eur):
    ranked = rank_applications([evaluated("low", 3), evaluated("top", 9), evaluated("mid", 6)],
                               eur(10_000_000))
    assert order(ranked) == ["top", "mid", "low"]
    assert [r.rank for r in ranked] == [1, 2, 3]
    assert [r.score for r in ranked] == [Decimal(90), Decimal(60), Decimal(30)]


def test_equal_scores_go_to_the_more_vulnerable_person_first(evaluated, eur):
    ranked = rank_applications([evaluated("none", 5, level=VulnerabilityLevel.NONE),
                                evaluated("high", 5, level=VulnerabilityLevel.HIGH),
                                evaluated("low", 5, level=VulnerabilityLevel.LOW),
                                evaluated("medium", 5, level=VulnerabilityLevel.MEDIUM)],
                               eur(10_000_000))
    assert order(ranked) == ["high", "medium", "low", "none"]


def test_equal_score_and_vulnerability_go_to_the_earlier_application(evaluated, eur):
    ranked = rank_applications([evaluated("later", 5, applied_on=date(2025, 3, 2)),
                                evaluated("earlier", 5, applied_on=date(2025, 3, 1))],
                               eur(10_000_000))
    assert order(ranked) == ["earlier", "later"]


def test_full_ties_are_broken_by_id_so_the_order_never_depends_on_input_order(evaluated, eur):
    apps = [evaluated("b", 5), evaluated("c", 5), evaluated("a", 5)]
    assert order(rank_applications(apps, eur(0))) == ["a", "b", "c"]
    assert order(rank_applications(list(reversed(apps)), eur(0))) == ["a", "b", "c"]


def test_vulnerability_does_not_outrank_a_higher_score(evaluated, eur):
    ranked = rank_applications([evaluated("vulnerable", 5, level=VulnerabilityLevel.HIGH),
                                evaluated("better", 6)], eur(0))
    assert order(ranked) == ["better", "vulnerable"]


def test_the_budget_is_consumed_in_rank_order_and_each_row_says_if_it_is_covered(evaluated, eur):
    ranked = rank_applications([evaluated("first", 9, requested=150_000),
                                evaluated("second", 8, requested=100_000),
                                evaluated("third", 7, requested=60_000)], eur(300_000))
    assert ranked == [
        RankedApplication(1, "first", Decimal(90), eur(150_000), True, eur(150_000)),
        RankedApplication(2, "second", Decimal(80), eur(100_000), True, eur(50_000)),
        RankedApplication(3, "third", Decimal(70), eur(60_000), False, eur(50_000)),
    ]


def test_an_uncovered_application_consumes_nothing_so_a_cheaper_one_below_may_be_covered(
        evaluated, eur):
    ranked = rank_applications([evaluated("big", 9, requested=200_000),
                                evaluated("small", 5, requested=50_000)], eur(100_000))
    assert [(r.application_id, r.covered, r.remaining_after) for r in ranked] == [
        ("big", False, eur(100_000)), ("small", True, eur(50_000))]


def test_an_application_exactly_matching_the_remaining_budget_is_covered(evaluated, eur):
    [row] = rank_applications([evaluated("a", 5, requested=123_456)], eur(123_456))
    assert row.covered and row.remaining_after == eur(0)


def test_a_drafted_plans_total_replaces_the_requested_amount(evaluated, eur):
    [row] = rank_applications([evaluated("a", 5, requested=200_000)], eur(150_000),
                              plan_totals={"a": eur(120_000)})
    assert (row.needed, row.covered, row.remaining_after) == (eur(120_000), True, eur(30_000))


def test_only_evaluated_applications_are_ranked(evaluated, application, eur):
    supported = evaluated("supported", 9)
    supported.mark_supported()
    ranked = rank_applications([application("unscored"), supported, evaluated("open", 4)],
                               eur(1_000_000))
    assert order(ranked) == ["open"]


def test_applications_of_different_programmes_are_not_ranked_together(evaluated, eur):
    with pytest.raises(MixedProgrammes):
        rank_applications([evaluated("a", 5, programme_id="arvore-ix"),
                           evaluated("b", 5, programme_id="care")], eur(0))


def test_nothing_to_rank_gives_an_empty_ranking(eur):
    assert rank_applications([], eur(100)) == []


# `evaluated` is a stateless factory, so sharing it across generated inputs is safe.
@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10), st.sampled_from(list(VulnerabilityLevel)),
                          st.integers(1, 28), st.integers(1, 300_000)),
                min_size=1, max_size=8),
       st.integers(0, 1_000_000), st.randoms())
def test_ranking_is_a_deterministic_order_that_never_overspends(
        evaluated, rows, budget, random):
    apps = [evaluated(f"a{i}", score, level=level, applied_on=date(2025, 2, day),
                      requested=cents)
            for i, (score, level, day, cents) in enumerate(rows)]
    ranked = rank_applications(apps, Money(budget, "EUR"))
    shuffled = list(apps)
    random.shuffle(shuffled)
    assert rank_applications(shuffled, Money(budget, "EUR")) == ranked
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    spent = sum(r.needed.amount for r in ranked if r.covered)
    assert spent <= budget and ranked[-1].remaining_after.amount == budget - spent
