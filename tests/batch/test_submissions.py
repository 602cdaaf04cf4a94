"""Finding submissions in a folder and unpacking them safely."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest

from effquiz.errors import SubmissionError
from effquiz.grader.engine.limits import format_size, parse_size
from effquiz.grader.submissions import Submission, choose_submission, scan_folder, unpack_submission
from effquiz.errors import GradingError


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
