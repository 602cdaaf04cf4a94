"""Tests of effquiz.core.specdec, the formulas of Leviathan, Kalman and Matias 2023.

Expected values are computed by hand in the comments. The running example pair is
p = [1/2, 3/10, 1/5] (target) and q = [1/5, 1/2, 3/10] (draft).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from effquiz.core import (
    acceptance_probability,
    acceptance_rate,
    expected_tokens,
    operations_factor,
    optimal_gamma,
    residual,
    total_variation,
    validate_distribution,
    walltime_improvement,
)
from effquiz.errors import CoreError, InvalidDistributionError, UndefinedResidualError

try:
    from hypothesis import assume, given
    from hypothesis import strategies as st
except ImportError:  # the property tests below are skipped without hypothesis
    given = None

P = [Fraction(1, 2), Fraction(3, 10), Fraction(1, 5)]
Q = [Fraction(1, 5), Fraction(1, 2), Fraction(3, 10)]

# A draft that is uniform over V = 10 tokens, against a target that is uniform over
# the V_n = 4 nouns (tokens 0 to 3).
VOCABULARY = 10
NOUNS = 4
UNIFORM_DRAFT = [Fraction(1, VOCABULARY)] * VOCABULARY
NOUN_TARGET = [Fraction(1, NOUNS)] * NOUNS + [Fraction(0)] * (VOCABULARY - NOUNS)


# validate_distribution


def test_validate_distribution_returns_fractions():
    assert validate_distribution(["1/2", "3/10", "1/5"]) == tuple(P)


def test_validate_distribution_floats_sum_exactly():
    # Through their shortest repr, 0.1 + 0.2 + 0.7 = 1/10 + 2/10 + 7/10 = 1 exactly.
    assert validate_distribution([0.1, 0.2, 0.7]) == (Fraction(1, 10), Fraction(1, 5), Fraction(7, 10))


def test_validate_distribution_single_token():
    assert validate_distribution([1]) == (Fraction(1),)


def test_validate_distribution_rejects_empty():
    with pytest.raises(InvalidDistributionError, match=r"p is empty"):
        validate_distribution([])


def test_validate_distribution_rejects_negative_entry():
    with pytest.raises(InvalidDistributionError, match=r"p\[1\] = -1/10 is negative"):
        validate_distribution(["1/2", "-1/10", "3/5"])


def test_validate_distribution_rejects_wrong_sum():
    # 1/2 + 3/10 + 3/10 = 11/10.
    with pytest.raises(InvalidDistributionError, match=r"p sums to 11/10, not 1"):
        validate_distribution(["1/2", "3/10", "3/10"])


def test_validate_distribution_rejects_float_thirds():
    # Each float 1/3 reads as 3333333333333333/10^16, so three of them sum to less than 1.
    with pytest.raises(InvalidDistributionError, match=r'p sums to .*, not 1.*"1/3"'):
        validate_distribution([1 / 3, 1 / 3, 1 / 3])


def test_validate_distribution_uses_name():
    with pytest.raises(InvalidDistributionError, match=r"q\[0\] = -1 is negative"):
        validate_distribution([-1, 2], name="q")


def test_validate_distribution_rejects_non_number_entry():
    with pytest.raises(InvalidDistributionError, match=r"p\[2\] = 'x' is not a number"):
        validate_distribution(["1/2", "1/2", "x"])


def test_validate_distribution_rejects_bool_entry():
    with pytest.raises(InvalidDistributionError, match=r"p\[0\] = True is not a number"):
        validate_distribution([True])


def test_validate_distribution_rejects_string():
    with pytest.raises(InvalidDistributionError, match=r"p = '1' is not a sequence of probabilities"):
        validate_distribution("1")


def test_validate_distribution_rejects_scalar():
    with pytest.raises(InvalidDistributionError, match=r"p = 1 is not a sequence of probabilities"):
        validate_distribution(1)


# acceptance_probability


def test_acceptance_probability_target_above_draft():
    # p(x) = 1/2 >= q(x) = 1/5, so the token is always kept.
    assert acceptance_probability(Fraction(1, 2), Fraction(1, 5)) == 1


def test_acceptance_probability_target_below_draft():
    # p(x)/q(x) = (3/10)/(1/2) = 3/5.
    assert acceptance_probability(Fraction(3, 10), Fraction(1, 2)) == Fraction(3, 5)


def test_acceptance_probability_zero_target():
    assert acceptance_probability(0, Fraction(1, 10)) == 0


def test_acceptance_probability_rejects_zero_draft():
    with pytest.raises(InvalidDistributionError, match=r"q\(x\) = 0.*undefined"):
        acceptance_probability(Fraction(1, 2), 0)


def test_acceptance_probability_rejects_negative_target():
    with pytest.raises(InvalidDistributionError, match=r"p\(x\) = -1/2 is not a probability"):
        acceptance_probability("-1/2", "1/2")


def test_acceptance_probability_rejects_draft_above_one():
    with pytest.raises(InvalidDistributionError, match=r"q\(x\) = 3/2 is not a probability"):
        acceptance_probability("1/2", "3/2")


# acceptance_rate and total_variation


def test_acceptance_rate_example_pair():
    # min(1/2, 1/5) + min(3/10, 1/2) + min(1/5, 3/10) = 1/5 + 3/10 + 1/5 = 7/10.
    assert acceptance_rate(P, Q) == Fraction(7, 10)


def test_total_variation_example_pair():
    # (|1/2 - 1/5| + |3/10 - 1/2| + |1/5 - 3/10|)/2 = (3/10 + 2/10 + 1/10)/2 = 3/10.
    assert total_variation(P, Q) == Fraction(3, 10)


def test_acceptance_rate_equals_one_minus_tv():
    assert acceptance_rate(P, Q) == 1 - total_variation(P, Q)


def test_acceptance_rate_identical_is_one():
    assert acceptance_rate(P, P) == 1


def test_acceptance_rate_rejects_length_mismatch():
    with pytest.raises(InvalidDistributionError, match=r"p has 3 entries but q has 2"):
        acceptance_rate(P, ["1/2", "1/2"])


def test_total_variation_rejects_invalid_draft():
    with pytest.raises(InvalidDistributionError, match=r"q sums to 6/5, not 1"):
        total_variation(P, ["1/2", "1/2", "1/5"])


# residual


def test_residual_example_pair():
    # max(0, p - q) = [3/10, 0, 0], which normalizes to [1, 0, 0].
    assert residual(P, Q) == (1, 0, 0)


def test_residual_identical_raises():
    with pytest.raises(UndefinedResidualError, match=r"undefined because p equals q.*Nothing is ever rejected"):
        residual(P, P)


def test_residual_error_is_value_error():
    with pytest.raises(ValueError, match=r"p equals q"):
        residual([1], [1])


def test_residual_two_positive_entries():
    # p = [1/2, 1/2, 0], q = [1/4, 1/4, 1/2]: max(0, p - q) = [1/4, 1/4, 0], sum 1/2,
    # so the residual is [1/2, 1/2, 0].
    assert residual(["1/2", "1/2", 0], ["1/4", "1/4", "1/2"]) == (Fraction(1, 2), Fraction(1, 2), 0)


# The uniform draft against nouns (V = 10, V_n = 4)


def test_nouns_acceptance_on_noun():
    # min(1, (1/4)/(1/10)) = min(1, 5/2) = 1.
    assert acceptance_probability(NOUN_TARGET[0], UNIFORM_DRAFT[0]) == 1


def test_nouns_acceptance_off_noun():
    # min(1, 0/(1/10)) = 0.
    assert acceptance_probability(NOUN_TARGET[NOUNS], UNIFORM_DRAFT[NOUNS]) == 0


def test_nouns_acceptance_rate():
    # 4·min(1/4, 1/10) + 6·min(0, 1/10) = 4/10 = V_n/V = 2/5.
    assert acceptance_rate(NOUN_TARGET, UNIFORM_DRAFT) == Fraction(2, 5)


def test_nouns_residual():
    # max(0, p - q) is 1/4 - 1/10 = 3/20 on each of 4 nouns (sum 3/5) and 0 elsewhere,
    # so each noun gets (3/20)/(3/5) = 1/4.
    expected = (Fraction(1, 4),) * NOUNS + (Fraction(0),) * (VOCABULARY - NOUNS)
    assert residual(NOUN_TARGET, UNIFORM_DRAFT) == expected


def test_nouns_expected_tokens():
    # alpha = 2/5, gamma = 4: 1 - (2/5)^5 = 1 - 32/3125 = 3093/3125, divided by 3/5 gives
    # 3093·5/(3125·3) = 15465/9375 = 1031/625 = 1.6496.
    assert expected_tokens(Fraction(2, 5), 4) == Fraction(1031, 625)
    assert expected_tokens("0.4", 4) == Fraction("1.6496")


# expected_tokens, walltime_improvement, operations_factor


def test_walltime_improvement_table_case():
    # alpha = 0.8, gamma = 5, c = 0: (1 - 0.8^6)/0.2 = (1 - 0.262144)/0.2 = 3.68928,
    # which Leviathan et al. 2023 print as 3.69x in their Table 1.
    assert walltime_improvement(Fraction(4, 5), 5, 0) == Fraction("3.68928")


def test_walltime_improvement_with_cost():
    # alpha = 0.8, gamma = 5, c = 0.1: 3.68928/(5·0.1 + 1) = 3.68928/1.5 = 2.45952.
    assert walltime_improvement("0.8", 5, "0.1") == Fraction("2.45952")


def test_operations_factor_table_case():
    # alpha = 0.8, gamma = 5, c-hat = 0: 0.2·6/(1 - 0.8^6) = 1.2/0.737856 = 18750/11529 = 6250/3843.
    assert operations_factor("0.8", 5, 0) == Fraction(6250, 3843)


def test_operations_factor_with_cost():
    # alpha = 0.8, gamma = 5, c-hat = 0.1: 0.2·(0.5 + 5 + 1)/0.737856 = 1.3/0.737856
    # = 1300000/737856 = 40625/23058.
    assert operations_factor("0.8", 5, "0.1") == Fraction(40625, 23058)


def test_expected_tokens_alpha_one_limit():
    # Every draft is accepted: gamma + 1 = 5 tokens.
    assert expected_tokens(1, 4) == 5


def test_walltime_improvement_alpha_one_limit():
    # (gamma + 1)/(gamma·c + 1) = 5/(4·1/2 + 1) = 5/3.
    assert walltime_improvement(1, 4, Fraction(1, 2)) == Fraction(5, 3)


def test_operations_factor_alpha_one_limit():
    # (gamma·c + gamma + 1)/(gamma + 1) = (2 + 4 + 1)/5 = 7/5.
    assert operations_factor(1, 4, Fraction(1, 2)) == Fraction(7, 5)


def test_expected_tokens_alpha_zero():
    # Every draft is rejected and only the target's own token remains: (1 - 0)/(1 - 0) = 1.
    assert expected_tokens(0, 4) == 1


def test_walltime_improvement_alpha_zero():
    # 1/(3·1/2 + 1) = 2/5: drafting only costs time.
    assert walltime_improvement(0, 3, Fraction(1, 2)) == Fraction(2, 5)


def test_operations_factor_alpha_zero():
    # (3·1/2 + 3 + 1)/1 = 11/2.
    assert operations_factor(0, 3, Fraction(1, 2)) == Fraction(11, 2)


def test_expected_tokens_gamma_zero():
    # (1 - alpha)/(1 - alpha) = 1 without drafting.
    assert expected_tokens("0.7", 0) == 1


@pytest.mark.parametrize("alpha", ["-0.1", "1.5"])
def test_expected_tokens_rejects_alpha_out_of_range(alpha):
    with pytest.raises(CoreError, match=r"alpha = .* is not an acceptance rate in \[0, 1\]"):
        expected_tokens(alpha, 4)


@pytest.mark.parametrize("gamma", [True, 2.0, "2"])
def test_expected_tokens_rejects_non_int_gamma(gamma):
    with pytest.raises(CoreError, match=r"gamma = .* is not an integer"):
        expected_tokens("0.5", gamma)


def test_expected_tokens_rejects_negative_gamma():
    with pytest.raises(CoreError, match=r"gamma = -1 is less than 0"):
        expected_tokens("0.5", -1)


def test_walltime_improvement_rejects_negative_cost():
    with pytest.raises(CoreError, match=r"cost_ratio = -1/10 is negative"):
        walltime_improvement("0.5", 3, "-0.1")


def test_operations_factor_rejects_nan_alpha():
    with pytest.raises(CoreError, match=r"nan is not a finite number"):
        operations_factor(float("nan"), 3, 0)


# optimal_gamma


def test_optimal_gamma_interior_maximum():
    # alpha = 0.9, c = 0.1: f(gamma) = 100·(1 - 0.9^(gamma+1))/(10 + gamma).
    # f(9) = 65.13215599/19 = 3.42801, f(10) = 68.618940391/20 = 3.43095,
    # f(11) = 71.7570463519/21 = 3.41700, and f rises before 9 and falls after 11.
    assert optimal_gamma("0.9", "0.1") == 10


def test_optimal_gamma_tie_takes_smallest():
    # alpha = 1/2, c = 1/5: f(1) = (3/4)/((1/2)(6/5)) = 5/4 and
    # f(2) = (7/8)/((1/2)(7/5)) = 5/4 tie, f(3) = (15/16)/((1/2)(8/5)) = 75/64 < 5/4.
    assert optimal_gamma(Fraction(1, 2), Fraction(1, 5)) == 1


def test_optimal_gamma_free_draft_takes_max():
    # With c = 0, f(gamma) = 1 + alpha + ... + alpha^gamma grows with gamma.
    assert optimal_gamma("0.8", 0) == 64
    assert optimal_gamma("0.8", 0, max_gamma=7) == 7


def test_optimal_gamma_useless_draft():
    # alpha = 0, c = 0: f(gamma) = 1 for every gamma, so the smallest, 1, wins the tie.
    assert optimal_gamma(0, 0) == 1


def test_optimal_gamma_rejects_zero_max():
    with pytest.raises(CoreError, match=r"max_gamma = 0 is less than 1"):
        optimal_gamma("0.5", "0.1", max_gamma=0)


# Properties, when hypothesis is installed


if given is not None:

    @st.composite
    def distribution_pairs(draw):
        size = draw(st.integers(min_value=1, max_value=8))
        weights = st.lists(st.integers(min_value=0, max_value=20), min_size=size, max_size=size)
        target = draw(weights.filter(lambda values: sum(values) > 0))
        draft = draw(weights.filter(lambda values: sum(values) > 0))
        return (
            [Fraction(value, sum(target)) for value in target],
            [Fraction(value, sum(draft)) for value in draft],
        )

    alphas = st.fractions(min_value=0, max_value=1, max_denominator=1000)

    @given(distribution_pairs())
    def test_acceptance_rate_is_one_minus_tv(pair):
        p, q = pair
        assert acceptance_rate(p, q) == 1 - total_variation(p, q)

    @given(distribution_pairs())
    def test_acceptance_rate_is_mean_acceptance(pair):
        # alpha = sum over x of q(x)·min(1, p(x)/q(x)), over the tokens the draft can sample.
        p, q = pair
        expected = sum(
            (q_x * acceptance_probability(p_x, q_x) for p_x, q_x in zip(p, q) if q_x > 0),
            Fraction(0),
        )
        assert acceptance_rate(p, q) == expected

    @given(distribution_pairs())
    def test_speculative_sampling_emits_target(pair):
        # A token is emitted either as an accepted draft or from the residual after a
        # rejection, which happens with probability 1 - alpha. The sum is exactly p.
        p, q = pair
        assume(p != q)
        alpha = acceptance_rate(p, q)
        fallback = residual(p, q)
        for index, (p_x, q_x) in enumerate(zip(p, q)):
            accepted = Fraction(0)
            if q_x > 0:
                accepted = q_x * acceptance_probability(p_x, q_x)
            assert accepted + (1 - alpha) * fallback[index] == p_x

    @given(alphas, st.integers(min_value=0, max_value=30))
    def test_expected_tokens_is_geometric_sum(alpha, gamma):
        assert expected_tokens(alpha, gamma) == sum((alpha**i for i in range(gamma + 1)), Fraction(0))

    @given(alphas, st.integers(min_value=0, max_value=30), st.fractions(min_value=0, max_value=5))
    def test_walltime_times_operations_factor(alpha, gamma, cost):
        # With the same c for time and operations, the product of Theorems 3.8 and 3.11 is
        # (gamma·c + gamma + 1)/(gamma·c + 1).
        product = walltime_improvement(alpha, gamma, cost) * operations_factor(alpha, gamma, cost)
        assert product == (gamma * cost + gamma + 1) / (gamma * cost + 1)

    @given(alphas, st.fractions(min_value=0, max_value=2, max_denominator=100), st.integers(min_value=1, max_value=20))
    def test_optimal_gamma_is_maximum(alpha, cost, max_gamma):
        best = optimal_gamma(alpha, cost, max_gamma=max_gamma)
        best_value = walltime_improvement(alpha, best, cost)
        for gamma in range(1, max_gamma + 1):
            assert walltime_improvement(alpha, gamma, cost) <= best_value
        for gamma in range(1, best):
            assert walltime_improvement(alpha, gamma, cost) < best_value
