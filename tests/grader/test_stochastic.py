"""The calibrated test of a sampling step: tallies, components, bounds and wrong laws."""

from __future__ import annotations

import math
from fractions import Fraction as F

import pytest

from effquiz.errors import Location
from effquiz.grader.stochastic import (
    Component, binary_divergence, check_samples, components, exact_law, mistaken_law, tally, tail_bound,
)
from effquiz.templates.schema import SamplingSetting

# γ = 1 over 3 tokens, p = (7/8, 1/8, 0) and q = (3/8, 1/2, 1/8). Keep: token 0 always
# (p > q), token 1 with (1/8)/(1/2) = 1/4, token 2 never (p = 0). Residual
# max(0, p − q) = (1/2, 0, 0) → (1, 0, 0). Bonus row (1/2, 1/2, 0).
SETTING = SamplingSetting("small", target=((F(7, 8), F(1, 8), F(0)), (F(1, 2), F(1, 2), F(0))),
                          draft=((F(3, 8), F(1, 2), F(1, 8)),), location=Location("test"))


def test_exact_law_by_hand() -> None:
    law = exact_law(SETTING)
    assert law.accept == ((F(1), F(1, 4), F(0)),)
    assert law.emit == ((F(1), F(0), F(0)),)


def test_tally_counts_keep_reject_and_bonus() -> None:
    law = exact_law(SETTING)
    counts = tally(law, [[1], [1], [0]], [[1, 0], [0], [0, 1]])
    assert counts.reached[0] == [1, 2, 0]
    assert counts.kept[0] == [1, 1, 0]
    assert counts.emitted[0] == [1, 0, 0]
    assert counts.bonus == [1, 1, 0]
    assert counts.impossible is None


def test_kept_draft_with_zero_target_is_impossible() -> None:
    counts = tally(exact_law(SETTING), [[2]], [[2, 0]])
    assert "kept draft 2 at position 0, which is never kept" in counts.impossible


def test_rejected_sure_draft_is_impossible() -> None:
    counts = tally(exact_law(SETTING), [[0]], [[1]])
    assert "rejected draft 0 at position 0, which is always kept" in counts.impossible


def test_residual_token_outside_support_is_impossible() -> None:
    counts = tally(exact_law(SETTING), [[1]], [[2]])
    assert "token 2 is never emitted" in counts.impossible


def test_output_must_start_with_kept_drafts() -> None:
    counts = tally(exact_law(SETTING), [[1]], [[0, 1]])
    assert "must be the kept drafts" in counts.impossible


def test_output_of_wrong_type_is_impossible() -> None:
    counts = tally(exact_law(SETTING), [[1]], [["a"]])
    assert "list of token ids" in counts.impossible


def test_components_are_fixed_by_law() -> None:
    # One random keep (token 1), no residual choice (support of size 1), a bonus split 1/2 : 1/2.
    law = exact_law(SETTING)
    found = components(law, tally(law, [], []))
    assert [(c.description, c.probability) for c in found] == [
        ("keeping draft 1 at position 0", F(1, 4)), ("the token after every kept draft: token 0", F(1, 2))]


def test_binary_divergence_by_hand() -> None:
    # D(1/2 ‖ 1/4) = 1/2 ln 2 + 1/2 ln(2/3).
    assert binary_divergence(0.5, 0.25) == pytest.approx(0.5 * math.log(2) + 0.5 * math.log(2 / 3))


def test_tail_bound_is_chernoff() -> None:
    # 100 trials, 50 successes, π = 1/4: 2·exp(−100·D(1/2 ‖ 1/4)).
    bound = tail_bound(Component("c", 100, 50, F(1, 4)))
    assert bound == pytest.approx(2 * math.exp(-100 * (0.5 * math.log(2) + 0.5 * math.log(2 / 3))))


def test_tail_bound_without_trials_is_one() -> None:
    assert tail_bound(Component("c", 0, 0, F(1, 4))) == 1.0


def test_large_deviation_fails_with_reason() -> None:
    law = exact_law(SETTING)
    # Draft 1 kept 600 times in 1000 where 1/4 is expected; the bonus splits evenly.
    drafts = [[1]] * 1000
    outputs = [[1, i % 2] for i in range(600)] + [[0]] * 400
    verdict = check_samples([law], [tally(law, drafts, outputs)], 1e-6)
    assert not verdict.passed
    assert "keeping draft 1 at position 0 happened in 600 of 1000 cases" in verdict.reason


def test_expected_frequencies_pass() -> None:
    law = exact_law(SETTING)
    outputs = [[1, i % 2] for i in range(250)] + [[0]] * 750
    verdict = check_samples([law], [tally(law, [[1]] * 1000, outputs)], 1e-6)
    assert verdict.passed


def test_swapped_law_by_hand() -> None:
    # min(1, q/p): 3/7, 1 and 1 (p = 0); residual max(0, q − p) = (0, 3/8, 1/8) → (0, 3/4, 1/4).
    law = mistaken_law(SETTING, "p-q-swapped")
    assert law.accept == ((F(3, 7), F(1), F(1)),)
    assert law.emit == ((F(0), F(3, 4), F(1, 4)),)


def test_unnormalized_law_puts_rest_on_last_token() -> None:
    # max(0, p − q) = (1/2, 0, 0); the remaining 1/2 lands on token 2.
    assert mistaken_law(SETTING, "unnormalized-residual").emit == ((F(1, 2), F(0), F(1, 2)),)


def test_no_bonus_law_accepts_drafts_alone() -> None:
    law = mistaken_law(SETTING, "no-bonus-token")
    counts = tally(law, [[0]], [[0]])
    assert counts.impossible is None
    assert counts.kept[0] == [1, 0, 0]
