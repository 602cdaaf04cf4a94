"""Messages for students and course staff about how a notebook run went.

:func:`describe_run` turns a worker's report into the error that stopped the run, a
short reason for the batch summary, and notes about problems that did not stop it.
Every message names the cell, the limit or the file involved and tells what to change.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

from effquiz.grader.engine.limits import GradingLimits, format_size
from effquiz.grader.engine.report import CellError, CellRef, RunReport
from effquiz.grader.notes import handed_out_note

# Reasons a run stopped early, as the batch summary groups them.
CELL_TIMEOUT = "cell time limit"
SUBMISSION_TIMEOUT = "submission time limit"
PROCESS_ENDED = "notebook process ended"
NOT_A_NOTEBOOK = "not a notebook"
ANOTHER_ASSIGNMENT = "another assignment's notebook"
NO_SINGLE_NOTEBOOK = "no single notebook in the submission"
FIRST_ERROR = "stopped at the first error"
INTERNAL = "internal error"
# Printed output above this many characters is mentioned in the feedback.
OUTPUT_NOTICE = 1_000_000
MAX_ERROR_NOTES = 3
REST = "Answers checked before that point were graded; the cells after it did not run."


@dataclass(frozen=True)
class RunVerdict:
    """The consequences of a run's report for the student's result.

    ``error`` explains why the run stopped early and is None when it ran to the end.
    ``retry`` marks a failure of effquiz rather than of the notebook, which a later
    batch should try again instead of recording.
    """

    error: str | None
    reason: str | None
    notes: tuple[str, ...]
    retry: bool = False


def _where(cell: CellRef | None) -> str:
    return cell.describe() if cell is not None else "the notebook's start"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _problem_message(report: RunReport, file_name: str, notebook_name: str, assignment: str) -> tuple[str, str]:
    kind, detail = report.problem, report.problem_detail
    upload = (f"Upload the {notebook_name} that Jupyter saved (File > Save Notebook), "
              f"or the zip that its last cell writes.")
    if kind == "empty file":
        return NOT_A_NOTEBOOK, f"{file_name} is empty. {upload}"
    if kind == "not json":
        return NOT_A_NOTEBOOK, (f"{file_name} is not a notebook: its text is not valid JSON ({detail}), "
                                f"so the file is damaged or was edited outside Jupyter. {upload}")
    if kind in ("not a notebook", "unreadable notebook", "notebook too large"):
        what = f" ({detail})" if detail else ""
        return NOT_A_NOTEBOOK, f"{file_name} is not a notebook that can be read{what}. {upload}"
    if kind == "another assignment":
        if detail:
            return ANOTHER_ASSIGNMENT, (f"{file_name} is the notebook of assignment '{detail}', not of "
                                        f"'{assignment}'. Upload the {notebook_name} handed out for '{assignment}'.")
        return ANOTHER_ASSIGNMENT, (f"{file_name} names no assignment in its Otter metadata, so it is not the "
                                    f"{notebook_name} handed out for '{assignment}'. Copy the answers into the "
                                    f"handed-out notebook and upload that.")
    if kind == "invalid metadata":
        return NOT_A_NOTEBOOK, f"{file_name} has Otter metadata that Otter cannot read ({detail}). {upload}"
    if kind in ("several notebooks", "several scripts"):
        return NO_SINGLE_NOTEBOOK, (f"{file_name} holds several notebooks ({detail}), and Otter grades exactly "
                                    f"one. Upload a zip with only {notebook_name}.")
    return NO_SINGLE_NOTEBOOK, f"{file_name} holds no notebook (.ipynb file). {upload}"


def _stop_message(report: RunReport, limits: GradingLimits) -> tuple[str, str] | None:
    where = _where(report.last_cell)
    if report.stopped_by == "cell timeout":
        return CELL_TIMEOUT, (f"Grading stopped in {where}: it was still running after {limits.cell_timeout:g} s, "
                              f"the time limit per cell. {REST}")
    if report.stopped_by == "submission timeout":
        return SUBMISSION_TIMEOUT, (f"Grading stopped in {where}: the notebook was still running after "
                                    f"{limits.submission_timeout:g} s, the time limit per submission. {REST}")
    if report.stopped_by == "first error":
        return FIRST_ERROR, f"Grading stopped at the first error, in {where}, as Otter's debug mode asks. {REST}"
    if not report.ended and report.failed:
        return PROCESS_ENDED, (f"The notebook's Python process stopped during {where}, because effquiz's code in it "
                               f"failed ({report.failed}); the notebook may have changed Python's own modules. {REST}")
    if not report.ended:
        if report.exit_code < 0:
            how = f"was killed by {_signal_name(-report.exit_code)}"
            if report.exit_code == -signal.SIGKILL:
                how += ", which the system sends to a process that uses too much memory"
        else:
            how = f"exited with code {report.exit_code}"
        return PROCESS_ENDED, f"The notebook's Python process {how} during {where}. {REST}"
    return None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _error_note(error: CellError) -> str:
    where = _sentence(error.cell.describe())
    if error.name in ("MemoryError", "_ArrayMemoryError"):
        return f"{where} ran out of memory ({error.message or 'MemoryError'})."
    if error.name == "SystemExit":
        code = f"({error.message})" if error.message and error.message != "None" else "()"
        return f"{where} called sys.exit{code}; grading went on with the next cell."
    message = f": {error.message}" if error.message else ""
    return f"{where} raised {error.name}{message}."


def describe_run(report: RunReport, *, limits: GradingLimits, student_id: str, file_name: str,
                 notebook_name: str, assignment: str) -> RunVerdict:
    """Return the error, reason and notes for one run."""
    if report.internal is not None:
        return RunVerdict(error=f"effquiz failed while running the notebook ({report.internal}); this is not the "
                                f"student's doing. Grade the submission again.",
                          reason=INTERNAL, notes=(), retry=True)
    if report.problem is not None:
        reason, error = _problem_message(report, file_name, notebook_name, assignment)
        return RunVerdict(error=error, reason=reason, notes=())

    notes = [_error_note(error) for error in report.errors[:MAX_ERROR_NOTES]]
    if len(report.errors) > MAX_ERROR_NOTES:
        notes.append(f"{len(report.errors) - MAX_ERROR_NOTES} more cells raised errors.")
    if limits.memory_bytes and any(error.name in ("MemoryError", "_ArrayMemoryError") for error in report.errors):
        notes.append(f"The memory limit while grading is {format_size(limits.memory_bytes)} per process.")
    if report.cells == 0:
        notes.append("The notebook has no code cells, so it defines no answers.")
    if report.output > OUTPUT_NOTICE:
        notes.append(f"The notebook printed {report.output:,} characters. Grading discards printed output, "
                     f"so this only cost time.")
    if report.leftover_processes:
        notes.append(f"The notebook left {report.leftover_processes} processes running after it stopped; "
                     f"they were killed.")
    if report.handed_out_to and report.handed_out_to != student_id:
        notes.append(handed_out_note(report.handed_out_to, student_id))

    stop = _stop_message(report, limits)
    if stop is None:
        return RunVerdict(error=None, reason=None, notes=tuple(notes))
    return RunVerdict(error=stop[1], reason=stop[0], notes=tuple(notes))
