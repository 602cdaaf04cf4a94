"""Grading a folder of submissions on this machine, the way Gradescope would.

Each submission gets its own copy of Gradescope's tree, with the autograder zip unpacked
in ``source/``, and the zip's own ``run_autograder`` runs in it. So a local grade goes
through exactly the code that grades on Gradescope. The student is named by the file:
``<student_id>.ipynb``, or ``<student_id>.zip`` for the zip that the notebook's export
cell writes.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from effquiz.errors import GradingError

from effquiz.grader.config import CONFIG_NAME, GradingConfig
from effquiz.grader.gradescope import DETAIL_FILE, PACKAGE_FOLDER
from effquiz.grader.results import SubmissionResult

logger = logging.getLogger(__name__)

SUBMISSION_SUFFIXES = (".ipynb", ".zip")
MAX_UNZIPPED_BYTES = 200_000_000


@dataclass(frozen=True)
class Submission:
    """One file to grade and the student it belongs to."""

    student_id: str
    path: Path


def find_autograder(build_dir: Path) -> Path:
    """Return the autograder zip of a build folder."""
    zips = sorted((build_dir / "autograder").glob("*-autograder.zip"))
    if len(zips) != 1:
        raise GradingError(f"expected one autograder zip in {build_dir / 'autograder'}, found {len(zips)}.",
                           fix="pass the folder that 'effquiz build --out' wrote.")
    return zips[0]


def read_config(autograder: Path) -> GradingConfig:
    """Read the grading configuration from inside an autograder zip."""
    try:
        with zipfile.ZipFile(autograder) as archive:
            data = json.loads(archive.read(f"{PACKAGE_FOLDER}/{CONFIG_NAME}"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise GradingError(f"cannot read the grading configuration in {autograder}: {error}.",
                           fix="rebuild with 'effquiz build'.") from error
    return GradingConfig.from_json(data)


def find_submissions(folder: Path) -> list[Submission]:
    """Return the submissions in ``folder``, named ``<student_id>.ipynb`` or ``<student_id>.zip``."""
    if not folder.is_dir():
        raise GradingError(f"the submissions folder {folder} does not exist.",
                           fix="pass the folder that holds <student_id>.ipynb files.")
    found = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in SUBMISSION_SUFFIXES:
            found.append(Submission(unicodedata.normalize("NFC", path.stem), path))
    return found


def _unpack_submission(submission: Submission, target: Path) -> None:
    if submission.path.suffix.lower() == ".ipynb":
        shutil.copy(submission.path, target / submission.path.name)
        return
    with zipfile.ZipFile(submission.path) as archive:
        total = 0
        for info in archive.infolist():
            name = Path(info.filename)
            if info.is_dir() or name.is_absolute() or ".." in name.parts:
                continue
            total += info.file_size
            if total > MAX_UNZIPPED_BYTES:
                raise GradingError(f"{submission.path.name} unpacks to more than {MAX_UNZIPPED_BYTES} bytes.")
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.read(info))


def grade_one(submission: Submission, autograder: Path, config: GradingConfig, *, timeout: float) -> SubmissionResult:
    """Grade one submission in a fresh Gradescope tree; raise GradingError if no result came back."""
    entry = config.student(submission.student_id)
    with tempfile.TemporaryDirectory(prefix="effquiz-grade-") as scratch:
        root = Path(scratch) / "autograder"
        for folder in ("source", "submission", "results"):
            (root / folder).mkdir(parents=True)
        with zipfile.ZipFile(autograder) as archive:
            archive.extractall(root / "source")
        try:
            _unpack_submission(submission, root / "submission")
        except (OSError, zipfile.BadZipFile) as error:
            raise GradingError(f"cannot unpack {submission.path.name}: {error}.") from error
        user = {"sid": submission.student_id, "email": entry.email if entry else "", "name": entry.name if entry else ""}
        (root / "submission_metadata.json").write_text(json.dumps({"users": [user]}), encoding="utf-8")

        environment = dict(os.environ, EFFQUIZ_PYTHON=sys.executable, TMPDIR=scratch)
        command = ["bash", str(root / "source" / "run_autograder")]
        try:
            completed = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True,
                                       errors="replace", timeout=timeout + 60)
        except subprocess.TimeoutExpired as error:
            raise GradingError(f"grading {submission.path.name} timed out after {timeout + 60:g} s.") from error
        detail = root / "results" / DETAIL_FILE
        if not detail.exists():
            tail = (completed.stdout + completed.stderr)[-2000:]
            raise GradingError(f"the autograder wrote no result for {submission.path.name} "
                               f"(exit code {completed.returncode}):\n{tail}")
        return SubmissionResult.from_json(json.loads(detail.read_text(encoding="utf-8")))
