"""Tests of what one speculative iteration emits: distributions, greedy prefixes, counts.

Expected values are computed by hand in the comments. Sources: Leviathan, Kalman and
Matias 2023 (arXiv:2211.17192) for the residual rule and the expected tokens per
iteration, and Hugging Face transformers (generation/utils.py, assisted decoding) for
the greedy rule: n_matches counts the matching prefix and n_matches + 1 tokens are kept.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from effquiz.core import (
    all_accepted_probability,
    emitted_distribution,
    expected_accepted,
    expected_target_calls,
    expected_tokens,
    greedy_accepted,
    greedy_emitted,
)
from effquiz.errors import CoreError, InvalidDistributionError

P = [Fraction(1, 2), Fraction(3, 10), Fraction(1, 5)]
Q = [Fraction(1, 5), Fraction(1, 2), Fraction(3, 10)]


# emitted_distribution


def test_emitted_distribution_with_residual_is_target():
    # Kept drafts give min(p, q) = [0.2, 0.3, 0.2], so alpha = 0.7. The residual is
    # norm(max(0, p - q)) = norm([0.3, 0, 0]) = [1, 0, 0], weighted by 1 - alpha = 0.3:
    # [0.2 + 0.3, 0.3, 0.2] = [0.5, 0.3, 0.2] = p.
    assert emitted_distribution(P, Q, "residual") == tuple(P)


def test_emitted_distribution_resampling_from_target_is_wrong():
    # Drawing from p after a rejection: [0.2, 0.3, 0.2] + 0.3·[0.5, 0.3, 0.2]
    # = [0.35, 0.39, 0.26], which is not p.
    wrong = emitted_distribution(P, Q, "target")
    assert wrong == (Fraction(35, 100), Fraction(39, 100), Fraction(26, 100))
    assert wrong != tuple(P)


def test_emitted_distribution_sums_to_one():
    assert sum(emitted_distribution(P, Q, "target")) == 1


def test_emitted_distribution_equal_models():
    # p = q: nothing is rejected, so both rules give p, and the residual is never needed.
    assert emitted_distribution(P, P, "residual") == tuple(P)
    assert emitted_distribution(P, P, "target") == tuple(P)


def test_emitted_distribution_rejects_unknown_rule():
    with pytest.raises(CoreError, match=r"after_rejection = 'draft' is not a resampling rule"):
        emitted_distribution(P, Q, "draft")


def test_emitted_distribution_rejects_invalid_draft():
    with pytest.raises(InvalidDistributionError, match=r"q sums to 6/5"):
        emitted_distribution(P, ["1/2", "1/2", "1/5"])


# greedy_accepted and greedy_emitted


def test_greedy_accepted_counts_prefix_only():
    # Drafts "the cat sat on a" against argmaxes "the cat ran on a mat": the prefix
    # "the cat" matches; "on" and "a" match later but come after the mismatch.
    draft = ["the", "cat", "sat", "on", "a"]
    target = ["the", "cat", "ran", "on", "a", "mat"]
    assert greedy_accepted(draft, target) == 2


def test_greedy_emitted_adds_correction():
    draft = ["the", "cat", "sat", "on", "a"]
    target = ["the", "cat", "ran", "on", "a", "mat"]
    assert greedy_emitted(draft, target) == ("the", "cat", "ran")


def test_greedy_emitted_all_match_adds_bonus():
    # All three drafts match, so the argmax at position 4 is the bonus token.
    assert greedy_emitted([1, 2, 3], [1, 2, 3, 4]) == (1, 2, 3, 4)


def test_greedy_accepted_first_mismatch():
    assert greedy_accepted([1, 2, 3], [9, 2, 3, 4]) == 0


def test_greedy_emitted_first_mismatch():
    assert greedy_emitted([1, 2, 3], [9, 2, 3, 4]) == (9,)


def test_greedy_rejects_short_target():
    with pytest.raises(CoreError, match=r"target has 3 argmax tokens for 3 drafts"):
        greedy_accepted([1, 2, 3], [1, 2, 3])


def test_greedy_rejects_string_draft():
    with pytest.raises(CoreError, match=r"draft = 'abc' is not a sequence of tokens"):
        greedy_emitted("abc", ["a", "b", "c", "d"])


# all_accepted_probability, expected_accepted and expected_target_calls


def test_all_accepted_probability_value():
    # 0.8^5 = 0.32768.
    assert all_accepted_probability("0.8", 5) == Fraction("0.32768")


def test_all_accepted_probability_no_drafts():
    assert all_accepted_probability("0.8", 0) == 1


def test_expected_accepted_value():
    # 0.8 + 0.64 + 0.512 + 0.4096 + 0.32768 = 2.68928.
    assert expected_accepted("0.8", 5) == Fraction("2.68928")


def test_expected_accepted_is_tokens_minus_one():
    assert expected_accepted("0.37", 4) == expected_tokens("0.37", 4) - 1


def test_expected_accepted_alpha_one():
    assert expected_accepted(1, 4) == 4


def test_expected_target_calls_value():
    # 1000 tokens at 3.68928 tokens per run: 1000/3.68928 = 3125000/11529 = 271.055...
    assert expected_target_calls("0.8", 5, 1000) == Fraction(3125000, 11529)


def test_expected_target_calls_no_drafts():
    # gamma = 0 is plain decoding: one token per run.
    assert expected_target_calls("0.8", 0, 100) == 100


def test_expected_target_calls_rejects_zero_tokens():
    with pytest.raises(CoreError, match=r"tokens = 0 is less than 1"):
        expected_target_calls("0.8", 5, 0)
