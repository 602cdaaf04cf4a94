"""The gradebook CSV, the per-student feedback files and the batch summary."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from effquiz.grader.records import GradedSubmission
from effquiz.grader.results import SubmissionResult

GRADEBOOK_COLUMNS = ("student_id", "total", "possible")
NO_SUBMISSION = "no submission"
NOT_ON_ROSTER = "not on the roster"
NOT_GRADED_YET = "not graded yet"


@dataclass(frozen=True)
class GradebookRow:
    """One student's line: their result, or a note on why there is none.

    ``reason`` names, in a few words, why the student has no complete result; it is
    None when the notebook ran to its end.
    """

    student_id: str
    result: SubmissionResult | None
    note: str = ""
    reason: str | None = None


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


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so readers never see half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def feedback_path(folder: Path, student_id: str) -> Path:
    """Return where the feedback of ``student_id`` goes."""
    return Path(folder) / f"{student_id}.json"


def write_feedback(folder: Path, result: SubmissionResult | GradedSubmission | dict[str, Any],
                   student_id: str | None = None) -> Path:
    """Write one student's feedback JSON as ``folder/<student_id>.json``, atomically."""
    if isinstance(result, GradedSubmission):
        student_id, data = result.student_id, result.feedback_json()
    elif isinstance(result, SubmissionResult):
        student_id, data = result.student_id, result.to_json()
    else:
        data = result
    path = feedback_path(folder, student_id)
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def row_for(record: GradedSubmission) -> GradebookRow:
    """Return the gradebook row of a graded submission."""
    return GradebookRow(record.student_id, record.result, record.note(), record.reason)


@dataclass(frozen=True)
class BatchSummary:
    """The outcome of a batch: how many submissions were graded, and which failed and why."""

    graded_now: int = 0
    graded_before: int = 0
    failed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_graded: dict[str, tuple[str, ...]] = field(default_factory=dict)
    with_notes: int = 0
    no_submission: int = 0
    ignored_files: tuple[str, ...] = ()
    interrupted: bool = False

    def lines(self) -> list[str]:
        """Return the summary as lines of plain text."""
        graded = self.graded_now + self.graded_before
        text = [f"Graded {_count(graded, 'submission')}."]
        if self.graded_before:
            text[0] = (f"Graded {_count(graded, 'submission')}: {self.graded_now} in this run, "
                       f"{self.graded_before} kept from earlier runs.")
        if self.with_notes:
            text.append(f"{_count(self.with_notes, 'graded submission')} with notes in the gradebook.")
        failed = sum(len(ids) for ids in self.failed.values())
        if failed:
            text.append(f"Did not run to the end: {failed}.")
            text += [f"  {reason}: {len(ids)} ({_names(ids)})" for reason, ids in sorted(self.failed.items())]
        not_graded = sum(len(ids) for ids in self.not_graded.values())
        if not_graded:
            text.append(f"Not graded: {not_graded}.")
            text += [f"  {reason}: {len(ids)} ({_names(ids)})" for reason, ids in sorted(self.not_graded.items())]
        if self.no_submission:
            text.append(f"No submission from {_count(self.no_submission, 'roster student')}.")
        if self.ignored_files:
            text.append(f"Ignored, as not .ipynb or .zip files: {_names(self.ignored_files)}.")
        if self.interrupted:
            text.append("The batch was interrupted. Run the same command again to grade the rest.")
        return text


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _names(names: Iterable[str], limit: int = 8) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def summarize(rows: Iterable[GradebookRow], *, graded_now: set[str], ignored_files: tuple[str, ...] = (),
              interrupted: bool = False) -> BatchSummary:
    """Count the rows of a gradebook into a summary; ``graded_now`` names the students graded in this run."""
    failed: dict[str, list[str]] = {}
    not_graded: dict[str, list[str]] = {}
    now = before = notes = missing = 0
    for row in rows:
        if row.result is None:
            if row.reason == NO_SUBMISSION:
                missing += 1
            else:
                not_graded.setdefault(row.reason or NOT_GRADED_YET, []).append(row.student_id)
            continue
        if row.student_id in graded_now:
            now += 1
        else:
            before += 1
        if row.result.error is not None:
            failed.setdefault(row.reason or "failed", []).append(row.student_id)
        elif row.note:
            notes += 1
    return BatchSummary(graded_now=now, graded_before=before,
                        failed={reason: tuple(ids) for reason, ids in failed.items()},
                        not_graded={reason: tuple(ids) for reason, ids in not_graded.items()},
                        with_notes=notes, no_submission=missing, ignored_files=ignored_files,
                        interrupted=interrupted)
