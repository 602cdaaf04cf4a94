"""Builds shared by the end-to-end tests of function parts and exploits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, THREE_STUDENTS


@pytest.fixture(scope="session")
def functions_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build examples/functions.yaml for three students once per session; return the build folder."""
    from effquiz.build import build

    root = tmp_path_factory.mktemp("functions")
    roster = root / "roster.csv"
    roster.write_text(THREE_STUDENTS, encoding="utf-8")
    return build(assignment_path=EXAMPLES / "functions.yaml", roster_path=roster, out=root / "build").out
