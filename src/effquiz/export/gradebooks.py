"""Gradebooks for Canvas and Gradescope, from the results of ``effquiz grade``.

Input: the gradebook CSV (``student_id,total,possible,<question ids...>,note``), the
feedback folder of per-student JSON when it is there, and optionally the roster.

- **Canvas** (the gradebook import of canvas-lms, ``GradebookImporter``): columns
  ``Student, ID, SIS User ID, SIS Login ID, Section`` and one assignment column, then a
  ``Points Possible`` row. Canvas matches a row to a student by ``ID`` (its own user id),
  then ``SIS User ID``, then ``SIS Login ID``, then the name. It matches the assignment
  column by a title of the form ``Title (assignment id)``, then by title, and creates a
  new assignment otherwise. From the roster: ``name`` fills Student, ``canvas_id`` fills
  ID, ``sis_user_id`` (default: the student id) and ``sis_login_id`` (default: the email)
  fill the SIS columns and ``section`` fills Section.
- **Gradescope-style**: ``Name, SID, Email, Total Score, Max Points, Status`` and one
  column per question, titled ``<question> (<points> pts)``, the layout of Gradescope's
  score export. Name and Email come from the roster.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from effquiz.assignment import Student, load_roster
from effquiz.errors import GradebookError, Location
from effquiz.export.lms import write_atomic
from effquiz.grader.results import SubmissionResult
from effquiz.outputs import check_output_file, starts_with_line

logger = logging.getLogger(__name__)

GradebookFormat = Literal["canvas", "gradescope"]
LEADING_COLUMNS = ("student_id", "total", "possible")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
GRADESCOPE_COLUMNS = ("Name", "SID", "Email", "Total Score", "Max Points", "Status")
ROSTER_EXTRAS = ("canvas_id", "sis_user_id", "sis_login_id", "section")


@dataclass(frozen=True)
class GradeRow:
    """One student's line of the effquiz gradebook, with the points per question."""

    student_id: str
    total: float
    possible: float
    questions: dict[str, float]
    note: str
    graded: bool


@dataclass(frozen=True)
class GradebookExport:
    """The written gradebook file, its number of students, and the rows left out."""

    out: Path
    students: int
    left_out: tuple[str, ...] = ()


def export_gradebook(*, grades_path: Path, out: Path, format: GradebookFormat, feedback: Path | None = None,
                     roster_path: Path | None = None, title: str | None = None) -> GradebookExport:
    """Convert the gradebook of ``effquiz grade`` to Canvas's import CSV or a Gradescope-style CSV.

    With ``roster_path``, rows of students who are not on the roster are left out and
    listed in the result. Raises GradebookError for a malformed gradebook or a feedback
    file whose total disagrees with it, and RosterError for an invalid roster.
    """
    grades_path = Path(grades_path)
    check_output_file(Path(out), kind="Canvas or Gradescope gradebook", inputs=[grades_path, roster_path],
                      looks_like=starts_with_line(",".join(CANVAS_COLUMNS[:2]), ",".join(GRADESCOPE_COLUMNS[:2])))
    questions, rows = read_gradebook(grades_path)
    folder = Path(feedback) if feedback is not None else grades_path.parent / "feedback"
    results = _read_feedback(folder, rows) if feedback is not None or folder.is_dir() else {}
    rows = [_with_feedback(row, results.get(row.student_id)) for row in rows]

    roster: dict[str, dict[str, str]] | None = None
    left_out: list[str] = []
    if roster_path is not None:
        roster = _roster_details(Path(roster_path))
        left_out = [row.student_id for row in rows if row.student_id not in roster]
        rows = [row for row in rows if row.student_id in roster]
        for student_id in left_out:
            logger.warning("%s is not on the roster; the %s gradebook leaves the row out", student_id, format)
        if left_out and not rows:
            raise GradebookError(f"none of the {len(left_out)} students in the gradebook is on the roster "
                                 f"{roster_path}.", location=Location(str(roster_path)),
                                 fix="pass the roster that the assignment was built for.")

    if format == "canvas":
        name = title or _assignment_name(results)
        if name is None:
            raise GradebookError("the assignment's name is unknown, because no feedback file was found beside the "
                                 "gradebook, and Canvas matches the grade column by that name.",
                                 location=Location(str(grades_path)),
                                 fix="pass --title with the assignment's name in Canvas, or --feedback with the "
                                     "folder that 'effquiz grade' wrote.")
        text = canvas_csv(rows, roster or {}, name)
    else:
        text = gradescope_csv(rows, roster or {}, questions, _question_points(results, questions))
    write_atomic(Path(out), lambda path: path.write_text(text, encoding="utf-8", newline=""))
    return GradebookExport(out=Path(out), students=len(rows), left_out=tuple(left_out))


def read_gradebook(path: Path) -> tuple[tuple[str, ...], list[GradeRow]]:
    """Read the gradebook CSV of ``effquiz grade``; return its question ids and rows."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise GradebookError(f"cannot read the gradebook: {error}.", location=Location(str(path)),
                             fix="pass the CSV that 'effquiz grade --out' wrote.") from error
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    if tuple(header[:3]) != LEADING_COLUMNS or header[-1:] != ["note"]:
        raise GradebookError(f"the header {','.join(header)!r} is not that of an effquiz gradebook.",
                             location=Location(str(path), 1), allowed="student_id,total,possible,<questions...>,note",
                             fix="pass the CSV that 'effquiz grade --out' wrote.")
    questions = tuple(header[3:-1])
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not cells:
            continue
        if len(cells) != len(header):
            raise GradebookError(f"the row has {len(cells)} cells, but the header has {len(header)}.",
                                 location=Location(str(path), line), value=cells, fix="restore the row as written.")
        numbers = [_points(cell, column, path, line) for cell, column in zip(cells[1:-1], header[1:-1])]
        rows.append(GradeRow(student_id=cells[0], total=numbers[0], possible=numbers[1],
                             questions=dict(zip(questions, numbers[2:])), note=cells[-1], graded=not cells[-1]))
    return questions, rows


def _points(cell: str, column: str, path: Path, line: int) -> float:
    try:
        value = float(cell)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise GradebookError(f"{column!r} is {cell!r}, which is not a number of points.",
                             location=Location(str(path), line), key=column, value=cell,
                             fix="restore the number that 'effquiz grade' wrote.")
    return value


def _read_feedback(folder: Path, rows: list[GradeRow]) -> dict[str, SubmissionResult]:
    results = {}
    for row in rows:
        path = folder / f"{row.student_id}.json"
        if not path.exists():
            continue
        try:
            result = SubmissionResult.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise GradebookError(f"cannot read the feedback file: {error}.", location=Location(str(path)),
                                 fix="pass the feedback folder that 'effquiz grade' wrote.") from error
        if not math.isclose(float(result.total), row.total, abs_tol=1e-6):
            raise GradebookError(f"the feedback gives {row.student_id} {float(result.total):g} points, but the "
                                 f"gradebook gives {row.total:g}.", location=Location(str(path)), key="total",
                                 fix="pass the gradebook and feedback folder of the same 'effquiz grade' run.")
        results[row.student_id] = result
    return results


def _with_feedback(row: GradeRow, result: SubmissionResult | None) -> GradeRow:
    if result is None:
        return row
    return GradeRow(row.student_id, row.total, row.possible, row.questions, row.note, graded=result.error is None)


def _roster_details(path: Path) -> dict[str, dict[str, str]]:
    students: tuple[Student, ...] = load_roster(path)
    with path.open(encoding="utf-8-sig", newline="") as file:
        extras = {(row.get("student_id") or "").strip(): {key: (row.get(key) or "").strip() for key in ROSTER_EXTRAS}
                  for row in csv.DictReader(file)}
    return {s.student_id: {"name": s.name, "email": s.email, **extras.get(s.student_id, {})} for s in students}


def _assignment_name(results: dict[str, SubmissionResult]) -> str | None:
    return next((result.assignment for result in results.values()), None)


def _question_points(results: dict[str, SubmissionResult], questions: tuple[str, ...]) -> dict[str, float]:
    """Return each question's possible points, from any feedback file that has them."""
    points: dict[str, float] = {}
    for result in results.values():
        for part in result.parts:
            if part.question in questions:
                points[part.question] = points.get(part.question, 0.0) + float(part.max_score)
        if points:
            break
    return points


def canvas_csv(rows: list[GradeRow], roster: dict[str, dict[str, str]], title: str) -> str:
    """Return Canvas's gradebook import CSV with one assignment column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CANVAS_COLUMNS, title])
    possible = rows[0].possible if rows else 0.0
    writer.writerow(["Points Possible", "", "", "", "", _number(possible)])
    for row in rows:
        details = roster.get(row.student_id, {})
        writer.writerow([details.get("name") or row.student_id, details.get("canvas_id", ""),
                         details.get("sis_user_id") or row.student_id, details.get("sis_login_id") or
                         details.get("email", ""), details.get("section", ""), _number(row.total)])
    return buffer.getvalue()


def gradescope_csv(rows: list[GradeRow], roster: dict[str, dict[str, str]], questions: tuple[str, ...],
                   points: dict[str, float]) -> str:
    """Return a Gradescope-style score CSV with one column per question."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    titles = [f"{question} ({_number(points[question])} pts)" if question in points else question
              for question in questions]
    writer.writerow([*GRADESCOPE_COLUMNS, *titles])
    for row in rows:
        details = roster.get(row.student_id, {})
        writer.writerow([details.get("name") or row.student_id, row.student_id, details.get("email", ""),
                         _number(row.total), _number(row.possible), _status(row),
                         *(_number(row.questions[question]) for question in questions)])
    return buffer.getvalue()


def _status(row: GradeRow) -> str:
    if row.graded:
        return "Graded"
    if row.note == "no submission":
        return "Missing"
    return f"Not graded: {row.note}" if row.note else "Not graded"


def _number(value: float) -> str:
    return f"{value:g}"
