"""Reference implementations of speculative sampling, in NumPy floats: one step, its test, its residual.

The step follows Leviathan, Kalman and Matias 2023 ("Fast Inference from Transformers via
Speculative Decoding", Algorithm 1). For draft tokens d_0 … d_(γ−1) drawn from the draft
rows q[i], each d_i is kept with probability min(1, p[i, d_i]/q[i, d_i]). At the first
rejection, at position i, one token is drawn from the residual norm(max(0, p[i] − q[i]))
and the step ends. When every draft is kept, one bonus token is drawn from p[γ].

Shapes: ``draft_tokens`` contains γ integers, ``p`` is (γ + 1, V), ``q`` is (γ, V), and
``rng`` is a ``numpy.random.Generator``. The step returns the emitted tokens as a list of
ints: the kept drafts, then one more token, so between 1 and γ + 1 tokens.

The ``step_*`` functions after :func:`speculative_step` are known wrong implementations. The tests
and ``benchmarks/stochastic_power.py`` use them to measure how often the judge's test
detects each mistake.

:func:`accept` and :func:`residual` are the two pieces of the step on their own, each
followed by its known wrong implementations, which function parts name as misconceptions.
The acceptance test is strict, u < min(1, p(x)/q(x)), as in Hugging Face transformers
(``generation/utils.py``, ``_speculative_sampling``), so a token with p(x) = 0 is never
kept, even when u is exactly 0.
"""

from __future__ import annotations

import numpy as np


def sample(weights, rng) -> int:
    """Draw an index with probability proportional to ``weights`` (inverse CDF on one uniform)."""
    cumulative = np.cumsum(weights)
    return int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))


def speculative_step(draft_tokens, p, q, rng):
    """Keep each draft with probability min(1, p/q); after a rejection sample the residual."""
    gamma = len(draft_tokens)
    emitted = []
    for position in range(gamma):
        token = int(draft_tokens[position])
        if rng.random() < min(1.0, p[position, token] / q[position, token]):
            emitted.append(token)
            continue
        emitted.append(sample(np.maximum(p[position] - q[position], 0.0), rng))
        return emitted
    emitted.append(sample(p[gamma], rng))
    return emitted


def _step_with(draft_tokens, p, q, rng, keep, resample, bonus=True):
    """Run the loop of :func:`speculative_step` with its acceptance test and resampling swapped.

    ``keep(p_x, q_x, rng)`` decides one drafted token x, ``resample(p_row, q_row, rng)``
    draws the token after a rejection, and ``bonus`` controls whether a bonus token follows
    when every draft is kept. The uniform draws come in the same order as in the reference.
    """
    gamma = len(draft_tokens)
    emitted = []
    for position in range(gamma):
        token = int(draft_tokens[position])
        if keep(p[position, token], q[position, token], rng):
            emitted.append(token)
            continue
        emitted.append(resample(p[position], q[position], rng))
        return emitted
    if bonus:
        emitted.append(sample(p[gamma], rng))
    return emitted


def _keep_min(p_x, q_x, rng):
    return rng.random() < min(1.0, p_x / q_x)


def _resample_residual(p_row, q_row, rng):
    return sample(np.maximum(p_row - q_row, 0.0), rng)


def step_from_target(draft_tokens, p, q, rng):
    """Wrong: after a rejection, samples from p instead of the residual."""
    return _step_with(draft_tokens, p, q, rng, _keep_min, lambda p_row, q_row, rng: sample(p_row, rng))


def _resample_unnormalized(p_row, q_row, rng):
    cumulative = np.cumsum(np.maximum(p_row - q_row, 0.0))
    return min(int(np.searchsorted(cumulative, rng.random(), side="right")), len(p_row) - 1)


def step_unnormalized_residual(draft_tokens, p, q, rng):
    """Wrong: inverts the CDF of max(0, p − q) without dividing by its sum.

    The uniform draw falls past the residual's total with probability 1 − TV(p, q), and
    the search then returns the last token.
    """
    return _step_with(draft_tokens, p, q, rng, _keep_min, _resample_unnormalized)


def step_ratio_without_min(draft_tokens, p, q, rng):
    """Wrong: draws acceptance from a Bernoulli with probability p/q, not min(1, p/q).

    With a uniform threshold, u < p/q and u < min(1, p/q) agree for every u in [0, 1), so
    the missing min shows only where the ratio feeds a sampler that needs a probability:
    here ``Generator.binomial`` raises ValueError once p/q > 1.
    """
    return _step_with(draft_tokens, p, q, rng, lambda p_x, q_x, rng: rng.binomial(1, p_x / q_x),
                      _resample_residual)


def _keep_swapped(p_x, q_x, rng):
    ratio = np.inf if p_x == 0 else q_x / p_x
    return rng.random() < min(1.0, ratio)


def step_swapped(draft_tokens, p, q, rng):
    """Wrong: swaps p and q, keeping with min(1, q/p) and sampling norm(max(0, q − p))."""
    return _step_with(draft_tokens, p, q, rng, _keep_swapped,
                      lambda p_row, q_row, rng: _resample_residual(q_row, p_row, rng))


def step_without_bonus(draft_tokens, p, q, rng):
    """Wrong: when every draft is kept, returns them without the bonus token from p[γ]."""
    return _step_with(draft_tokens, p, q, rng, _keep_min, _resample_residual, bonus=False)


KNOWN_MISTAKES = {
    "p-instead-of-residual": step_from_target,
    "unnormalized-residual": step_unnormalized_residual,
    "ratio-without-min": step_ratio_without_min,
    "p-q-swapped": step_swapped,
    "no-bonus-token": step_without_bonus,
}
"""The wrong implementations by the name of their mistake."""


# The acceptance test of one drafted token.


def accept(p_x, q_x, u):
    """Return whether a drafted token x is kept: u < min(1, p(x)/q(x)), with u uniform in [0, 1)."""
    return bool(u < min(1.0, p_x / q_x))


def accept_at_boundary(p_x, q_x, u):
    """Wrong: keeps the token when u <= min(1, p(x)/q(x)), so p(x) = 0 is kept when u is 0."""
    return bool(u <= min(1.0, p_x / q_x))


def accept_swapped(p_x, q_x, u):
    """Wrong: swaps target and draft, keeping the token when u < min(1, q(x)/p(x))."""
    ratio = np.inf if p_x == 0 else q_x / p_x
    return bool(u < min(1.0, ratio))


def accept_reversed(p_x, q_x, u):
    """Wrong: keeps the token when u >= min(1, p(x)/q(x)), the rejection event instead of acceptance."""
    return bool(u >= min(1.0, p_x / q_x))


# The residual distribution after a rejection.


def _excess(p, q):
    return np.maximum(np.asarray(p, dtype=np.float64) - np.asarray(q, dtype=np.float64), 0.0)


def _normalized(weights):
    total = weights.sum()
    if total == 0:
        raise ValueError("p equals q, so the residual norm(max(0, p - q)) is undefined: its normalizer is 0")
    return weights / total


def residual(p, q):
    """Return the residual distribution norm(max(0, p − q)); raise ValueError when p equals q."""
    return _normalized(_excess(p, q))


def residual_unnormalized(p, q):
    """Wrong: returns max(0, p − q) without dividing by its sum, so p equal to q gives zeros."""
    return _excess(p, q)


def residual_swapped(p, q):
    """Wrong: swaps target and draft, norm(max(0, q − p))."""
    return _normalized(_excess(q, p))


def residual_absolute(p, q):
    """Wrong: normalizes |p − q|, which also puts mass where the draft over-proposes."""
    return _normalized(np.abs(np.asarray(p, dtype=np.float64) - np.asarray(q, dtype=np.float64)))


def residual_target(p, q):
    """Wrong: returns the target p itself, as a step that resamples from p after a rejection."""
    return np.asarray(p, dtype=np.float64)
