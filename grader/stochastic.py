"""The calibrated test of a speculative sampling step, against its exact output law.

The judge draws the draft tokens itself and the kernel calls the student's step once per
draft. Given the drafts, a correct step acts position by position: draft d at position i
is kept with probability a_i(d) = min(1, p_i(d)/q_i(d)); the first rejection, at position
i, emits a token from the residual e_i = norm(max(0, p_i − q_i)); after γ kept drafts a
bonus token comes from p_γ (Leviathan, Kalman and Matias 2023, Algorithm 1). The exact
law is computed with Fractions from :mod:`effquiz.core.specdec`.

The test splits the likelihood into binary components, each a count of successes in m
trials that is Binomial(m, π) under the exact law given the earlier outcomes:

- for each position i and draft d with 0 < a_i(d) < 1: the drafts kept among those that
  reached position i;
- for each multinomial (the residual e_i, the bonus p_γ): token y among the emitted tokens
  that are not below y, with π = e(y)/Σ_(z≥y) e(z).

A component fails when m·D(k/m ‖ π) ≥ ln(2J/α), where D is the binary Kullback–Leibler
divergence, J the number of components and α the false-fail budget. By the Chernoff
bound in its Kullback–Leibler form, P(k/m ≥ x) <= exp(−m·D(x ‖ π)) for x >= π and the
same for the lower tail (proved, for example, in Gerbessiotis, "A survey of Chernoff and
Hoeffding bounds", arXiv:2506.15612). So each tail beyond the threshold has probability
at most α/(2J) for every m, and by the union bound a correct step fails with probability
at most α, with no large-sample approximation. An outcome with probability 0
under the exact law (a kept draft with p = 0, a residual token with p ≤ q, a missing bonus
token) fails at once, because a correct step never produces it.

NOTE: the student's step computes in floats. The settings hold dyadic probabilities,
which floats store exactly, so the only error is the rounding of ratios such as 1/3, about
1e−16 relative, far below what a few thousand calls can resolve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from effquiz.core import specdec
from effquiz.templates.schema import SamplingSetting

Distribution = tuple[Fraction, ...]


@dataclass(frozen=True)
class StepLaw:
    """The law of one step given its drafts, position by position.

    ``accept[i][d]`` is the probability of keeping draft d at position i. ``emit[i]`` is
    the law of the token emitted after a rejection at i, or None where nothing is ever
    rejected. ``bonus`` is the law of the token after γ kept drafts, or None when no token
    follows them.
    """

    accept: tuple[Distribution, ...]
    emit: tuple[Distribution | None, ...]
    bonus: Distribution | None

    @property
    def gamma(self) -> int:
        """The number of drafts per call."""
        return len(self.accept)


def exact_law(setting: SamplingSetting) -> StepLaw:
    """Return the law of a correct step for ``setting``, from the exact core."""
    accept, emit = [], []
    for target, draft in zip(setting.target, setting.draft):
        accept.append(tuple(specdec.acceptance_probability(p_x, q_x) if q_x > 0 else Fraction(0)
                            for p_x, q_x in zip(target, draft)))
        emit.append(specdec.residual(target, draft) if target != draft else None)
    return StepLaw(tuple(accept), tuple(emit), tuple(setting.target[-1]))


def _normalized(weights: list[Fraction]) -> Distribution | None:
    total = sum(weights, Fraction(0))
    return tuple(weight / total for weight in weights) if total > 0 else None


def mistaken_law(setting: SamplingSetting, mistake: str) -> StepLaw:
    """Return the law of a step with a known mistake (see ``SAMPLING_MISTAKES`` in the schema)."""
    law = exact_law(setting)
    if mistake == "p-instead-of-residual":
        emit = tuple(tuple(target) if rule is not None else None for target, rule in zip(setting.target, law.emit))
        return StepLaw(law.accept, emit, law.bonus)
    if mistake == "unnormalized-residual":
        emit_list: list[Distribution | None] = []
        for target, draft, rule in zip(setting.target, setting.draft, law.emit):
            excess = [max(Fraction(0), p_x - q_x) for p_x, q_x in zip(target, draft)]
            excess[-1] += 1 - sum(excess, Fraction(0))  # an inverse CDF past the total lands on the last token
            emit_list.append(tuple(excess) if rule is not None else None)
        return StepLaw(law.accept, tuple(emit_list), law.bonus)
    if mistake == "p-q-swapped":
        accept = tuple(tuple(Fraction(1) if p_x == 0 else min(Fraction(1), q_x / p_x) for p_x, q_x in zip(t, d))
                       for t, d in zip(setting.target, setting.draft))
        emit = tuple(_normalized([max(Fraction(0), q_x - p_x) for p_x, q_x in zip(t, d)])
                     for t, d in zip(setting.target, setting.draft))
        return StepLaw(accept, emit, law.bonus)
    if mistake == "no-bonus-token":
        return StepLaw(law.accept, law.emit, None)
    raise ValueError(f"unknown mistake {mistake!r}")


@dataclass
class Tally:
    """The counts that the test reads, and the first outcome that the law cannot produce."""

    reached: list[list[int]]
    kept: list[list[int]]
    emitted: list[list[int]]
    bonus: list[int]
    impossible: str | None = None
    calls: int = 0


def _describe_call(index: int, drafts: list[int], output: Any) -> str:
    return f"call {index + 1} with draft_tokens={drafts} returned {output!r}"


def tally(law: StepLaw, drafts: list[list[int]], outputs: list[Any]) -> Tally:
    """Count the outcomes of the calls under ``law``; record the first impossible one."""
    size = len(law.accept[0]) if law.accept else len(law.bonus or ())
    counts = Tally(reached=[[0] * size for _ in range(law.gamma)], kept=[[0] * size for _ in range(law.gamma)],
                   emitted=[[0] * size for _ in range(law.gamma)], bonus=[0] * size)
    for index, (draft, output) in enumerate(zip(drafts, outputs)):
        problem = _count_call(law, counts, draft, output, size)
        counts.calls += 1
        if problem is not None and counts.impossible is None:
            counts.impossible = f"{_describe_call(index, draft, output)}: {problem}"
    return counts


def _count_call(law: StepLaw, counts: Tally, draft: list[int], output: Any, size: int) -> str | None:
    gamma = law.gamma
    if not isinstance(output, list) or not all(isinstance(t, int) and not isinstance(t, bool) for t in output):
        return "the result must be a list of token ids"
    if not 1 <= len(output) <= gamma + 1 or any(not 0 <= token < size for token in output):
        return f"the result must hold 1 to {gamma + 1} token ids from 0 to {size - 1}"
    kept_all = law.bonus is None and len(output) == gamma and output == draft
    kept = gamma if kept_all else len(output) - 1
    if output[:kept] != draft[:kept]:
        return "the tokens before the last one must be the kept drafts, in order"
    for position in range(kept):
        counts.reached[position][draft[position]] += 1
        counts.kept[position][draft[position]] += 1
        if law.accept[position][draft[position]] == 0:
            return f"it kept draft {draft[position]} at position {position}, which is never kept"
    if kept_all:
        return None
    token = output[-1]
    if kept == gamma:
        if law.bonus is None:
            return "it emitted a token after keeping every draft"
        counts.bonus[token] += 1
        return None if law.bonus[token] > 0 else f"the token after every kept draft cannot be {token}"
    counts.reached[kept][draft[kept]] += 1
    rule = law.emit[kept]
    if law.accept[kept][draft[kept]] == 1 or rule is None:
        return f"it rejected draft {draft[kept]} at position {kept}, which is always kept"
    counts.emitted[kept][token] += 1
    return None if rule[token] > 0 else f"after a rejection at position {kept}, token {token} is never emitted"


@dataclass(frozen=True)
class Component:
    """One binary component of the test: k successes in m trials, each with probability π."""

    description: str
    trials: int
    successes: int
    probability: Fraction


def _binary_chain(law_row: Distribution, counts: list[int], what: str) -> list[Component]:
    """Split a multinomial over the support of ``law_row`` into conditional binomials."""
    support = [token for token, probability in enumerate(law_row) if probability > 0]
    components = []
    remaining_mass = sum((law_row[token] for token in support), Fraction(0))
    remaining_count = sum(counts[token] for token in support)
    for token in support[:-1]:
        components.append(Component(f"{what}: token {token}", remaining_count, counts[token],
                                    law_row[token] / remaining_mass))
        remaining_mass -= law_row[token]
        remaining_count -= counts[token]
    return components


def components(law: StepLaw, counts: Tally) -> list[Component]:
    """Return every binary component with 0 < π < 1, whether or not it had trials."""
    result = []
    for position in range(law.gamma):
        for token, probability in enumerate(law.accept[position]):
            if 0 < probability < 1:
                result.append(Component(f"keeping draft {token} at position {position}",
                                        counts.reached[position][token], counts.kept[position][token], probability))
        rule = law.emit[position]
        # A residual exists only where p differs from q, and then some drafted token has p < q,
        # so a rejection at this position is possible.
        if rule is not None:
            result += _binary_chain(rule, counts.emitted[position], f"the token after a rejection at position "
                                                                     f"{position}")
    if law.bonus is not None:
        result += _binary_chain(law.bonus, counts.bonus, "the token after every kept draft")
    return result


def binary_divergence(rate: float, probability: float) -> float:
    """Return D(rate ‖ probability), the Kullback–Leibler divergence of two Bernoulli laws."""
    total = 0.0
    for x, y in ((rate, probability), (1 - rate, 1 - probability)):
        if x > 0:
            total += x * math.log(x / y)
    return total


def tail_bound(component: Component) -> float:
    """Return the two-sided Chernoff bound 2·exp(−m·D(k/m ‖ π)) on the component's p-value, at most 1."""
    if component.trials == 0:
        return 1.0
    divergence = binary_divergence(component.successes / component.trials, float(component.probability))
    return min(1.0, 2 * math.exp(-component.trials * divergence))


@dataclass(frozen=True)
class SamplingVerdict:
    """The outcome of the test: whether the samples fit the law, and why not."""

    passed: bool
    reason: str
    worst: Component | None = None
    worst_bound: float = 1.0
    components: int = 0
    details: dict[str, Any] = field(default_factory=dict)


def check_samples(laws: list[StepLaw], tallies: list[Tally], false_fail: float) -> SamplingVerdict:
    """Decide whether the tallies, one per setting, fit their laws at the false-fail budget."""
    for counts in tallies:
        if counts.impossible is not None:
            return SamplingVerdict(False, counts.impossible)
    parts = [components(law, counts) for law, counts in zip(laws, tallies)]
    flat = [component for group in parts for component in group]
    if not flat:
        return SamplingVerdict(True, "every outcome is forced by the law", components=0)
    bounds = [tail_bound(component) for component in flat]
    worst_index = min(range(len(flat)), key=bounds.__getitem__)
    worst, bound = flat[worst_index], bounds[worst_index]
    # Bonferroni: each component gets α/J, so J·bound <= α fails.
    if bound * len(flat) <= false_fail:
        rate = worst.successes / worst.trials
        return SamplingVerdict(False, f"{worst.description} happened in {worst.successes} of {worst.trials} "
                               f"cases ({rate:.3g}); the chance of a deviation this large from a correct step is "
                               f"below {bound * len(flat):.1e}", worst=worst, worst_bound=bound,
                               components=len(flat))
    return SamplingVerdict(True, f"all {len(flat)} components fit", worst=worst, worst_bound=bound,
                           components=len(flat))
