"""check_paths: which files it loads, how it detects assignments among templates, and its exit code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from effquiz.check import check_paths
from effquiz.templates import default_bank_path

REPOSITORY = Path(__file__).resolve().parents[2]

TEMPLATE = """\
id: doubling
version: 1
topic: quantization
title: Doubling
params:
  x: {kind: integer, low: -1000, high: 1000}
prompt: "x = {{ x }}"
parts:
  double: {kind: integer, prompt: 2x, answer: 2 * x}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def shipped_ids() -> set[str]:
    return {path.stem for path in default_bank_path().glob("*.yaml")}


@pytest.mark.slow
def test_shipped_bank_is_clean() -> None:
    # The default sweep, 1,000 variants of every shipped template.
    report = check_paths([default_bank_path()])
    assert report.findings == ()
    assert report.errors == ()
    assert report.exit_code == 0
    assert {summary.id for summary in report.templates} == shipped_ids()


def test_default_path_is_shipped_bank() -> None:
    report = check_paths(variants=10)
    assert {summary.id for summary in report.templates} == shipped_ids()


def test_broken_template_exits_2_with_line(tmp_path: Path) -> None:
    write(tmp_path, "doubling.yaml", TEMPLATE.replace("kind: integer, prompt", "kind: integr, prompt"))
    report = check_paths([tmp_path], variants=10)
    assert report.exit_code == 2
    assert re.search(r"doubling\.yaml:9:\d+: parts\.double\.kind: .*Did you mean 'integer'\?", report.errors[0])


def test_loaded_templates_are_swept_beside_broken_one(tmp_path: Path) -> None:
    write(tmp_path, "doubling.yaml", TEMPLATE)
    write(tmp_path, "broken.yaml", "id: broken\n")
    report = check_paths([tmp_path], variants=10)
    assert [summary.id for summary in report.templates] == ["doubling"]
    assert len(report.errors) == 1
    assert "broken.yaml:1:1: the template is missing the required key 'version'" in report.errors[0]


def test_findings_exit_1(tmp_path: Path) -> None:
    write(tmp_path, "doubling.yaml", TEMPLATE.replace("low: -1000, high: 1000", "low: 0, high: 1"))
    report = check_paths([tmp_path], variants=50)
    assert [finding.check for finding in report.findings] == ["duplicates"]
    assert report.exit_code == 1


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    report = check_paths([tmp_path / "nowhere.yaml"], variants=10)
    assert report.exit_code == 2
    assert "nowhere.yaml: no such file or folder." in report.errors[0]


def test_same_id_twice_is_an_error(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write(first, "doubling.yaml", TEMPLATE)
    write(second, "doubling.yaml", TEMPLATE)
    report = check_paths([first, second], variants=10)
    assert "the id 'doubling' is also used by" in report.errors[0]


def test_assignment_is_detected_by_its_keys() -> None:
    report = check_paths([REPOSITORY / "examples" / "lecture.yaml"], variants=10)
    assert [assignment.name for assignment in report.assignments] == ["lecture"]
    assert report.assignments[0].course_seed == 20261204
    assert {summary.id for summary in report.templates} == {"affine-int-mapping", "speculative-uniform-draft"}


ASSIGNMENT = """\
name: week1
course_seed: 7
questions:
  - id: mapping
    problem: affine-int-mapping
    points: 5
"""

BAD_ASSIGNMENTS = [
    ("unknown-problem", ASSIGNMENT.replace("problem: affine-int-mapping", "problem: affine-int-maping"),
     "week1.yaml:5:14: questions[0].problem: no template has the id 'affine-int-maping'. "
     "Did you mean 'affine-int-mapping'?"),
    ("points-negative", ASSIGNMENT.replace("points: 5", "points: -5"),
     "week1.yaml:6:13: questions[0].points: 'points' must be a number > 0, not -5."),
    ("points-zero", ASSIGNMENT.replace("points: 5", "points: 0"),
     "week1.yaml:6:13: questions[0].points: 'points' must be a number > 0, not 0."),
    ("course-seed-missing", ASSIGNMENT.replace("course_seed: 7\n", ""),
     "week1.yaml:1:1: the assignment is missing the required key 'course_seed'."),
    ("course-seed-text", ASSIGNMENT.replace("course_seed: 7", "course_seed: spring"),
     "week1.yaml:2:14: course_seed: 'course_seed' must be a whole number >= 0, not 'spring'."),
    ("questions-empty", ASSIGNMENT.split("questions:")[0] + "questions: []\n",
     "week1.yaml:3:12: questions: 'questions' must be a non-empty list."),
    ("question-id-twice", ASSIGNMENT + "  - id: mapping\n    problem: affine-int-mapping\n    points: 1\n",
     "week1.yaml:7:9: questions[1].id: the question id 'mapping' is used twice."),
    ("assignment-key-misspelled", ASSIGNMENT.replace("name: week1", "name: week1\ntitel: Week 1"),
     "week1.yaml:2:1: titel: unknown key 'titel' in the assignment. Did you mean 'title'?"),
    ("question-key-misspelled", ASSIGNMENT.replace("points: 5", "point: 5"),
     "week1.yaml:6:5: questions[0].point: unknown key 'point' in a question. Did you mean 'points'?"),
]


@pytest.mark.parametrize(("text", "message"), [case[1:] for case in BAD_ASSIGNMENTS],
                         ids=[case[0] for case in BAD_ASSIGNMENTS])
def test_malformed_assignment_message(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "week1.yaml", text)
    report = check_paths([tmp_path / "week1.yaml"], variants=10)
    assert report.exit_code == 2
    assert re.search(re.escape(message), report.errors[0]), report.errors[0]
