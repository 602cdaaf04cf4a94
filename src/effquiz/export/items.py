"""What Canvas and Moodle exports share: one question per (question, part, variant).

Each :class:`PartItem` holds the prompt a student sees, the part's points, the reference
answer and, for numbers, the :class:`~effquiz.export.tolerance.Window` that our grader
accepts. The targets compile those windows into their own rules.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from markdown_it import MarkdownIt

from effquiz.assignment import Assignment
from effquiz.export.tolerance import Window, window
from effquiz.export.variants import ExportVariant, SkippedPart, lms_parts
from effquiz.grader.judge import letters
from effquiz.grader.tolerance import tolerance_phrase
from effquiz.templates.schema import PartSpec

logger = logging.getLogger(__name__)

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_html(text: str) -> str:
    """Render Markdown to HTML; raw HTML in the text is escaped, never passed through."""
    return _MARKDOWN.render(text).strip()


@dataclass(frozen=True)
class WrongAnswer:
    """A misconception's answer in one variant, with the window our grader matches it in."""

    name: str
    value: Any
    feedback: str
    window: Window | None


@dataclass(frozen=True)
class PartItem:
    """One part of one variant, ready to be written as an LMS question."""

    exported: ExportVariant
    part: PartSpec
    points: Fraction
    prompt_html: str
    reference: Any
    window: Window | None
    wrong: tuple[WrongAnswer, ...]

    @property
    def name(self) -> str:
        """Return a readable name such as ``mapping.scale variant 3``."""
        return f"{self.exported.question.id}.{self.part.name} variant {self.exported.index}"

    def choice_letters(self) -> list[tuple[str, str, str]]:
        """Return (letter, key, text) for each choice of a choice part."""
        return [(letter, key, text) for letter, (key, text) in zip(letters(len(self.part.choices)), self.part.choices)]

    def incorrect_feedback(self) -> str:
        """Return the feedback for a wrong answer: what is accepted, without the reference."""
        if self.part.kind == "choice":
            return "Not accepted."
        return f"Not accepted: answers {tolerance_phrase(self.part.tolerance)} earn credit."


@dataclass(frozen=True)
class PartGroup:
    """Every exported variant of one part of one question: one Canvas question group, one Moodle category."""

    question_id: str
    problem: str
    title: str
    part: PartSpec
    points: Fraction
    items: tuple[PartItem, ...]


def part_groups(assignment: Assignment, variants: dict[str, tuple[ExportVariant, ...]]
                ) -> tuple[list[PartGroup], list[SkippedPart]]:
    """Build the exportable part groups of an assignment and list the parts left out."""
    groups: list[PartGroup] = []
    skipped: list[SkippedPart] = []
    for question in assignment.questions:
        kept, left_out = lms_parts(question.template, question.id)
        skipped.extend(left_out)
        points = question.part_points()
        for part in kept:
            items = tuple(part_item(exported, part, points[part.name]) for exported in variants[question.id])
            groups.append(PartGroup(question.id, question.problem, question.template.title, part,
                                    points[part.name], items))
    return groups, skipped


def part_item(exported: ExportVariant, part: PartSpec, points: Fraction) -> PartItem:
    """Collect one part of one variant: its prompt, reference, window and wrong answers."""
    variant = exported.variant
    answer = variant.answers[part.name]
    prompt = markdown_html(variant.prompt) + "\n" + f"<p><strong>{html.escape(part.name)}.</strong> " \
        + markdown_html(variant.part_prompts[part.name]).removeprefix("<p>")
    numeric = part.kind in ("number", "integer")
    wrong = tuple(
        WrongAnswer(name, value, next(m.feedback for m in part.misconceptions if m.name == name),
                    window(Fraction(value), part.tolerance) if numeric else None)
        for name, value in answer.misconceptions.items()
    )
    return PartItem(exported=exported, part=part, points=points, prompt_html=prompt, reference=answer.value,
                    window=window(Fraction(answer.value), part.tolerance) if numeric else None, wrong=wrong)


def points_text(points: Fraction) -> str:
    """Return points as short decimal text: ``1``, ``1.25`` or ``1.6667``."""
    if points.denominator == 1:
        return str(points.numerator)
    return f"{float(points):.4f}".rstrip("0").rstrip(".")
