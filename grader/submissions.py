"""Finding submissions in a folder and unpacking one into a grading tree.

A submission is ``<student_id>.ipynb`` or ``<student_id>.zip``, the zip being what the
notebook's export cell writes. The student id is the file name without its suffix, in
Unicode NFC form, as the roster stores ids.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from effquiz.errors import GradingError, SubmissionError

SUBMISSION_SUFFIXES = (".ipynb", ".zip")
MAX_METADATA_NOTEBOOK_BYTES = 50_000_000
MAX_UNZIPPED_BYTES = 200_000_000
MAX_ZIP_ENTRIES = 10_000


@dataclass(frozen=True)
class Submission:
    """One file to grade and the student it belongs to."""

    student_id: str
    path: Path

    def sha256(self) -> str:
        """Return the SHA-256 of the file's bytes, in hex."""
        digest = hashlib.sha256()
        with open(self.path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


@dataclass(frozen=True)
class SubmissionFolder:
    """What a submissions folder holds: the submissions, and the entries that are not."""

    submissions: tuple[Submission, ...]
    ignored: tuple[str, ...]


def scan_folder(folder: Path) -> SubmissionFolder:
    """Return the submissions in ``folder`` and the names of the other visible entries."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GradingError(f"the submissions folder {folder} does not exist.",
                           fix="pass the folder that holds <student_id>.ipynb or <student_id>.zip files.")
    found, ignored = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_file() and path.suffix.lower() in SUBMISSION_SUFFIXES:
            found.append(Submission(unicodedata.normalize("NFC", path.stem), path))
        else:
            ignored.append(path.name + ("/" if path.is_dir() else ""))
    return SubmissionFolder(tuple(found), tuple(ignored))


def find_submissions(folder: Path) -> list[Submission]:
    """Return the submissions in ``folder``, named ``<student_id>.ipynb`` or ``<student_id>.zip``."""
    return list(scan_folder(folder).submissions)


def choose_submission(candidates: list[Submission]) -> tuple[Submission, tuple[Submission, ...]]:
    """Return the file to grade among one student's files, and the files left out.

    The export zip wins over a bare notebook, because the notebook tells students to
    upload the zip; among files of one kind the first name in sorted order wins.
    """
    ordered = sorted(candidates, key=lambda item: (item.path.suffix.lower() != ".zip", item.path.name))
    return ordered[0], tuple(ordered[1:])


def unpack_submission(submission: Submission, target: Path, notebook_name: str) -> None:
    """Put the submission's files into ``target``: a notebook as ``notebook_name``, a zip unpacked.

    A notebook is renamed to the handed-out name, which the notebook's own
    ``otter.Notebook(...)`` cell opens. Raises SubmissionError for a zip that cannot be
    unpacked safely.
    """
    if submission.path.suffix.lower() == ".ipynb":
        shutil.copyfile(submission.path, target / notebook_name)
        return
    name = submission.path.name
    try:
        with zipfile.ZipFile(submission.path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise SubmissionError(f"{name} holds {len(entries)} files, more than {MAX_ZIP_ENTRIES}.",
                                      student_id=submission.student_id,
                                      fix="upload the zip that the notebook's last cell writes.")
            total = 0
            for info in entries:
                path = Path(info.filename)
                is_link = stat.S_ISLNK(info.external_attr >> 16)
                if info.is_dir() or is_link or path.is_absolute() or ".." in path.parts or "\x00" in info.filename:
                    continue
                total += info.file_size
                if total > MAX_UNZIPPED_BYTES:
                    raise SubmissionError(f"{name} unpacks to more than {MAX_UNZIPPED_BYTES // 10**6} MB.",
                                          student_id=submission.student_id,
                                          fix="upload the zip that the notebook's last cell writes.")
                destination = target / path
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.read(info))
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError) as error:
        raise SubmissionError(f"{name} is not a zip archive that can be unpacked: {error}.",
                              student_id=submission.student_id,
                              fix="upload the zip that the notebook's last cell writes, or the .ipynb file.") from error


@dataclass(frozen=True)
class NotebookIdentity:
    """What a notebook's own metadata says about it: its assignment and the student it was handed out to.

    The metadata is the student's to edit, so it only ever informs a note; it never decides
    whose variant is graded.
    """

    assignment: str | None = None
    student_id: str | None = None


def notebook_identity(submission: Submission) -> NotebookIdentity:
    """Read the assignment and student named in a submission's notebook metadata; empty when unreadable."""
    try:
        if submission.path.suffix.lower() == ".ipynb":
            if submission.path.stat().st_size > MAX_METADATA_NOTEBOOK_BYTES:
                return NotebookIdentity()
            data = json.loads(submission.path.read_bytes())
        else:
            with zipfile.ZipFile(submission.path) as archive:
                notebooks = [info for info in archive.infolist()
                             if info.filename.endswith(".ipynb") and info.file_size <= MAX_METADATA_NOTEBOOK_BYTES]
                if not notebooks:
                    return NotebookIdentity()
                data = json.loads(archive.read(notebooks[0]))
    except (OSError, ValueError, zipfile.BadZipFile, RuntimeError, EOFError):
        return NotebookIdentity()
    metadata = data.get("metadata") if isinstance(data, dict) else None
    if not isinstance(metadata, dict):
        return NotebookIdentity()
    own = metadata.get("effquiz") if isinstance(metadata.get("effquiz"), dict) else {}
    otter = metadata.get("otter") if isinstance(metadata.get("otter"), dict) else {}
    assignment = own.get("assignment") or otter.get("assignment_name")
    student_id = own.get("student_id")
    return NotebookIdentity(assignment=str(assignment)[:100] if isinstance(assignment, str) else None,
                            student_id=str(student_id)[:100] if isinstance(student_id, str) else None)
