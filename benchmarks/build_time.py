"""Time ``effquiz build`` per student, for 1,000 students, leaving out the one-time steps.

Usage (from the repository root)::

    .venv/bin/python benchmarks/build_time.py [--students 1000] [--repeats 3] [--json results.json]

A build runs Otter Assign and packs the autograder zip once, then writes a notebook, its
tests and an answer key per student. The script times whole builds of the same
assignment for 1 student and for ``--students`` students, ``--repeats`` times each,
and takes the per-student time as the difference of the fastest times divided by the
difference in students, so the one-time steps cancel out.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

from machine import describe_machine  # noqa: E402

from effquiz.build import build  # noqa: E402

EXAMPLES = BENCHMARKS.parent / "examples"


def roster(count: int) -> str:
    """Return a roster CSV with ``count`` students."""
    lines = ["student_id,name,email"]
    lines += [f"student{number:05d},Student {number},student{number:05d}@example.edu" for number in range(count)]
    return "\n".join(lines) + "\n"


def time_build(count: int, scratch: Path) -> float:
    """Build the lecture assignment for ``count`` students and return the wall-clock seconds."""
    roster_path = scratch / f"roster-{count}.csv"
    roster_path.write_text(roster(count), encoding="utf-8")
    started = time.perf_counter()
    build(assignment_path=EXAMPLES / "lecture.yaml", roster_path=roster_path, out=scratch / f"build-{count}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000, help="students in the large build (default 1000)")
    parser.add_argument("--repeats", type=int, default=3, help="builds of each size (default 3)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    arguments = parser.parse_args()

    machine_before = describe_machine()
    small, large = [], []
    with tempfile.TemporaryDirectory(prefix="effquiz-bench-") as scratch_name:
        scratch = Path(scratch_name)
        for _ in range(arguments.repeats):
            small.append(time_build(1, scratch))
            large.append(time_build(arguments.students, scratch))
    per_student = (min(large) - min(small)) / (arguments.students - 1)
    figures = {
        "students": arguments.students,
        "repeats": arguments.repeats,
        "build_1_student_s": [round(value, 3) for value in small],
        f"build_{arguments.students}_students_s": [round(value, 3) for value in large],
        "per_student_ms": round(per_student * 1000, 2),
        "machine_before": machine_before,
        "machine_after": describe_machine(),
    }
    print(json.dumps(figures, indent=2))
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
