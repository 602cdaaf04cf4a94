"""Interpreters of the grading rules in exported Canvas QTI and Moodle XML, for the cross-check.

They read the rules back from the generated files and grade a typed answer the way each
LMS does, from its source:

- Canvas (canvas-lms): the quiz page rounds a typed number with ``toFixed(4)``
  (``take_quiz.js``); the QTI importer reads an ``or`` of ``varequal`` and ``vargte``/
  ``varlte`` as an exact answer whose margin is the upper bound minus the exact value, and
  a bare ``vargte``/``varlte`` pair as a range (``qti/numeric_interaction.rb``); grading
  compares BigDecimals, both ends included (``quiz_question/numerical_question.rb``).
- Moodle: the first answer whose interval [a − t, a + t] contains the response wins, with
  t widened by 10^-14·max(1, |a|) and compared as PHP floats; ``*`` matches any response
  (``question/type/numerical/question.php``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
ITEM_TITLE = re.compile(r"^(?P<question>\w+)\.(?P<part>\w+) variant (?P<index>\d+)$")
UNIT_NOTE = re.compile(r"in units of 10<sup>-(\d+)</sup>")


@dataclass
class CanvasItem:
    """One Canvas item as Canvas would import it."""

    title: str
    question_type: str
    prompt: str
    points: str
    exact_answers: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    range_answers: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    correct_choice: str | None = None
    choices: dict[str, str] = field(default_factory=dict)

    @property
    def scale_exponent(self) -> int:
        """Return k when the prompt asks for the answer in units of 10^-k, else 0."""
        match = UNIT_NOTE.search(self.prompt)
        return int(match.group(1)) if match else 0

    def key(self) -> tuple[str, str, int]:
        """Return (question id, part, variant index) from the item's title."""
        match = ITEM_TITLE.match(self.title)
        assert match, self.title
        return match["question"], match["part"], int(match["index"])


def read_canvas(path: Path) -> list[CanvasItem]:
    """Read every item of a Canvas QTI zip."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".xml") and "/" in n and "assessment_meta" not in n)
        root = ET.fromstring(archive.read(name))
    items = []
    for group in root.iter(f"{QTI}section"):
        points = group.findtext(f".//{QTI}points_per_item")
        for element in group.findall(f"{QTI}item"):
            items.append(_canvas_item(element, points))
    return items


def _canvas_item(element: ET.Element, points: str | None) -> CanvasItem:
    metadata = {field_.findtext(f"{QTI}fieldlabel"): field_.findtext(f"{QTI}fieldentry")
                for field_ in element.iter(f"{QTI}qtimetadatafield")}
    item = CanvasItem(title=element.get("title"), question_type=metadata["question_type"],
                      prompt=element.find(f"{QTI}presentation/{QTI}material/{QTI}mattext").text, points=points or "")
    for label in element.iter(f"{QTI}response_label"):
        text = label.findtext(f"{QTI}material/{QTI}mattext")
        if text is not None:
            item.choices[label.get("ident")] = text
    for condition in element.iter(f"{QTI}respcondition"):
        setvar = condition.find(f"{QTI}setvar")
        if setvar is None or setvar.text != "100":
            continue
        variables = condition.find(f"{QTI}conditionvar")
        if item.question_type == "multiple_choice_question":
            item.correct_choice = variables.findtext(f"{QTI}varequal")
            continue
        either = variables.find(f"{QTI}or")
        if either is not None:
            exact = Decimal(either.findtext(f"{QTI}varequal"))
            upper = Decimal(either.findtext(f"{QTI}and/{QTI}varlte"))
            item.exact_answers.append((_stored(exact), _stored(upper - exact)))
        else:
            item.range_answers.append((_stored(Decimal(variables.findtext(f"{QTI}vargte"))),
                                       _stored(Decimal(variables.findtext(f"{QTI}varlte")))))
    return item


def _stored(value: Decimal) -> Decimal:
    """Return a number after Canvas stores it as a Ruby Float and reads it back with BigDecimal(to_s)."""
    return Decimal(repr(float(value)))


def canvas_typed(value: Fraction | int, exponent: int) -> str:
    """Return the text a student types for ``value`` when asked for units of 10^-exponent."""
    scaled = Fraction(value) * Fraction(10) ** exponent
    return str(int(scaled)) if scaled.denominator == 1 else repr(float(scaled))


def canvas_accepts(item: CanvasItem, typed: str) -> bool:
    """Return whether Canvas gives credit for the typed text of a numerical item."""
    number = float(typed)  # parseFloat in the browser
    rounded = Decimal(number).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)  # toFixed(4)
    for exact, margin in item.exact_answers:
        if exact - margin <= rounded <= exact + margin:
            return True
    return any(min(start, end) <= rounded <= max(start, end) for start, end in item.range_answers)


@dataclass
class MoodleAnswer:
    """One answer of a Moodle question: its fraction, value or choice text, tolerance and feedback."""

    fraction: float
    text: str
    feedback: str
    tolerance: str | None = None


@dataclass
class MoodleQuestion:
    """One Moodle question with the category it was imported into."""

    kind: str
    name: str
    category: str
    prompt: str
    grade: str
    answers: list[MoodleAnswer]

    def key(self) -> tuple[str, str, int]:
        """Return (question id, part, variant index) from the question's name."""
        match = ITEM_TITLE.match(self.name)
        assert match, self.name
        return match["question"], match["part"], int(match["index"])


def read_moodle(path: Path) -> tuple[list[str], list[MoodleQuestion]]:
    """Read the categories and questions of a Moodle XML file, in file order."""
    root = ET.parse(path).getroot()
    categories, questions, category = [], [], ""
    for element in root.findall("question"):
        kind = element.get("type")
        if kind == "category":
            category = element.findtext("category/text")
            categories.append(category)
            continue
        answers = [MoodleAnswer(float(answer.get("fraction")), answer.findtext("text"),
                                answer.findtext("feedback/text") or "", answer.findtext("tolerance"))
                   for answer in element.findall("answer")]
        questions.append(MoodleQuestion(kind, element.findtext("name/text"), category,
                                        element.findtext("questiontext/text"), element.findtext("defaultgrade"),
                                        answers))
    return categories, questions


def moodle_numerical(question: MoodleQuestion, typed: str) -> MoodleAnswer | None:
    """Return the answer that Moodle matches for a typed number, or None."""
    value = float(typed)
    for answer in question.answers:
        if answer.text == "*":
            return answer
        center = float(answer.text)
        tolerance = float(answer.tolerance) + 10.0**-14 * max(1.0, abs(center))
        if center - tolerance <= value <= center + tolerance:
            return answer
    return None


def moodle_choice(question: MoodleQuestion, choice_text: str) -> MoodleAnswer:
    """Return the multichoice answer whose text a student selects."""
    return next(answer for answer in question.answers if answer.text == choice_text)
