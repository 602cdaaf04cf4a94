"""Notes on unanswered, malformed and ungraded parts, and the batch summary."""

from __future__ import annotations

from effquiz.grader.gradebook import NO_SUBMISSION, GradebookRow, summarize
from effquiz.grader.notes import part_notes

from .conftest import make_result


def test_correct_result_has_no_notes() -> None:
    result = make_result("ada", [("q1", "a", 1, "correct"), ("q1", "b", 0, "incorrect")])

    assert part_notes(result) == ()


def test_missing_and_invalid_parts_are_listed() -> None:
    result = make_result("ada", [("q1", "a", 0, "missing"), ("q1", "b", 0, "invalid"), ("q2", "c", 0, "missing")])

    assert part_notes(result) == ("No answer for 2 parts: q1.a, q2.c.", "1 part had an answer of the wrong form: q1.b.")


def test_out_of_order_parts_get_their_own_note() -> None:
    result = make_result("ada", [("q1", "a", 0, "missing"), ("q1", "b", 0, "missing")])

    notes = part_notes(result, out_of_order={"q1": ["a"]})

    assert notes[0].startswith("Question q1 was checked before `a` had a value")
    assert notes[1] == "No answer for 1 part: q1.b."


def test_long_lists_are_cut() -> None:
    result = make_result("ada", [("q1", f"p{number}", 0, "missing") for number in range(9)])

    assert part_notes(result)[0].endswith("q1.p5 and 3 more.")


def test_summary_groups_failures_by_reason() -> None:
    failed = make_result("alan", [("q1", "a", 0, "not graded")], error="timed out")
    rows = [GradebookRow("ada", make_result("ada", [("q1", "a", 1, "correct")])),
            GradebookRow("alan", failed, "timed out", "cell time limit"),
            GradebookRow("grace", None, NO_SUBMISSION, NO_SUBMISSION),
            GradebookRow("mallory", None, "not on roster", "not on the roster")]

    summary = summarize(rows, graded_now={"alan"})

    assert summary.graded_now == 1
    assert summary.graded_before == 1
    assert summary.failed == {"cell time limit": ("alan",)}
    assert summary.not_graded == {"not on the roster": ("mallory",)}
    assert summary.no_submission == 1
    assert "  cell time limit: 1 (alan)" in summary.lines()
