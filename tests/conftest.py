"""Fixtures shared by the test packages.

Fixtures that run Otter or a Jupyter kernel are session-scoped and their tests carry the
``slow`` marker, so ``pytest -m "not slow"`` stays fast.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
EXAMPLES = REPOSITORY / "examples"

ONE_TEMPLATE = """\
id: doubling
version: 1
topic: quantization
title: Doubling
params:
  x: {kind: integer, low: -1000, high: 1000}
prompt: "x = {{ x }}"
parts:
  double: {kind: integer, prompt: 2x, answer: 2 * x}
"""

THREE_STUDENTS = "student_id,name,email\nada,Ada Lovelace,ada@example.edu\nalan,Alan Turing,alan@example.edu\n" \
                 "grace,Grace Hopper,grace@example.edu\n"


@pytest.fixture(scope="session")
def lecture_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build examples/lecture.yaml for three students once per session; return the build folder."""
    from effquiz.build import build

    root = tmp_path_factory.mktemp("lecture")
    roster = root / "roster.csv"
    roster.write_text(THREE_STUDENTS, encoding="utf-8")
    result = build(assignment_path=EXAMPLES / "lecture.yaml", roster_path=roster, out=root / "build")
    return result.out


@pytest.fixture(scope="session")
def examples() -> Path:
    """Return the repository's examples folder."""
    return EXAMPLES


@pytest.fixture
def three_students(tmp_path: Path) -> Path:
    """Write a roster of three students and return its path."""
    roster = tmp_path / "three-students.csv"
    roster.write_text(THREE_STUDENTS, encoding="utf-8")
    return roster


@pytest.fixture
def build_copy(lecture_build: Path, tmp_path: Path) -> Path:
    """Return a private copy of the session's lecture build, safe to modify."""
    target = tmp_path / "build"
    shutil.copytree(lecture_build, target)
    return target


@pytest.fixture
def own_bank(tmp_path: Path) -> Path:
    """Write a bank folder, mybank/, with the one template 'doubling', and return its path."""
    folder = tmp_path / "mybank"
    folder.mkdir()
    (folder / "doubling.yaml").write_text(ONE_TEMPLATE, encoding="utf-8")
    return folder
