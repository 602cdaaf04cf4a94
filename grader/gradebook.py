"""The gradebook CSV and the per-student feedback files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from effquiz.grader.results import SubmissionResult

GRADEBOOK_COLUMNS = ("student_id", "total", "possible")


@dataclass(frozen=True)
class GradebookRow:
    """One student's line: their result, or a note on why there is none."""

    student_id: str
    result: SubmissionResult | None
    note: str = ""


def _points(value: Fraction) -> str:
    return f"{float(value):g}"


def gradebook_csv(rows: Iterable[GradebookRow], questions: tuple[str, ...], possible: Fraction) -> str:
    """Return the gradebook: student_id, total, possible, one column per question, then a note."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*GRADEBOOK_COLUMNS, *questions, "note"])
    for row in rows:
        if row.result is None:
            writer.writerow([row.student_id, "0", _points(possible), *("0" for _ in questions), row.note])
            continue
        scores = row.result.question_scores()
        note = row.note or (row.result.error or "")
        writer.writerow([row.student_id, _points(row.result.total), _points(row.result.possible),
                         *(_points(scores.get(question, Fraction(0))) for question in questions), note])
    return buffer.getvalue()


def write_feedback(folder: Path, result: SubmissionResult) -> Path:
    """Write one student's feedback JSON as ``folder/<student_id>.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{result.student_id}.json"
    path.write_text(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
