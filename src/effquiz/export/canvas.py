"""Canvas Classic Quizzes: a QTI 1.2 zip that Canvas imports as one quiz.

The zip holds ``imsmanifest.xml`` and one folder named after the assessment with its QTI
XML and Canvas's ``assessment_meta.xml``, the layout that Canvas's own exports and
text2qti use. Each exported part is a question group (a ``section`` that selects 1 item)
holding one item per variant, so Canvas draws one variant per student.

Numerical items use Canvas's two answer forms, the exact answer with a margin
(``varequal`` or ``vargte``/``varlte``) and the range (``vargte`` and ``varlte``). Canvas
turns every numerical answer condition into a correct answer, so misconceptions cannot be
wrong answers with their own feedback there: their feedback goes into the feedback for
incorrect answers instead. Multiple-choice items attach a misconception's feedback to its
choice.
"""

from __future__ import annotations

import hashlib
import html
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from effquiz.assignment import Assignment
from effquiz.build.files import write_zip
from effquiz.export.items import PartGroup, PartItem, points_text
from effquiz.export.tolerance import DecimalRule, UnrepresentableError, canvas_rule, decimal_text
from effquiz.export.variants import SkippedPart

logger = logging.getLogger(__name__)

QTI_NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST_NAMESPACE = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
META_NAMESPACE = "http://canvas.instructure.com/xsd/cccv1p0"
NumericForm = Literal["exact", "range"]


@dataclass
class CanvasNotes:
    """What the Canvas compiler changed or left out, for the export summary."""

    rescaled: dict[str, set[int]] = field(default_factory=dict)
    dropped: list[SkippedPart] = field(default_factory=list)


def canvas_zip_entries(assignment: Assignment, groups: list[PartGroup], *, form: NumericForm = "exact"
                       ) -> tuple[dict[str, bytes], CanvasNotes]:
    """Return the zip entries of the Canvas export, and notes on rescaled or dropped variants."""
    ident = "effquiz_" + hashlib.sha256(f"{assignment.name}\x1f{assignment.course_seed}".encode()).hexdigest()[:24]
    notes = CanvasNotes()
    root = _element("questestinterop", {"xmlns": QTI_NAMESPACE})
    assessment = _child(root, "assessment", {"ident": ident, "title": assignment.title})
    _metadata(_child(assessment, "qtimetadata"), {"cc_maxattempts": "1"})
    root_section = _child(assessment, "section", {"ident": "root_section"})
    total = 0
    for group in groups:
        items = [(item, _item(item, form, notes)) for item in group.items]
        items = [(item, element) for item, element in items if element is not None]
        if not items:
            continue
        section = _child(root_section, "section", {"ident": items[0][0].exported.ident(group.part.name, "group"),
                                                   "title": f"{group.question_id}.{group.part.name}: {group.title}"})
        selection = _child(_child(section, "selection_ordering"), "selection")
        _child(selection, "selection_number").text = "1"
        _child(_child(selection, "selection_extension"), "points_per_item").text = points_text(group.points)
        section.extend(element for _, element in items)
        total += group.points

    folder = ident
    return {
        "imsmanifest.xml": _xml_bytes(_manifest(ident)),
        f"{folder}/{ident}.xml": _xml_bytes(root),
        f"{folder}/assessment_meta.xml": _xml_bytes(_assessment_meta(ident, assignment, points_text(total))),
    }, notes


def write_canvas_zip(path: Path, entries: dict[str, bytes]) -> None:
    """Write the entries as a reproducible zip."""
    write_zip(path, entries)


def _item(item: PartItem, form: NumericForm, notes: CanvasNotes) -> ET.Element | None:
    ident = item.exported.ident(item.part.name)
    element = _element("item", {"ident": ident, "title": item.name})
    kind = "multiple_choice_question" if item.part.kind == "choice" else "numerical_question"
    answer_ids = ",".join(_choice_ident(ident, key, item) for _, key, _ in item.choice_letters()) \
        if kind.startswith("multiple") else f"{ident}_answer"
    _metadata(_child(_child(element, "itemmetadata"), "qtimetadata"), {
        "question_type": kind,
        "points_possible": points_text(item.points),
        "original_answer_ids": answer_ids,
        "assessment_question_identifierref": f"{ident}_ref",
    })
    if kind == "multiple_choice_question":
        _choice_item(element, item, ident)
        return element
    try:
        rule = canvas_rule(item.window)
    except UnrepresentableError as error:
        notes.dropped.append(SkippedPart(item.exported.question.id, item.part.name,
                                         f"variant {item.exported.index}: {error.reason}"))
        return None
    if rule.scale_exponent:
        notes.rescaled.setdefault(f"{item.exported.question.id}.{item.part.name}", set()).add(rule.scale_exponent)
    _numeric_item(element, item, rule, form)
    return element


def unit_note(exponent: int) -> str:
    """Return the HTML sentence that asks for an answer in units of 10^-exponent."""
    example = decimal_text(Decimal(123).scaleb(-exponent - 2))
    return (f"<p><em>Canvas rounds a typed number to 4 decimal places, so enter this answer in units of "
            f"10<sup>-{exponent}</sup>: type 10<sup>{exponent}</sup> times the value "
            f"(for example, type 1.23 for {example}).</em></p>")


def _numeric_item(element: ET.Element, item: PartItem, rule: DecimalRule, form: NumericForm) -> None:
    prompt = item.prompt_html + ("\n" + unit_note(rule.scale_exponent) if rule.scale_exponent else "")
    presentation = _child(element, "presentation")
    _mattext(_child(presentation, "material"), prompt)
    response = _child(presentation, "response_str", {"ident": "response1", "rcardinality": "Single"})
    _child(_child(response, "render_fib", {"fibtype": "Decimal"}), "response_label", {"ident": "answer1"})

    processing = _resprocessing(element)
    condition = _child(processing, "respcondition", {"continue": "No"})
    variables = _child(condition, "conditionvar")
    if form == "exact" or rule.margin == 0:
        either = _child(variables, "or")
        _child(either, "varequal", {"respident": "response1"}).text = decimal_text(rule.exact)
        variables = _child(either, "and")
        low, high = rule.exact - rule.margin, rule.exact + rule.margin
    else:
        low, high = rule.low, rule.high
    _child(variables, "vargte", {"respident": "response1"}).text = decimal_text(low)
    _child(variables, "varlte", {"respident": "response1"}).text = decimal_text(high)
    _score(condition)
    _feedback_link(condition, "correct_fb")
    _otherwise(processing)
    _feedback(element, "correct_fb", "Correct.")
    _feedback(element, "general_incorrect_fb", _numeric_incorrect(item))


def _numeric_incorrect(item: PartItem) -> str:
    text = item.incorrect_feedback()
    if item.wrong:
        mistakes = " ".join(f"<li>{_escape(wrong.feedback)}</li>" for wrong in item.wrong)
        return f"<p>{_escape(text)}</p><p>Common mistakes:</p><ul>{mistakes}</ul>"
    return f"<p>{_escape(text)}</p>"


def _choice_item(element: ET.Element, item: PartItem, ident: str) -> None:
    presentation = _child(element, "presentation")
    _mattext(_child(presentation, "material"), item.prompt_html)
    response = _child(presentation, "response_lid", {"ident": "response1", "rcardinality": "Single"})
    choices = _child(response, "render_choice")
    for _, key, text in item.choice_letters():
        label = _child(choices, "response_label", {"ident": _choice_ident(ident, key, item)})
        _mattext(_child(label, "material"), _escape(text))

    processing = _resprocessing(element)
    feedback: dict[str, str] = {}
    for wrong in item.wrong:
        if wrong.value != item.reference:
            feedback.setdefault(wrong.value, wrong.feedback)  # our grader reports the first match
    for key in feedback:
        condition = _child(processing, "respcondition", {"continue": "Yes"})
        choice = _choice_ident(ident, key, item)
        _child(_child(condition, "conditionvar"), "varequal", {"respident": "response1"}).text = choice
        _feedback_link(condition, f"{choice}_fb")
    condition = _child(processing, "respcondition", {"continue": "No"})
    _child(_child(condition, "conditionvar"), "varequal", {"respident": "response1"}).text = \
        _choice_ident(ident, item.reference, item)
    _score(condition)
    _feedback_link(condition, "correct_fb")
    _otherwise(processing)
    _feedback(element, "correct_fb", "Correct.")
    _feedback(element, "general_incorrect_fb", f"<p>{_escape(item.incorrect_feedback())}</p>")
    for key, text in feedback.items():
        _feedback(element, f"{_choice_ident(ident, key, item)}_fb", f"<p>{_escape(text)}</p>")


def _choice_ident(ident: str, key: str, item: PartItem) -> str:
    """Return a choice's identifier from its position, because a choice key may hold any text."""
    return f"{ident}_choice{[choice for choice, _ in item.part.choices].index(key)}"


def _resprocessing(element: ET.Element) -> ET.Element:
    processing = _child(element, "resprocessing")
    _child(_child(processing, "outcomes"), "decvar",
           {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
    return processing


def _score(condition: ET.Element) -> None:
    _child(condition, "setvar", {"action": "Set", "varname": "SCORE"}).text = "100"


def _otherwise(processing: ET.Element) -> None:
    condition = _child(processing, "respcondition", {"continue": "Yes"})
    _child(_child(condition, "conditionvar"), "other")
    _feedback_link(condition, "general_incorrect_fb")


def _feedback_link(condition: ET.Element, ident: str) -> None:
    _child(condition, "displayfeedback", {"feedbacktype": "Response", "linkrefid": ident})


def _feedback(element: ET.Element, ident: str, text: str) -> None:
    flow = _child(_child(element, "itemfeedback", {"ident": ident}), "flow_mat")
    _mattext(_child(flow, "material"), text)


def _mattext(material: ET.Element, text: str) -> None:
    _child(material, "mattext", {"texttype": "text/html"}).text = text


def _metadata(parent: ET.Element, fields: dict[str, str]) -> None:
    for label, entry in fields.items():
        field_ = _child(parent, "qtimetadatafield")
        _child(field_, "fieldlabel").text = label
        _child(field_, "fieldentry").text = entry


def _manifest(ident: str) -> ET.Element:
    root = _element("manifest", {"identifier": f"{ident}_manifest", "xmlns": MANIFEST_NAMESPACE})
    metadata = _child(root, "metadata")
    _child(metadata, "schema").text = "IMS Content"
    _child(metadata, "schemaversion").text = "1.1.3"
    _child(root, "organizations")
    resources = _child(root, "resources")
    resource = _child(resources, "resource", {"identifier": ident, "type": "imsqti_xmlv1p2"})
    _child(resource, "file", {"href": f"{ident}/{ident}.xml"})
    _child(resource, "dependency", {"identifierref": f"{ident}_meta"})
    meta = _child(resources, "resource", {"identifier": f"{ident}_meta", "href": f"{ident}/assessment_meta.xml",
                                          "type": "associatedcontent/imscc_xmlv1p1/learning-application-resource"})
    _child(meta, "file", {"href": f"{ident}/assessment_meta.xml"})
    return root


def _assessment_meta(ident: str, assignment: Assignment, points: str) -> ET.Element:
    root = _element("quiz", {"identifier": ident, "xmlns": META_NAMESPACE})
    for tag, text in (("title", assignment.title), ("description", assignment.intro), ("shuffle_answers", "false"),
                      ("scoring_policy", "keep_highest"), ("quiz_type", "assignment"), ("points_possible", points),
                      ("show_correct_answers", "true"), ("allowed_attempts", "1"), ("one_question_at_a_time", "false"),
                      ("cant_go_back", "false"), ("available", "false")):
        _child(root, tag).text = text
    return root


def _element(tag: str, attributes: dict[str, str] | None = None) -> ET.Element:
    return ET.Element(tag, attributes or {})


def _child(parent: ET.Element, tag: str, attributes: dict[str, str] | None = None) -> ET.Element:
    return ET.SubElement(parent, tag, attributes or {})


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) \
        + b"\n"
