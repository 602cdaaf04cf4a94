"""Finding submissions in a folder and unpacking them safely."""

from __future__ import annotations

import json
import unicodedata
import zipfile
from pathlib import Path

import pytest

from effquiz.errors import SubmissionError
from effquiz.grader.engine.limits import format_size, parse_size
from effquiz.errors import GradingError
from effquiz.grader.batch import check_submissions_match, plan_batch
from effquiz.grader.config import GradingConfig, RosterEntry
from effquiz.grader.journal import ResultsData
from effquiz.grader.shards import BuildIdentity
from effquiz.grader.submissions import (NotebookIdentity, Submission, choose_submission, notebook_identity,
                                        scan_folder, unpack_submission)


def test_scan_lists_other_files_as_ignored(tmp_path: Path) -> None:
    for name in ("ada.ipynb", "alan.zip", "notes.txt", ".DS_Store"):
        (tmp_path / name).write_text("x")
    (tmp_path / "extra").mkdir()

    scanned = scan_folder(tmp_path)

    assert [submission.student_id for submission in scanned.submissions] == ["ada", "alan"]
    assert scanned.ignored == ("extra/", "notes.txt")


def test_scan_normalizes_ids_to_nfc(tmp_path: Path) -> None:
    (tmp_path / (unicodedata.normalize("NFD", "zoë") + ".ipynb")).write_text("x")

    scanned = scan_folder(tmp_path)

    assert scanned.submissions[0].student_id == unicodedata.normalize("NFC", "zoë")


def test_export_zip_wins_over_notebook(tmp_path: Path) -> None:
    notebook, archive = Submission("ada", tmp_path / "ada.ipynb"), Submission("ada", tmp_path / "ada.zip")

    chosen, others = choose_submission([notebook, archive])

    assert chosen == archive
    assert others == (notebook,)


def test_notebook_is_copied_under_handed_out_name(tmp_path: Path) -> None:
    source = tmp_path / "ada.ipynb"
    source.write_text("{}")
    target = tmp_path / "tree"
    target.mkdir()

    unpack_submission(Submission("ada", source), target, "lecture.ipynb")

    assert (target / "lecture.ipynb").read_text() == "{}"


def test_zip_entries_outside_folder_are_skipped(tmp_path: Path) -> None:
    source = tmp_path / "ada.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("lecture.ipynb", "{}")
        archive.writestr("../escaped.txt", "x")
        archive.writestr("/absolute.txt", "x")
        archive.writestr("data/table.csv", "a,b")
    target = tmp_path / "tree"
    target.mkdir()

    unpack_submission(Submission("ada", source), target, "lecture.ipynb")

    assert sorted(path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file()) == \
        ["data/table.csv", "lecture.ipynb"]
    assert not (tmp_path / "escaped.txt").exists()


def test_file_that_is_no_zip_is_rejected(tmp_path: Path) -> None:
    source = tmp_path / "ada.zip"
    source.write_bytes(b"%PDF-1.4 not a zip")
    target = tmp_path / "tree"
    target.mkdir()

    with pytest.raises(SubmissionError, match="ada.zip is not a zip archive that can be unpacked"):
        unpack_submission(Submission("ada", source), target, "lecture.ipynb")


def test_zip_bomb_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("effquiz.grader.submissions.MAX_UNZIPPED_BYTES", 1000)
    source = tmp_path / "ada.zip"
    with zipfile.ZipFile(source, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lecture.ipynb", "0" * 5000)
    target = tmp_path / "tree"
    target.mkdir()

    with pytest.raises(SubmissionError, match="unpacks to more than"):
        unpack_submission(Submission("ada", source), target, "lecture.ipynb")


@pytest.mark.parametrize(("text", "expected"), [
    ("1GiB", 2**30), ("512MiB", 512 * 2**20), ("2GB", 2 * 10**9), ("300", 300 * 2**20), ("1.5g", 3 * 2**29)])
def test_sizes_parse(text: str, expected: int) -> None:
    assert parse_size(text) == expected


def test_invalid_size_is_rejected() -> None:
    with pytest.raises(GradingError, match="'lots' is not valid.*1GiB"):
        parse_size("lots")


def test_size_is_formatted_in_binary_units() -> None:
    assert format_size(2**30) == "1 GiB"
    assert format_size(1536 * 2**20) == "1.5 GiB"


def _notebook(path: Path, assignment: str, student_id: str) -> Path:
    metadata = {"effquiz": {"assignment": assignment, "student_id": student_id}}
    path.write_text(json.dumps({"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}),
                    encoding="utf-8")
    return path


def _config(*student_ids: str) -> GradingConfig:
    return GradingConfig(effquiz_version="0", assignment_name="lecture", course_seed=1, reveal_correctness=False,
                         questions=(), template_texts={},
                         students=tuple(RosterEntry(student_id=sid, email="", name="", fingerprint="")
                                        for sid in student_ids))


def test_identity_read_from_notebook_and_zip(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path / "x.ipynb", "lecture", "ada")
    with zipfile.ZipFile(tmp_path / "x.zip", "w") as archive:
        archive.write(notebook, "lecture.ipynb")

    assert notebook_identity(Submission("x", notebook)) == NotebookIdentity("lecture", "ada")
    assert notebook_identity(Submission("x", tmp_path / "x.zip")) == NotebookIdentity("lecture", "ada")


def test_identity_of_unreadable_file_is_empty(tmp_path: Path) -> None:
    (tmp_path / "x.ipynb").write_text("not json", encoding="utf-8")

    assert notebook_identity(Submission("x", tmp_path / "x.ipynb")) == NotebookIdentity()


def test_folder_with_no_roster_student_is_refused(tmp_path: Path) -> None:
    _notebook(tmp_path / "w1.ipynb", "week3", "sam")
    _notebook(tmp_path / "w2.ipynb", "week3", "kim")

    with pytest.raises(GradingError, match=r"none of the 2 submissions .* Their notebooks belong to 'week3'"):
        check_submissions_match(tmp_path, _config("ada", "alan"))


def test_folder_with_one_roster_student_is_accepted(tmp_path: Path) -> None:
    _notebook(tmp_path / "ada.ipynb", "lecture", "ada")
    _notebook(tmp_path / "stray.ipynb", "lecture", "alan")

    check_submissions_match(tmp_path, _config("ada", "alan"))


def test_unrenamed_export_names_its_owner(tmp_path: Path) -> None:
    _notebook(tmp_path / "ada.ipynb", "lecture", "ada")
    _notebook(tmp_path / "lecture_2026_12_04.ipynb", "lecture", "alan")

    data = ResultsData(path=tmp_path / "results.jsonl", build=BuildIdentity("0", "lecture", (), ("ada", "alan")),
                       shard=None)
    plan = plan_batch(tmp_path, _config("ada", "alan"), data, shard=None, regrade=False)

    assert [item.name for item in plan.rejected] == ["lecture_2026_12_04"]
    assert "handed out to alan: rename the file to alan.ipynb" in plan.rejected[0].note
