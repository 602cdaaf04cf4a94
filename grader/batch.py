"""Grading a folder of submissions into a gradebook and feedback files.

Entry point: :func:`grade_folder`. One broken submission never stops the batch: it gets
a row with a note, and the others are graded as usual.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from effquiz.errors import GradingError

from effquiz.grader.gradebook import GradebookRow, gradebook_csv, write_feedback
from effquiz.grader.local import find_autograder, find_submissions, grade_one, read_config

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GradeReport:
    """What a batch produced: the gradebook path and each student's row."""

    gradebook: Path
    feedback: Path
    rows: tuple[GradebookRow, ...]


def grade_folder(*, build_dir: Path, submissions: Path, out: Path, feedback: Path | None = None,
                 timeout: float = 900, progress: Callable[[str], None] | None = None) -> GradeReport:
    """Grade every submission in ``submissions`` against the build in ``build_dir``.

    Writes the gradebook CSV to ``out`` and one feedback JSON per student to
    ``feedback`` (default: a ``feedback`` folder beside ``out``). Every roster student
    gets a row; a student with no submission scores 0 with a note.
    """
    autograder = find_autograder(Path(build_dir))
    config = read_config(autograder)
    feedback = Path(feedback) if feedback is not None else Path(out).parent / "feedback"
    found = find_submissions(Path(submissions))

    rows: dict[str, GradebookRow] = {}
    for submission in found:
        if progress:
            progress(submission.student_id)
        if config.student(submission.student_id) is None:
            rows[submission.student_id] = GradebookRow(submission.student_id, None,
                                                       f"{submission.path.name}: the student is not on the roster")
            continue
        if submission.student_id in rows:
            previous = rows[submission.student_id]
            rows[submission.student_id] = GradebookRow(previous.student_id, previous.result,
                                                       f"more than one submission; graded the first, "
                                                       f"ignored {submission.path.name}")
            continue
        try:
            result = grade_one(submission, autograder, config, timeout=timeout)
        except GradingError as error:
            logger.warning("could not grade %s: %s", submission.path.name, error)
            rows[submission.student_id] = GradebookRow(submission.student_id, None, str(error).splitlines()[0])
            continue
        write_feedback(feedback, result)
        rows[submission.student_id] = GradebookRow(submission.student_id, result)

    ordered = [rows.pop(entry.student_id, GradebookRow(entry.student_id, None, "no submission"))
               for entry in config.students]
    ordered += [rows[key] for key in sorted(rows)]
    questions = tuple(question.id for question in config.questions)
    possible = sum((question.points for question in config.questions), Fraction(0))
    _write_atomic(Path(out), gradebook_csv(ordered, questions, possible))
    return GradeReport(gradebook=Path(out), feedback=feedback, rows=tuple(ordered))


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
        file.write(text)
    os.replace(temporary, path)
