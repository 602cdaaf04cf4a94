"""The exception tree of effquiz.

Every error that effquiz raises on purpose derives from :class:`EffquizError`. Each one
carries structured fields that code can read, and a message that names the file, key or
value involved and gives the fix.

    EffquizError
    ├── CoreError (also a ValueError): a formula is undefined for its inputs
    │   ├── DegenerateRangeError
    │   ├── InvalidDistributionError
    │   └── UndefinedResidualError
    ├── InputError: a file that a user wrote is invalid
    │   ├── TemplateError
    │   │   └── SamplingError
    │   ├── AssignmentError
    │   ├── RosterError
    │   └── GradebookError
    ├── BuildError
    └── GradingError
        └── SubmissionError
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Location:
    """A position in a text file; line and column count from 1."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


def sentence(text: str) -> str:
    """Return ``text`` ending with a full stop, unless it already ends a sentence or holds several lines."""
    text = text.rstrip()
    if text and "\n" not in text and text[-1] not in ".!?:":
        return text + "."
    return text


class EffquizError(Exception):
    """Base class of the errors that effquiz raises on purpose."""

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        self.reason = message
        self.fix = fix
        super().__init__(self._format())

    def _format(self) -> str:
        if self.fix:
            return f"{sentence(self.reason)} Fix: {sentence(self.fix)}"
        return self.reason


class CoreError(EffquizError, ValueError):
    """A formula of the exact core is undefined for the inputs it was given."""


class DegenerateRangeError(CoreError):
    """A quantization range is empty, so the scale would be 0 or negative."""


class InvalidDistributionError(CoreError):
    """A probability vector has a negative entry, the wrong length or a sum other than 1."""


class UndefinedResidualError(CoreError):
    """The residual norm(max(0, p - q)) is undefined because p equals q."""


class InputError(EffquizError):
    """A file that a user wrote is invalid.

    ``location`` points at the offending key, ``key`` is its dotted path, ``value`` the bad
    value and ``allowed`` a description of the values that would be accepted.
    """

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        key: str | None = None,
        value: Any = None,
        allowed: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.location = location
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(message, fix=fix)

    def _format(self) -> str:
        parts = []
        if self.location is not None:
            parts.append(f"{self.location}:")
        if self.key:
            parts.append(f"{self.key}:")
        parts.append(sentence(self.reason) if self.allowed or self.fix else self.reason)
        if self.allowed:
            parts.append(f"Allowed: {self.allowed}.")
        if self.fix:
            parts.append(f"Fix: {sentence(self.fix)}")
        return " ".join(parts)


class TemplateError(InputError):
    """A problem template is invalid."""


class SamplingError(TemplateError):
    """Rejection sampling found no parameters that meet a template's constraints."""


class AssignmentError(InputError):
    """An assignment file is invalid or names a problem that does not exist."""


class RosterError(InputError):
    """A roster CSV is invalid."""


class GradebookError(InputError):
    """A gradebook CSV or feedback file from ``effquiz grade`` is invalid or inconsistent."""


class OutputError(InputError):
    """An output path given to a command would replace an input or a file that effquiz did not write."""


class BuildError(EffquizError):
    """Building notebooks, keys or the autograder failed."""


class GradingError(EffquizError):
    """Grading could not run, for a reason that concerns the whole batch."""


class SubmissionError(GradingError):
    """One submission cannot be graded; the batch goes on without it."""

    def __init__(self, message: str, *, student_id: str | None = None, fix: str | None = None) -> None:
        self.student_id = student_id
        super().__init__(message, fix=fix)
