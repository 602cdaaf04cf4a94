"""Starter code for the speculative decoding function parts."""

import numpy as np


def speculative_step(draft_tokens, p, q, rng):
    """Return the tokens that one step of speculative sampling emits.

    draft_tokens contains the gamma tokens that the draft model proposed, where token i was
    drawn from q[i]. q is a NumPy array of shape (gamma, V) and p, the target model's
    distributions, has shape (gamma + 1, V): p[i] is the target at position i, and
    p[gamma] the target after the last draft. rng is a numpy.random.Generator: draw every
    random number from it.

    Keep draft token i with probability min(1, p[i, x]/q[i, x]). At the first rejection,
    emit one token drawn from the residual norm(max(0, p[i] - q[i])) and stop. If every
    draft is kept, emit one more token drawn from p[gamma]. Return the emitted tokens as a
    list of ints: the kept drafts followed by one token.
    """
    ...


def accept(p_x, q_x, u):
    """Return True when the drafted token x is kept, and False when it is rejected.

    The draft model sampled x with probability q_x = q(x) > 0, and the target model gives it
    p_x = p(x). u is a uniform random number in [0, 1). Keep x when u < min(1, p_x/q_x),
    with a strict <, so a token with p(x) = 0 is never kept. Return a bool.
    """
    ...


def residual(p, q):
    """Return the residual distribution that a token is drawn from after a rejection.

    p (the target) and q (the draft) are 1-D NumPy arrays of probabilities over the same
    tokens. The residual is norm(max(0, p - q)): subtract, set negative entries to 0, and
    divide by the sum. When p equals q that sum is 0 and the residual is undefined: raise
    ValueError. Return a NumPy array of floats with the shape of p.
    """
    ...
