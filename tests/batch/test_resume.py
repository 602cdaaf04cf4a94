"""Ctrl-C and reruns of a real ``effquiz grade`` process: no result is lost or graded twice."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from effquiz.assignment import load_assignment
from effquiz.templates import Bank

from .conftest import EXAMPLES, corpus

pytestmark = pytest.mark.slow

STUDENTS = [f"s{number:02d}" for number in range(1, 11)]
EFFQUIZ = str(Path(sys.executable).parent / "effquiz")


def grade_command(build: Path, submissions: Path, out: Path, *extra: str) -> list[str]:
    return [EFFQUIZ, "grade", str(submissions), "--build", str(build), "--out", str(out), "--workers", "2",
            "--no-progress", *extra]


def result_lines(path: Path) -> list[dict]:
    """Return the result entries of a results file, skipping a line still being written."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("kind") == "result":
            entries.append(entry["record"])
    return entries


def gradebook(path: Path) -> dict[str, dict]:
    return {row["student_id"]: row for row in csv.DictReader(path.open(encoding="utf-8"))}


@pytest.fixture(scope="module")
def interrupted(corpus_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Start a batch of ten slow notebooks, send SIGINT once two are graded, then run it again."""
    root = tmp_path_factory.mktemp("resume")
    submissions = root / "submissions"
    submissions.mkdir()
    factory = corpus.NotebookFactory(corpus_build, load_assignment(EXAMPLES / "lecture.yaml"))
    for student in STUDENTS:
        notebook = corpus.insert_code(factory.filled(student), 1, "import time\ntime.sleep(1.5)")
        (submissions / f"{student}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    out = root / "out" / "grades.csv"
    results = root / "out" / "grades.results.jsonl"

    process = subprocess.Popen(grade_command(corpus_build, submissions, out), cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not results.exists() or len(result_lines(results)) < 2):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    after_interrupt = {"code": process.returncode, "stdout": stdout, "stderr": stderr,
                       "gradebook": gradebook(out), "results": result_lines(results),
                       "feedback": sorted(path.stem for path in (root / "out" / "feedback").glob("*.json"))}
    stray = [pid for pid in os.listdir("/proc") if pid.isdigit() and _cwd(pid) == root]

    rerun = subprocess.run(grade_command(corpus_build, submissions, out), cwd=root, capture_output=True, text=True,
                           timeout=300)
    fresh = subprocess.run(grade_command(corpus_build, submissions, root / "fresh" / "grades.csv"), cwd=root,
                           capture_output=True, text=True, timeout=300)
    return {"root": root, "submissions": submissions, "out": out, "results": results, "build": corpus_build,
            "interrupt": after_interrupt, "stray": stray, "rerun": rerun, "fresh": fresh}


def _cwd(pid: str) -> Path | None:
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd"))
    except OSError:
        return None


def test_interrupt_exits_with_130(interrupted: dict) -> None:
    assert interrupted["interrupt"]["code"] == 130, interrupted["interrupt"]["stderr"]
    assert "The batch was interrupted" in interrupted["interrupt"]["stdout"]


def test_interrupt_stops_before_the_end(interrupted: dict) -> None:
    assert 2 <= len(interrupted["interrupt"]["results"]) < len(STUDENTS)


def test_interrupted_gradebook_matches_results(interrupted: dict) -> None:
    rows = interrupted["interrupt"]["gradebook"]
    graded = {record["student_id"]: record for record in interrupted["interrupt"]["results"]}

    for student in STUDENTS:
        if student in graded:
            assert float(rows[student]["total"]) == graded[student]["result"]["total"]
        else:
            assert "the batch was interrupted" in rows[student]["note"]


def test_interrupted_feedback_matches_results(interrupted: dict) -> None:
    graded = sorted(record["student_id"] for record in interrupted["interrupt"]["results"])

    assert interrupted["interrupt"]["feedback"] == graded


def test_interrupt_leaves_no_process(interrupted: dict) -> None:
    assert interrupted["stray"] == []


def test_rerun_grades_only_the_rest(interrupted: dict) -> None:
    records = result_lines(interrupted["results"])

    assert interrupted["rerun"].returncode == 0, interrupted["rerun"].stderr
    assert sorted(record["student_id"] for record in records) == STUDENTS
    assert "kept from earlier runs" in interrupted["rerun"].stdout


def test_rerun_gradebook_equals_uninterrupted(interrupted: dict) -> None:
    resumed = interrupted["out"].read_text(encoding="utf-8")
    fresh = (interrupted["root"] / "fresh" / "grades.csv").read_text(encoding="utf-8")

    assert interrupted["fresh"].returncode == 0, interrupted["fresh"].stderr
    assert resumed == fresh


def test_rerun_rewrites_replaced_feedback(interrupted: dict) -> None:
    """Another gradebook that shares the feedback folder replaced s01's file. A rerun restores it."""
    replaced = interrupted["root"] / "out" / "feedback" / "s01.json"
    replaced.write_text(json.dumps({"student_id": "s01", "total": 0.0, "parts": []}), encoding="utf-8")

    rerun = subprocess.run(grade_command(interrupted["build"], interrupted["submissions"], interrupted["out"]),
                           capture_output=True, text=True, timeout=300)

    assert rerun.returncode == 0, rerun.stderr
    assert "10 kept from earlier runs" in rerun.stdout
    restored = json.loads(replaced.read_text(encoding="utf-8"))
    assert restored["total"] == float(gradebook(interrupted["out"])["s01"]["total"])
    assert restored["total"] > 0


def test_records_hold_regrade_inputs(interrupted: dict) -> None:
    record = result_lines(interrupted["results"])[0]

    assert isinstance(record["result"]["seed"], int)
    bank = Bank.load()
    assert record["result"]["template_versions"] == {template_id: bank.get(template_id).version
                                                     for template_id in ("affine-int-mapping",
                                                                         "speculative-uniform-draft")}
    assert record["result"]["effquiz_version"]
    assert len(record["file_sha256"]) == 64


def test_changed_submission_is_graded_again(interrupted: dict, tmp_path: Path) -> None:
    copy = tmp_path / "submissions"
    copy.mkdir()
    for path in interrupted["submissions"].iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "grades.csv"
    subprocess.run(grade_command(interrupted["build"], copy, out), check=True, capture_output=True, timeout=300)
    (copy / "s03.ipynb").write_text((copy / "s03.ipynb").read_text(encoding="utf-8") + "\n", encoding="utf-8")

    subprocess.run(grade_command(interrupted["build"], copy, out), check=True, capture_output=True, timeout=300)

    regraded = [record["student_id"] for record in result_lines(tmp_path / "grades.results.jsonl")]
    assert sorted(regraded) == sorted(STUDENTS + ["s03"])


def test_regrade_grades_everything_again(interrupted: dict) -> None:
    rerun = subprocess.run(grade_command(interrupted["build"], interrupted["submissions"], interrupted["out"],
                                         "--regrade"), capture_output=True, text=True, timeout=300)

    assert rerun.returncode == 0, rerun.stderr
    assert sorted(record["student_id"] for record in result_lines(interrupted["results"])) == STUDENTS
    assert interrupted["results"].with_name("grades.results.jsonl.previous").exists()
