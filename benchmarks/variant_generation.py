"""Time the generation of variants for every template in the bank.

Run from the repository root:

    .venv/bin/python benchmarks/variant_generation.py [--variants 1000]

For each template it draws the variants for seeds 0..N-1 with ``generate_variant`` (the
rejection sampling of constraints included) and prints the milliseconds per variant and
the ratio to affine-int-mapping, the lecture's template, measured in the same run.
"""

from __future__ import annotations

import argparse
import platform
import time

from effquiz.templates import Bank
from effquiz.variants import generate_variant

BASELINE = "affine-int-mapping"


def time_template(bank: Bank, template_id: str, variants: int) -> float:
    """Return the seconds that ``variants`` draws of one template take."""
    template = bank.get(template_id)
    start = time.perf_counter()
    for seed in range(variants):
        generate_variant(template, seed)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=1000, help="variants per template (default 1000)")
    arguments = parser.parse_args()

    bank = Bank.load()
    seconds = {template_id: time_template(bank, template_id, arguments.variants) for template_id in sorted(bank.templates)}
    baseline = seconds[BASELINE]

    print(f"{arguments.variants} variants per template; Python {platform.python_version()} on {platform.machine()}")
    print(f"{'template':<28} {'total s':>8} {'ms/variant':>11} {'vs ' + BASELINE:>24}")
    for template_id, total in sorted(seconds.items(), key=lambda item: item[1]):
        print(f"{template_id:<28} {total:>8.2f} {total / arguments.variants * 1000:>11.2f} {total / baseline:>24.2f}")


if __name__ == "__main__":
    main()
