"""The float reference step follows the exact law; each wrong twin breaks it."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

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
