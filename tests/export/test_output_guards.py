"""Output files: a command replaces only an earlier output of its own kind, never an input or another file."""

from __future__ import annotations

from pathlib import Path

import pytest

from effquiz.errors import OutputError
from effquiz.export import export_canvas, export_gradebook, export_moodle
from effquiz.grader.batch import grade_folder
from effquiz.outputs import check_output_file, starts_with_line

ROSTER = "student_id,name,email\nada,Ada Lovelace,ada@example.edu\n"
GRADES = "student_id,total,possible,mapping,draft,note\nada,10,10,5,5,\n"


def test_canvas_export_keeps_foreign_file(tmp_path: Path, examples: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    with pytest.raises(OutputError, match=r"roster\.csv already exists and is not a Canvas QTI zip that effquiz "
                                          r"wrote, so it was left untouched\..* Fix: choose a new path for --out"):
        export_canvas(assignment_path=examples / "lecture.yaml", variants=1, out=roster)
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_canvas_export_replaces_earlier_export(tmp_path: Path, examples: Path) -> None:
    out = tmp_path / "lecture.zip"
    export_canvas(assignment_path=examples / "lecture.yaml", variants=1, out=out)
    first = out.read_bytes()

    export_canvas(assignment_path=examples / "lecture.yaml", variants=2, out=out)

    assert out.read_bytes() != first


def test_moodle_export_keeps_foreign_file(tmp_path: Path, examples: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    with pytest.raises(OutputError, match=r"is not a Moodle XML file that effquiz wrote"):
        export_moodle(assignment_path=examples / "lecture.yaml", variants=1, out=roster)
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_moodle_export_replaces_earlier_export(tmp_path: Path, examples: Path) -> None:
    out = tmp_path / "lecture.xml"
    export_moodle(assignment_path=examples / "lecture.yaml", variants=1, out=out)
    one_variant = out.stat().st_size

    export_moodle(assignment_path=examples / "lecture.yaml", variants=3, out=out)

    assert out.stat().st_size > one_variant


def test_gradebook_export_over_its_input_rejected(tmp_path: Path) -> None:
    grades = tmp_path / "grades.csv"
    grades.write_text(GRADES, encoding="utf-8")
    with pytest.raises(OutputError, match=r"--out .*grades\.csv is also an input of this command.* Fix: choose "
                                          r"another path for --out\."):
        export_gradebook(grades_path=grades, out=grades, format="gradescope")
    assert grades.read_text(encoding="utf-8") == GRADES


def test_gradebook_export_replaces_earlier_export(tmp_path: Path) -> None:
    grades = tmp_path / "grades.csv"
    grades.write_text(GRADES, encoding="utf-8")
    out = tmp_path / "gradescope.csv"
    export_gradebook(grades_path=grades, out=out, format="gradescope")
    export_gradebook(grades_path=grades, out=out, format="canvas", title="Week 5")

    assert out.read_text(encoding="utf-8").startswith("Student,ID,")


def test_output_folder_rejected(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"--out .* is a folder, and this command writes a gradebook file\."):
        check_output_file(tmp_path, kind="gradebook", looks_like=starts_with_line("student_id"))


def test_empty_file_may_be_replaced(tmp_path: Path) -> None:
    empty = tmp_path / "grades.csv"
    empty.touch()
    check_output_file(empty, kind="gradebook", looks_like=starts_with_line("student_id"))


@pytest.mark.slow
def test_grade_keeps_foreign_gradebook_path(lecture_build: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    (tmp_path / "submissions").mkdir()
    with pytest.raises(OutputError, match=r"roster\.csv already exists and is not a gradebook that effquiz wrote"):
        grade_folder(build_dir=lecture_build, submissions=tmp_path / "submissions", out=roster)
    assert roster.read_text(encoding="utf-8") == ROSTER
    assert not (tmp_path / "feedback").exists()
    assert not (tmp_path / "roster.results.jsonl").exists()
