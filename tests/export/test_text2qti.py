"""The Canvas export has the response processing that text2qti writes for the same questions.

text2qti (Geoffrey Poore's Markdown-to-QTI converter for Canvas) is the reference for
what Canvas imports. The test writes one numerical question with an exact answer and
margin, one with a range and one multiple-choice question with text2qti, and compares
the element tree of their ``resprocessing`` (tags and attributes other than identifiers)
with the items of our export.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from effquiz.export import export_canvas

from tests.export.lms_rules import QTI

text2qti_config = pytest.importorskip("text2qti.config")
text2qti_quiz = pytest.importorskip("text2qti.quiz")
text2qti_qti = pytest.importorskip("text2qti.qti")

QUIZ = """\
Quiz title: Equivalent questions

1.  The scale S, in units of 10^-4.
+   Correct.
-   Not accepted.
=   156.862745 +- 0.015686

2.  The scale S, as a range.
+   Correct.
-   Not accepted.
=   [156.847059, 156.878431]

3.  Is q a good proxy for p?
+   Correct.
-   Not accepted.
a)  Yes.
... The draft keeps too few tokens.
*b) No.
"""

IDENTIFIERS = {"ident", "linkrefid"}


def shape(element: ET.Element) -> tuple:
    """Return the tags and non-identifier attributes of an element tree, without text."""
    attributes = tuple(sorted((k, v) for k, v in element.attrib.items() if k not in IDENTIFIERS))
    return element.tag.removeprefix(QTI), attributes, tuple(shape(child) for child in element)


def text2qti_items() -> list[ET.Element]:
    quiz = text2qti_quiz.Quiz(QUIZ, config=text2qti_config.Config(), source_name="equivalent")
    root = ET.fromstring(text2qti_qti.QTI(quiz).assessment.encode("utf-8"))
    return list(root.iter(f"{QTI}item"))


def our_items(path: Path, part: str) -> list[ET.Element]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if "/" in n and not n.endswith("assessment_meta.xml"))
        root = ET.fromstring(archive.read(name))
    return [item for item in root.iter(f"{QTI}item") if item.get("title").split(" ")[0].endswith(f".{part}")]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("text2qti")
    paths = {form: folder / f"{form}.zip" for form in ("exact", "range")}
    for form, path in paths.items():
        export_canvas(assignment_path=examples / "lecture.yaml", variants=2, out=path, form=form)
    return paths


def test_exact_margin_matches_text2qti(exports: dict[str, Path]) -> None:
    reference = text2qti_items()[0]
    ours = our_items(exports["exact"], "scale")[0]
    assert shape(ours.find(f"{QTI}resprocessing")) == shape(reference.find(f"{QTI}resprocessing"))


def test_range_matches_text2qti(exports: dict[str, Path]) -> None:
    reference = text2qti_items()[1]
    ours = our_items(exports["range"], "scale")[0]
    assert shape(ours.find(f"{QTI}resprocessing")) == shape(reference.find(f"{QTI}resprocessing"))


def test_numerical_presentation_matches_text2qti(exports: dict[str, Path]) -> None:
    reference = text2qti_items()[0].find(f"{QTI}presentation/{QTI}response_str")
    ours = our_items(exports["exact"], "scale")[0].find(f"{QTI}presentation/{QTI}response_str")
    assert shape(ours) == shape(reference)


def test_choice_without_feedback_matches_text2qti(exports: dict[str, Path]) -> None:
    # accept_when has no misconceptions, so its only choice feedback is the general one;
    # text2qti's question gives one choice its own feedback, which we drop for the comparison.
    reference = text2qti_items()[2].find(f"{QTI}resprocessing")
    for condition in list(reference):
        if condition.get("continue") == "Yes" and condition.find(f"{QTI}conditionvar/{QTI}varequal") is not None:
            reference.remove(condition)
    ours = our_items(exports["exact"], "accept_when")[0].find(f"{QTI}resprocessing")
    assert shape(ours) == shape(reference)


def test_item_metadata_fields_match_text2qti(exports: dict[str, Path]) -> None:
    labels = [field.findtext(f"{QTI}fieldlabel") for field in text2qti_items()[0].iter(f"{QTI}qtimetadatafield")]
    ours = [field.findtext(f"{QTI}fieldlabel")
            for field in our_items(exports["exact"], "scale")[0].iter(f"{QTI}qtimetadatafield")]
    assert ours == labels
