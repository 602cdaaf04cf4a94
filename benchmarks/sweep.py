"""Time `effquiz check` on the shipped bank, and what its parts cost, side by side in one run.

Run: .venv/bin/python benchmarks/sweep.py [--variants N] [--repeat R]

Prints, per template: drawing N variants with generate_variant, computing their answers
again with and without the per-variant call cache, and the full sweep; then the whole
`check_paths` run on the bank. Each figure is the best of R runs. The target is a sweep of
1,000 variants per template in under 10 s for the shipped bank.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

from effquiz.check import check_paths, sweep_template
from effquiz.templates import Bank, default_bank_path
from effquiz.templates.schema import Template
from effquiz.variants import generate_variant


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def answers(template: Template, params: list[dict], cached: bool) -> None:
    for values in params:
        memo: dict | None = {} if cached else None
        for part in template.parts:
            part.answer.evaluate(values, memo=memo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    n, repeat = options.variants, options.repeat

    print(f"python {platform.python_version()}, {platform.machine()}, {n} variants, best of {repeat}")
    print(f"{'template':28} {'generate':>9} {'answers':>9} {'no cache':>9} {'ratio':>6} {'sweep':>7} {'sweep/gen':>9}")
    for template in Bank.load().templates.values():
        params = [generate_variant(template, seed).params for seed in range(n)]
        generate = best_of(repeat, lambda: [generate_variant(template, seed) for seed in range(n)])
        cached = best_of(repeat, lambda: answers(template, params, cached=True))
        uncached = best_of(repeat, lambda: answers(template, params, cached=False))
        sweep = best_of(repeat, lambda: sweep_template(template, variants=n))
        print(f"{template.id:28} {generate:8.2f}s {cached:8.2f}s {uncached:8.2f}s {uncached / cached:5.2f}x "
              f"{sweep:6.2f}s {sweep / generate:8.2f}x")
    total = best_of(repeat, lambda: check_paths([default_bank_path()], variants=n))
    print(f"effquiz check on the shipped bank: {total:.2f}s")


if __name__ == "__main__":
    main()
