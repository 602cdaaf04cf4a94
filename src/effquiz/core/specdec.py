"""Speculative decoding formulas in exact arithmetic.

Source: Leviathan, Kalman and Matias 2023, "Fast Inference from Transformers via Speculative
Decoding" (ICML; arXiv:2211.17192). The target model has next-token distribution p and the
draft model q. A drafted token x ~ q is kept with probability min(1, p(x)/q(x)). After a
rejection the token is drawn from the residual norm(max(0, p − q)), so every emitted token
follows p exactly. γ is the number of drafted tokens per iteration, α the expected
acceptance rate, and c the time of one draft run divided by the time of one target run.

Chen et al. 2023 (arXiv:2302.01318) describe the same algorithm with the names swapped
(q is their target), so a problem that quotes them must state which is which.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from fractions import Fraction

from effquiz.core.exact import Exact, check_integer, to_exact
from effquiz.errors import CoreError, InvalidDistributionError, UndefinedResidualError

__all__ = [
    "acceptance_probability",
    "acceptance_rate",
    "all_accepted_probability",
    "emitted_distribution",
    "expected_accepted",
    "expected_target_calls",
    "expected_tokens",
    "greedy_accepted",
    "greedy_emitted",
    "operations_factor",
    "optimal_gamma",
    "residual",
    "total_variation",
    "validate_distribution",
    "walltime_improvement",
]


def validate_distribution(p: Iterable[Exact], *, name: str = "p") -> tuple[Fraction, ...]:
    """Convert a probability vector to exact fractions and check it.

    The vector must be non-empty, every entry >= 0 and the exact sum 1. Floats are read
    through their shortest repr (see :func:`~effquiz.core.exact.to_exact`), so
    [0.1, 0.2, 0.7] sums to exactly 1, but three copies of the float 1/3 do not. The
    InvalidDistributionError names ``name`` and the index and value, or the sum.

    >>> validate_distribution(["1/2", 0.3, 0.2])
    (Fraction(1, 2), Fraction(3, 10), Fraction(1, 5))
    """
    if isinstance(p, (str, bytes)) or not isinstance(p, Iterable):
        raise InvalidDistributionError(
            f"{name} = {p!r} is not a sequence of probabilities.",
            fix=f"pass {name} as a list or tuple of numbers.",
        )

    entries = []
    for index, entry in enumerate(p):
        try:
            value = to_exact(entry)
        except CoreError as error:
            raise InvalidDistributionError(
                f"{name}[{index}] = {entry!r} is not a number: {error.reason}",
                fix=error.fix,
            ) from None
        if value < 0:
            raise InvalidDistributionError(
                f"{name}[{index}] = {value} is negative.",
                fix="use probabilities >= 0.",
            )
        entries.append(value)

    if not entries:
        raise InvalidDistributionError(
            f"{name} is empty, so it is not a probability distribution.",
            fix="pass at least one probability.",
        )
    total = sum(entries, Fraction(0))
    if total != 1:
        raise InvalidDistributionError(
            f"{name} sums to {total}, not 1.",
            fix='pass probabilities that sum to exactly 1, and write thirds and similar values as Fraction or "1/3".',
        )
    return tuple(entries)


def _validate_pair(p: Iterable[Exact], q: Iterable[Exact]) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    target = validate_distribution(p, name="p")
    draft = validate_distribution(q, name="q")
    if len(target) != len(draft):
        raise InvalidDistributionError(
            f"p has {len(target)} entries but q has {len(draft)}, so they are not over the same vocabulary.",
            fix="give p and q one entry per token of the same vocabulary.",
        )
    return target, draft


def _check_probability(value: Exact, name: str) -> Fraction:
    probability = to_exact(value)
    if not 0 <= probability <= 1:
        raise InvalidDistributionError(
            f"{name} = {probability} is not a probability in [0, 1].",
            fix=f"pass {name} between 0 and 1.",
        )
    return probability


def acceptance_probability(p_x: Exact, q_x: Exact) -> Fraction:
    """Compute the probability min(1, p(x)/q(x)) of keeping a drafted token x.

    Leviathan et al. 2023 keep x when q(x) <= p(x) and otherwise reject it with probability
    1 − p(x)/q(x). q(x) must be > 0, because the draft sampled x, and p(x) must be in
    [0, 1]. Otherwise InvalidDistributionError is raised.

    >>> acceptance_probability("1/4", "1/10"), acceptance_probability(0, "1/10")
    (Fraction(1, 1), Fraction(0, 1))
    """
    target = _check_probability(p_x, "p(x)")
    draft = _check_probability(q_x, "q(x)")
    if draft == 0:
        raise InvalidDistributionError(
            "q(x) = 0, but a drafted token x has a positive draft probability, so "
            "min(1, p(x)/q(x)) is undefined.",
            fix="pass the draft probability of a token that the draft model can sample.",
        )
    return min(Fraction(1), target / draft)


def acceptance_rate(p: Sequence[Exact], q: Sequence[Exact]) -> Fraction:
    """Compute the acceptance rate Σ min(p_i, q_i) = 1 − TV(p, q) of one position.

    This is β in Leviathan et al. 2023 for a single position, and α = E[β] when p and q
    stay fixed. Both vectors are checked by :func:`validate_distribution` and must have the
    same length.

    >>> acceptance_rate(["1/2", "3/10", "1/5"], ["1/5", "1/2", "3/10"])
    Fraction(7, 10)
    """
    target, draft = _validate_pair(p, q)
    return sum((min(a, b) for a, b in zip(target, draft)), Fraction(0))


def total_variation(p: Sequence[Exact], q: Sequence[Exact]) -> Fraction:
    """Compute the total variation distance TV(p, q) = Σ|p_i − q_i|/2.

    >>> total_variation(["1/2", "3/10", "1/5"], ["1/5", "1/2", "3/10"])
    Fraction(3, 10)
    """
    target, draft = _validate_pair(p, q)
    return sum((abs(a - b) for a, b in zip(target, draft)), Fraction(0)) / 2


def residual(p: Sequence[Exact], q: Sequence[Exact]) -> tuple[Fraction, ...]:
    """Compute the residual distribution norm(max(0, p − q)) that a rejected token is drawn from.

    The normalizer Σ max(0, p_i − q_i) equals TV(p, q), so it is 0 exactly when p equals q.
    Then UndefinedResidualError is raised, because nothing is ever rejected and the residual
    is never sampled.

    >>> residual(["1/2", "3/10", "1/5"], ["1/5", "1/2", "3/10"])
    (Fraction(1, 1), Fraction(0, 1), Fraction(0, 1))
    """
    target, draft = _validate_pair(p, q)
    excess = [max(Fraction(0), a - b) for a, b in zip(target, draft)]
    normalizer = sum(excess, Fraction(0))
    if normalizer == 0:
        raise UndefinedResidualError(
            "the residual norm(max(0, p - q)) is undefined because p equals q, so its "
            "normalizer is 0. Nothing is ever rejected when p equals q, so the residual is never sampled.",
            fix="compute the residual only for p different from q.",
        )
    return tuple(value / normalizer for value in excess)


def _check_alpha(alpha: Exact) -> Fraction:
    value = to_exact(alpha)
    if not 0 <= value <= 1:
        raise CoreError(
            f"alpha = {value} is not an acceptance rate in [0, 1].",
            fix="pass alpha between 0 and 1.",
        )
    return value


def _check_gamma(gamma: object, *, minimum: int = 0, name: str = "gamma") -> int:
    drafts = check_integer(gamma, name)
    if drafts < minimum:
        raise CoreError(
            f"{name} = {drafts} is less than {minimum}.",
            fix=f"pass {name} >= {minimum}.",
        )
    return drafts


def _check_cost_ratio(cost_ratio: Exact) -> Fraction:
    value = to_exact(cost_ratio)
    if value < 0:
        raise CoreError(
            f"cost_ratio = {value} is negative, but it is a ratio of run times.",
            fix="pass cost_ratio >= 0.",
        )
    return value


def _expected_tokens_exact(alpha: Fraction, gamma: int) -> Fraction:
    if alpha == 1:
        return Fraction(gamma + 1)
    return (1 - alpha ** (gamma + 1)) / (1 - alpha)


def expected_tokens(alpha: Exact, gamma: int) -> Fraction:
    """Compute the expected number of tokens per iteration, (1 − α^(γ+1))/(1 − α).

    This is Eq. 1 of Leviathan et al. 2023: the accepted drafts plus the one token that the
    target model always adds. At α = 1 the limit γ + 1 is returned. ``alpha`` must be in
    [0, 1] and ``gamma`` an int >= 0, else CoreError.

    >>> expected_tokens("0.4", 4), expected_tokens(1, 4)
    (Fraction(1031, 625), Fraction(5, 1))
    """
    return _expected_tokens_exact(_check_alpha(alpha), _check_gamma(gamma))


def walltime_improvement(alpha: Exact, gamma: int, cost_ratio: Exact) -> Fraction:
    """Compute the expected walltime improvement factor (1 − α^(γ+1))/((1 − α)(γc + 1)).

    This is Theorem 3.8 of Leviathan et al. 2023, where c is the cost ratio: the time of one
    draft run divided by the time of one target run. At α = 1 the limit (γ + 1)/(γc + 1)
    is returned. ``cost_ratio`` must be >= 0.

    >>> walltime_improvement("0.8", 5, 0)
    Fraction(11529, 3125)
    """
    rate = _check_alpha(alpha)
    drafts = _check_gamma(gamma)
    cost = _check_cost_ratio(cost_ratio)
    return _expected_tokens_exact(rate, drafts) / (drafts * cost + 1)


def operations_factor(alpha: Exact, gamma: int, cost_ratio: Exact) -> Fraction:
    """Compute the expected factor of arithmetic operations, (1 − α)(γĉ + γ + 1)/(1 − α^(γ+1)).

    This is Theorem 3.11 of Leviathan et al. 2023, with ĉ = ``cost_ratio`` the arithmetic
    operations per token of the draft model divided by those of the target model. At
    α = 1 the limit (γĉ + γ + 1)/(γ + 1) is returned.

    >>> operations_factor("0.8", 5, 0)
    Fraction(6250, 3843)
    """
    rate = _check_alpha(alpha)
    drafts = _check_gamma(gamma)
    cost = _check_cost_ratio(cost_ratio)
    return (drafts * cost + drafts + 1) / _expected_tokens_exact(rate, drafts)


def optimal_gamma(alpha: Exact, cost_ratio: Exact, max_gamma: int = 64) -> int:
    """Find the γ in 1..max_gamma that maximizes :func:`walltime_improvement`.

    The search is exhaustive over every γ in 1..max_gamma, in exact arithmetic, and returns
    the smallest γ on ties. With c = 0 the improvement grows with γ for every α > 0, so
    the result is then ``max_gamma``.

    >>> optimal_gamma("0.9", "0.1")
    10
    """
    rate = _check_alpha(alpha)
    cost = _check_cost_ratio(cost_ratio)
    limit = _check_gamma(max_gamma, minimum=1, name="max_gamma")

    best_gamma = 1
    best_value = _expected_tokens_exact(rate, 1) / (cost + 1)
    for drafts in range(2, limit + 1):
        value = _expected_tokens_exact(rate, drafts) / (drafts * cost + 1)
        if value > best_value:
            best_gamma = drafts
            best_value = value
    return best_gamma


# What one iteration emits.


def emitted_distribution(p: Sequence[Exact], q: Sequence[Exact], after_rejection: str = "residual") -> tuple[Fraction, ...]:
    """Compute the distribution of the first token that one speculative step emits.

    The draft proposes x ~ q and keeps it with probability min(1, p(x)/q(x)), so x is
    emitted as a kept draft with probability min(p(x), q(x)). With probability 1 − α the draft
    is rejected, and the token comes from the distribution that ``after_rejection`` names:

    - ``"residual"``: norm(max(0, p − q)), as Leviathan et al. 2023 prescribe. The result is
      min(p, q) + (1 − α)·residual = p exactly.
    - ``"target"``: p itself, a common mistake. The result min(p, q) + (1 − α)·p differs
      from p whenever p differs from q, so the output is no longer distributed as p.

    When p equals q nothing is rejected and the result is p under both rules.

    >>> emitted_distribution(["1/2", "3/10", "1/5"], ["1/5", "1/2", "3/10"], "target")
    (Fraction(7, 20), Fraction(39, 100), Fraction(13, 50))
    """
    if after_rejection not in ("residual", "target"):
        raise CoreError(
            f"after_rejection = {after_rejection!r} is not a resampling rule.",
            fix="pass 'residual' for norm(max(0, p - q)) or 'target' for p.",
        )
    target, draft = _validate_pair(p, q)
    kept = [min(a, b) for a, b in zip(target, draft)]
    rejection = 1 - sum(kept, Fraction(0))
    if rejection == 0:
        return tuple(kept)
    resampled = residual(target, draft) if after_rejection == "residual" else target
    return tuple(k + rejection * r for k, r in zip(kept, resampled))


def greedy_accepted(draft: Sequence[Hashable], target: Sequence[Hashable]) -> int:
    """Count the drafted tokens that greedy (temperature 0) speculative decoding keeps.

    ``target`` contains the target model's argmax at each of the γ + 1 positions that one
    target run scores, ``draft`` the γ drafted tokens. A draft is kept while it equals the
    target's argmax, so the count is the length of the longest matching prefix. A match
    after the first mismatch does not count, because the target's later argmaxes were
    computed after a token that is now discarded. Hugging Face transformers compute the
    same count (``n_matches`` in ``generation/utils.py``, assisted decoding).

    >>> greedy_accepted(["a", "b", "c"], ["a", "x", "c", "d"])
    1
    """
    drafts, argmaxes = _check_greedy(draft, target)
    count = 0
    for drafted, chosen in zip(drafts, argmaxes):
        if drafted != chosen:
            break
        count += 1
    return count


def greedy_emitted(draft: Sequence[Hashable], target: Sequence[Hashable]) -> tuple[Hashable, ...]:
    """Return the tokens that one greedy speculative step emits.

    These are the k kept drafts of :func:`greedy_accepted` followed by the target's argmax at
    position k + 1: the correction after a mismatch, or the bonus token when all γ drafts
    are kept. So one step emits k + 1 tokens, from 1 to γ + 1.

    >>> greedy_emitted(["a", "b", "c"], ["a", "x", "c", "d"])
    ('a', 'x')
    """
    drafts, argmaxes = _check_greedy(draft, target)
    count = greedy_accepted(drafts, argmaxes)
    return (*drafts[:count], argmaxes[count])


def _check_greedy(draft: Sequence[Hashable], target: Sequence[Hashable]) -> tuple[tuple, tuple]:
    for name, tokens in (("draft", draft), ("target", target)):
        if isinstance(tokens, (str, bytes)) or not isinstance(tokens, Sequence):
            raise CoreError(f"{name} = {tokens!r} is not a sequence of tokens.", fix=f"pass {name} as a list.")
    if len(target) != len(draft) + 1:
        raise CoreError(
            f"target has {len(target)} argmax tokens for {len(draft)} drafts, but one target run scores "
            f"gamma + 1 = {len(draft) + 1} positions.",
            fix="pass the target's argmax at every drafted position and at the position after the last draft.",
        )
    return tuple(draft), tuple(target)


def all_accepted_probability(alpha: Exact, gamma: int) -> Fraction:
    """Compute α^γ, the probability that all γ drafts are kept and the bonus token is drawn.

    Leviathan et al. 2023 treat the acceptances as independent with rate α, so all γ are kept
    with probability α^γ. The step then draws one more token from p at position γ + 1.

    >>> all_accepted_probability("0.8", 2)
    Fraction(16, 25)
    """
    return _check_alpha(alpha) ** _check_gamma(gamma)


def expected_accepted(alpha: Exact, gamma: int) -> Fraction:
    """Compute the expected number of kept drafts per iteration, α(1 − α^γ)/(1 − α).

    This is Σ_{i=1..γ} α^i, that is :func:`expected_tokens` minus the one token that the
    target adds in every iteration. At α = 1 it is γ.

    >>> expected_accepted("0.5", 2)
    Fraction(3, 4)
    """
    rate = _check_alpha(alpha)
    drafts = _check_gamma(gamma)
    return _expected_tokens_exact(rate, drafts) - 1


def expected_target_calls(alpha: Exact, gamma: int, tokens: int) -> Fraction:
    """Compute N/E, the expected target runs for N tokens at E tokens per run.

    E is :func:`expected_tokens`, the mean tokens per iteration, and each iteration runs the
    target once. N/E is the long-run rate. For a finite N it is an approximation, because the
    last iteration can emit more tokens than are still needed.

    >>> expected_target_calls("0.8", 5, 100)
    Fraction(312500, 11529)
    """
    count = _check_gamma(tokens, minimum=1, name="tokens")
    return count / _expected_tokens_exact(_check_alpha(alpha), _check_gamma(gamma))
