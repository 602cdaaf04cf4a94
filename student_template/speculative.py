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
