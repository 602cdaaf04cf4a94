"""What grading one submission produced, as the results file records it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from effquiz.grader.results import SubmissionResult


def utc_now() -> str:
    """Return the current time in UTC as ISO 8601 text with seconds."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class GradedSubmission:
    """One student's graded submission: the judge's result and what happened around it.

    ``result`` carries the variant seed, the template versions and the effquiz version,
    which a later regrade needs. ``error`` on the result is set when the notebook could
    not run to its end; ``reason`` then names the kind of failure in a few words, for
    the batch summary. ``notes`` are further messages for the student and course staff.
    ``file`` and ``file_sha256`` identify the graded file, so that a resumed batch can
    tell when a submission has changed since it was graded.
    """

    student_id: str
    file: str
    file_sha256: str
    result: SubmissionResult
    reason: str | None = None
    notes: tuple[str, ...] = ()
    engine: str = ""
    seconds: float = 0.0
    graded_at: str = field(default_factory=utc_now)

    @property
    def failed(self) -> bool:
        """Whether the notebook could not be run to its end."""
        return self.result.error is not None

    def note(self) -> str:
        """Return the gradebook note: the error, if any, then the other notes."""
        return " ".join(message for message in (self.result.error, *self.notes) if message)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form stored in the results file."""
        return {
            "student_id": self.student_id,
            "file": self.file,
            "file_sha256": self.file_sha256,
            "reason": self.reason,
            "notes": list(self.notes),
            "engine": self.engine,
            "seconds": round(self.seconds, 4),
            "graded_at": self.graded_at,
            "result": self.result.to_json(),
        }

    def feedback_json(self) -> dict[str, Any]:
        """Return the student's feedback: the result with the notes and the graded file."""
        return {**self.result.to_json(), "notes": list(self.notes), "file": self.file, "graded_at": self.graded_at}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "GradedSubmission":
        """Rebuild a record from :meth:`to_json` output."""
        return cls(
            student_id=data["student_id"],
            file=data["file"],
            file_sha256=data["file_sha256"],
            result=SubmissionResult.from_json(data["result"]),
            reason=data.get("reason"),
            notes=tuple(data.get("notes", ())),
            engine=data.get("engine", ""),
            seconds=float(data.get("seconds", 0.0)),
            graded_at=data.get("graded_at", ""),
        )
