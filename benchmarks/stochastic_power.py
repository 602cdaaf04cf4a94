"""Measure the sampling-step test: false-fail rate, power against known mistakes, and time.

Run from the repository root:

    .venv/bin/python benchmarks/stochastic_power.py --runs 1000 --simulated 200000

It grades the shipped template ``speculative-step-function`` the way the judge does,
with the kernel's collector loop (``kernel_code.sample_calls``) and the judge's
``judge_sampling``, for a fresh student seed per run:

- the reference step, whose failures are false fails;
- each wrong implementation in ``solutions/speculative.py``, whose passes are misses;
- tallies drawn straight from the exact law (no Python step at all), many more of them,
  to see how conservative the threshold is at looser false-fail budgets;
- for each mistake with a known law, the exact chance that one call produces an outcome
  that a correct step never produces, which bounds the miss rate by (1 − r)^calls.

The figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import itertools
import math
import platform
import statistics
import time
from fractions import Fraction

import numpy as np

from effquiz.grader.functions import judge_sampling
from effquiz.grader.kernel_code import sample_calls
from effquiz.grader.probes import SamplingPlan, sampling_plans
from effquiz.grader.stochastic import StepLaw, components, exact_law, mistaken_law, tally, tail_bound
from effquiz.solutions import speculative
from effquiz.templates import Bank


def collected(step, plans: list[SamplingPlan]) -> dict:
    """Run the kernel's collector loop on ``step`` for the plans."""
    kernel_plans = [{"seed": plan.seed, "target": [[float(v) for v in row] for row in plan.setting.target],
                     "draft": [[float(v) for v in row] for row in plan.setting.draft],
                     "drafts": [list(d) for d in plan.drafts]} for plan in plans]
    return sample_calls(step, kernel_plans, 5.0, 60.0)


def grade_runs(part, step, runs: int, first_seed: int) -> tuple[int, list[float]]:
    """Return how many of ``runs`` submissions of ``step`` fail, and the seconds each took."""
    failures, seconds = 0, []
    for seed in range(first_seed, first_seed + runs):
        started = time.perf_counter()
        plans = sampling_plans(part, seed)
        verdict = judge_sampling(part, plans, collected(step, plans))
        seconds.append(time.perf_counter() - started)
        failures += not verdict.correct
    return failures, seconds


def simulated_bounds(law: StepLaw, drafts: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Return J times the smallest component bound for ``count`` tallies drawn from the exact law.

    A tally fails the judge's test at budget α exactly when this value is at most α.
    """
    calls, gamma = drafts.shape
    size = len(law.bonus)

    # The keep decisions of every call are drawn at once, and the emitted tokens per tally below.
    accept = np.array([[float(a) for a in row] for row in law.accept])
    kept_probability = accept[np.arange(gamma), drafts]  # (calls, gamma)
    kept = rng.random((count, calls, gamma)) < kept_probability
    prefix = np.cumprod(kept, axis=2)
    accepted = prefix.sum(axis=2)  # (count, calls): drafts kept before the first rejection
    tokens = [(drafts[:, i, None] == np.arange(size)).astype(np.int64) for i in range(gamma)]  # (calls, size)
    reached = [(accepted >= i).astype(np.int64) @ tokens[i] for i in range(gamma)]  # (count, size)
    survived = [(accepted > i).astype(np.int64) @ tokens[i] for i in range(gamma)]

    empty = [[0] * size for _ in range(gamma)]
    best = np.ones(count)
    chains = []
    for sample in range(count):
        counts = tally(law, [], [])
        counts.reached = [reached[i][sample].tolist() for i in range(gamma)]
        counts.kept = [survived[i][sample].tolist() for i in range(gamma)]
        counts.emitted = [list(row) for row in empty]
        for position in range(gamma):
            rule = law.emit[position]
            rejected = int((accepted[sample] == position).sum())
            if rule is not None and rejected:
                counts.emitted[position] = rng.multinomial(rejected, [float(v) for v in rule]).tolist()
        all_kept = int((accepted[sample] == gamma).sum())
        counts.bonus = rng.multinomial(all_kept, [float(v) for v in law.bonus]).tolist()

        found = components(law, counts)
        chains.append(len(found))
        best[sample] = min(tail_bound(component) for component in found)
    return best * chains[0]


def impossible_rate(setting, mistake: str) -> Fraction:
    """Return the exact chance that one call of a step with ``mistake`` does what a correct step never does."""
    right, wrong = exact_law(setting), mistaken_law(setting, mistake)
    gamma, size = right.gamma, len(right.bonus)
    total = Fraction(0)
    for drafts in itertools.product(range(size), repeat=gamma):
        weight = Fraction(1)
        for row, token in zip(setting.draft, drafts):
            weight *= row[token]
        if weight == 0:
            continue
        reach = Fraction(1)
        for position, token in enumerate(drafts):
            keep = wrong.accept[position][token]
            if keep > 0 and right.accept[position][token] == 0:
                total += weight * reach * keep  # kept a draft that is never kept
                keep = Fraction(0)  # counted; follow only the rejection branch below
            reject = 1 - wrong.accept[position][token]
            if reject > 0:
                if right.accept[position][token] == 1 or right.emit[position] is None:
                    total += weight * reach * reject
                else:
                    rule = wrong.emit[position] or ()
                    total += weight * reach * reject * sum((rule[y] for y in range(size)
                                                            if right.emit[position][y] == 0), Fraction(0))
            reach *= keep
        if wrong.bonus is None:
            total += weight * reach  # γ kept drafts and no bonus token
        else:
            total += weight * reach * sum((wrong.bonus[y] for y in range(size) if right.bonus[y] == 0), Fraction(0))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="graded submissions per implementation")
    parser.add_argument("--simulated", type=int, default=200_000, help="tallies drawn straight from the exact law")
    arguments = parser.parse_args()

    part = Bank.load().get("speculative-step-function").part("step")
    spec = part.function
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}, numpy {np.__version__}")
    print(f"template speculative-step-function, {spec.sampling.calls} calls per submission, "
          f"false-fail budget {float(spec.sampling.false_fail):g}")

    if arguments.runs:
        failures, seconds = grade_runs(part, speculative.speculative_step, arguments.runs, 0)
        print(f"reference: {failures} failures in {arguments.runs} submissions; seconds per submission "
              f"median {statistics.median(seconds):.3f}, max {max(seconds):.3f}")
        for name, step in speculative.KNOWN_MISTAKES.items():
            failures, seconds = grade_runs(part, step, arguments.runs, 10**6)
            print(f"{name}: detected {failures} of {arguments.runs}; seconds per submission median "
                  f"{statistics.median(seconds):.3f}")

    setting = spec.sampling.settings[0]
    for mistake in ("p-instead-of-residual", "unnormalized-residual", "p-q-swapped", "no-bonus-token"):
        rate = impossible_rate(setting, mistake)
        exponent = spec.sampling.calls * math.log10(1 - float(rate))
        print(f"{mistake}: one call is impossible under the exact law with probability {float(rate):.4f} "
              f"({rate}); miss bound (1 - r)^{spec.sampling.calls} = 10^{exponent:.0f}")

    law = exact_law(setting)
    rng = np.random.default_rng(2026)
    if not arguments.simulated:
        return
    started = time.perf_counter()
    adjusted = []
    for chunk in range(0, arguments.simulated, 1000):
        plan = sampling_plans(part, 10**7 + chunk)[0]
        adjusted.append(simulated_bounds(law, np.array(plan.drafts), min(1000, arguments.simulated - chunk), rng))
    values = np.concatenate(adjusted)
    print(f"simulated {len(values)} correct submissions in {time.perf_counter() - started:.0f} s:")
    for budget in (1e-1, 1e-2, 1e-3, 1e-6):
        print(f"  budget {budget:g}: {int((values <= budget).sum())} fail ({(values <= budget).mean():.2e})")


if __name__ == "__main__":
    main()
