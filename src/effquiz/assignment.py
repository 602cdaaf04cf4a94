"""Assignment files and rosters: which questions a class gets, and who is in it."""

from __future__ import annotations

import csv
import difflib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from effquiz.core.exact import to_exact
from effquiz.errors import AssignmentError, Location, RosterError, TemplateError
from effquiz.templates.bank import Bank
from effquiz.templates.schema import Template
from effquiz.templates.validate import Checker, short, suggestion
from effquiz.templates.yamlsource import load_yaml

logger = logging.getLogger(__name__)

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Question:
    """One question of an assignment: a template and the points it is worth.

    ``set_points`` contains the points that the assignment file sets for some parts. The
    other parts share what is left of ``points`` in proportion to their weights.
    """

    id: str
    problem: str
    points: Fraction
    template: Template
    set_points: dict[str, Fraction] = field(default_factory=dict)

    def part_points(self) -> dict[str, Fraction]:
        """Return the points of each part, in the template's order."""
        rest = [part for part in self.template.parts if part.name not in self.set_points]
        remaining = self.points - sum(self.set_points.values(), Fraction(0))
        total = sum((part.weight for part in rest), Fraction(0))
        shares = {part.name: remaining * part.weight / total for part in rest}
        return {part.name: self.set_points.get(part.name, shares.get(part.name, Fraction(0)))
                for part in self.template.parts}


@dataclass(frozen=True)
class Assignment:
    """A validated assignment file."""

    name: str
    title: str
    course_seed: int
    questions: tuple[Question, ...]
    path: Path
    intro: str = ""
    reveal_correctness: bool = False

    @property
    def notebook_name(self) -> str:
        """Return the file name of the student notebook."""
        return f"{self.name}.ipynb"

    def question(self, question_id: str) -> Question:
        """Return the question with ``question_id``."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


def load_assignment(path: Path | str, bank: Bank | None = None) -> Assignment:
    """Load and validate an assignment file; raise AssignmentError on any problem.

    The file's optional ``bank`` key names a folder of templates relative to the file.
    Without it, the templates come from ``bank`` or the shipped bank.
    """
    path = Path(path)
    data, source = load_yaml(path)
    check = Checker(source, AssignmentError)
    data = check.mapping(data, (), "the assignment")
    check.keys(data, (), required=("name", "course_seed", "questions"), optional=("title", "intro", "bank", "reveal_correctness"),
               what="the assignment")
    name = check.text(data, "name", ())
    if not NAME.match(name):
        check.fail(("name",), f"the assignment name {name!r} cannot serve as a file name.", value=name,
                   allowed="lowercase letters, digits, '-' and '_', starting with a letter or digit",
                   fix="rename it, for example 'week3-quiz'.")
    course_seed = data["course_seed"]
    if isinstance(course_seed, bool) or not isinstance(course_seed, int) or course_seed < 0:
        check.fail(("course_seed",), f"'course_seed' must be a whole number >= 0, not {short(course_seed)}.",
                   value=course_seed, fix="write a fixed number, for example the course's start date 20260901.")

    if "bank" in data:
        folder = path.parent / check.text(data, "bank", ())
        try:
            bank = Bank.load(folder)
        except TemplateError as error:
            if error.location is None:
                check.fail(("bank",), error.reason, value=str(folder), fix="point 'bank' at the folder of templates.")
            raise
    elif bank is None:
        bank = Bank.load()

    questions_data = data["questions"]
    if not isinstance(questions_data, list) or not questions_data:
        check.fail(("questions",), "'questions' must be a non-empty list.", value=questions_data,
                   fix="list each question as '- id: ...' with 'problem:' and 'points:'.")
    questions: list[Question] = []
    for index, entry in enumerate(questions_data):
        path_ = ("questions", index)
        entry = check.mapping(entry, path_, "a question")
        check.keys(entry, path_, required=("id", "problem", "points"), optional=("parts",), what="a question")
        question_id = check.text(entry, "id", path_)
        check.identifier(question_id, (*path_, "id"), "the question id")
        if any(question.id == question_id for question in questions):
            check.fail((*path_, "id"), f"the question id {question_id!r} is used twice.", value=question_id,
                       fix="give each question its own id.")
        problem = check.text(entry, "problem", path_)
        if problem not in bank.templates:
            check.fail((*path_, "problem"), f"no template has the id {problem!r}."
                       f"{suggestion(problem, list(bank.templates))}", value=problem,
                       allowed=", ".join(sorted(bank.templates)), fix=_unknown_problem_fix(bank, "bank" in data))
        points = entry["points"]
        if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
            check.fail((*path_, "points"), f"'points' must be a number > 0, not {short(points)}.", value=points,
                       fix="write the points the question is worth, for example 5.")
        template = bank.get(problem)
        set_points = _part_points(check, entry.get("parts", {}), (*path_, "parts"), template, to_exact(points))
        questions.append(Question(id=question_id, problem=problem, points=to_exact(points), template=template,
                                  set_points=set_points))
    _check_unique_variables(check, questions)

    assignment = Assignment(
        name=name,
        title=check.text(data, "title", (), default=name) if "title" in data else name,
        course_seed=course_seed,
        questions=tuple(questions),
        path=path,
        intro=check.text(data, "intro", (), default="") if "intro" in data else "",
        reveal_correctness=_flag(check, data, "reveal_correctness"),
    )
    logger.debug("loaded assignment %s with %s questions from %s", name, len(questions), path)
    return assignment


def _unknown_problem_fix(bank: Bank, from_key: bool) -> str:
    """Return the fix for a problem id that ``bank`` lacks; ``from_key`` means the file's 'bank' key chose it."""
    if not from_key:
        return bank.unknown_id_fix()
    return (f"use one of the ids that '{bank.list_command()}' prints. The 'bank' key replaces the shipped bank "
            "and --bank, so to combine folders, remove the key and pass each folder with --bank.")


def _check_unique_variables(check: Checker, questions: list[Question]) -> None:
    """Fail when two questions assign the same notebook variable.

    All answers live in the notebook's one namespace. With Otter 7.0.0 a shared variable is
    graded with the value assigned last, so one of the two questions would be misgraded.
    """
    owners: dict[str, tuple[str, str]] = {}
    for index, question in enumerate(questions):
        for part in question.template.parts:
            if part.variable in owners:
                other_question, other_part = owners[part.variable]
                check.fail(("questions", index, "problem"),
                           f"question {question.id!r} (part {part.name!r}) and question {other_question!r} "
                           f"(part {other_part!r}) both use the notebook variable {part.variable!r}, so one of "
                           "them would be graded with the other's answer.", value=question.problem,
                           fix="use each template once per assignment, or give one of the parts its own "
                               "'variable:' in its template.")
            owners[part.variable] = (question.id, part.name)


def _part_points(check: Checker, data: object, path: tuple, template: Template, points: Fraction) -> dict[str, Fraction]:
    """Validate a question's ``parts: {PART: points}`` against its template and its points."""
    data = check.mapping(data, path, "parts")
    names = [part.name for part in template.parts]
    result: dict[str, Fraction] = {}
    for name, value in data.items():
        if name not in names:
            check.fail((*path, name), f"{template.id} has no part {name!r}.{suggestion(str(name), names)}", value=name,
                       allowed=", ".join(names), fix="name a part of the question's template.", at_value=False)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            check.fail((*path, name), f"the points of part {name!r} must be a number >= 0, not {short(value)}.",
                       value=value, fix="write the points the part is worth, for example 2.")
        result[name] = to_exact(value)
    total = sum(result.values(), Fraction(0))
    if not result:
        return result
    if len(result) == len(names) and total != points:
        check.fail(path, f"the parts' points sum to {float(total):g}, but the question is worth {float(points):g}.",
                   value=dict(data), fix="make the parts' points add up to the question's 'points'.")
    if len(result) < len(names) and total >= points:
        unset = ", ".join(name for name in names if name not in result)
        check.fail(path, f"the listed parts take {float(total):g} of the question's {float(points):g} points, "
                   f"which leaves nothing for {unset}.", value=dict(data),
                   fix="lower the listed points, raise 'points', or list the other parts too.")
    return result


def _flag(check: Checker, data: dict, key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        check.fail((key,), f"{key!r} must be true or false, not {short(value)}.", value=value,
                   allowed="true, false", fix=f"write '{key}: true' or '{key}: false'.")
    return value


@dataclass(frozen=True)
class Student:
    """One row of the roster."""

    student_id: str
    name: str = ""
    email: str = ""


def validate_student_id(student_id: str) -> str | None:
    """Return why ``student_id`` cannot name a file, or None if it can."""
    if not student_id:
        return "it is empty"
    if len(student_id) > 100:
        return "it is longer than 100 characters"
    if student_id.startswith(".") or any(c in student_id for c in "/\\:*?\"<>|"):
        return "it contains a path character or starts with '.'"
    if any(unicodedata.category(c).startswith(("C", "Z")) and c != " " for c in student_id) or " " in student_id:
        return "it contains a space or a control character"
    return None


def load_roster(path: Path | str) -> tuple[Student, ...]:
    """Read a roster CSV with a ``student_id`` column and optional ``name`` and ``email``.

    Raises RosterError naming the line for a missing column, a row with more or fewer
    fields than the header, an empty, unsafe or repeated id, two ids that differ only in
    case, or a repeated email. Logs a warning when there is no ``email`` column.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(f"cannot read the roster: {error}.", location=Location(str(path)),
                          fix="pass a UTF-8 CSV file with a header row.") from error
    reader = csv.reader(io.StringIO(text))
    columns = [column.strip() for column in next(reader, [])]
    if "student_id" not in columns:
        close = difflib.get_close_matches("student_id", columns, n=1, cutoff=0.6)
        message, fix = "the roster has no 'student_id' column.", "add a student_id column to the header row (line 1)."
        if close:
            message += f" The column {close[0]!r} looks like a misspelling of it."
            fix = f"rename the column {close[0]!r} to student_id."
        raise RosterError(message, location=Location(str(path), 1), value=columns,
                          allowed="student_id, name, email", fix=fix)

    students: list[Student] = []
    seen_ids: dict[str, int] = {}
    seen_folded_ids: dict[str, tuple[str, int]] = {}
    seen_emails: dict[str, int] = {}
    for fields in reader:
        line = reader.line_num
        if not any(field.strip() for field in fields):
            continue  # a blank line, or a blank row such as ',,' that spreadsheets export
        _check_field_count(path, line, columns, fields)
        values = {column: value.strip() for column, value in zip(columns, fields)}
        student_id = unicodedata.normalize("NFC", values["student_id"])
        problem = validate_student_id(student_id)
        if problem is not None:
            raise RosterError(f"the student id {student_id!r} is invalid: {problem}.", location=Location(str(path), line),
                              key="student_id", value=student_id,
                              fix="use ids made of letters, digits, '-', '_', '.' and '@'.")
        if student_id in seen_ids:
            raise RosterError(f"the student id {student_id!r} also appears on line {seen_ids[student_id]}.",
                              location=Location(str(path), line), key="student_id", value=student_id,
                              fix="keep one row per student.")
        seen_ids[student_id] = line
        # Each id names files (student/<id>/, keys/<id>.json), and macOS and Windows file
        # systems ignore case by default, so 'Sam' and 'sam' would share them.
        folded = student_id.casefold()
        if folded in seen_folded_ids:
            other_id, other_line = seen_folded_ids[folded]
            raise RosterError(f"the student ids {other_id!r} (line {other_line}) and {student_id!r} (line {line}) "
                              "differ only in case, so their files would collide on a file system that ignores "
                              "case, as macOS and Windows do by default.", location=Location(str(path), line),
                              key="student_id", value=student_id,
                              fix="give the two students ids that differ in more than case.")
        seen_folded_ids[folded] = (student_id, line)
        email = values.get("email", "").lower()
        if email:
            if email in seen_emails:
                raise RosterError(f"the email {email!r} also appears on line {seen_emails[email]}.",
                                  location=Location(str(path), line), key="email", value=email,
                                  fix="give each student their own email.")
            seen_emails[email] = line
        students.append(Student(student_id=student_id, name=values.get("name", ""), email=email))
    if not students:
        raise RosterError("the roster has no students.", location=Location(str(path)),
                          fix="add one row per student below the header.")
    if "email" not in columns:
        logger.warning("the roster %s has no 'email' column. The Gradescope autograder will then match each "
                       "submitter by Gradescope's 'sid' field, which Gradescope fills only when its course roster "
                       "has student ids. Add an 'email' column with the emails that students use on Gradescope "
                       "to match by email.", path)
    return tuple(students)


def _check_field_count(path: Path, line: int, columns: list[str], fields: list[str]) -> None:
    """Raise RosterError unless the row at ``line`` has one field per header column."""
    if len(fields) == len(columns):
        return
    header = ", ".join(columns)
    if len(fields) < len(columns):
        padded = ",".join(fields) + "," * (len(columns) - len(fields))
        fix = (f"write the missing values, or leave a value empty with nothing between its commas, such as "
               f"{padded!r}.")
    else:
        fix = 'put a value that contains a comma in double quotes, such as "Lovelace, Ada", or remove the extra fields.'
    count = f"{len(fields)} field" if len(fields) == 1 else f"{len(fields)} fields"
    raise RosterError(f"the row has {count}, but the header has {len(columns)} ({header}).",
                      location=Location(str(path), line), value=",".join(fields), fix=fix)
