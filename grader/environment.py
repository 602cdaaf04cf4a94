"""The environment variables a notebook runs with while it is graded, for both engines.

The hidden collector tests read their output folder and the function probes from these variables, so the Otter
path (:func:`effquiz.grader.gradescope.run_otter`) and the fast engine
(:mod:`effquiz.grader.engine`) build the environment here, in one place. A variable that
a collector needs is added here and reaches both paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

ANSWERS_VARIABLE = "EFFQUIZ_ANSWERS_DIR"
PROBES_VARIABLE = "EFFQUIZ_PROBES_DIR"


def notebook_environment(base: Mapping[str, str], *, answers_dir: Path, probes_dir: Path) -> dict[str, str]:
    """Return ``base`` with the grading variables set and ``PYTHONPATH`` removed.

    ``PYTHONPATH`` is dropped so that the grading process's own import path does not
    reach the student's code.
    """
    environment = dict(base)
    environment.pop("PYTHONPATH", None)
    environment[ANSWERS_VARIABLE] = str(answers_dir)
    environment[PROBES_VARIABLE] = str(probes_dir)
    return environment
