"""The autograder's entry point for one submission, on Gradescope or in a copy of its tree.

The tree is Gradescope's: ``source/`` holds the unpacked autograder zip, ``submission/``
the student's files, ``results/`` the output and ``submission_metadata.json`` the
submitter. This process is the judge. It runs in this order:

1. read the grading configuration and identify the student from the metadata;
2. rebuild the student's variants and check them against the build's fingerprint;
3. delete effquiz's own files from ``source/``, so that the student's code, which runs
   next, finds neither the reference implementations nor the configuration;
4. run Otter's autograder in a child process, which executes the notebook in a kernel,
   where the tests only collect the answers as plain JSON;
5. judge the collected answers here and write ``results/results.json``.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import effquiz
from effquiz.errors import EffquizError, GradingError
from effquiz.variants.students import student_variants

from effquiz.grader.config import CONFIG_NAME, GradingConfig, RosterEntry, fingerprint
from effquiz.grader.environment import notebook_environment
from effquiz.grader.judge import judge_variant
from effquiz.grader.results import PartResult, SubmissionResult

logger = logging.getLogger(__name__)

PACKAGE_FOLDER = "effquiz"
ANSWERS_FOLDER = "effquiz_answers"
DETAIL_FILE = "effquiz.json"
MAX_ANSWER_BYTES = 1_000_000
DEFAULT_TIMEOUT = 900


@dataclass(frozen=True)
class Identity:
    """Who submitted, as far as the metadata tells, and the roster entry it matched."""

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
                            seed=None, template_versions=_versions(config), effquiz_version=effquiz.__version__,
                            error=message, questions=tuple(q.id for q in config.questions))


def _versions(config: GradingConfig) -> dict[str, int]:
    return {question.problem: question.template.version for question in config.questions}


def judge_collected(config: GradingConfig, student_id: str, answers_dir: Path, *,
                    seed: int, variants: dict, error: str | None = None) -> SubmissionResult:
    """Judge every question of one student from the answers in ``answers_dir``."""
    parts: list[PartResult] = []
    for question in config.questions:
        parts += judge_variant(question.id, variants[question.id], question.template.parts,
                               question.part_points(), collected_answers(answers_dir, question.id))
    return SubmissionResult(student_id=student_id, assignment=config.assignment_name, parts=tuple(parts), seed=seed,
                            template_versions=_versions(config), effquiz_version=effquiz.__version__, error=error,
                            questions=tuple(q.id for q in config.questions))


def run_otter(autograder_dir: Path, answers_dir: Path, timeout: float) -> tuple[int, str]:
    """Run Otter's autograder on the tree in a child process; return its exit code and output tail."""
    environment = notebook_environment(os.environ, answers_dir=answers_dir)
    command = [sys.executable, "-c", "import sys; from otter.run.run_autograder import main; main(sys.argv[1])",
               str(autograder_dir)]
    try:
        completed = subprocess.run(command, cwd=autograder_dir, env=environment, capture_output=True, text=True,
                                   timeout=timeout, errors="replace")
    except subprocess.TimeoutExpired as error:
        output = (error.stdout or "") if isinstance(error.stdout, str) else ""
        return -1, f"timed out after {timeout:g} s\n{output[-4000:]}"
    return completed.returncode, (completed.stdout + completed.stderr)[-8000:]


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
    seed, variants = student_variants(config.questions, config.course_seed, student_id)
    if fingerprint(variants) != identity.entry.fingerprint:
        raise GradingError(f"the variant rebuilt for {student_id} differs from the one in their notebook.",
                           fix="grade with the same effquiz version and templates that built the notebooks.")

    answers_dir = autograder_dir / ANSWERS_FOLDER
    shutil.rmtree(answers_dir, ignore_errors=True)
    answers_dir.mkdir()
    code, output = run_otter(autograder_dir, answers_dir, timeout)
    logger.info("Otter exited with %s for %s", code, student_id)
    error = None
    if code != 0:
        error = _otter_error(output)
        print(output, file=sys.stderr)
    result = judge_collected(config, student_id, answers_dir, seed=seed, variants=variants, error=error)
    return _write(result, results_dir, config)


def _remove_own_files(source: Path) -> None:
    """Delete the wheel and configuration; this process has already loaded both."""
    shutil.rmtree(source / PACKAGE_FOLDER, ignore_errors=True)


def _write(result: SubmissionResult, results_dir: Path, config: GradingConfig) -> SubmissionResult:
    visibility = "visible" if config.reveal_correctness else "after_published"
    (results_dir / "results.json").write_text(json.dumps(result.to_gradescope(visibility=visibility), indent=2),
                                              encoding="utf-8")
    (results_dir / DETAIL_FILE).write_text(json.dumps(result.to_json(), indent=2, ensure_ascii=False),
                                           encoding="utf-8")
    return result


def main(autograder_dir: str | Path) -> int:
    """Grade one submission; return the process exit code."""
    logging.basicConfig(level=logging.INFO, format="effquiz: %(message)s")
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
