"""A worker's report on one notebook run, decoded strictly.

Parts of the report repeat what the child process sent, and the child runs the
student's code, so every field is checked for type and every text is shortened before
it reaches a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from effquiz.grader.engine.pool import WorkerFailure

MAX_TEXT = 300
FINAL = "final"


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


@dataclass(frozen=True)
class CellRef:
    """A cell the report names: its number in the notebook, ``"final"`` or None for a cell Otter adds."""

    number: int | str | None
    label: str

    @classmethod
    def from_json(cls, data: Any) -> "CellRef | None":
        """Decode a cell reference, or return None when there is none."""
        if not isinstance(data, dict):
            return None
        number = data.get("cell")
        if not (isinstance(number, int) and not isinstance(number, bool)) and number != FINAL:
            number = None
        return cls(number=number, label=_text(data.get("label"), 80))

    def describe(self) -> str:
        """Return a phrase such as 'cell 4 (`while True:`)', naming the cell by its first line."""
        if self.number == FINAL:
            return "the final check of every question"
        if self.number is None:
            return "a check cell that Otter adds"
        return f"cell {self.number} (`{self.label}`)" if self.label else f"cell {self.number}"


@dataclass(frozen=True)
class CellError:
    """An exception that a cell raised."""

    cell: CellRef
    name: str
    message: str


@dataclass(frozen=True)
class RunReport:
    """The worker's account of one notebook run."""

    problem: str | None
    problem_detail: str
    cells: int | None
    cells_run: int
    last_cell: CellRef | None
    errors: tuple[CellError, ...]
    ended: bool
    output: int
    handed_out_to: str | None
    internal: str | None
    failed: str | None
    stopped_by: str | None
    exit_code: int
    leftover_processes: int
    seconds: float
    defined: frozenset[str] = frozenset()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "RunReport":
        """Decode a worker's report; raise WorkerFailure if its shape is wrong."""
        exit_code = data.get("exit_code")
        if not isinstance(exit_code, int) or isinstance(exit_code, bool):
            raise WorkerFailure(f"the worker's report has no exit code: {str(data)[:200]}")
        problem = data.get("problem")
        errors = []
        for item in data.get("errors") or []:
            if isinstance(item, dict):
                cell = CellRef.from_json(item) or CellRef(None, "")
                errors.append(CellError(cell=cell, name=_text(item.get("name"), 80) or "Exception",
                                        message=_text(item.get("message"))))
        cells = data.get("cells")
        seconds = data.get("seconds")
        return cls(
            problem=_text(problem.get("kind"), 40) or None if isinstance(problem, dict) else None,
            problem_detail=_text(problem.get("detail")) if isinstance(problem, dict) else "",
            cells=_count(cells) if cells is not None else None,
            cells_run=_count(data.get("cells_run")),
            last_cell=CellRef.from_json(data.get("last_cell")),
            errors=tuple(errors),
            ended=data.get("ended") is True,
            output=_count(data.get("output")),
            handed_out_to=_text(data.get("handed_out_to"), 100) or None,
            internal=_text(data.get("internal")) or None,
            failed=_text(data.get("failed")) or None,
            stopped_by=_text(data.get("stopped_by"), 40) or None,
            exit_code=exit_code,
            leftover_processes=_count(data.get("leftover_processes")),
            seconds=float(seconds) if isinstance(seconds, (int, float)) else 0.0,
            defined=frozenset(name for name in data.get("defined") or [] if isinstance(name, str)),
        )
