"""The variants of one student: one per question, from the course seed and the student id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from effquiz.variants.generate import generate_variant
from effquiz.variants.model import Variant
from effquiz.variants.seeds import question_seed, student_seed

if TYPE_CHECKING:
    from effquiz.assignment import Question


def student_variants(questions: Sequence["Question"], course_seed: int, student_id: str) -> tuple[int, dict[str, Variant]]:
    """Return the student's seed and their variant of each question, by question id."""
    seed = student_seed(course_seed, student_id)
    variants = {question.id: generate_variant(question.template, question_seed(seed, question.id))
                for question in questions}
    return seed, variants
