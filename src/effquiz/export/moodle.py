"""Moodle XML: one category per template, one question per variant of each part.

Each template gets the category ``$course$/top/<assignment>/<template id>`` and each of its
exported parts a subcategory ``<question id>.<part>`` below it, so a quiz slot that draws a
random question from a subcategory gives every student one variant of that part.

Numbers and integers become ``numerical`` questions whose first answer is the reference
with an absolute tolerance: our relative and absolute tolerances are combined into one
absolute tolerance for each variant. Every misconception follows as an answer with
fraction 0 and its feedback. Moodle grades with the first answer whose interval contains
the response, the order in which our grader checks the reference and then each
misconception. A last answer ``*`` with fraction 0 gives every other response the feedback
for a wrong answer. Choice parts become single-answer ``multichoice`` questions.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from effquiz.assignment import Assignment
from effquiz.export.items import PartGroup, PartItem, points_text
from effquiz.export.tolerance import UnrepresentableError, decimal_text, moodle_rule
from effquiz.export.variants import SkippedPart

logger = logging.getLogger(__name__)


@dataclass
class MoodleNotes:
    """Variants and wrong answers that the Moodle export left out, for the summary."""

    dropped: list[SkippedPart] = field(default_factory=list)


def moodle_xml(assignment: Assignment, groups: list[PartGroup]) -> tuple[bytes, MoodleNotes]:
    """Return the Moodle XML document for the exported part groups."""
    notes = MoodleNotes()
    root = ET.Element("quiz")
    written_templates: set[str] = set()
    for group in groups:
        template_path = f"$course$/top/{assignment.name}/{group.problem}"
        if group.problem not in written_templates:
            _category(root, template_path, group.title)
            written_templates.add(group.problem)
        _category(root, f"{template_path}/{group.question_id}.{group.part.name}",
                  f"Variants of part {group.part.name} of question {group.question_id}.")
        for item in group.items:
            if item.part.kind == "choice":
                _multichoice(root, item)
            else:
                _numerical(root, item, notes)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n", notes


def _category(root: ET.Element, path: str, info: str) -> None:
    question = ET.SubElement(root, "question", {"type": "category"})
    _text(ET.SubElement(question, "category"), path)
    _text(ET.SubElement(question, "info", {"format": "html"}), info)


def _header(root: ET.Element, item: PartItem, kind: str) -> ET.Element:
    question = ET.SubElement(root, "question", {"type": kind})
    _text(ET.SubElement(question, "name"), item.name)
    _text(ET.SubElement(question, "questiontext", {"format": "html"}), item.prompt_html)
    _text(ET.SubElement(question, "generalfeedback", {"format": "html"}), "")
    ET.SubElement(question, "defaultgrade").text = points_text(item.points)
    ET.SubElement(question, "penalty").text = "0"
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "idnumber").text = item.exported.ident(item.part.name)
    return question


def _numerical(root: ET.Element, item: PartItem, notes: MoodleNotes) -> None:
    try:
        rule = moodle_rule(item.window)
    except UnrepresentableError as error:
        notes.dropped.append(SkippedPart(item.exported.question.id, item.part.name,
                                         f"variant {item.exported.index}: {error.reason}"))
        return
    question = _header(root, item, "numerical")
    _answer(question, "100", decimal_text(rule.exact), "Correct.", decimal_text(rule.margin))
    for wrong in item.wrong:
        try:
            wrong_rule = moodle_rule(wrong.window)
        except UnrepresentableError as error:
            notes.dropped.append(SkippedPart(item.exported.question.id, item.part.name,
                                             f"variant {item.exported.index}, misconception {wrong.name}: "
                                             f"{error.reason}"))
            continue
        _answer(question, "0", decimal_text(wrong_rule.exact), wrong.feedback, decimal_text(wrong_rule.margin))
    # Moodle's answer "*" matches any response, so it carries the feedback for other wrong answers.
    _answer(question, "0", "*", item.incorrect_feedback(), "0")
    for tag, text in (("unitgradingtype", "0"), ("unitpenalty", "0.1000000"), ("showunits", "3"), ("unitsleft", "0")):
        ET.SubElement(question, tag).text = text


def _answer(question: ET.Element, fraction: str, value: str, feedback: str, tolerance: str | None = None) -> None:
    answer = ET.SubElement(question, "answer", {"fraction": fraction, "format": "moodle_auto_format"})
    _text(answer, value)
    _text(ET.SubElement(answer, "feedback", {"format": "html"}), feedback)
    if tolerance is not None:
        ET.SubElement(answer, "tolerance").text = tolerance


def _multichoice(root: ET.Element, item: PartItem) -> None:
    question = _header(root, item, "multichoice")
    for tag, text in (("single", "true"), ("shuffleanswers", "false"), ("answernumbering", "abc")):
        ET.SubElement(question, tag).text = text
    _text(ET.SubElement(question, "correctfeedback", {"format": "html"}), "Correct.")
    _text(ET.SubElement(question, "partiallycorrectfeedback", {"format": "html"}), "")
    _text(ET.SubElement(question, "incorrectfeedback", {"format": "html"}), item.incorrect_feedback())
    feedback: dict[str, str] = {}
    for wrong in item.wrong:
        if wrong.value != item.reference:
            feedback.setdefault(wrong.value, wrong.feedback)  # our grader reports the first match
    for _, key, text in item.choice_letters():
        fraction = "100" if key == item.reference else "0"
        answer = ET.SubElement(question, "answer", {"fraction": fraction, "format": "html"})
        _text(answer, text)
        _text(ET.SubElement(answer, "feedback", {"format": "html"}), feedback.get(key, ""))


def _text(parent: ET.Element, text: str) -> None:
    ET.SubElement(parent, "text").text = text
