"""``effquiz export``: the commands parse their options and hand off to the exports."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner

from effquiz.cli import main


def run(*arguments: str):
    return CliRunner().invoke(main, list(arguments), catch_exceptions=False)


def test_canvas_command_writes_zip(tmp_path: Path, examples: Path) -> None:
    result = run("export", "canvas", str(examples / "lecture.yaml"), "--variants", "2", "--out", str(tmp_path / "q.zip"))
    assert result.exit_code == 0, result.output
    assert "10 question groups, 20 items" in result.output
    assert "units of 10^-" in result.output
    assert "imsmanifest.xml" in zipfile.ZipFile(tmp_path / "q.zip").namelist()


def test_moodle_command_writes_xml(tmp_path: Path, examples: Path) -> None:
    result = run("export", "moodle", str(examples / "lecture.yaml"), "--variants", "2", "--out", str(tmp_path / "q.xml"))
    assert result.exit_code == 0, result.output
    assert "10 part categories, 20 questions" in result.output


def test_handout_command_without_pdf(tmp_path: Path, examples: Path, three_students: Path) -> None:
    result = run("export", "handout", str(examples / "lecture.yaml"), "--roster", str(three_students), "--out",
                 str(tmp_path / "out"), "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "Wrote 3 handouts" in result.output
    assert (tmp_path / "out" / "grace-key.html").exists()


def test_handout_command_needs_roster_or_forms(tmp_path: Path, examples: Path) -> None:
    result = run("export", "handout", str(examples / "lecture.yaml"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "pass --roster CSV" in result.output


def test_variants_must_be_positive(tmp_path: Path, examples: Path) -> None:
    result = run("export", "moodle", str(examples / "lecture.yaml"), "--variants", "0", "--out", str(tmp_path / "q.xml"))
    assert result.exit_code == 2
    assert "0 is not in the range 1<=x<=500" in result.output


def test_invalid_gradebook_exits_with_two(tmp_path: Path) -> None:
    grades = tmp_path / "grades.csv"
    grades.write_text("id,score\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "gradebook", "--grades", str(grades), "--format", "canvas",
                                       "--out", str(tmp_path / "c.csv")])
    assert result.exit_code == 2
    assert "is not that of an effquiz gradebook" in result.output
