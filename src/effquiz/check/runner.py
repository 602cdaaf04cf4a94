"""Loading the files that ``effquiz check`` names and sweeping every template among them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from effquiz.assignment import Assignment, load_assignment
from effquiz.check.model import AssignmentSummary, CheckReport, Finding, TemplateSummary
from effquiz.check.sweep import DEFAULT_MAX_DUPLICATE_RATE, sweep_template
from effquiz.errors import InputError, Location
from effquiz.templates.bank import Bank, default_bank_path
from effquiz.templates.loader import load_template
from effquiz.templates.schema import Template
from effquiz.templates.yamlsource import load_yaml

logger = logging.getLogger(__name__)

ASSIGNMENT_KEYS = frozenset({"course_seed", "questions"})
"""Top-level keys that mark a YAML file as an assignment rather than a template."""


def check_paths(paths: Sequence[Path] = (), *, variants: int = 1000, seed: int = 0, bank: Bank | None = None,
                max_duplicate_rate: Fraction = DEFAULT_MAX_DUPLICATE_RATE) -> CheckReport:
    """Load every template and assignment under ``paths`` and sweep each template.

    A path may be a template, an assignment or a folder of them; the default is the shipped
    bank. Assignments name problems in their own ``bank`` folder, else in ``bank``, else in
    the shipped bank, and those templates are swept too. Files that do not load are
    reported in :attr:`CheckReport.errors` and not swept.
    """
    templates: dict[str, Template] = {}
    assignments: list[Assignment] = []
    errors: list[str] = []
    for path in _files(paths or (default_bank_path(),), errors):
        try:
            if _is_assignment(path):
                assignments.append(load_assignment(path, bank))
                continue
            template = load_template(path)
        except InputError as error:
            errors.append(str(error))
            continue
        if template.id in templates:
            errors.append(str(InputError(f"the id {template.id!r} is also used by {templates[template.id].path}.",
                                         location=Location(str(path)), key="id", value=template.id,
                                         fix="give each template its own id.")))
            continue
        templates[template.id] = template
    for assignment in assignments:
        for question in assignment.questions:
            templates.setdefault(question.template.id, question.template)

    summaries: list[TemplateSummary] = []
    findings: list[Finding] = []
    for template in templates.values():
        summary, found = sweep_template(template, variants=variants, seed=seed, max_duplicate_rate=max_duplicate_rate)
        summaries.append(summary)
        findings += found
    return CheckReport(templates=tuple(summaries), assignments=tuple(_summary(a) for a in assignments),
                       findings=tuple(findings), errors=tuple(errors), variants=variants, seed=seed)


def _files(paths: Sequence[Path], errors: list[str]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not found:
                errors.append(str(InputError("no *.yaml file found in the folder.", location=Location(str(path)),
                                             fix="pass a folder of templates or assignments.")))
            files += found
        elif path.is_file():
            files.append(path)
        else:
            errors.append(str(InputError("no such file or folder.", location=Location(str(path)),
                                         fix="pass a template, an assignment or a folder of them.")))
    return files


def _is_assignment(path: Path) -> bool:
    """Return whether the YAML at ``path`` is an assignment, judged by its top-level keys."""
    data: Any
    data, _ = load_yaml(path)
    return isinstance(data, dict) and bool(ASSIGNMENT_KEYS & set(data))


def _summary(assignment: Assignment) -> AssignmentSummary:
    return AssignmentSummary(name=assignment.name, path=str(assignment.path), course_seed=assignment.course_seed,
                             questions=tuple((q.id, q.problem, float(q.points)) for q in assignment.questions))
