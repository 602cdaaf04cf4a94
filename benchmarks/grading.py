"""Time batch grading against sequential ``otter run`` on one corpus, in one run.

Usage (from the repository root)::

    .venv/bin/python benchmarks/grading.py [--workers 2] [--json results.json]

The script builds ``examples/lecture.yaml`` for the corpus roster, writes the corpus of
``benchmarks/corpus.py`` and grades it three ways, one after the other:

1. ``otter run -a ZIP -o DIR SUBMISSION`` for each submission in turn: the speed
   baseline. It runs Otter's own scoring of the public form checks, not effquiz's
   judge, so its scores are not comparable to effquiz's;
2. ``effquiz grade --engine fast`` with ``--workers`` workers: what is measured;
3. ``effquiz grade --engine otter`` with the same workers: the score baseline, which
   runs the zip's own ``run_autograder`` (Otter, then effquiz's judge) per submission.

It reports each method's time per submission, the ratio of sequential ``otter run`` to
the fast engine, and whether the fast engine's scores equal the Otter path's, part by
part. Times are wall-clock; the fast engine's total includes starting its workers. For
each submission it also lists the ``otter run`` time and the time the fast engine spent
on it in a worker, from the results file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

from corpus import build_corpus, roster_csv  # noqa: E402  (benchmarks/ is not a package)
from machine import describe_machine  # noqa: E402

from effquiz.assignment import load_assignment  # noqa: E402
from effquiz.build import build  # noqa: E402
from effquiz.grader.batch import grade_folder  # noqa: E402
from effquiz.grader.journal import read_results  # noqa: E402

EXAMPLES = BENCHMARKS.parent / "examples"
OTTER = str(Path(sys.executable).parent / "otter")


def time_otter_run(autograder: Path, submissions: list[Path], scratch: Path) -> list[float]:
    """Run ``otter run`` on each submission in turn and return each wall-clock time."""
    times = []
    for index, submission in enumerate(submissions):
        output = scratch / f"otter-run-{index}"
        output.mkdir(parents=True)
        started = time.perf_counter()
        subprocess.run([OTTER, "run", "-a", str(autograder), "-o", str(output), "--no-logo", str(submission)],
                       cwd=output, capture_output=True, timeout=600)
        times.append(time.perf_counter() - started)
    return times


def time_engine(engine: str, build_dir: Path, submissions: Path, out: Path, workers: int) -> tuple[float, Any]:
    """Grade the folder with ``engine`` and return the wall-clock time and the report."""
    started = time.perf_counter()
    report = grade_folder(build_dir=build_dir, submissions=submissions, out=out, engine=engine, workers=workers)
    return time.perf_counter() - started, report


def compare_scores(fast: Any, otter: Any) -> list[str]:
    """Return the students whose parts differ between the two reports (score, status or message)."""
    otter_rows = {row.student_id: row for row in otter.rows}
    differing = []
    for row in fast.rows:
        other = otter_rows.get(row.student_id)
        mine = [(p.question, p.part, p.score, p.status, p.message) for p in row.result.parts] if row.result else None
        theirs = ([(p.question, p.part, p.score, p.status, p.message) for p in other.result.parts]
                  if other and other.result else None)
        if mine != theirs:
            differing.append(row.student_id)
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="workers for both effquiz engines (default 2)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    arguments = parser.parse_args()

    machine_before = describe_machine()
    with tempfile.TemporaryDirectory(prefix="effquiz-bench-") as scratch_name:
        scratch = Path(scratch_name)
        (scratch / "roster.csv").write_text(roster_csv(), encoding="utf-8")
        built = build(assignment_path=EXAMPLES / "lecture.yaml", roster_path=scratch / "roster.csv",
                      out=scratch / "build")
        items = build_corpus(built.out, load_assignment(EXAMPLES / "lecture.yaml"), scratch / "submissions",
                             scratch=scratch / "work")
        count = len(items)

        otter_run = time_otter_run(built.autograder, [item.path for item in items], scratch / "otter-run")
        fast_seconds, fast = time_engine("fast", built.out, scratch / "submissions", scratch / "fast" / "grades.csv",
                                         arguments.workers)
        otter_seconds, otter = time_engine("otter", built.out, scratch / "submissions",
                                           scratch / "otter" / "grades.csv", arguments.workers)
        differing = compare_scores(fast, otter)
        fast_times = {student: record.seconds for student, record in read_results(fast.results).records.items()}

    figures = {
        "submissions": count,
        "workers": arguments.workers,
        "otter_run_sequential": {"total_s": round(sum(otter_run), 2),
                                 "per_submission_s": round(sum(otter_run) / count, 3),
                                 "median_s": round(statistics.median(otter_run), 3),
                                 "min_s": round(min(otter_run), 3), "max_s": round(max(otter_run), 3)},
        "effquiz_fast": {"total_s": round(fast_seconds, 2), "per_submission_s": round(fast_seconds / count, 4)},
        "effquiz_otter_engine": {"total_s": round(otter_seconds, 2),
                                 "per_submission_s": round(otter_seconds / count, 3)},
        "ratio_otter_run_to_fast": round(sum(otter_run) / fast_seconds, 1),
        "per_submission": {item.student_id: {"case": item.case, "otter_run_s": round(seconds, 3),
                                             "fast_in_worker_s": round(fast_times.get(item.student_id, 0.0), 3)}
                           for item, seconds in zip(items, otter_run)},
        "scores_identical": not differing,
        "students_with_different_scores": differing,
        "machine_before": machine_before,
        "machine_after": describe_machine(),
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
