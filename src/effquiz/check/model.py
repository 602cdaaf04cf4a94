"""The findings and summaries that ``effquiz check`` reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CHECKS = ("non-finite", "tie", "degenerate", "duplicates", "misconception", "display", "failure", "example")
"""The kinds of finding, in the order the summary table shows them."""


@dataclass(frozen=True)
class Finding:
    """One problem found in a template, aggregated over the variants that show it.

    ``where`` names the part, parameter, prompt or check entry. ``count`` is the number of
    variants that show the problem, and ``rate`` is its share of the sweep. ``seeds`` are
    the first few seeds that show it, so ``effquiz render ID --seed S`` draws one again.
    ``params`` are the parameters of the first, and ``detail`` is its message.
    """

    template: str
    check: str
    where: str
    detail: str
    count: int = 1
    rate: float = 0.0
    seeds: tuple[int, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready dict."""
        data = asdict(self)
        data["seeds"] = list(self.seeds)
        return data


@dataclass(frozen=True)
class TemplateSummary:
    """The sweep of one template: how many variants, how distinct, and what was found."""

    id: str
    version: int
    path: str
    variants: int
    generated: int
    distinct: int
    duplicate_rate: float
    seconds: float
    counts: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class AssignmentSummary:
    """A validated assignment file: its questions and the course seed."""

    name: str
    path: str
    course_seed: int
    questions: tuple[tuple[str, str, float], ...]

    def to_json(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict."""
        return {"name": self.name, "path": self.path, "course_seed": self.course_seed,
                "questions": [{"id": qid, "problem": problem, "points": points}
                              for qid, problem, points in self.questions]}


@dataclass(frozen=True)
class CheckReport:
    """Everything one run of ``effquiz check`` found.

    ``errors`` contains the message of each file that did not load. Those files were not
    swept.
    """

    templates: tuple[TemplateSummary, ...]
    assignments: tuple[AssignmentSummary, ...]
    findings: tuple[Finding, ...]
    errors: tuple[str, ...]
    variants: int
    seed: int

    @property
    def exit_code(self) -> int:
        """Return 2 when a file did not load, 1 when something was found, else 0."""
        if self.errors:
            return 2
        return 1 if self.findings else 0

    def to_json(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "variants": self.variants,
            "seed": self.seed,
            "templates": [summary.to_json() for summary in self.templates],
            "assignments": [summary.to_json() for summary in self.assignments],
            "findings": [finding.to_json() for finding in self.findings],
            "errors": list(self.errors),
            "exit_code": self.exit_code,
        }
