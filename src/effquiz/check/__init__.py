"""Checking a bank: every template loads, and a sweep of its variants finds nothing wrong.

Entry point: :func:`check_paths`. :func:`sweep_template` sweeps one loaded template.
"""

from effquiz.check.model import AssignmentSummary, CheckReport, Finding, TemplateSummary
from effquiz.check.runner import check_paths
from effquiz.check.sweep import DEFAULT_MAX_DUPLICATE_RATE, sweep_template

__all__ = [
    "AssignmentSummary", "CheckReport", "DEFAULT_MAX_DUPLICATE_RATE", "Finding", "TemplateSummary", "check_paths",
    "sweep_template",
]
