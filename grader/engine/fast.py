"""The fast engine: grades submissions in warm workers and judges them in this process.

:class:`FastEngine` lays out a private tree per submission (:mod:`.tree`), has a warm
worker execute the notebook there (:mod:`.worker`), turns the worker's report into
messages (:mod:`.messages`) and judges the values that the hidden tests collected
(:mod:`.judging`). Only JSON comes back from the notebook's process.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import stat
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

from effquiz.errors import GradingError, SubmissionError

from effquiz.grader.config import GradingConfig
from effquiz.grader.engine.judging import judge_answers, not_graded, prepare_student
from effquiz.grader.engine.limits import GradingLimits, format_size
from effquiz.grader.engine.messages import NOT_A_NOTEBOOK, describe_run
from effquiz.grader.engine.pool import WorkerFailure, WorkerPool
from effquiz.grader.engine.report import RunReport
from effquiz.grader.engine.tree import (files_written_outside, make_runs_folder, make_tree, remove_runs_folder,
                                         remove_tree)
from effquiz.grader.environment import notebook_environment
from effquiz.grader.gradescope import MAX_ANSWER_BYTES, PACKAGE_FOLDER, collected_answers, write_probes
from effquiz.grader.notes import part_notes
from effquiz.grader.records import GradedSubmission
from effquiz.grader.submissions import Submission

logger = logging.getLogger(__name__)

# An estimate of the address space a notebook needs beyond what the warm worker maps
# before it runs: IPython, Otter and the tests, with room for small arrays.
MEMORY_HEADROOM = 256 * 2**20
WORKER_CRASHED = "grading worker crashed"


class RetryLater(GradingError):
    """A submission could not be graded for a reason on effquiz's side; a later batch retries it."""


def autograder_files(autograder: Path) -> dict[str, bytes]:
    """Return the files of an autograder zip, without effquiz's wheel and configuration."""
    try:
        with zipfile.ZipFile(autograder) as archive:
            return {name: archive.read(name) for name in archive.namelist()
                    if not name.endswith("/") and not name.startswith(f"{PACKAGE_FOLDER}/")}
    except (OSError, zipfile.BadZipFile) as error:
        raise GradingError(f"cannot read the autograder zip {autograder}: {error}.",
                           fix="rebuild it with 'effquiz build'.") from error


def otter_settings(files: dict[str, bytes]) -> dict[str, Any]:
    """Return the settings of the zip's otter_config.json that change how a notebook runs.

    Raises GradingError for settings the fast engine does not reproduce: plugins,
    grading from a log, and languages other than Python.
    """
    try:
        config = json.loads(files.get("otter_config.json", b"{}"))
    except ValueError as error:
        raise GradingError(f"the autograder's otter_config.json is not valid JSON: {error}.",
                           fix="rebuild the autograder with 'effquiz build'.") from error
    unsupported = [key for key in ("plugins", "grade_from_log") if config.get(key)]
    if config.get("lang", "python") != "python":
        unsupported.append(f"lang: {config['lang']}")
    if unsupported:
        raise GradingError(f"the fast engine does not run Otter's {', '.join(unsupported)}.",
                           fix="grade with --engine otter.")
    return {"assignment": config.get("assignment_name"), "seed": config.get("seed"),
            "seed_variable": config.get("seed_variable"), "allow_errors": not config.get("debug", False)}


def copy_answers(answers: Path, target: Path) -> tuple[str, ...]:
    """Copy the regular JSON files of ``answers`` into the folder ``target``; return the names skipped.

    The notebook could have replaced an answer file, or the folder itself, with a
    symbolic link, a FIFO or a device such as /dev/zero, which would block or never end a
    read. Each file is opened without following links and without blocking, and read
    only if it is a regular file within the size limit.
    """
    skipped = []
    try:
        entries = list(os.scandir(answers)) if not answers.is_symlink() else []
    except OSError:
        entries = []
    for entry in entries:
        if not entry.name.endswith(".json"):
            continue
        try:
            handle = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            skipped.append(entry.name)
            continue
        with os.fdopen(handle, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_ANSWER_BYTES:
                skipped.append(entry.name)
                continue
            (target / entry.name).write_bytes(file.read(MAX_ANSWER_BYTES + 1))
    return tuple(sorted(skipped))


class FastEngine:
    """Warm workers that execute notebooks, with judging in the calling process.

    ``grade`` may be called from several threads at once, up to one per worker.
    """

    name = "fast"

    def __init__(self, *, autograder: Path, config: GradingConfig, limits: GradingLimits, workers: int) -> None:
        self.config = config
        self.limits = limits
        self.files = autograder_files(autograder)
        self.settings = otter_settings(self.files)
        self.notebook_name = f"{config.assignment_name}.ipynb"
        self.watch = [part.variable for question in config.questions for part in question.template.parts]
        self.work = Path(tempfile.mkdtemp(prefix="effquiz-grade-"))
        self.pool = WorkerPool(workers, self.work)
        self.runs = make_runs_folder(self.work)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start the workers and check that the memory limit leaves room to run a notebook."""
        self.pool.start()
        needed = self.pool.address_space + MEMORY_HEADROOM
        if self.limits.memory_bytes is not None and self.limits.memory_bytes < needed:
            raise GradingError(f"the memory limit of {format_size(self.limits.memory_bytes)} is below the "
                               f"{format_size(needed)} that a grading process needs before the notebook runs.",
                               fix=f"pass --memory-limit {needed // 2**20 + 1}MiB or more.")

    def stop(self) -> None:
        """Stop the workers, which kill the notebooks they run; ``grade`` calls still running then fail."""
        self.pool.stop()

    def close(self) -> None:
        """Stop the workers and delete every temporary file; calling it again does nothing.

        Call it once no ``grade`` call is running any more.
        """
        if self._closed:
            return
        self._closed = True
        self.pool.stop()
        remove_runs_folder(self.runs)
        remove_tree(self.work)

    def _job(self, tree: Any) -> dict[str, Any]:
        with self._lock:
            number = next(self._ids)
        environment = notebook_environment(os.environ, answers_dir=tree.answers, probes_dir=tree.probes)
        environment["TMPDIR"] = str(tree.tmp)
        return {"id": str(number), "workdir": str(tree.submission), "environment": environment,
                "tests_dir": "./tests", "limits": self.limits.to_json(), "watch": self.watch, **self.settings}

    def grade(self, submission: Submission) -> GradedSubmission:
        """Grade one roster student's submission; raise RetryLater when effquiz, not the file, failed."""
        started = time.monotonic()
        digest = submission.sha256()
        try:
            student = prepare_student(self.config, submission.student_id)
        except SubmissionError as error:
            raise RetryLater(str(error)) from error

        def record(result: Any, reason: str | None = None, notes: tuple[str, ...] = ()) -> GradedSubmission:
            return GradedSubmission(student_id=submission.student_id, file=submission.path.name, file_sha256=digest,
                                    result=result, reason=reason, notes=notes, engine=self.name,
                                    seconds=time.monotonic() - started)

        entry = self.config.student(submission.student_id)
        metadata = {"users": [{"sid": submission.student_id, "email": entry.email, "name": entry.name}]}
        for attempt in (1, 2):
            try:
                tree = make_tree(self.runs, self.files, submission, self.notebook_name, metadata)
            except SubmissionError as error:
                return record(not_graded(self.config, submission.student_id, str(error), seed=student.seed),
                              reason=NOT_A_NOTEBOOK)
            write_probes(self.config, student.variants, tree.probes)
            try:
                try:
                    with self.pool.borrow() as worker:
                        report = RunReport.from_json(worker.run(self._job(tree)))
                except WorkerFailure as error:
                    if self.pool.closing:
                        raise RetryLater("the batch stopped while this submission was being graded.") from error
                    logger.warning("grading %s, attempt %s: %s", submission.path.name, attempt, error)
                    if attempt == 1:
                        continue
                    message = ("The grading worker stopped twice while it ran this notebook, so the notebook "
                               "may have killed it. Course staff can grade it again with --regrade.")
                    return record(judge_answers(self.config, student, tree.answers, error=message),
                                  reason=WORKER_CRASHED)
                verdict = describe_run(report, limits=self.limits, student_id=submission.student_id,
                                       file_name=submission.path.name, notebook_name=self.notebook_name,
                                       assignment=self.config.assignment_name)
                if verdict.retry:
                    raise RetryLater(verdict.error)
                answers = Path(tempfile.mkdtemp(prefix="answers-", dir=self.work))
                try:
                    skipped = copy_answers(tree.answers, answers)
                    result = judge_answers(self.config, student, answers, error=verdict.error)
                    out_of_order = self._out_of_order(answers, report)
                finally:
                    remove_tree(answers)
                notes = verdict.notes + tuple(f"The answer file {name} was not a regular file, so it was not read."
                                              for name in skipped)
                outside = files_written_outside(tree)
                if outside:
                    notes += (f"The notebook wrote outside its folder ({', '.join(outside[:5])}); grading ignores "
                              f"those files.",)
                notes += part_notes(result, out_of_order=out_of_order)
                return record(result, reason=verdict.reason, notes=notes)
            finally:
                remove_tree(tree.run)
        raise AssertionError("unreachable: the second attempt always returns")

    def _out_of_order(self, answers_dir: Path, report: RunReport) -> dict[str, list[str]]:
        found = {}
        for question in self.config.questions:
            collected = collected_answers(answers_dir, question.id) or {}
            found[question.id] = [name for name, encoded in collected.items()
                                  if isinstance(encoded, dict) and encoded.get("kind") == "undefined"
                                  and name in report.defined]
        return found
