"""Grading on this machine the way Gradescope would: the Otter engine.

Each submission gets its own copy of Gradescope's tree, with the autograder zip unpacked
in ``source/``, and the zip's own ``run_autograder`` runs in it. So a local grade goes
through exactly the code that grades on Gradescope: Otter executes the notebook in a
Jupyter kernel, and effquiz's judge decides the points. It costs a few seconds per
submission, most of it spent starting Otter and the kernel. The fast engine
(:mod:`effquiz.grader.engine`) reaches the same scores in a fraction of that time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from effquiz.errors import GradingError, SubmissionError

from effquiz.grader.config import CONFIG_NAME, GradingConfig
from effquiz.grader.engine.judging import not_graded
from effquiz.grader.engine.limits import GradingLimits
from effquiz.grader.engine.messages import NOT_A_NOTEBOOK, SUBMISSION_TIMEOUT
from effquiz.grader.processes import kill_tree
from effquiz.grader.gradescope import DETAIL_FILE, PACKAGE_FOLDER
from effquiz.grader.notes import handed_out_note, part_notes
from effquiz.grader.records import GradedSubmission
from effquiz.grader.results import SubmissionResult
from effquiz.grader.submissions import (MAX_UNZIPPED_BYTES, SUBMISSION_SUFFIXES, Submission,  # noqa: F401
                                        find_submissions, notebook_identity, unpack_submission)
from effquiz.variants.seeds import student_seed

logger = logging.getLogger(__name__)

OTTER_FAILED = "Otter run failed"
# Seconds that unpacking the zip and starting the judge may add to the submission timeout.
START_ALLOWANCE = 60.0


class GradingTimeout(GradingError):
    """The Otter path did not finish within the submission timeout."""


def find_autograder(build_dir: Path) -> Path:
    """Return the autograder zip of a build folder."""
    if not Path(build_dir).is_dir():
        raise GradingError(f"the build folder {build_dir} does not exist.",
                           fix="pass the folder that 'effquiz build --out' wrote.")
    zips = sorted((Path(build_dir) / "autograder").glob("*-autograder.zip"))
    if len(zips) != 1:
        raise GradingError(f"expected one autograder zip in {Path(build_dir) / 'autograder'}, found {len(zips)}.",
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


def _run_session(command: list[str], *, cwd: Path, environment: dict[str, str], timeout: float,
                 running: set[int] | None = None) -> tuple[int, str]:
    """Run ``command`` in a new session and kill everything it started once it ends or times out.

    The session leader's pid is in ``running`` while it runs.
    """
    process = subprocess.Popen(command, cwd=cwd, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    if running is not None:
        running.add(process.pid)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise GradingTimeout(f"the Otter path was still running after {timeout:g} s.") from error
    finally:
        # jupyter_client starts kernels in sessions of their own, so the process group
        # alone would miss them: kill the whole tree below the session leader.
        # NOTE: once the leader has exited, the processes it left behind belong to init
        # and are out of reach here. The fast engine's workers catch them as subreapers.
        kill_tree(process.pid)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if running is not None:
            running.discard(process.pid)
    return process.returncode, output.decode("utf-8", "replace")


def grade_one(submission: Submission, autograder: Path, config: GradingConfig, *, timeout: float,
              running: set[int] | None = None) -> SubmissionResult:
    """Grade one submission in a fresh Gradescope tree.

    Raises SubmissionError for a zip that cannot be unpacked, GradingTimeout when the run
    outlasts ``timeout`` seconds, and GradingError if the judge wrote no result. The pid
    of the running autograder is in ``running`` while it runs.
    """
    entry = config.student(submission.student_id)
    with tempfile.TemporaryDirectory(prefix="effquiz-grade-") as scratch:
        root = Path(scratch) / "autograder"
        for folder in ("source", "submission", "results"):
            (root / folder).mkdir(parents=True)
        with zipfile.ZipFile(autograder) as archive:
            archive.extractall(root / "source")
        unpack_submission(submission, root / "submission", f"{config.assignment_name}.ipynb")
        user = {"sid": submission.student_id, "email": entry.email if entry else "", "name": entry.name if entry else ""}
        (root / "submission_metadata.json").write_text(json.dumps({"users": [user]}), encoding="utf-8")

        environment = dict(os.environ, EFFQUIZ_PYTHON=sys.executable, TMPDIR=scratch)
        code, output = _run_session(["bash", str(root / "source" / "run_autograder")], cwd=root,
                                    environment=environment, timeout=timeout + START_ALLOWANCE, running=running)
        detail = root / "results" / DETAIL_FILE
        if not detail.exists():
            raise GradingError(f"the autograder wrote no result for {submission.path.name} "
                               f"(exit code {code}):\n{output[-2000:]}")
        return SubmissionResult.from_json(json.loads(detail.read_text(encoding="utf-8")))


class OtterEngine:
    """An engine that grades each submission with one ``run_autograder`` process, as Gradescope does."""

    name = "otter"

    def __init__(self, *, autograder: Path, config: GradingConfig, limits: GradingLimits) -> None:
        self.autograder = autograder
        self.config = config
        self.limits = limits
        self.running: set[int] = set()

    def start(self) -> None:
        """Nothing to start: each submission starts its own processes."""

    def stop(self) -> None:
        """Kill the autograders still running, with every process they started."""
        for pid in list(self.running):
            kill_tree(pid)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)

    def close(self) -> None:
        """Kill the autograders still running; each submission's files go with its own run."""
        self.stop()

    def grade(self, submission: Submission) -> GradedSubmission:
        """Grade one roster student's submission through Otter; raise GradingError if no result came back."""
        started = time.monotonic()
        digest = submission.sha256()
        seed = student_seed(self.config.course_seed, submission.student_id)

        def record(result: SubmissionResult, reason: str | None, notes: tuple[str, ...] = ()) -> GradedSubmission:
            return GradedSubmission(student_id=submission.student_id, file=submission.path.name, file_sha256=digest,
                                    result=result, reason=reason, notes=notes, engine=self.name,
                                    seconds=time.monotonic() - started)

        try:
            result = grade_one(submission, self.autograder, self.config, timeout=self.limits.submission_timeout,
                               running=self.running)
        except SubmissionError as error:
            return record(not_graded(self.config, submission.student_id, str(error), seed=seed), NOT_A_NOTEBOOK)
        except GradingTimeout as error:
            message = f"Grading stopped: {error} The time limit per submission is {self.limits.submission_timeout:g} s."
            return record(not_graded(self.config, submission.student_id, message, seed=seed), SUBMISSION_TIMEOUT)
        notes = part_notes(result)
        handed_out_to = notebook_identity(submission).student_id
        if handed_out_to and handed_out_to != submission.student_id:
            notes = (*notes, handed_out_note(handed_out_to, submission.student_id))
        return record(result, OTTER_FAILED if result.error else None, notes)
