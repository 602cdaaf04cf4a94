"""The fast engine scores exactly as the Otter path does, on a corpus of varied submissions.

The Otter path is the zip's own ``run_autograder`` in a copy of Gradescope's tree: Otter
executes the notebook in a Jupyter kernel and effquiz's judge scores the answers. The
fast engine must give every part the same score, status and message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from effquiz.assignment import load_assignment
from effquiz.grader.batch import grade_folder

from .conftest import EXAMPLES, corpus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(corpus_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Grade the corpus with both engines."""
    root = tmp_path_factory.mktemp("equality")
    items = corpus.build_corpus(corpus_build, load_assignment(EXAMPLES / "lecture.yaml"), root / "submissions",
                                scratch=root / "scratch")
    reports = {engine: grade_folder(build_dir=corpus_build, submissions=root / "submissions",
                                    out=root / engine / "grades.csv", engine=engine, workers=2)
               for engine in ("fast", "otter")}
    rows = {engine: {row.student_id: row for row in report.rows} for engine, report in reports.items()}
    return {"items": items, "rows": rows}


def test_corpus_is_large_and_varied(graded: dict) -> None:
    assert len(graded["items"]) >= 30
    assert len({item.case for item in graded["items"]}) >= 30


def test_every_submission_is_graded_by_both(graded: dict) -> None:
    for item in graded["items"]:
        assert graded["rows"]["fast"][item.student_id].result is not None, item.case
        assert graded["rows"]["otter"][item.student_id].result is not None, item.case


def test_every_part_matches(graded: dict) -> None:
    for item in graded["items"]:
        fast = graded["rows"]["fast"][item.student_id].result
        otter = graded["rows"]["otter"][item.student_id].result
        fast_parts = [(part.question, part.part, part.score, part.status, part.message) for part in fast.parts]
        otter_parts = [(part.question, part.part, part.score, part.status, part.message) for part in otter.parts]
        assert fast_parts == otter_parts, item.case


def test_totals_match(graded: dict) -> None:
    fast = {student: row.result.total for student, row in graded["rows"]["fast"].items() if row.result}
    otter = {student: row.result.total for student, row in graded["rows"]["otter"].items() if row.result}

    assert fast == otter


def test_runs_that_stop_early_stop_in_both(graded: dict) -> None:
    for item in graded["items"]:
        fast = graded["rows"]["fast"][item.student_id].result
        otter = graded["rows"]["otter"][item.student_id].result
        assert (fast.error is None) == (otter.error is None), item.case


def test_classmates_notebook_noted_by_both(graded: dict) -> None:
    # The notebook's metadata names the student it was handed out to, s01.
    for item in graded["items"]:
        if item.case == "classmate's notebook":
            for engine in ("fast", "otter"):
                notes = graded["rows"][engine][item.student_id].note
                assert "handed out to s01" in notes, engine
