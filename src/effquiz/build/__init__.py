"""Building an assignment: student notebooks, answer keys and the autograder zip.

Entry point: :func:`build`. The output folder holds:

- ``student/<student_id>/<name>.ipynb`` and its public ``tests/``: what each student gets;
- ``keys/<student_id>.json``: each student's reference answers, for course staff only;
- ``autograder/<name>-autograder.zip``: one Otter autograder for the whole class;
- ``build.json``: what was built, from which inputs, with which versions.

The folder is written under a temporary name and renamed into place at the end, so a
failed build leaves an earlier one untouched.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import effquiz
from effquiz.assignment import Assignment, Student, load_assignment, load_roster
from effquiz.build.autograder import run_otter_assign, write_autograder_zip
from effquiz.build.files import atomic_directory, json_bytes
from effquiz.build.notebooks import master_notebook, normalize_skeleton, student_notebook
from effquiz.grader.config import GradingConfig, RosterEntry, fingerprint
from effquiz.templates.bank import Bank
from effquiz.variants.model import Variant, answer_json, exact_text, params_json
from effquiz.variants.students import student_variants

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    """Where a build wrote its files, and for how many students."""

    out: Path
    students: int
    autograder: Path


def key_json(assignment: Assignment, student_id: str, seed: int, variants: dict[str, Variant]) -> dict[str, Any]:
    """Return one student's answer key: each question's parameters and reference answers."""
    questions = {}
    for question in assignment.questions:
        variant = variants[question.id]
        parts = {}
        for part in question.template.parts:
            answer = variant.answers[part.name]
            entry = {**answer_json(answer, part.choices), "variable": part.variable}
            entry["misconceptions"] = {name: _misconception_json(value)
                                       for name, value in answer.misconceptions.items()}
            parts[part.name] = entry
        questions[question.id] = {"problem": question.problem, "version": variant.version,
                                  "seed": variant.seed, "params": params_json(variant.params), "parts": parts}
    return {"student_id": student_id, "seed": seed, "questions": questions}


def _misconception_json(value: Any) -> Any:
    if isinstance(value, tuple):
        return [exact_text(element) for element in value]
    if isinstance(value, str):
        return value
    return exact_text(value)


def build(*, assignment_path: Path, roster_path: Path, out: Path, bank: Bank | None = None) -> BuildResult:
    """Build ``assignment_path`` for every student in ``roster_path`` into ``out``.

    Raises AssignmentError, RosterError or TemplateError for invalid inputs, and
    BuildError when Otter Assign fails. Nothing is written to ``out`` unless all succeeds.
    """
    assignment = load_assignment(assignment_path, bank)
    roster = load_roster(roster_path)
    logger.info("building %s for %s students", assignment.name, len(roster))

    variants: dict[str, tuple[int, dict[str, Variant]]] = {
        student.student_id: student_variants(assignment.questions, assignment.course_seed, student.student_id)
        for student in roster
    }
    config = _grading_config(assignment, roster, variants)

    with atomic_directory(out, kind="build") as staging, tempfile.TemporaryDirectory(prefix="effquiz-assign-") as work:
        otter = run_otter_assign(master_notebook(assignment), assignment.name, Path(work))
        skeleton = normalize_skeleton(otter.student_notebook, assignment)
        autograder = staging / "autograder" / f"{assignment.name}-autograder.zip"
        autograder.parent.mkdir()
        write_autograder_zip(autograder, otter, config, Path(work))

        (staging / "keys").mkdir()
        for student in roster:
            seed, student_variants_ = variants[student.student_id]
            folder = staging / "student" / student.student_id
            (folder / "tests").mkdir(parents=True)
            notebook = student_notebook(skeleton, assignment, student.student_id, student_variants_)
            (folder / assignment.notebook_name).write_text(notebook, encoding="utf-8")
            for name, content in otter.public_tests.items():
                (folder / "tests" / name).write_bytes(content)
            key = key_json(assignment, student.student_id, seed, student_variants_)
            (staging / "keys" / f"{student.student_id}.json").write_bytes(json_bytes(key))
        (staging / "build.json").write_bytes(json_bytes(_manifest(assignment, roster)))

    logger.info("wrote %s", out)
    return BuildResult(out=Path(out), students=len(roster), autograder=Path(out) / "autograder" / autograder.name)


def _grading_config(assignment: Assignment, roster: tuple[Student, ...],
                    variants: dict[str, tuple[int, dict[str, Variant]]]) -> GradingConfig:
    texts = {question.problem: question.template.path.read_text(encoding="utf-8") for question in assignment.questions}
    entries = tuple(RosterEntry(student_id=s.student_id, email=s.email, name=s.name,
                                fingerprint=fingerprint(variants[s.student_id][1])) for s in roster)
    return GradingConfig(effquiz_version=effquiz.__version__, assignment_name=assignment.name,
                         course_seed=assignment.course_seed, reveal_correctness=assignment.reveal_correctness,
                         questions=assignment.questions, template_texts=texts, students=entries)


def _manifest(assignment: Assignment, roster: tuple[Student, ...]) -> dict[str, Any]:
    return {
        "effquiz_version": effquiz.__version__,
        "assignment": assignment.name,
        "notebook": assignment.notebook_name,
        "course_seed": assignment.course_seed,
        "questions": [{"id": q.id, "problem": q.problem, "version": q.template.version, "points": float(q.points)}
                      for q in assignment.questions],
        "students": [student.student_id for student in roster],
    }
