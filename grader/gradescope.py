"""The autograder's entry point for one submission, on Gradescope or in a copy of its tree.

The tree is Gradescope's: ``source/`` contains the unpacked autograder zip, ``submission/``
the student's files, ``results/`` the output and ``submission_metadata.json`` the
submitter. This process is the judge. It runs in this order:

1. read the grading configuration and identify the student from the metadata;
2. rebuild the student's variants and check them against the build's fingerprint;
3. write the probe inputs of function parts to ``effquiz_probes/`` (inputs only: the
   expected outputs are computed here, after the kernel has finished);
4. delete effquiz's own files from ``source/``, so that the student's code, which runs
   next, finds neither the reference implementations nor the configuration;
5. run Otter's autograder in a child process, which executes the notebook in a kernel,
   where the tests only collect the answers and function outputs as plain JSON;
6. judge the collected answers here (:func:`~effquiz.grader.submission.judge_submission`)
   and write ``results/results.json``.

Otter's child process unpickles what the kernel wrote, so it is not trusted either: the
judge reads only JSON from it and decides every point itself.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import effquiz
from effquiz.errors import EffquizError, GradingError
from effquiz.variants.model import Variant
from effquiz.variants.students import student_variants

from effquiz.grader.config import CONFIG_NAME, GradingConfig, RosterEntry, fingerprint
from effquiz.grader.functions import preload
from effquiz.grader.probes import probe_file
from effquiz.grader.processes import become_subreaper, descendants, end_new_descendants
from effquiz.grader.environment import notebook_environment
from effquiz.grader.results import PartResult, SubmissionResult
from effquiz.grader.notes import handed_out_note
from effquiz.grader.submission import judge_submission, template_versions
from effquiz.grader.submissions import Submission, notebook_identity

logger = logging.getLogger(__name__)

PACKAGE_FOLDER = "effquiz"
ANSWERS_FOLDER = "effquiz_answers"
PROBES_FOLDER = "effquiz_probes"
DETAIL_FILE = "effquiz.json"
MAX_ANSWER_BYTES = 1_000_000
DEFAULT_TIMEOUT = 900


@dataclass(frozen=True)
class Identity:
    """The submitter named in the metadata, and the roster entry it matched (None if none did)."""

    entry: RosterEntry | None
    described: str


def identify(metadata: dict[str, Any], config: GradingConfig) -> Identity:
    """Match the submitters in Gradescope's metadata to the roster, by email and then by sid."""
    users = metadata.get("users") if isinstance(metadata, dict) else None
    if not isinstance(users, list) or not users:
        return Identity(None, "no submitter is named in submission_metadata.json")
    by_email = {entry.email: entry for entry in config.students if entry.email}
    for user in users:
        if not isinstance(user, dict):
            continue
        email = str(user.get("email", "")).strip().lower()
        if email in by_email:
            return Identity(by_email[email], email)
        sid = str(user.get("sid", "")).strip()
        entry = config.student(sid) if sid else None
        if entry is not None:
            return Identity(entry, sid)
    described = ", ".join(str(user.get("email") or user.get("sid") or "?") for user in users if isinstance(user, dict))
    return Identity(None, f"the submitter ({described}) is not on the roster")


def collected_answers(folder: Path, question_id: str) -> dict[str, Any] | None:
    """Return the answers the kernel wrote for one question, or None if it wrote none."""
    path = folder / f"{question_id}.json"
    try:
        if path.is_symlink() or not path.is_file():
            return None
        if path.stat().st_size > MAX_ANSWER_BYTES:
            logger.warning("ignored %s: larger than %s bytes", path, MAX_ANSWER_BYTES)
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def failed_result(config: GradingConfig, student_id: str, message: str) -> SubmissionResult:
    """Return a result with every part at zero and ``message`` as the reason."""
    parts = []
    for question in config.questions:
        for part, points in question.part_points().items():
            spec = question.template.part(part)
            parts.append(PartResult(question=question.id, part=part, variable=spec.variable, score=points * 0,
                                    max_score=points, status="not graded", message=f"Not graded: {message}"))
    return SubmissionResult(student_id=student_id, assignment=config.assignment_name, parts=tuple(parts),
                            seed=None, template_versions=template_versions(config), effquiz_version=effquiz.__version__,
                            error=message, questions=tuple(q.id for q in config.questions))


def run_otter(autograder_dir: Path, answers_dir: Path, probes_dir: Path, timeout: float) -> tuple[int, str]:
    """Run Otter's autograder on the tree in a child process; return its exit code and output tail.

    When the child ends, every process that it or the student's code started is killed
    (see ``processes.py``), so that none of them can rewrite the results that the judge
    writes next.
    """
    environment = notebook_environment(os.environ, answers_dir=answers_dir, probes_dir=probes_dir)
    command = [sys.executable, "-c", "import sys; from otter.run.run_autograder import main; main(sys.argv[1])",
               str(autograder_dir)]
    before = descendants(os.getpid(), zombies=True)
    # A file, not a pipe: a process left behind could hold a pipe open and stall the read.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen(command, cwd=autograder_dir, env=environment, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = -1
        end_new_descendants(before)
        process.wait()
        log.seek(0)
        output = log.read()
    if code == -1:
        output = f"timed out after {timeout:g} s\n{output[-4000:]}"
    return code, output[-8000:]


def _otter_error(output: str) -> str:
    for line in reversed(output.splitlines()):
        if "OtterRuntimeError" in line or "Received submission for assignment" in line:
            return line.split(":", 1)[-1].strip() if "OtterRuntimeError" in line else line.strip()
    return "Otter could not run the notebook."


def grade_tree(autograder_dir: Path, *, timeout: float = DEFAULT_TIMEOUT) -> SubmissionResult:
    """Grade the submission in a Gradescope tree and write its results; return the result."""
    autograder_dir = Path(autograder_dir).resolve()
    source = autograder_dir / "source"
    results_dir = autograder_dir / "results"
    results_dir.mkdir(parents=True, exist_ok=True)

    config = GradingConfig.read(source / PACKAGE_FOLDER / CONFIG_NAME)
    preload([part for question in config.questions for part in question.template.parts])
    try:
        metadata = json.loads((autograder_dir / "submission_metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        metadata = {}
    identity = identify(metadata, config)
    _remove_own_files(source)

    if identity.entry is None:
        result = failed_result(config, "", f"{identity.described}. Ask course staff to add you to the roster.")
        return _write(result, results_dir, config)
    student_id = identity.entry.student_id
    notes = _handed_out(autograder_dir / "submission", student_id)
    seed, variants = student_variants(config.questions, config.course_seed, student_id)
    if fingerprint(variants) != identity.entry.fingerprint:
        raise GradingError(f"the variant rebuilt for {student_id} differs from the one in their notebook.",
                           fix="grade with the same effquiz version and templates that built the notebooks.")

    answers_dir = autograder_dir / ANSWERS_FOLDER
    probes_dir = autograder_dir / PROBES_FOLDER
    for folder in (answers_dir, probes_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
    write_probes(config, variants, probes_dir)
    code, output = run_otter(autograder_dir, answers_dir, probes_dir, timeout)
    logger.info("Otter exited with %s for %s", code, student_id)
    error = None
    if code != 0:
        error = _otter_error(output)
        print(output, file=sys.stderr)
    collected = {question.id: collected_answers(answers_dir, question.id) for question in config.questions}
    result = judge_submission(config, student_id, collected, error=error)
    return _write(result, results_dir, config, notes)


def _handed_out(submission_dir: Path, student_id: str) -> tuple[str, ...]:
    """Return a note when the submitted notebook's metadata names another student.

    The metadata is read before the student's code runs. It only adds the note: the
    variant graded is always the submitter's.
    """
    notebooks = sorted(path for path in submission_dir.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts)
    if not notebooks:
        return ()
    owner = notebook_identity(Submission(student_id, notebooks[0])).student_id
    return (handed_out_note(owner, student_id),) if owner and owner != student_id else ()


def write_probes(config: GradingConfig, variants: dict[str, Variant], folder: Path) -> None:
    """Write each question's probe inputs, for the kernel's collector to read."""
    for question in config.questions:
        data = probe_file(question.template, variants[question.id].seed)
        if data is not None:
            (folder / f"{question.id}.json").write_text(json.dumps(data), encoding="utf-8")


def _remove_own_files(source: Path) -> None:
    """Delete the wheel and configuration; this process has already loaded both."""
    shutil.rmtree(source / PACKAGE_FOLDER, ignore_errors=True)


def _write(result: SubmissionResult, results_dir: Path, config: GradingConfig,
           notes: tuple[str, ...] = ()) -> SubmissionResult:
    # The student's code could have left links here that point elsewhere: write fresh files.
    if results_dir.is_symlink():
        results_dir.unlink()
    results_dir.mkdir(exist_ok=True)
    for name in ("results.json", DETAIL_FILE):
        if (results_dir / name).is_symlink() or (results_dir / name).exists():
            (results_dir / name).unlink()
    visibility = "visible" if config.reveal_correctness else "after_published"
    payload = result.to_gradescope(visibility=visibility, notes=notes)
    (results_dir / "results.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    (results_dir / DETAIL_FILE).write_text(json.dumps(result.to_json(), indent=2, ensure_ascii=False),
                                           encoding="utf-8")
    return result


def main(autograder_dir: str | Path) -> int:
    """Grade one submission; return the process exit code."""
    logging.basicConfig(level=logging.INFO, format="effquiz: %(message)s")
    if not become_subreaper():
        logger.warning("cannot adopt orphaned processes on this system; processes that leave their session "
                       "may outlive grading")
    try:
        result = grade_tree(Path(autograder_dir))
    except EffquizError as error:
        results_dir = Path(autograder_dir) / "results"
        results_dir.mkdir(parents=True, exist_ok=True)
        payload = {"score": 0, "tests": [], "output": f"The autograder failed: {error}", "stdout_visibility": "hidden"}
        (results_dir / "results.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
        print(f"effquiz: {error}", file=sys.stderr)
        return 1
    print(f"effquiz: {result.student_id or 'unknown student'} scored {float(result.total):g} of "
          f"{float(result.possible):g}")
    return 0
