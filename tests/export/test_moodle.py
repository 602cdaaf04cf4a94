"""The Moodle export: a category per template, a question per variant, misconceptions as answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from effquiz.export import export_moodle

from tests.export.golden import check_golden
from tests.export.lms_rules import read_moodle

FIXED = """\
id: fixed-scale
version: 1
topic: quantization
title: The lecture's scale
params:
  bits: {kind: choice, values: [8]}
  hi: {kind: choice, values: [4]}
prompt: Quantize [0, {{ hi }}] to {{ bits }} bits.
parts:
  scale:
    kind: number
    prompt: The scale S.
    answer: hi / (2**bits - 1)
    tolerance: {rel: 1e-4}
    misconceptions:
      - name: levels-instead-of-gaps
        answer: hi / 2**bits
        feedback: Divide by the gaps, not the levels.
"""


@pytest.fixture(scope="module")
def lecture_xml(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Path:
    out = tmp_path_factory.mktemp("moodle") / "lecture.xml"
    export_moodle(assignment_path=examples / "lecture.yaml", variants=3, out=out)
    return out


@pytest.fixture(scope="module")
def fixed_xml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fixed")
    (folder / "bank").mkdir()
    (folder / "bank" / "fixed-scale.yaml").write_text(FIXED, encoding="utf-8")
    (folder / "quiz.yaml").write_text("name: quiz\ncourse_seed: 1\nbank: bank\nquestions:\n"
                                      "  - {id: q, problem: fixed-scale, points: 2}\n", encoding="utf-8")
    export_moodle(assignment_path=folder / "quiz.yaml", variants=1, out=folder / "quiz.xml")
    return folder / "quiz.xml"


def test_category_per_template_and_part(lecture_xml: Path) -> None:
    categories, _ = read_moodle(lecture_xml)
    assert "$course$/top/lecture/affine-int-mapping" in categories
    assert "$course$/top/lecture/speculative-uniform-draft" in categories
    assert "$course$/top/lecture/affine-int-mapping/mapping.scale" in categories
    assert len(categories) == 2 + 10


def test_question_per_variant(lecture_xml: Path) -> None:
    _, questions = read_moodle(lecture_xml)
    by_category: dict[str, int] = {}
    for question in questions:
        by_category[question.category] = by_category.get(question.category, 0) + 1
    assert set(by_category.values()) == {3}
    assert len(by_category) == 10


def test_kinds_follow_parts(lecture_xml: Path) -> None:
    _, questions = read_moodle(lecture_xml)
    kinds = {question.key()[1]: question.kind for question in questions}
    assert kinds["good_proxy"] == "multichoice"
    assert kinds["zero_point"] == "numerical"
    assert kinds["scale"] == "numerical"


def test_relative_tolerance_becomes_absolute(fixed_xml: Path) -> None:
    # S = 4/255 = 0.01568627450980..., 1e-4·S = 1.5686e-6 (see test_tolerance for the rounding).
    _, (question,) = read_moodle(fixed_xml)
    correct = question.answers[0]
    assert (correct.fraction, correct.text, correct.tolerance) == (100, "0.0156862745", "0.0000015686")


def test_misconception_is_zero_fraction_answer(fixed_xml: Path) -> None:
    # 4/256 = 0.015625 exactly; 1e-4 of it is 1.5625e-6.
    _, (question,) = read_moodle(fixed_xml)
    wrong = question.answers[1]
    assert (wrong.fraction, wrong.text, wrong.tolerance) == (0, "0.015625", "0.0000015625")
    assert wrong.feedback == "Divide by the gaps, not the levels."


def test_catch_all_answer_last(fixed_xml: Path) -> None:
    _, (question,) = read_moodle(fixed_xml)
    last = question.answers[-1]
    assert (last.text, last.fraction) == ("*", 0)
    assert "relative tolerance of 0.01%" in last.feedback


def test_points_from_question(fixed_xml: Path) -> None:
    _, (question,) = read_moodle(fixed_xml)
    assert question.grade == "2"


def test_choice_answers_have_one_correct(lecture_xml: Path) -> None:
    _, questions = read_moodle(lecture_xml)
    for question in questions:
        if question.kind == "multichoice":
            assert [answer.fraction for answer in question.answers].count(100) == 1


def test_same_inputs_same_bytes(lecture_xml: Path, tmp_path: Path, examples: Path) -> None:
    again = tmp_path / "again.xml"
    export_moodle(assignment_path=examples / "lecture.yaml", variants=3, out=again)
    assert again.read_bytes() == lecture_xml.read_bytes()


def test_lecture_golden(lecture_xml: Path) -> None:
    check_golden("moodle-lecture.xml", lecture_xml.read_bytes())
