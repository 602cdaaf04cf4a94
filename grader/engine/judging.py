"""The judge's side of a fast-engine run: the student's variants before, the verdict after.

This is the same work that :func:`effquiz.grader.gradescope.grade_tree` does around its
Otter run, in the batch process: rebuild the student's variants and check them against
the build's fingerprint, then judge the answers the hidden tests collected.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from effquiz.errors import SubmissionError
from effquiz.variants.model import Variant
from effquiz.variants.students import student_variants

from effquiz.grader.config import GradingConfig, fingerprint
from effquiz.grader.gradescope import collected_answers, failed_result
from effquiz.grader.results import SubmissionResult
from effquiz.grader.submission import judge_submission


@dataclass(frozen=True)
class PreparedStudent:
    """A student's seed and variants, checked against the build."""

    student_id: str
    seed: int
    variants: dict[str, Variant]


def prepare_student(config: GradingConfig, student_id: str) -> PreparedStudent:
    """Rebuild the variants of a roster student; raise SubmissionError if they differ from the build's."""
    entry = config.student(student_id)
    if entry is None:
        raise SubmissionError(f"{student_id} is not on the roster of this build.", student_id=student_id)
    seed, variants = student_variants(config.questions, config.course_seed, student_id)
    if fingerprint(variants) != entry.fingerprint:
        raise SubmissionError(f"the variant rebuilt for {student_id} differs from the one in their notebook.",
                              student_id=student_id,
                              fix="grade with the same effquiz version and templates that built the notebooks.")
    return PreparedStudent(student_id=student_id, seed=seed, variants=variants)


def judge_answers(config: GradingConfig, student: PreparedStudent, answers_dir: Path, *,
                  error: str | None = None) -> SubmissionResult:
    """Judge every question from the answers in ``answers_dir``; ``error`` says why the run stopped early."""
    collected = {question.id: collected_answers(answers_dir, question.id) for question in config.questions}
    return judge_submission(config, student.student_id, collected, error=error)


def not_graded(config: GradingConfig, student_id: str, message: str, *, seed: int | None = None) -> SubmissionResult:
    """Return a result with every part not graded, for ``message``, keeping the seed when known."""
    return dataclasses.replace(failed_result(config, student_id, message), seed=seed)
