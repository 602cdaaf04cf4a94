"""A private copy of Gradescope's folder tree for each submission the fast engine runs.

The layout is the one the Otter path grades in, so that a notebook finds the same
files in the same places::

    <run>/autograder/source/          the autograder zip, without effquiz's own files
    <run>/autograder/submission/      the notebook (or the unpacked zip), tests/, __init__.py
    <run>/autograder/effquiz_answers/ where the hidden tests write the answers
    <run>/autograder/effquiz_probes/  the inputs for function parts, which the hidden tests read
    <run>/autograder/submission_metadata.json
    <run>/tmp/                        TMPDIR while the notebook runs

Each ``<run>`` folder has a random name inside a runs folder that is not listable
(mode 0o300), so a notebook cannot find the folder of another submission graded at the
same time by listing its parent. That is no barrier to a process running as the same
user that reads ``/proc``: grade untrusted classes in a container or as another user.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from effquiz.grader.gradescope import ANSWERS_FOLDER, PROBES_FOLDER
from effquiz.grader.submissions import Submission, unpack_submission

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubmissionTree:
    """The folders of one submission's run."""

    run: Path
    autograder: Path
    submission: Path
    answers: Path
    probes: Path
    tmp: Path


def make_tree(runs: Path, source_files: dict[str, bytes], submission: Submission, notebook_name: str,
              metadata: dict[str, Any]) -> SubmissionTree:
    """Lay out a fresh tree for ``submission`` under ``runs``; raise SubmissionError for a bad zip.

    The steps follow Otter 7.0.0's ``PythonRunner.prepare_files``: the submission is
    unpacked first, then ``source/files`` and ``source/tests`` are copied over it.
    """
    run = Path(tempfile.mkdtemp(prefix="", dir=runs))
    autograder = run / "autograder"
    tree = SubmissionTree(run=run, autograder=autograder, submission=autograder / "submission",
                          answers=autograder / ANSWERS_FOLDER, probes=autograder / PROBES_FOLDER, tmp=run / "tmp")
    for folder in (tree.submission, autograder / "source", autograder / "results", tree.answers, tree.probes,
                   tree.tmp):
        folder.mkdir(parents=True)
    for name, content in source_files.items():
        path = autograder / "source" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (autograder / "submission_metadata.json").write_text(json.dumps(metadata), encoding="utf-8")

    unpack_submission(submission, tree.submission, notebook_name)
    files = autograder / "source" / "files"
    if files.is_dir():
        for path in files.iterdir():
            if path.is_dir() and not (tree.submission / path.name).exists():
                shutil.copytree(path, tree.submission / path.name)
            elif path.is_file():
                shutil.copy(path, tree.submission)
    shutil.rmtree(tree.submission / "tests", ignore_errors=True)
    shutil.copytree(autograder / "source" / "tests", tree.submission / "tests")
    (autograder / "__init__.py").touch()
    (tree.submission / "__init__.py").touch()
    return tree


# What the tree holds above the submission folder before the notebook runs.
EXPECTED_IN_AUTOGRADER = frozenset({"source", "submission", "results", ANSWERS_FOLDER, PROBES_FOLDER, "__init__.py",
                                    "__pycache__", "submission_metadata.json"})
EXPECTED_IN_RUN = frozenset({"autograder", "tmp"})


def files_written_outside(tree: SubmissionTree) -> list[str]:
    """Return the entries the notebook added above its folder, as paths relative to that folder.

    Only the two levels of the tree that effquiz owns are listed; writes further up
    land in the runs folder, which cannot be listed, or beyond it.
    """
    found = []
    for folder, expected, prefix in ((tree.autograder, EXPECTED_IN_AUTOGRADER, "../"),
                                     (tree.run, EXPECTED_IN_RUN, "../../")):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        found += [prefix + name for name in names if name not in expected]
    return found


def remove_tree(path: Path) -> None:
    """Delete a folder that a notebook wrote into, including read-only parts; log what remains.

    Never raises: a file that cannot be deleted is logged and left behind.
    """
    def make_writable(function: Any, failed: str, error: Any) -> None:
        if isinstance(error[1], FileNotFoundError):
            return
        try:
            os.chmod(os.path.dirname(failed), stat.S_IRWXU)
            if os.path.isdir(failed) and not os.path.islink(failed):
                os.chmod(failed, stat.S_IRWXU)
                shutil.rmtree(failed, ignore_errors=True)
            elif function in (os.unlink, os.remove, os.rmdir):
                function(failed)
        except OSError as failure:
            logger.warning("could not delete %s: %s", failed, failure)

    try:
        if path.exists() or path.is_symlink():
            shutil.rmtree(path, onerror=make_writable)
    except OSError as error:
        logger.warning("could not delete %s: %s", path, error)


def make_runs_folder(parent: Path) -> Path:
    """Create the folder that holds the runs, listable by nobody (mode 0o300)."""
    runs = Path(tempfile.mkdtemp(prefix="runs-", dir=parent))
    os.chmod(runs, stat.S_IWUSR | stat.S_IXUSR)
    return runs


def remove_runs_folder(runs: Path) -> None:
    """Make the runs folder listable again and delete it."""
    try:
        os.chmod(runs, stat.S_IRWXU)
    except OSError as error:
        logger.warning("could not make %s listable: %s", runs, error)
    remove_tree(runs)
