"""Filling student notebooks with answers, for the demo and the end-to-end tests.

:func:`fill_notebook` writes answers into a student's answer cells the way a student
would: a value from the key for each variable, and for each function part the reference
implementation from ``solutions/``. :func:`execute_notebook` runs the notebook in a real
Jupyter kernel. :func:`run_demo` builds the example assignment, fills sample submissions
and grades them.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from effquiz.assignment import Assignment, load_assignment
from effquiz.build.sources import reference_source
from effquiz.errors import BuildError
from effquiz.grader.judge import letters
from effquiz.templates.schema import PartSpec

logger = logging.getLogger(__name__)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def answer_literal(part_key: dict[str, Any], choices: tuple[tuple[str, str], ...]) -> str:
    """Return Python source for a key's answer: a number, or the letter of the right choice."""
    if "choice" in part_key:
        keys = [key for key, _ in choices]
        return repr(letters(len(keys))[keys.index(part_key["choice"])])
    return repr(part_key["answer"])


def wrong_literal(part_key: dict[str, Any], choices: tuple[tuple[str, str], ...]) -> str:
    """Return Python source for an answer that is certainly wrong for this key."""
    if "choice" in part_key:
        keys = [key for key, _ in choices]
        wrong_index = (keys.index(part_key["choice"]) + 1) % len(keys)
        return repr(letters(len(keys))[wrong_index])
    value = part_key["answer"]
    if isinstance(value, list):
        return repr([element + 1 for element in value])
    return repr(value * 2 + 7 if isinstance(value, int) else value * 1.5 + 0.37)


def function_answer(part: PartSpec, mode: str) -> str:
    """Return the source of a function part's answer: the reference, or for "wrong" a known mistake.

    A wrong answer is the first misconception's wrong implementation, under the starter's
    name. When the part names none (a sampling step names wrong laws), it is a function that
    raises NotImplementedError.
    """
    spec = part.function
    assert spec is not None
    if mode == "right":
        return reference_source(spec.module, spec.name)
    mistakes = [mistake.function for mistake in spec.misconceptions if mistake.function is not None]
    if mistakes:
        return reference_source(spec.module, mistakes[0], rename=spec.name)
    return f"def {spec.name}({', '.join(spec.parameters)}):\n    raise NotImplementedError('a wrong answer')\n"


def set_variables(notebook: nbformat.NotebookNode, values: dict[str, str]) -> nbformat.NotebookNode:
    """Replace each ``name = ...`` line with ``name = SOURCE``."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for name, source in values.items():
                cell.source = re.sub(rf"^{re.escape(name)} = \.\.\.$", f"{name} = {source}", cell.source,
                                     flags=re.M)
    return notebook


def write_function(notebook: nbformat.NotebookNode, name: str, source: str) -> nbformat.NotebookNode:
    """Replace the starter ``def name(...)``, with its docstring and ``...`` body, by ``source``.

    Raises BuildError when no code cell contains that starter.
    """
    pattern = re.compile(rf"^def {re.escape(name)}\(.*?^    \.\.\.$", flags=re.M | re.S)
    for cell in notebook.cells:
        if cell.cell_type == "code" and pattern.search(cell.source):
            cell.source = pattern.sub(lambda _: source.strip("\n"), cell.source)
            return notebook
    raise BuildError(f"the notebook has no starter function {name!r} with '...' as its body.",
                     fix="fill a notebook that the build wrote, before its functions are written.")


def fill_notebook(notebook: nbformat.NotebookNode, assignment: Assignment, key: dict[str, Any],
                  choose: Callable[[str, str], str] | None = None) -> nbformat.NotebookNode:
    """Answer every part: replace each ``variable = ...`` line with an answer from ``key``.

    A function part's key is its reference implementation in ``solutions/``, which
    replaces the starter function (see :func:`reference_source`). ``choose(question, part)``
    returns "right", "wrong" or "blank" (default: all right).
    """
    lines: dict[str, str] = {}
    for question in assignment.questions:
        for part in question.template.parts:
            part_key = key["questions"][question.id]["parts"][part.name]
            mode = choose(question.id, part.name) if choose else "right"
            if mode == "blank":
                continue
            if part.function is not None:
                write_function(notebook, part.variable, function_answer(part, mode))
                continue
            literal = answer_literal(part_key, part.choices) if mode == "right" else wrong_literal(part_key, part.choices)
            lines[part.variable] = literal
    return set_variables(notebook, lines)


def execute_notebook(notebook: nbformat.NotebookNode, workdir: Path, timeout: int = 120) -> nbformat.NotebookNode:
    """Run every cell in a fresh python3 kernel with ``workdir`` as the working directory."""
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})
    # The kernel's own stderr carries only ipykernel's start-up warnings; cell errors still
    # reach the notebook's outputs.
    client.execute(stderr=subprocess.DEVNULL)
    return notebook


@dataclass(frozen=True)
class Answered:
    """A notebook that a student filled in and ran, and the zip its export cell wrote."""

    notebook: nbformat.NotebookNode
    export_zip: Path | None


def answer_as_student(build_dir: Path, assignment: Assignment, author: str, workdir: Path,
                      choose: Callable[[str, str], str] | None = None) -> Answered:
    """Copy ``author``'s folder to ``workdir``, fill it from their key and run it as the student would."""
    shutil.copytree(build_dir / "student" / author, workdir)
    notebook = nbformat.read(workdir / assignment.notebook_name, as_version=4)
    key = json.loads((build_dir / "keys" / f"{author}.json").read_text(encoding="utf-8"))
    filled = fill_notebook(notebook, assignment, key, choose)
    nbformat.write(filled, workdir / assignment.notebook_name)  # the student saves before exporting
    executed = execute_notebook(filled, workdir)
    zips = sorted(workdir.glob(f"{assignment.name}_*.zip"))
    return Answered(notebook=executed, export_zip=zips[-1] if zips else None)


@dataclass(frozen=True)
class DemoSubmission:
    """A sample submission: whose notebook, filed under which id, answered how."""

    author: str
    filed_as: str
    answers: str


@dataclass(frozen=True)
class DemoRun:
    """The demo's build folder, its submissions folder and what each sample is."""

    build: Path
    submissions: Path
    samples: tuple[DemoSubmission, ...]


def run_demo(out: Path, examples: Path = EXAMPLES) -> DemoRun:
    """Build the lecture assignment for the example roster and fill sample submissions."""
    from effquiz.build import build

    assignment_path = examples / "lecture.yaml"
    result = build(assignment_path=assignment_path, roster_path=examples / "roster.csv", out=out / "build")
    assignment = load_assignment(assignment_path)
    manifest = json.loads((result.out / "build.json").read_text(encoding="utf-8"))
    students = manifest["students"]
    plan = [
        DemoSubmission(students[0], students[0], "all right"),
        DemoSubmission(students[1], students[1], "half right"),
        DemoSubmission(students[2], students[2], "blank"),
        DemoSubmission(students[3], students[4], "all right"),
    ]
    submissions = out / "submissions"
    shutil.rmtree(submissions, ignore_errors=True)
    submissions.mkdir(parents=True)
    scratch = out / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    for item in plan:
        counter = iter(range(1000))

        def choose(question: str, part: str, mode: str = item.answers, counter=counter) -> str:
            if mode == "blank":
                return "blank"
            if mode == "half right":
                return "right" if next(counter) % 2 == 0 else "wrong"
            return "right"

        answered = answer_as_student(result.out, assignment, item.author, scratch / item.filed_as, choose)
        nbformat.write(answered.notebook, submissions / f"{item.filed_as}.ipynb")
        logger.info("%s: %s's notebook, %s", item.filed_as, item.author, item.answers)
    return DemoRun(build=result.out, submissions=submissions, samples=tuple(plan))
