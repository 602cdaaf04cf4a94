"""Acceptance and the residual: acceptance-rate-table and residual-distribution.

Leviathan, Kalman and Matias 2023 (arXiv:2211.17192): a draft x ~ q is kept with
probability min(1, p(x)/q(x)), the acceptance rate is Σ min(p, q) = 1 - TV(p, q), and
after a rejection the token comes from norm(max(0, p - q)).
"""

from __future__ import annotations

from fractions import Fraction

# acceptance-rate-table: p = [0.5, 0.3, 0.15, 0.05], q = [0.2, 0.5, 0.25, 0.05].


def test_table_total_variation(answers):
    # (0.3 + 0.2 + 0.1 + 0)/2 = 0.3.
    assert answers("acceptance-rate-table", "table")["total_variation"] == Fraction(3, 10)


def test_table_alpha(answers):
    # min: 0.2 + 0.3 + 0.15 + 0.05 = 0.7 = 1 - 0.3.
    assert answers("acceptance-rate-table", "table")["alpha"] == Fraction(7, 10)


def test_table_alpha_is_one_minus_tv(answers):
    result = answers("acceptance-rate-table", "table")
    assert result["alpha"] == 1 - result["total_variation"]


def test_table_keep_over_proposed_token(answers, example):
    # The first token with q > p from the start is "a": 0.3/0.5 = 0.6.
    assert example("acceptance-rate-table", "table").params["token"] == "a"
    assert answers("acceptance-rate-table", "table")["keep_token"] == Fraction(3, 5)


def test_table_misconceptions(wrong):
    # Σ|p - q| = 0.6; Σ p·q = 0.1 + 0.15 + 0.0375 + 0.0025 = 0.29; swapped ratio 1;
    # rejection probability 1 - 0.6 = 0.4.
    assert wrong("acceptance-rate-table", "table", "total_variation")["half-missing"] == Fraction(3, 5)
    assert wrong("acceptance-rate-table", "table", "alpha")["dot-product"] == Fraction(29, 100)
    assert wrong("acceptance-rate-table", "table", "keep_token")["ratio-swapped"] == 1
    assert wrong("acceptance-rate-table", "table", "keep_token")["rejection-probability"] == Fraction(2, 5)


# residual-distribution: p = [0.4, 0.3, 0.2, 0.1], q = [0.25, 0.25, 0.3, 0.2].


def test_residual_reject_rate(answers):
    # alpha = 0.25 + 0.25 + 0.2 + 0.1 = 0.8, so a rejection has probability 0.2.
    assert answers("residual-distribution", "four-tokens")["reject_rate"] == Fraction(1, 5)


def test_residual_tokens_asked(example):
    # From "the": p > q first at "the" (0.4 > 0.25) and q > p first at "cat" (0.3 > 0.2).
    params = example("residual-distribution", "four-tokens").params
    assert params["words"][params["up"]] == "the"
    assert params["words"][params["down"]] == "cat"


def test_residual_of_favoured_token(answers):
    # max(0, p - q) = [0.15, 0.05, 0, 0], whose sum 0.2 normalizes it to [0.75, 0.25, 0, 0].
    assert answers("residual-distribution", "four-tokens")["residual_up"] == Fraction(3, 4)


def test_residual_of_over_proposed_token(answers):
    assert answers("residual-distribution", "four-tokens")["residual_down"] == 0


def test_residual_not_normalized(wrong):
    # 0.4 - 0.25 = 0.15 before dividing by 0.2.
    assert wrong("residual-distribution", "four-tokens", "residual_up")["not-normalized"] == Fraction(15, 100)


def test_residual_swapped(wrong):
    # max(0, q - p) = [0, 0, 0.1, 0.1] normalizes to [0, 0, 0.5, 0.5].
    assert wrong("residual-distribution", "four-tokens", "residual_down")["swapped"] == Fraction(1, 2)


def test_resampling_from_target_is_wrong(answers):
    # min(p, q) + 0.2·p for "cat": 0.2 + 0.2 · 0.2 = 0.24, not p("cat") = 0.2.
    assert answers("residual-distribution", "four-tokens")["wrong_output"] == Fraction(24, 100)


def test_resampling_misconception_is_target(wrong):
    assert wrong("residual-distribution", "four-tokens", "wrong_output")["still-target"] == Fraction(1, 5)


def test_residual_gives_target(answers):
    # min(p, q) + 0.2·[0.75, 0.25, 0, 0] = [0.25 + 0.15, 0.25 + 0.05, 0.2, 0.1] = p.
    assert answers("residual-distribution", "four-tokens")["correct_output"] == "target"
