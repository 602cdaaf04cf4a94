"""The Canvas export: a QTI 1.2 zip with one question group per part and one item per variant."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from effquiz.errors import AssignmentError
from effquiz.export import export_canvas

from tests.export.golden import check_golden
from tests.export.lms_rules import QTI, read_canvas

MANIFEST = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"


@pytest.fixture(scope="module")
def lecture_zip(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Path:
    out = tmp_path_factory.mktemp("canvas") / "lecture.zip"
    export_canvas(assignment_path=examples / "lecture.yaml", variants=3, out=out)
    return out


def assessment(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if "/" in n and not n.endswith("assessment_meta.xml"))
        return ET.fromstring(archive.read(name))


def test_zip_layout_matches_manifest(lecture_zip: Path) -> None:
    with zipfile.ZipFile(lecture_zip) as archive:
        names = set(archive.namelist())
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    hrefs = {file.get("href") for file in manifest.iter(f"{MANIFEST}file")}
    assert hrefs == names - {"imsmanifest.xml"}
    resource_types = {resource.get("type") for resource in manifest.iter(f"{MANIFEST}resource")}
    assert "imsqti_xmlv1p2" in resource_types


def test_one_group_per_part(lecture_zip: Path) -> None:
    # The lecture has 5 + 5 parts, all of kinds that Canvas grades.
    groups = assessment(lecture_zip).findall(f"{QTI}assessment/{QTI}section/{QTI}section")
    assert len(groups) == 10
    for group in groups:
        assert group.findtext(f".//{QTI}selection_number") == "1"
        assert len(group.findall(f"{QTI}item")) == 3


def test_group_points_split_question_points(lecture_zip: Path) -> None:
    # Each question is worth 5 points over 5 parts of weight 1: 1 point per item.
    points = {item.points for item in read_canvas(lecture_zip)}
    assert points == {"1"}


def test_numerical_items_use_decimal_fib(lecture_zip: Path) -> None:
    for item in assessment(lecture_zip).iter(f"{QTI}item"):
        kind = next(f.findtext(f"{QTI}fieldentry") for f in item.iter(f"{QTI}qtimetadatafield")
                    if f.findtext(f"{QTI}fieldlabel") == "question_type")
        if kind == "numerical_question":
            assert item.find(f".//{QTI}render_fib").get("fibtype") == "Decimal"
        else:
            assert kind == "multiple_choice_question"
            assert item.find(f".//{QTI}response_lid").get("rcardinality") == "Single"


def test_every_item_has_one_scoring_condition(lecture_zip: Path) -> None:
    for item in assessment(lecture_zip).iter(f"{QTI}item"):
        scoring = [c for c in item.iter(f"{QTI}respcondition") if c.find(f"{QTI}setvar") is not None]
        assert len(scoring) == 1
        assert scoring[0].findtext(f"{QTI}setvar") == "100"


def test_narrow_tolerance_asks_for_units(lecture_zip: Path) -> None:
    # S = (hi − lo)/(2^b − 1) is below 0.5 for these ranges, so 0.01% of it is below 1e-4:
    # every variant of the scale asks for another unit.
    scale_items = [item for item in read_canvas(lecture_zip) if item.key()[1] == "scale"]
    assert scale_items
    for item in scale_items:
        assert item.scale_exponent >= 3
        assert "Canvas rounds a typed number to 4 decimal places" in item.prompt


def test_range_form_writes_bare_bounds(tmp_path: Path, examples: Path) -> None:
    out = tmp_path / "range.zip"
    export_canvas(assignment_path=examples / "lecture.yaml", variants=2, out=out, form="range")
    items = [item for item in read_canvas(out) if item.key()[1] == "scale"]
    assert all(item.range_answers and not item.exact_answers for item in items)


def test_same_inputs_same_bytes(lecture_zip: Path, tmp_path: Path, examples: Path) -> None:
    again = tmp_path / "again.zip"
    export_canvas(assignment_path=examples / "lecture.yaml", variants=3, out=again)
    assert again.read_bytes() == lecture_zip.read_bytes()


def test_lecture_golden(lecture_zip: Path) -> None:
    with zipfile.ZipFile(lecture_zip) as archive:
        name = next(n for n in archive.namelist() if "/" in n and not n.endswith("assessment_meta.xml"))
        check_golden("canvas-lecture.xml", archive.read(name))


def test_vector_part_left_out(tmp_path: Path, tolerance_assignment: Path) -> None:
    summary = export_canvas(assignment_path=tolerance_assignment, variants=2, out=tmp_path / "t.zip")
    assert [(s.part, "vector" in s.reason) for s in summary.skipped] == [("pair", True)]


def test_invalid_assignment_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ncourse_seed: 1\nquestions:\n  - id: q\n    problem: no-such-template\n    points: 1\n",
                   encoding="utf-8")
    out = tmp_path / "out.zip"
    with pytest.raises(AssignmentError, match="no template has the id 'no-such-template'"):
        export_canvas(assignment_path=bad, variants=2, out=out)
    assert list(tmp_path.iterdir()) == [bad]


def test_choice_misconception_gets_feedback(tmp_path: Path, tolerance_assignment: Path) -> None:
    # The sign part's misconception is the other choice, so that choice carries its feedback.
    export_canvas(assignment_path=tolerance_assignment, variants=2, out=tmp_path / "t.zip")
    items = [item for item in assessment(tmp_path / "t.zip").iter(f"{QTI}item")
             if item.get("title").startswith("kinds.sign ")]
    assert items
    for item in items:
        feedback = [f.findtext(f".//{QTI}mattext") for f in item.findall(f"{QTI}itemfeedback")
                    if f.get("ident").endswith("_fb") and "_choice" in f.get("ident")]
        assert feedback == ["<p>The sign is flipped.</p>"]
