"""The grading configuration that the build writes into the autograder zip.

It holds what the judge needs to rebuild any student's variant: the course seed, the
questions and their points, the text of each template, and the roster. It holds no
reference answer; the judge computes those when it grades. Each student's entry carries
a fingerprint of the parameters printed in their notebook, so the judge can tell when
the variant it rebuilds differs from the one the student saw.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from effquiz.assignment import Question
from effquiz.errors import GradingError
from effquiz.templates.loader import parse_template
from effquiz.variants.model import Variant, params_json

FORMAT = 1
CONFIG_NAME = "grading.json"


@dataclass(frozen=True)
class RosterEntry:
    """A student as the judge knows them: id, email, name and variant fingerprint."""

    student_id: str
    email: str
    name: str
    fingerprint: str


@dataclass(frozen=True)
class GradingConfig:
    """Everything the judge reads from the autograder zip."""

    effquiz_version: str
    assignment_name: str
    course_seed: int
    reveal_correctness: bool
    questions: tuple[Question, ...]
    template_texts: dict[str, str]
    students: tuple[RosterEntry, ...]

    def student(self, student_id: str) -> RosterEntry | None:
        """Return the roster entry with ``student_id``, or None."""
        for entry in self.students:
            if entry.student_id == student_id:
                return entry
        return None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form stored in the zip."""
        return {
            "format": FORMAT,
            "effquiz_version": self.effquiz_version,
            "assignment": self.assignment_name,
            "course_seed": self.course_seed,
            "reveal_correctness": self.reveal_correctness,
            "questions": [{"id": q.id, "problem": q.problem, "points": str(q.points),
                           "parts": {name: str(points) for name, points in q.set_points.items()}}
                          for q in self.questions],
            "templates": dict(sorted(self.template_texts.items())),
            "students": [vars(entry) for entry in self.students],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "GradingConfig":
        """Rebuild the configuration, parsing each template again."""
        if data.get("format") != FORMAT:
            raise GradingError(f"the grading configuration has format {data.get('format')!r}, not {FORMAT}.",
                               fix="rebuild the autograder with this version of effquiz.")
        texts = dict(data["templates"])
        templates = {template_id: parse_template(text, f"{template_id}.yaml") for template_id, text in texts.items()}
        questions = tuple(
            Question(id=q["id"], problem=q["problem"], points=Fraction(q["points"]), template=templates[q["problem"]],
                     set_points={name: Fraction(points) for name, points in q.get("parts", {}).items()})
            for q in data["questions"]
        )
        return cls(
            effquiz_version=data["effquiz_version"],
            assignment_name=data["assignment"],
            course_seed=int(data["course_seed"]),
            reveal_correctness=bool(data["reveal_correctness"]),
            questions=questions,
            template_texts=texts,
            students=tuple(RosterEntry(**entry) for entry in data["students"]),
        )

    @classmethod
    def read(cls, path: Path) -> "GradingConfig":
        """Read the configuration file at ``path``."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise GradingError(f"cannot read the grading configuration {path}: {error}.",
                               fix="rebuild the autograder zip with 'effquiz build'.") from error
        return cls.from_json(data)


def fingerprint(variants: dict[str, Variant]) -> str:
    """Return a hash of the parameters of a student's variants, by question."""
    canonical = {question: {"problem": variant.problem, "version": variant.version, "params": params_json(variant.params)}
                 for question, variant in sorted(variants.items())}
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
