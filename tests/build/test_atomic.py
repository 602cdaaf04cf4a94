"""effquiz build is all or nothing: a failure at any stage leaves the previous output as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import effquiz.build as build_module
from effquiz.build import build
from effquiz.errors import BuildError, OutputError, TemplateError

FRAGILE = """\
id: fragile
version: 1
topic: quantization
title: An answer that fails when x is 0
params:
  x: {kind: integer, low: 0, high: 1}
prompt: "x = {{ x }}"
parts:
  inverse: {kind: number, prompt: 1/x, answer: 1 / x}
"""

ASSIGNMENT = """\
name: fragile
course_seed: 11
bank: bank
questions:
  - id: inverse
    problem: fragile
    points: 1
"""


def digest(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(out: Path) -> list[str]:
    return [path.name for path in out.parent.iterdir() if path.name.startswith(f".{out.name}.")]


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """Return an output folder that an earlier build left, with a few files in it."""
    out = tmp_path / "out"
    (out / "keys").mkdir(parents=True)
    (out / "keys" / "ada.json").write_text('{"earlier": true}\n', encoding="utf-8")
    (out / "build.json").write_text('{"assignment": "earlier"}\n', encoding="utf-8")
    (out / ".effquiz-output").write_text("build\n", encoding="utf-8")
    return out


def roster(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("student_id\n" + "".join(f"s{index:02d}\n" for index in range(count)), encoding="utf-8")
    return path


def test_failing_answer_leaves_previous_output(tmp_path: Path, previous: Path) -> None:
    # x is 0 or 1 for each student, so among 20 students some draw x = 0, where 1/x fails.
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "fragile.yaml").write_text(FRAGILE, encoding="utf-8")
    (tmp_path / "fragile.yaml").write_text(ASSIGNMENT, encoding="utf-8")
    before = digest(previous)
    with pytest.raises(TemplateError, match=r"the answer of part 'inverse' failed for x=0: division by zero"):
        build(assignment_path=tmp_path / "fragile.yaml", roster_path=roster(tmp_path, 20), out=previous)
    assert digest(previous) == before
    assert leftovers(previous) == []


def test_failing_otter_leaves_previous_output(tmp_path: Path, previous: Path, examples: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # Otter Assign is replaced by a failure here; the slow test below runs the real one.
    def fail(*args: object, **kwargs: object) -> None:
        raise BuildError("Otter Assign failed with exit code 1.")

    monkeypatch.setattr(build_module, "run_otter_assign", fail)
    before = digest(previous)
    with pytest.raises(BuildError, match="Otter Assign failed with exit code 1"):
        build(assignment_path=examples / "lecture.yaml", roster_path=roster(tmp_path, 3), out=previous)
    assert digest(previous) == before
    assert leftovers(previous) == []


@pytest.mark.slow
def test_failure_after_otter_leaves_previous_build(build_copy: Path, examples: Path, three_students: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Otter Assign runs for real and the autograder zip is written before the third key fails.
    original = build_module.key_json

    def key_json(assignment, student_id, seed, variants):
        if student_id == "grace":
            raise BuildError("the disk is full.")
        return original(assignment, student_id, seed, variants)

    monkeypatch.setattr(build_module, "key_json", key_json)
    before = digest(build_copy)
    with pytest.raises(BuildError, match="the disk is full"):
        build(assignment_path=examples / "lecture.yaml", roster_path=three_students, out=build_copy)
    assert digest(build_copy) == before
    assert leftovers(build_copy) == []


def test_folder_effquiz_did_not_write_is_refused(examples: Path, three_students: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.md").write_text("my notes", encoding="utf-8")
    with pytest.raises(OutputError, match="already exists and is not a folder that effquiz wrote"):
        build(assignment_path=examples / "lecture.yaml", roster_path=three_students, out=precious)
    assert (precious / "notes.md").read_text(encoding="utf-8") == "my notes"
    assert [path.name for path in precious.iterdir()] == ["notes.md"]


def test_other_kind_of_output_is_refused(examples: Path, three_students: Path, tmp_path: Path) -> None:
    handouts = tmp_path / "handouts"
    handouts.mkdir()
    (handouts / ".effquiz-output").write_text("handouts\n", encoding="utf-8")
    (handouts / "index.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(OutputError, match="is an effquiz handouts folder"):
        build(assignment_path=examples / "lecture.yaml", roster_path=three_students, out=handouts)
    assert (handouts / "index.html").exists()


@pytest.mark.slow
def test_empty_folder_and_earlier_build_are_replaced(build_copy: Path, examples: Path, three_students: Path,
                                                     tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (build(assignment_path=examples / "lecture.yaml", roster_path=three_students, out=empty).out
            / "build.json").is_file()
    (build_copy / "stale.txt").write_text("left from before", encoding="utf-8")
    build(assignment_path=examples / "lecture.yaml", roster_path=three_students, out=build_copy)
    assert not (build_copy / "stale.txt").exists()
    assert f"replacing {build_copy} removes 1 file that the new output does not have: stale.txt" in caplog.text
    assert (build_copy / ".effquiz-output").read_text(encoding="utf-8") == "build\n"
