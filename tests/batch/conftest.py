"""Fixtures for the batch grading tests: a build for a large roster, and the shared corpus module.

The corpus of varied submissions lives in ``benchmarks/corpus.py``, so that the engine
equality test and the grading benchmark grade the same cases.
"""

from __future__ import annotations

import importlib.util
import sys
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest

from effquiz.grader.records import GradedSubmission
from effquiz.grader.results import PartResult, SubmissionResult

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "examples"


def _load_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("effquiz_benchmark_corpus", REPOSITORY / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build examples/lecture.yaml for the corpus roster (s01 to s39 and zoë) once per session."""
    from effquiz.build import build

    root = tmp_path_factory.mktemp("corpus-build")
    roster = root / "roster.csv"
    roster.write_text(corpus.roster_csv(), encoding="utf-8")
    return build(assignment_path=EXAMPLES / "lecture.yaml", roster_path=roster, out=root / "build").out


def make_result(student_id: str, scores: list[tuple[str, str, int, str]], *, error: str | None = None) -> SubmissionResult:
    """Return a result whose parts are (question, part, score out of 1, status)."""
    parts = tuple(PartResult(question=question, part=part, variable=part, score=Fraction(score), max_score=Fraction(1),
                             status=status, message=status) for question, part, score, status in scores)
    questions = tuple(dict.fromkeys(part.question for part in parts))
    return SubmissionResult(student_id=student_id, assignment="lecture", parts=parts, seed=7,
                            template_versions={"problem": 1}, effquiz_version="0.1.0", error=error, questions=questions)


def make_record(student_id: str, total: int = 1, *, file: str | None = None, sha: str = "0" * 64) -> GradedSubmission:
    """Return a graded submission with one question of two parts, ``total`` of them correct."""
    scores = [("q1", "a", int(total >= 1), "correct" if total >= 1 else "incorrect"),
              ("q1", "b", int(total >= 2), "correct" if total >= 2 else "incorrect")]
    return GradedSubmission(student_id=student_id, file=file or f"{student_id}.ipynb", file_sha256=sha,
                            result=make_result(student_id, scores), engine="fast", seconds=0.1,
                            graded_at="2026-12-04T00:00:00+00:00")
