"""The command line: a sharded batch merged into the gradebook of a whole batch, and the summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from effquiz.assignment import load_assignment

from .conftest import EXAMPLES, corpus

pytestmark = pytest.mark.slow

EFFQUIZ = str(Path(sys.executable).parent / "effquiz")
STUDENTS = [f"s{number:02d}" for number in range(1, 9)]


def run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([EFFQUIZ, *arguments], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sharded(corpus_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Grade eight submissions and a stray file whole, and in three shards, then merge the shards."""
    root = tmp_path_factory.mktemp("cli")
    submissions = root / "submissions"
    submissions.mkdir()
    factory = corpus.NotebookFactory(corpus_build, load_assignment(EXAMPLES / "lecture.yaml"))
    for number, student in enumerate(STUDENTS):
        choose = (lambda question, part: "wrong") if number % 3 == 0 else None
        (submissions / f"{student}.ipynb").write_text(json.dumps(factory.filled(student, choose)), encoding="utf-8")
    (submissions / "mallory.ipynb").write_text("{}", encoding="utf-8")
    (submissions / "readme.txt").write_text("notes", encoding="utf-8")

    whole = run("grade", str(submissions), "--build", str(corpus_build), "--out", str(root / "whole.csv"),
                "--workers", "2", "--progress")
    shards = [run("grade", str(submissions), "--build", str(corpus_build), "--out", str(root / f"shard-{index}.csv"),
                  "--shard", f"{index}/3", "--workers", "1", "--no-progress") for index in (1, 2, 3)]
    merged = run("merge", *(str(root / f"shard-{index}.results.jsonl") for index in (1, 2, 3)),
                 "--out", str(root / "merged.csv"), "--feedback", str(root / "merged-feedback"))
    return {"root": root, "whole": whole, "shards": shards, "merged": merged}


def test_whole_batch_summary(sharded: dict) -> None:
    output = sharded["whole"].stdout

    assert sharded["whole"].returncode == 0, sharded["whole"].stderr
    assert "Graded 8 submissions." in output
    assert "  not on the roster: 1 (mallory)" in output
    assert "Ignored, as not .ipynb or .zip files: readme.txt." in output


def test_progress_bar_shows_count_and_time_left(sharded: dict) -> None:
    # Off a terminal, rich draws the bar once, when it stops.
    assert "8/8" in sharded["whole"].stderr
    assert "left 0:00:00" in sharded["whole"].stderr


def test_shards_split_the_students(sharded: dict) -> None:
    results = [sharded["root"] / f"shard-{index}.results.jsonl" for index in (1, 2, 3)]
    graded = [json.loads(line)["record"]["student_id"] for path in results
              for line in path.read_text(encoding="utf-8").splitlines() if '"kind": "result"' in line]

    assert all(shard.returncode == 0 for shard in sharded["shards"])
    assert sorted(graded) == STUDENTS


def test_merged_gradebook_equals_whole_batch(sharded: dict) -> None:
    assert sharded["merged"].returncode == 0, sharded["merged"].stderr
    assert (sharded["root"] / "merged.csv").read_text() == (sharded["root"] / "whole.csv").read_text()


def test_merge_writes_feedback(sharded: dict) -> None:
    names = sorted(path.stem for path in (sharded["root"] / "merged-feedback").glob("*.json"))

    assert names == STUDENTS
    assert f"and the feedback in {sharded['root'] / 'merged-feedback'}." in sharded["merged"].stdout


def test_merge_without_a_shard_fails_clearly(sharded: dict) -> None:
    failed = run("merge", str(sharded["root"] / "shard-1.results.jsonl"), "--out", str(sharded["root"] / "x.csv"))

    assert failed.returncode == 1
    assert "the results of shard 2/3, 3/3 are missing" in failed.stderr


def test_invalid_shard_option_fails_clearly(sharded: dict, corpus_build: Path) -> None:
    failed = run("grade", str(sharded["root"] / "submissions"), "--build", str(corpus_build), "--out",
                 str(sharded["root"] / "bad.csv"), "--shard", "4/3")

    assert failed.returncode == 2
    assert "the shard '4/3' is not valid" in failed.stderr


def test_low_memory_limit_fails_before_grading(sharded: dict, corpus_build: Path) -> None:
    out = sharded["root"] / "low-memory" / "grades.csv"

    failed = run("grade", str(sharded["root"] / "submissions"), "--build", str(corpus_build), "--out", str(out),
                 "--memory-limit", "64MiB", "--no-progress")

    assert failed.returncode == 1
    assert "the memory limit of 64 MiB is below the" in failed.stderr
    assert not out.exists()
