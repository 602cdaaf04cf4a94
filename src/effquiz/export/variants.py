"""The variants that an export holds, and the parts that a learning management system can grade.

Every variant comes from an explicit seed, so the same assignment and count give the same
export on every machine. Variant ``i`` of a question is the variant that a student with
the reserved id ``export:i`` would get; a form ``A`` is the student ``form:A``. Roster ids
cannot contain ``:``, so neither collides with a real student.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from effquiz.assignment import Assignment, Question
from effquiz.errors import BuildError
from effquiz.templates.schema import PartSpec, Template
from effquiz.variants.generate import generate_variant
from effquiz.variants.model import Variant, params_json
from effquiz.variants.seeds import question_seed, student_seed

logger = logging.getLogger(__name__)

LMS_KINDS = ("number", "integer", "choice")
"""Part kinds that Canvas and Moodle grade natively; the others are left out of LMS exports."""

_MAX_DRAWS_PER_VARIANT = 20


@dataclass(frozen=True)
class ExportVariant:
    """One drawn variant of a question, with the index and seed it was drawn from."""

    question: Question
    index: int
    seed: int
    variant: Variant

    def ident(self, *extra: str) -> str:
        """Return a stable QTI/Moodle identifier for this variant, or for one of its parts."""
        text = "\x1f".join((self.question.id, self.question.problem, str(self.seed), *extra))
        return "effquiz_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class SkippedPart:
    """A part that an LMS export leaves out, and why."""

    question: str
    part: str
    reason: str


def export_seed(course_seed: int, question_id: str, index: int) -> int:
    """Return the seed of variant ``index`` of a question in an export."""
    return question_seed(student_seed(course_seed, f"export:{index}"), question_id)


def form_seed(course_seed: int, question_id: str, form: str) -> int:
    """Return the seed of a question on printed form ``form`` (A, B, C, ...)."""
    return question_seed(student_seed(course_seed, f"form:{form}"), question_id)


def draw_variants(assignment: Assignment, count: int) -> dict[str, tuple[ExportVariant, ...]]:
    """Draw ``count`` distinct variants of every question, by question id.

    Indices that repeat the parameters of an earlier variant are passed over, so a
    question group never offers the same numbers twice. A template with fewer than
    ``count`` distinct variants gets all it has, with a warning.
    """
    if count < 1:
        raise BuildError(f"the number of variants must be at least 1, not {count}.", fix="pass --variants 1 or more.")
    result = {}
    for question in assignment.questions:
        drawn: list[ExportVariant] = []
        seen: set[str] = set()
        for index in range(count * _MAX_DRAWS_PER_VARIANT):
            if len(drawn) == count:
                break
            seed = export_seed(assignment.course_seed, question.id, index)
            variant = generate_variant(question.template, seed)
            key = repr(sorted(params_json(variant.params).items()))
            if key in seen:
                continue
            seen.add(key)
            drawn.append(ExportVariant(question=question, index=index, seed=seed, variant=variant))
        if len(drawn) < count:
            logger.warning("%s has only %s distinct variants; the export holds %s instead of %s",
                           question.problem, len(drawn), len(drawn), count)
        result[question.id] = tuple(drawn)
    return result


def lms_parts(template: Template, question_id: str) -> tuple[list[PartSpec], list[SkippedPart]]:
    """Split a template's parts into those an LMS grades and those an LMS export leaves out."""
    kept, skipped = [], []
    for part in template.parts:
        if part.kind in LMS_KINDS:
            kept.append(part)
        else:
            skipped.append(SkippedPart(question_id, part.name, f"a {part.kind} part has no native question type "
                                                               "in Canvas or Moodle; grade it with effquiz"))
    return kept, skipped
