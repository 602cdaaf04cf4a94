"""The float reference step follows the exact law; each wrong twin breaks it."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from effquiz.core import specdec
from effquiz.grader.stochastic import check_samples, exact_law, tally
from effquiz.solutions import speculative
from effquiz.templates.schema import SamplingSetting
from effquiz.errors import Location

# p and q of one position (γ = 1), and the bonus row. Hand computation: keep 0 and 2
# always (p > q there), keep 1 with probability (1/8)/(1/2) = 1/4; the residual
# max(0, p - q) = (1/4, 0, 1/8), normalized by its sum 3/8, is (2/3, 0, 1/3).
SETTING = SamplingSetting("one draft", target=((F(1, 2), F(1, 8), F(3, 8)), (F(1, 4), F(1, 4), F(1, 2))),
                          draft=((F(1, 4), F(1, 2), F(1, 4)),), location=Location("test"))


def run(step, calls: int, seed: int) -> tuple[list[list[int]], list[list[int]]]:
    rng = np.random.default_rng(seed)
    draws = np.random.default_rng(seed + 1)
    p = np.array([[float(v) for v in row] for row in SETTING.target])
    q = np.array([[float(v) for v in row] for row in SETTING.draft])
    drafts = [[int(draws.choice(3, p=q[0]))] for _ in range(calls)]
    return drafts, [step(np.array(d), p, q, rng) for d in drafts]


def test_exact_law_by_hand() -> None:
    law = exact_law(SETTING)
    assert law.accept == ((F(1), F(1, 4), F(1)),)
    assert law.emit == ((F(2, 3), F(0), F(1, 3)),)
    assert law.bonus == (F(1, 4), F(1, 4), F(1, 2))


def test_reference_passes_test() -> None:
    drafts, outputs = run(speculative.speculative_step, 3000, seed=1)
    law = exact_law(SETTING)
    verdict = check_samples([law], [tally(law, drafts, outputs)], 1e-6)
    assert verdict.passed, verdict.reason


@pytest.mark.parametrize("mistake", ["p-instead-of-residual", "unnormalized-residual", "p-q-swapped",
                                     "no-bonus-token"])
def test_wrong_twin_fails_test(mistake: str) -> None:
    drafts, outputs = run(speculative.KNOWN_MISTAKES[mistake], 3000, seed=2)
    law = exact_law(SETTING)
    verdict = check_samples([law], [tally(law, drafts, outputs)], 1e-6)
    assert not verdict.passed


def test_ratio_without_min_raises() -> None:
    # Draft 0 has p/q = 2, which Generator.binomial rejects as a probability.
    p = np.array([[float(v) for v in row] for row in SETTING.target])
    q = np.array([[float(v) for v in row] for row in SETTING.draft])
    with pytest.raises(ValueError):
        speculative.step_ratio_without_min(np.array([0]), p, q, np.random.default_rng(0))


PROBABILITY = st.integers(0, 100).map(lambda k: F(k, 100))


@settings(max_examples=300, deadline=None)
@given(p_x=PROBABILITY, q_x=st.integers(1, 100).map(lambda k: F(k, 100)), u=st.integers(0, 9999).map(lambda k: F(k, 10**4)))
def test_accept_agrees_with_exact_core(p_x: F, q_x: F, u: F) -> None:
    ratio = specdec.acceptance_probability(p_x, q_x)
    if u != ratio and abs(u - ratio) < F(1, 10**9):
        return
    assert speculative.accept(float(p_x), float(q_x), float(u)) is (u < ratio)


@pytest.mark.parametrize(("p_x", "q_x", "u", "kept"), [(0.25, 0.5, 0.5, False), (0.0, 0.5, 0.0, False),
                                                         (0.5, 0.25, 0.9999, True)])
def test_accept_is_strict_at_boundary(p_x: float, q_x: float, u: float, kept: bool) -> None:
    # 0.25/0.5 = 0.5 exactly, and 0/0.5 = 0: u equal to the ratio is rejected. min(1, 2) = 1 > 0.9999.
    assert speculative.accept(p_x, q_x, u) is kept
    assert speculative.accept_at_boundary(p_x, q_x, u) is True


def distributions(size: int):
    """Distributions on a 1/100 grid: size - 1 free entries, the last one the remainder."""
    return st.lists(st.integers(0, 100), min_size=size, max_size=size).filter(lambda c: sum(c) > 0).map(
        lambda c: [F(round(100 * k / sum(c)), 100) for k in c]).filter(lambda p: sum(p) == 1)


@settings(max_examples=300, deadline=None)
@given(p=distributions(4), q=distributions(4))
def test_residual_agrees_with_exact_core(p: list[F], q: list[F]) -> None:
    if p == q:
        return
    exact = specdec.residual(p, q)
    floats = speculative.residual(np.array([float(v) for v in p]), np.array([float(v) for v in q]))
    assert floats.tolist() == pytest.approx([float(v) for v in exact], rel=1e-9, abs=1e-12)


def test_residual_of_equal_distributions_raises() -> None:
    p = np.array([0.25, 0.25, 0.5])
    with pytest.raises(ValueError, match="p equals q"):
        speculative.residual(p, p.copy())


def test_unnormalized_twin_skips_division() -> None:
    # max(0, p - q) = (1/4, 1/4, 0, 0) sums to 1/2; the twin returns it as it is.
    p, q = np.array([0.5, 0.5, 0.0, 0.0]), np.full(4, 0.25)
    assert speculative.residual_unnormalized(p, q).tolist() == [0.25, 0.25, 0.0, 0.0]
    assert speculative.residual(p, q).tolist() == [0.5, 0.5, 0.0, 0.0]
