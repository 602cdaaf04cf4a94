"""Judging one whole submission: a pure function of the configuration, the student and the answers.

:func:`judge_submission` rebuilds the student's variants and probes from the grading
configuration, so the same inputs always give the same result, whether the answers come
from Otter's run in a Gradescope tree or from any other engine that collects them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import effquiz
from effquiz.assignment import Question
from effquiz.variants.model import Variant
from effquiz.variants.students import student_variants

from effquiz.grader.config import GradingConfig
from effquiz.grader.functions import judge_function, judge_sampling
from effquiz.grader.judge import Verdict, judge_part
from effquiz.grader.probes import function_probes, sampling_plans
from effquiz.grader.results import PartResult, SubmissionResult

NOT_REACHED = Verdict("not graded", "Not graded: the notebook did not reach this question's check. Run every cell "
                                    "in order before you submit.")


def judge_question(question: Question, variant: Variant, collected: dict[str, Any] | None) -> list[PartResult]:
    """Judge every part of one question from the answers collected for it (None: none were)."""
    results = []
    points = question.part_points()
    for part in question.template.parts:
        encoded = collected.get(part.variable) if collected is not None else None
        if collected is None:
            verdict = NOT_REACHED
        elif part.function is not None and part.function.sampling is not None:
            verdict = judge_sampling(part, sampling_plans(part, variant.seed), encoded)
        elif part.function is not None:
            verdict = judge_function(part, function_probes(question.template, part, variant.seed), encoded)
        else:
            verdict = judge_part(part, variant.answers[part.name], encoded)
        results.append(PartResult(
            question=question.id, part=part.name, variable=part.variable,
            score=points[part.name] if verdict.correct else Fraction(0), max_score=points[part.name],
            status=verdict.status, message=verdict.message, misconception=verdict.misconception,
        ))
    return results


def judge_submission(config: GradingConfig, student_id: str, collected: dict[str, dict[str, Any] | None], *,
                     error: str | None = None) -> SubmissionResult:
    """Judge a student's answers, given per question id (a missing or None entry: nothing collected)."""
    seed, variants = student_variants(config.questions, config.course_seed, student_id)
    parts: list[PartResult] = []
    for question in config.questions:
        parts += judge_question(question, variants[question.id], collected.get(question.id))
    return SubmissionResult(student_id=student_id, assignment=config.assignment_name, parts=tuple(parts), seed=seed,
                            template_versions=template_versions(config), effquiz_version=effquiz.__version__,
                            error=error, questions=tuple(question.id for question in config.questions))


def template_versions(config: GradingConfig) -> dict[str, int]:
    """Return the version of each template that the assignment uses, by template id."""
    return {question.problem: question.template.version for question in config.questions}
