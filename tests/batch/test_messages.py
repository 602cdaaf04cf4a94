"""Messages about a notebook run, from the worker's report: each names the cell, limit or file."""

from __future__ import annotations

import signal
from typing import Any

from effquiz.grader.engine.limits import GradingLimits
from effquiz.grader.engine.messages import (CELL_TIMEOUT, INTERNAL, NOT_A_NOTEBOOK, PROCESS_ENDED, SUBMISSION_TIMEOUT,
                                            describe_run)
from effquiz.grader.engine.report import RunReport

LIMITS = GradingLimits(submission_timeout=30, cell_timeout=5, memory_bytes=2**30)


def report(**fields: Any) -> RunReport:
    """Return a report of a run that ended normally, with ``fields`` changed."""
    data = {"id": "1", "problem": None, "cells": 4, "cells_run": 4, "last_cell": {"cell": "final", "label": ""},
            "errors": [], "ended": True, "output": 10, "handed_out_to": "ada", "internal": None, "failed": None,
            "stopped_by": None, "exit_code": 0, "leftover_processes": 0, "seconds": 0.1, "defined": []}
    data.update(fields)
    return RunReport.from_json(data)


def describe(run: RunReport):
    return describe_run(run, limits=LIMITS, student_id="ada", file_name="ada.ipynb", notebook_name="lecture.ipynb",
                        assignment="lecture")


def test_clean_run_has_no_error_or_notes() -> None:
    verdict = describe(report())

    assert verdict.error is None
    assert verdict.notes == ()


def test_cell_timeout_names_cell_and_limit() -> None:
    verdict = describe(report(stopped_by="cell timeout", ended=False, exit_code=-9,
                              last_cell={"cell": 4, "label": "while True:"}))

    assert verdict.reason == CELL_TIMEOUT
    assert "cell 4 (`while True:`)" in verdict.error
    assert "5 s, the time limit per cell" in verdict.error


def test_submission_timeout_names_limit() -> None:
    verdict = describe(report(stopped_by="submission timeout", ended=False, exit_code=-9,
                              last_cell={"cell": 7, "label": "time.sleep(10)"}))

    assert verdict.reason == SUBMISSION_TIMEOUT
    assert "30 s, the time limit per submission" in verdict.error


def test_killed_process_names_signal() -> None:
    verdict = describe(report(ended=False, exit_code=-signal.SIGSEGV, last_cell={"cell": 3, "label": "crash()"}))

    assert verdict.reason == PROCESS_ENDED
    assert "killed by SIGSEGV during cell 3 (`crash()`)" in verdict.error


def test_exited_process_names_exit_code() -> None:
    verdict = describe(report(ended=False, exit_code=3, last_cell={"cell": 2, "label": "os._exit(3)"}))

    assert "exited with code 3 during cell 2" in verdict.error


def test_invalid_json_says_file_is_damaged() -> None:
    verdict = describe(report(problem={"kind": "not json", "detail": "Expecting ',' at line 3"}, cells=None))

    assert verdict.reason == NOT_A_NOTEBOOK
    assert "ada.ipynb is not a notebook: its text is not valid JSON (Expecting ',' at line 3)" in verdict.error


def test_pdf_says_what_it_is() -> None:
    verdict = describe(report(problem={"kind": "not a notebook", "detail": "a PDF document"}, cells=None))

    assert "(a PDF document)" in verdict.error
    assert "Upload the lecture.ipynb" in verdict.error


def test_other_assignment_is_named() -> None:
    verdict = describe(report(problem={"kind": "another assignment", "detail": "hw2"}, cells=None))

    assert "the notebook of assignment 'hw2', not of 'lecture'" in verdict.error


def test_cell_errors_become_notes() -> None:
    errors = [{"cell": 2, "label": "1/0", "name": "ZeroDivisionError", "message": "division by zero"}]

    verdict = describe(report(errors=errors))

    assert verdict.error is None
    assert verdict.notes == ("Cell 2 (`1/0`) raised ZeroDivisionError: division by zero.",)


def test_memory_error_names_limit() -> None:
    errors = [{"cell": 2, "label": "x = bytearray(2**32)", "name": "MemoryError", "message": ""}]

    verdict = describe(report(errors=errors))

    assert "ran out of memory" in verdict.notes[0]
    assert verdict.notes[1] == "The memory limit while grading is 1 GiB per process."


def test_many_errors_are_counted() -> None:
    errors = [{"cell": number, "label": "", "name": "NameError", "message": "x"} for number in range(1, 6)]

    verdict = describe(report(errors=errors))

    assert verdict.notes[-1] == "2 more cells raised errors."


def test_leftover_processes_are_counted() -> None:
    verdict = describe(report(leftover_processes=50))

    assert verdict.notes == ("The notebook left 50 processes running after it stopped; they were killed.",)


def test_classmates_notebook_is_noted() -> None:
    verdict = describe(report(handed_out_to="alan"))

    assert "handed out to alan, not to ada" in verdict.notes[0]


def test_internal_failure_is_retried() -> None:
    verdict = describe(report(internal="OSError: disk full"))

    assert verdict.reason == INTERNAL
    assert verdict.retry


def test_report_texts_are_shortened() -> None:
    errors = [{"cell": 1, "label": "x" * 1000, "name": "E" * 1000, "message": "m" * 10_000}]

    run = report(errors=errors)

    assert len(run.errors[0].cell.label) == 80
    assert len(run.errors[0].name) == 80
    assert len(run.errors[0].message) == 300


def test_failure_after_notebook_started_is_not_retried() -> None:
    verdict = describe(report(ended=False, exit_code=70, failed="TypeError: 'NoneType' object is not callable",
                              last_cell={"cell": 2, "label": "os.write = None"}))

    assert verdict.reason == PROCESS_ENDED
    assert not verdict.retry
    assert "stopped during cell 2 (`os.write = None`), because effquiz's code in it failed" in verdict.error


def test_unprintable_exception_is_described() -> None:
    from effquiz.grader.engine.child import describe_error

    class Unprintable(Exception):
        def __str__(self) -> str:
            raise ValueError

    assert describe_error(Unprintable()) == "Unprintable: (its message cannot be shown)"
