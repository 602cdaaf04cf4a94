"""Grading results: what the judge decided for each part of one submission.

The JSON form written by :meth:`SubmissionResult.to_json` is the per-student feedback
file and the record that a later regrade reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

STATUSES = ("correct", "incorrect", "missing", "invalid", "not graded")


@dataclass(frozen=True)
class PartResult:
    """The verdict on one part: points earned, the message shown, and a matched misconception."""

    question: str
    part: str
    variable: str
    score: Fraction
    max_score: Fraction
    status: str
    message: str
    misconception: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form, with points as floats."""
        data = asdict(self)
        data["score"] = float(self.score)
        data["max_score"] = float(self.max_score)
        if self.misconception is None:
            del data["misconception"]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PartResult":
        """Rebuild a PartResult from :meth:`to_json` output."""
        fields = dict(data)
        fields["score"] = Fraction(str(fields["score"]))
        fields["max_score"] = Fraction(str(fields["max_score"]))
        return cls(**fields)


@dataclass(frozen=True)
class SubmissionResult:
    """Every part's verdict for one student's submission, with what a regrade needs."""

    student_id: str
    assignment: str
    parts: tuple[PartResult, ...]
    seed: int | None
    template_versions: dict[str, int]
    effquiz_version: str
    error: str | None = None
    questions: tuple[str, ...] = field(default=())

    @property
    def total(self) -> Fraction:
        """Return the points earned."""
        return sum((part.score for part in self.parts), Fraction(0))

    @property
    def possible(self) -> Fraction:
        """Return the points available."""
        return sum((part.max_score for part in self.parts), Fraction(0))

    def question_scores(self) -> dict[str, Fraction]:
        """Return the points earned per question, in assignment order."""
        scores = {question: Fraction(0) for question in self.questions}
        for part in self.parts:
            scores[part.question] = scores.get(part.question, Fraction(0)) + part.score
        return scores

    def to_json(self) -> dict[str, Any]:
        """Return the feedback record: totals, each part's verdict and the regrade inputs."""
        return {
            "student_id": self.student_id,
            "assignment": self.assignment,
            "total": float(self.total),
            "possible": float(self.possible),
            "error": self.error,
            "questions": list(self.questions),
            "parts": [part.to_json() for part in self.parts],
            "seed": self.seed,
            "template_versions": self.template_versions,
            "effquiz_version": self.effquiz_version,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SubmissionResult":
        """Rebuild a SubmissionResult from :meth:`to_json` output."""
        return cls(
            student_id=data["student_id"],
            assignment=data["assignment"],
            parts=tuple(PartResult.from_json(part) for part in data["parts"]),
            seed=data.get("seed"),
            template_versions=dict(data.get("template_versions", {})),
            effquiz_version=data.get("effquiz_version", ""),
            error=data.get("error"),
            questions=tuple(data.get("questions", ())),
        )

    def to_gradescope(self, *, visibility: str, notes: tuple[str, ...] = ()) -> dict[str, Any]:
        """Return the submission in Gradescope's results.json format, one test per part.

        ``notes`` follow the top-level output, which names the student graded.
        """
        tests = [
            {
                "name": f"{part.question}.{part.part} ({part.variable})",
                "score": float(part.score),
                "max_score": float(part.max_score),
                "output": part.message,
                "visibility": visibility,
            }
            for part in self.parts
        ]
        output = " ".join((self.error or f"Graded for student {self.student_id}.", *notes))
        return {"score": float(self.total), "tests": tests, "output": output, "stdout_visibility": "hidden"}
