"""Grading a folder of submissions into a gradebook, feedback files and a results file.

Entry point: :func:`grade_folder`. One broken submission never stops the batch: it gets
a row with a note, and the others are graded as usual. Each result is appended to the
results file, and its feedback written, as soon as it is judged. So an interrupted batch
loses at most the submissions being graded at that moment, and running the same command
again grades only what is left.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import logging
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Protocol

from effquiz.errors import GradingError

from effquiz.grader.config import GradingConfig
from effquiz.grader.engine.fast import FastEngine, RetryLater
from effquiz.grader.engine.judging import not_graded
from effquiz.grader.engine.limits import GradingLimits
from effquiz.grader.gradebook import (GRADEBOOK_COLUMNS, NO_SUBMISSION, NOT_GRADED_YET, NOT_ON_ROSTER, BatchSummary,
                                      GradebookRow, gradebook_csv, row_for, summarize, write_atomic, write_feedback)
from effquiz.grader.journal import RejectedFile, ResultsData, ResultsFile
from effquiz.grader.local import OtterEngine, find_autograder, read_config
from effquiz.grader.records import GradedSubmission
from effquiz.grader.shards import BuildIdentity, ShardSpec
from effquiz.grader.submissions import Submission, choose_submission, notebook_identity, scan_folder
from effquiz.outputs import check_output_file, starts_with_line

logger = logging.getLogger(__name__)

ENGINES = ("fast", "otter")
GRADING_FAILED = "grading failed"
INTERRUPTED = "not graded: the batch was interrupted before this submission was graded. Run the same command again."


class BatchProgress(Protocol):
    """Receives progress while a batch runs, from the thread that called :func:`grade_folder`."""

    def start(self, total: int, skipped: int) -> None:
        """Begin a batch of ``total`` submissions; ``skipped`` were graded by an earlier run."""

    def advance(self, student_id: str, record: GradedSubmission | None) -> None:
        """Count one finished submission; ``record`` is None when it could not be graded."""


@dataclass(frozen=True)
class GradeReport:
    """The output of a batch: the files it wrote, each student's row and a summary."""

    gradebook: Path
    feedback: Path
    results: Path
    rows: tuple[GradebookRow, ...]
    summary: BatchSummary

    @property
    def interrupted(self) -> bool:
        """Whether the batch stopped before grading every submission."""
        return self.summary.interrupted


@dataclass(frozen=True)
class BatchPlan:
    """Which submissions a batch grades, which it keeps from earlier, and which it rejects."""

    to_grade: tuple[Submission, ...]
    kept: tuple[str, ...]
    duplicates: dict[str, str]
    rejected: tuple[RejectedFile, ...]
    ignored: tuple[str, ...]


def default_results_path(out: Path) -> Path:
    """Return the results file that goes with the gradebook ``out``: ``grades.csv`` → ``grades.results.jsonl``."""
    out = Path(out)
    return out.with_name(f"{out.stem}.results.jsonl")


def default_workers() -> int:
    """Return the number of CPU cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _roster_suggestion(config: GradingConfig, student_id: str) -> str:
    folded = student_id.casefold()
    for entry in config.students:
        if entry.student_id.casefold() == folded:
            return f" Did you mean {entry.student_id}? Rename the file to that id."
    return ""


def _owner_hint(config: GradingConfig, submission: Submission) -> str:
    """Suggest a fix from the notebook's own metadata: the right build, or the student to rename it for."""
    identity = notebook_identity(submission)
    if identity.assignment and identity.assignment != config.assignment_name:
        return (f" The notebook belongs to assignment {identity.assignment!r}, not to this build's "
                f"{config.assignment_name!r}: check --build.")
    if identity.student_id and config.student(identity.student_id) is not None:
        return (f" The notebook was handed out to {identity.student_id}: rename the file to "
                f"{identity.student_id}{submission.path.suffix} if it is theirs.")
    return ""


def check_submissions_match(folder: Path, config: GradingConfig) -> None:
    """Raise GradingError when the folder has submissions and none of them is named for a roster student.

    That almost always means the wrong ``--build`` or the wrong folder, so the batch stops
    before it writes anything.
    """
    submissions = scan_folder(folder).submissions
    if not submissions or any(config.student(item.student_id) is not None for item in submissions):
        return
    assignments = sorted({identity.assignment for identity in map(notebook_identity, submissions)
                          if identity.assignment and identity.assignment != config.assignment_name})
    named = f" Their notebooks belong to {', '.join(map(repr, assignments))}." if assignments else ""
    raise GradingError(f"none of the {len(submissions)} submissions in {folder} is named for a student on the "
                       f"roster of the build for {config.assignment_name!r}.{named}",
                       fix="pass the --build folder of the assignment these notebooks belong to, or name each "
                           "file <student_id>.ipynb or <student_id>.zip.")


def plan_batch(folder: Path, config: GradingConfig, data: ResultsData, *, shard: ShardSpec | None,
               regrade: bool) -> BatchPlan:
    """Decide what a batch grades: new and changed submissions, or all of them with ``regrade``."""
    scanned = scan_folder(folder)
    by_student: dict[str, list[Submission]] = {}
    for submission in scanned.submissions:
        if shard is None or shard.includes(submission.student_id):
            by_student.setdefault(submission.student_id, []).append(submission)

    to_grade, kept, duplicates, rejected = [], [], {}, []
    for student_id, candidates in sorted(by_student.items()):
        if config.student(student_id) is None:
            names = ", ".join(candidate.path.name for candidate in candidates)
            note = (f"{names}: {student_id} is not on the roster, so there is no variant to grade against."
                    f"{_roster_suggestion(config, student_id) or _owner_hint(config, candidates[0])}")
            rejected.append(RejectedFile(name=student_id, file=names, reason=NOT_ON_ROSTER, note=note))
            continue
        chosen, others = choose_submission(candidates)
        if others:
            duplicates[student_id] = (f"{len(candidates)} files for this student: graded {chosen.path.name}, "
                                      f"ignored {', '.join(other.path.name for other in others)}. The export zip "
                                      f"counts over a bare notebook; check which file the student meant.")
        earlier = data.records.get(student_id)
        if (not regrade and earlier is not None and earlier.file == chosen.path.name
                and earlier.file_sha256 == chosen.sha256()):
            kept.append(student_id)
        else:
            to_grade.append(chosen)
    return BatchPlan(tuple(to_grade), tuple(kept), duplicates, tuple(rejected), scanned.ignored)


def gradebook_rows(build: BuildIdentity, data: ResultsData, *, shard: ShardSpec | None = None,
                   pending: dict[str, tuple[str, str]] | None = None) -> list[GradebookRow]:
    """Return one row per roster student of the shard, in roster order, then the rejected files."""
    pending = data.pending if pending is None else pending
    rows = []
    for student_id in build.roster:
        if shard is not None and not shard.includes(student_id):
            continue
        if student_id in data.records:
            rows.append(row_for(data.records[student_id]))
        elif student_id in pending:
            reason, note = pending[student_id]
            rows.append(GradebookRow(student_id, None, note, reason))
        else:
            rows.append(GradebookRow(student_id, None, NO_SUBMISSION, NO_SUBMISSION))
    for name in sorted(data.rejected):
        rejected = data.rejected[name]
        rows.append(GradebookRow(rejected.name, None, rejected.note, rejected.reason))
    return rows


def is_gradebook(path: Path) -> bool:
    """Return whether ``path`` starts with the header of an ``effquiz grade`` gradebook."""
    return starts_with_line(",".join(GRADEBOOK_COLUMNS))(path)


def write_gradebook(path: Path, build: BuildIdentity, rows: list[GradebookRow]) -> None:
    """Write the gradebook CSV for ``rows`` atomically."""
    questions = tuple(question for question, _ in build.questions)
    possible = sum((Fraction(points) for _, points in build.questions), Fraction(0))
    write_atomic(path, gradebook_csv(rows, questions, possible))


class StopRequest:
    """Turns the first SIGINT or SIGTERM into a request to stop cleanly; a second one interrupts at once.

    Signal handlers can only be set in the main thread; elsewhere the batch runs to its end.
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        self._previous: dict[int, object] = {}

    def __enter__(self) -> "StopRequest":
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def _handle(self, number: int, frame: object) -> None:
        if self.event.is_set():
            raise KeyboardInterrupt
        logger.warning("stopping after the submissions being graded now (%s)", signal.Signals(number).name)
        self.event.set()

    def __exit__(self, *exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)


def _make_engine(name: str, *, autograder: Path, config: GradingConfig, limits: GradingLimits,
                 workers: int) -> FastEngine | OtterEngine:
    if name == "fast":
        return FastEngine(autograder=autograder, config=config, limits=limits, workers=workers)
    if name == "otter":
        return OtterEngine(autograder=autograder, config=config, limits=limits)
    raise GradingError(f"the engine {name!r} does not exist.", fix=f"pass one of: {', '.join(ENGINES)}.")


@contextlib.contextmanager
def _executor(workers: int) -> Iterator[concurrent.futures.ThreadPoolExecutor]:
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="effquiz-grade")
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def grade_folder(*, build_dir: Path, submissions: Path, out: Path, feedback: Path | None = None,
                 results: Path | None = None, engine: str = "fast", workers: int | None = None,
                 limits: GradingLimits | None = None, timeout: float | None = None, regrade: bool = False,
                 shard: ShardSpec | None = None, progress: BatchProgress | None = None) -> GradeReport:
    """Grade every submission in ``submissions`` against the build in ``build_dir``.

    Writes the gradebook CSV to ``out``, one feedback JSON per student to ``feedback``
    (default: a ``feedback`` folder beside ``out``) and every result to ``results``
    (default: ``<out stem>.results.jsonl`` beside ``out``). Students already in the
    results file with an unchanged submission are kept unless ``regrade`` is set.
    ``timeout``, if given, replaces the submission timeout of ``limits``. On SIGINT or
    SIGTERM the batch stops after the submissions in progress are abandoned, writes a
    consistent gradebook and returns a report whose ``interrupted`` is True.
    """
    limits = limits or GradingLimits()
    if timeout is not None:
        limits = dataclasses.replace(limits, submission_timeout=timeout)
    workers = workers or default_workers()
    autograder = find_autograder(Path(build_dir))
    config = read_config(autograder)
    build = BuildIdentity.of(autograder, config)
    out = Path(out)
    feedback = Path(feedback) if feedback is not None else out.parent / "feedback"
    results = Path(results) if results is not None else default_results_path(out)

    check_output_file(out, kind="gradebook", looks_like=is_gradebook)
    check_submissions_match(Path(submissions), config)
    journal = ResultsFile(results, build, shard, regrade=regrade)
    try:
        plan = plan_batch(Path(submissions), config, journal.data, shard=shard, regrade=regrade)
        logger.info("grading %s submissions with the %s engine; %s kept from %s", len(plan.to_grade), engine,
                    len(plan.kept), results)
        grader = _make_engine(engine, autograder=autograder, config=config, limits=limits, workers=workers)
        if plan.to_grade:
            try:
                grader.start()
            except BaseException:
                grader.close()
                raise
        started = journal.add_start(engine=engine)
        pending: dict[str, tuple[str, str]] = {submission.student_id: (NOT_GRADED_YET, INTERRUPTED)
                                               for submission in plan.to_grade}
        graded_now: set[str] = set()
        with StopRequest() as stop:
            try:
                _write_earlier_feedback(config, plan, journal.data, feedback)
                if progress:
                    progress.start(len(plan.to_grade), len(plan.kept))
                _grade_all(grader, plan, journal, feedback, pending, graded_now, stop, progress, workers)
            finally:
                grader.close()
                finished = not any(reason == NOT_GRADED_YET for reason, _ in pending.values())
                interrupted = stop.event.is_set() and not finished
                journal.add_run(started=started, finished=finished, pending=pending, rejected=plan.rejected,
                                engine=engine)
                rows = gradebook_rows(build, journal.data, shard=shard, pending=pending)
                write_gradebook(out, build, rows)
    finally:
        journal.close()
    summary = summarize(rows, graded_now=graded_now, ignored_files=plan.ignored, interrupted=interrupted)
    return GradeReport(gradebook=out, feedback=feedback, results=results, rows=tuple(rows), summary=summary)


def _write_earlier_feedback(config: GradingConfig, plan: BatchPlan, data: ResultsData, feedback: Path) -> None:
    """Write the feedback of rejected files and of every kept result.

    A kept result's file is rewritten even when it exists, because another gradebook that
    shares the feedback folder may have replaced it since.
    """
    for student_id in plan.kept:
        write_feedback(feedback, data.records[student_id])
    for rejected in plan.rejected:
        write_feedback(feedback, {**not_graded(config, rejected.name, rejected.note).to_json(),
                                  "notes": [], "file": rejected.file}, rejected.name)


def _grade_all(grader: FastEngine | OtterEngine, plan: BatchPlan, journal: ResultsFile, feedback: Path,
               pending: dict[str, tuple[str, str]], graded_now: set[str], stop: StopRequest,
               progress: BatchProgress | None, workers: int) -> None:
    """Grade the plan's submissions in parallel and record each one as it finishes, until done or stopped."""
    with _executor(workers) as executor:
        futures = {executor.submit(grader.grade, submission): submission for submission in plan.to_grade}
        waiting = set(futures)
        try:
            while waiting and not stop.event.is_set():
                done, waiting = concurrent.futures.wait(waiting, timeout=0.5,
                                                        return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    _finish(future, futures[future], plan, journal, feedback, pending, graded_now, progress)
        finally:
            if waiting:
                # Stopping the workers ends the notebooks they run, so the threads that wait
                # for them end soon; those submissions stay pending.
                grader.stop()


def _finish(future: concurrent.futures.Future, submission: Submission, plan: BatchPlan, journal: ResultsFile,
            feedback: Path, pending: dict[str, tuple[str, str]], graded_now: set[str],
            progress: BatchProgress | None) -> None:
    """Record one finished submission: append its result, write its feedback and count it."""
    student_id = submission.student_id
    record = _record(future, submission, pending)
    if record is not None:
        if student_id in plan.duplicates:
            record = dataclasses.replace(record, notes=(plan.duplicates[student_id], *record.notes))
        journal.add_result(record)
        write_feedback(feedback, record)
        pending.pop(student_id, None)
        graded_now.add(student_id)
    if progress:
        progress.advance(student_id, record)


def _record(future: concurrent.futures.Future, submission: Submission,
            pending: dict[str, tuple[str, str]]) -> GradedSubmission | None:
    """Return a finished future's record, or note in ``pending`` why there is none."""
    try:
        return future.result()
    except RetryLater as error:
        message = f"Not graded: {error} Run the batch again to retry."
    except Exception as error:  # noqa: BLE001  (one submission's failure must not stop the batch)
        logger.exception("grading %s failed", submission.path.name)
        message = f"Not graded: effquiz failed with {type(error).__name__}: {error}. Run the batch again to retry."
    logger.warning("%s: %s", submission.path.name, message)
    pending[submission.student_id] = (GRADING_FAILED, message)
    return None
