from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from plans.domain.scoring import (CriteriaScores, Criterion, InvalidScore, InvalidWeights,
                                  ScoringWeights, weighted_score)


def test_the_weighted_score_is_the_weighted_mean_on_a_0_to_100_scale(scores, weights):
    # needs 8×30 + vulnerability 6×25 + skills 4×15 + sustainability 7×20 + monitoring 3×10
    result = weighted_score(scores(8, 6, 4, 7, 3), weights)
    assert result == Decimal("62.0")


def test_the_weighted_score_is_exact_to_one_decimal_place(scores):
    weights = ScoringWeights("odd", {Criterion.NEEDS: 33, Criterion.VULNERABILITY: 33,
                                     Criterion.SKILLS: 33,
                                     Criterion.SUSTAINABILITY_AND_FEASIBILITY: 1,
                                     Criterion.MONITORING_AVAILABLE: 0})
    result = weighted_score(scores(1, 0, 0, 0, 0), weights)
    assert result == Decimal("3.3") and isinstance(result, Decimal)


def test_top_scores_give_100_and_zero_scores_give_0(scores, weights):
    assert weighted_score(scores(10, 10, 10, 10, 10), weights) == Decimal(100)
    assert weighted_score(scores(0, 0, 0, 0, 0), weights) == Decimal(0)


@settings(max_examples=50, database=None)
@given(st.lists(st.integers(0, 10), min_size=5, max_size=5),
       st.lists(st.integers(0, 100), min_size=4, max_size=4).map(sorted))
def test_the_weighted_score_always_lies_between_0_and_100(values, cuts):
    # Four cut points on 0..100 give five whole weights that always sum to 100.
    bounds = [0, *cuts, 100]
    all_weights = [high - low for low, high in zip(bounds, bounds[1:])]
    weights = ScoringWeights("v", dict(zip(Criterion, all_weights)))
    result = weighted_score(CriteriaScores(*values), weights)
    assert Decimal(0) <= result <= Decimal(100)
    assert result * 10 == sum(v * w for v, w in zip(values, all_weights))


@pytest.mark.parametrize("bad", [-1, 11, 5.0, True, "7", None])
def test_a_criterion_score_must_be_a_whole_number_from_0_to_10(bad):
    with pytest.raises(InvalidScore) as refused:
        CriteriaScores(5, 5, bad, 5, 5)
    assert refused.value.criterion == Criterion.SKILLS


def test_weights_must_sum_to_100(weights):
    uneven = {**weights.weights, Criterion.NEEDS: 31}
    with pytest.raises(InvalidWeights, match="sum to 100, got 101"):
        ScoringWeights("v2", uneven)


def test_weights_must_cover_every_criterion():
    with pytest.raises(InvalidWeights, match="every criterion"):
        ScoringWeights("v2", {Criterion.NEEDS: 50, Criterion.SKILLS: 50})


@pytest.mark.parametrize("bad", [-10, 12.5, True])
def test_weights_must_be_whole_non_negative_percentages(weights, bad):
    with pytest.raises(InvalidWeights, match="whole, non-negative"):
        ScoringWeights("v2", {**weights.weights, Criterion.SKILLS: bad})


@pytest.mark.parametrize("version", ["", "   ", None])
def test_weights_need_a_version_id(weights, version):
    with pytest.raises(InvalidWeights, match="version"):
        ScoringWeights(version, dict(weights.weights))


def test_a_stored_weights_version_cannot_be_changed_through_the_callers_dict(weights):
    given_dict = dict(weights.weights)
    stored = ScoringWeights("v3", given_dict)
    given_dict[Criterion.NEEDS] = 0
    assert stored.weight_for(Criterion.NEEDS) == 30
    with pytest.raises(TypeError):
        stored.weights[Criterion.NEEDS] = 0
