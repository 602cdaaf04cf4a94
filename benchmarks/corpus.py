"""A corpus of varied submissions, for comparing the grading engines and timing them.

The engine equality test (``tests/batch/test_engine_equality.py``) and the grading
benchmark (``benchmarks/grading.py``) both grade this corpus, so the benchmark's score
comparison covers the same cases as the test. Each submission is made from a student's
handed-out notebook and answer key the way a student would fill it in, then changed to
one case: all right, all wrong, blanks, misconceptions, wrong types, errors in cells,
cells reordered, outputs stripped, a classmate's notebook, export zips and more.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from effquiz.assignment import Assignment
from effquiz.demo import answer_as_student, answer_literal, fill_notebook

ROSTER_SIZE = 40
UNICODE_STUDENT = "zoë"


@dataclass(frozen=True)
class CorpusItem:
    """One submission of the corpus: whose id it is filed under, whose notebook it is, and what it tests."""

    student_id: str
    author: str
    case: str
    path: Path


def roster_csv(count: int = ROSTER_SIZE) -> str:
    """Return a roster with ``count`` students: s01, s02, ... and one id with a non-ASCII letter."""
    lines = ["student_id,name,email"]
    ids = [f"s{number:02d}" for number in range(1, count)] + [UNICODE_STUDENT]
    lines += [f"{student},Student {student},{student}@example.edu" for student in ids]
    return "\n".join(lines) + "\n"


class NotebookFactory:
    """Makes filled-in notebooks from a build's handed-out notebooks and answer keys."""

    def __init__(self, build: Path, assignment: Assignment) -> None:
        self.build = build
        self.assignment = assignment

    def key(self, student: str) -> dict[str, Any]:
        """Return a student's answer key."""
        return json.loads((self.build / "keys" / f"{student}.json").read_text(encoding="utf-8"))

    def blank(self, student: str) -> nbformat.NotebookNode:
        """Return the notebook handed out to ``student``, unanswered."""
        path = self.build / "student" / student / self.assignment.notebook_name
        return nbformat.read(path, as_version=4)

    def filled(self, student: str, choose: Callable[[str, str], str] | None = None) -> nbformat.NotebookNode:
        """Return ``student``'s notebook filled from their key; ``choose`` as in :func:`fill_notebook`."""
        return fill_notebook(self.blank(student), self.assignment, self.key(student), choose)

    def parts(self) -> list[tuple[str, Any]]:
        """Return every (question id, part spec) of the assignment."""
        return [(question.id, part) for question in self.assignment.questions for part in question.template.parts]

    def filled_with(self, student: str, literal: Callable[[str, Any, dict[str, Any]], str | None]) -> nbformat.NotebookNode:
        """Return ``student``'s notebook with each answer line set to ``literal(question, part, part_key)``.

        A None literal leaves the line as ``...``.
        """
        notebook = self.blank(student)
        key = self.key(student)
        for question, part in self.parts():
            value = literal(question, part, key["questions"][question]["parts"][part.name])
            if value is not None:
                set_answer(notebook, part.variable, value)
        return notebook


def set_answer(notebook: nbformat.NotebookNode, variable: str, literal: str) -> None:
    """Replace the line that assigns ``variable`` in any code cell with ``variable = literal``."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.source = re.sub(rf"^{re.escape(variable)} = .*$", f"{variable} = {literal}", cell.source, flags=re.M)


def answer_cell_indices(notebook: nbformat.NotebookNode) -> list[int]:
    """Return the indices of the answer cells (tagged ``otter_answer_cell``)."""
    return [index for index, cell in enumerate(notebook.cells)
            if "otter_answer_cell" in cell.get("metadata", {}).get("tags", [])]


def check_cell_indices(notebook: nbformat.NotebookNode) -> list[int]:
    """Return the indices of the ``grader.check(...)`` cells."""
    return [index for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and "grader.check(" in cell.source]


def insert_code(notebook: nbformat.NotebookNode, index: int, source: str) -> nbformat.NotebookNode:
    """Insert a code cell at ``index`` and return the notebook."""
    notebook.cells.insert(index, nbformat.v4.new_code_cell(source))
    return notebook


def strip_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy with every output and execution count removed, as 'Clear All Outputs' does."""
    stripped = copy.deepcopy(notebook)
    for cell in stripped.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return stripped


def export_zip(path: Path, notebook: nbformat.NotebookNode, notebook_name: str, extra: dict[str, bytes]) -> Path:
    """Write a zip like the notebook's export cell writes, with ``extra`` files beside the notebook."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(notebook_name, nbformat.writes(notebook))
        for name, content in extra.items():
            archive.writestr(name, content)
    return path


def _misconception_literal(question: str, part: Any, part_key: dict[str, Any]) -> str:
    misconceptions = part_key.get("misconceptions") or {}
    if misconceptions:
        return next(iter(misconceptions.values()))
    return answer_literal(part_key, part.choices)


def _wrong_type_literal(question: str, part: Any, part_key: dict[str, Any]) -> str:
    if part.kind == "choice":
        return "1"
    if part.kind in ("vector", "interval"):
        return "'0.5'"
    return repr(str(part_key["answer"]))


def _numpy_literal(question: str, part: Any, part_key: dict[str, Any]) -> str:
    if part.kind == "choice":
        return f"np.str_({answer_literal(part_key, part.choices)})"
    if part.kind in ("vector", "interval"):
        return f"np.array({part_key['answer']!r})"
    if part.kind == "integer":
        return f"np.int64({part_key['answer']!r})"
    return f"np.float64({part_key['answer']!r})"


def _exact_literal(question: str, part: Any, part_key: dict[str, Any]) -> str:
    if "exact" in part_key and part.kind == "number":
        return f"Fraction({part_key['exact']!r})"
    return answer_literal(part_key, part.choices)


def _text_choice_literal(question: str, part: Any, part_key: dict[str, Any]) -> str:
    if part.kind == "choice":
        return repr("  " + part_key["answer"].upper() + " ")
    return answer_literal(part_key, part.choices)


def _nan_literal(question: str, part: Any, part_key: dict[str, Any]) -> str:
    if part.kind in ("number", "integer"):
        return "float('nan')" if part.kind == "number" else "float('inf')"
    return answer_literal(part_key, part.choices)


def build_corpus(build: Path, assignment: Assignment, out: Path, *, scratch: Path) -> list[CorpusItem]:
    """Write the corpus submissions into ``out`` and return what each one is.

    ``build`` must have been built from a :func:`roster_csv` roster. Four notebooks are
    executed in a real Jupyter kernel, as students run them, so some submissions carry
    real outputs and one is the zip that the export cell writes.
    """
    out.mkdir(parents=True, exist_ok=True)
    factory = NotebookFactory(build, assignment)
    items: list[CorpusItem] = []
    name = assignment.notebook_name
    students = iter([f"s{number:02d}" for number in range(1, ROSTER_SIZE)])

    def save(case: str, notebook: nbformat.NotebookNode, author: str | None = None, student: str | None = None) -> str:
        student = student or next(students)
        path = out / f"{student}.ipynb"
        nbformat.write(notebook, path)
        items.append(CorpusItem(student, author or student, case, path))
        return student

    def own(case: str, make: Callable[[str], nbformat.NotebookNode]) -> None:
        student = next(students)
        save(case, make(student), student=student)

    def half(student: str) -> nbformat.NotebookNode:
        counter = iter(range(1000))
        return factory.filled(student, lambda question, part: "right" if next(counter) % 2 == 0 else "wrong")

    # Executed in a kernel, with real outputs, as a student would submit them.
    for case in ("all right, executed", "half right, executed"):
        student = next(students)
        choose = None if case.startswith("all") else (lambda q, p, c=iter(range(1000)): "right" if next(c) % 2 else "wrong")
        answered = answer_as_student(build, assignment, student, scratch / student, choose)
        save(case, answered.notebook, student=student)
        if case.startswith("all"):
            stripped_student = next(students)
            executed_other = answer_as_student(build, assignment, stripped_student, scratch / stripped_student)
            save("outputs stripped", strip_outputs(executed_other.notebook), student=stripped_student)
    exporter = next(students)
    exported = answer_as_student(build, assignment, exporter, scratch / exporter)
    shutil.copy(exported.export_zip, out / f"{exporter}.zip")
    items.append(CorpusItem(exporter, exporter, "export zip from the notebook's export cell", out / f"{exporter}.zip"))

    own("all right", factory.filled)
    own("all right", factory.filled)
    own("all wrong", lambda s: factory.filled(s, lambda q, p: "wrong"))
    own("all wrong", lambda s: factory.filled(s, lambda q, p: "wrong"))
    own("blank", factory.blank)
    own("half right", half)
    own("only the first question", lambda s: factory.filled(
        s, lambda q, p: "right" if q == assignment.questions[0].id else "blank"))
    own("misconceptions", lambda s: factory.filled_with(s, _misconception_literal))
    own("wrong types", lambda s: factory.filled_with(s, _wrong_type_literal))
    own("numpy types", lambda s: insert_code(factory.filled_with(s, _numpy_literal), 1, "import numpy as np"))
    own("exact fractions", lambda s: insert_code(factory.filled_with(s, _exact_literal), 1,
                                                 "from fractions import Fraction"))
    own("choices as text", lambda s: factory.filled_with(s, _text_choice_literal))
    own("nan and inf", lambda s: factory.filled_with(s, _nan_literal))

    def error_before_answers(student: str) -> nbformat.NotebookNode:
        notebook = factory.filled(student)
        return insert_code(notebook, answer_cell_indices(notebook)[0], "undefined_name + 1")

    def syntax_error_in_answers(student: str) -> nbformat.NotebookNode:
        notebook = factory.filled(student)
        cell = notebook.cells[answer_cell_indices(notebook)[0]]
        cell.source = cell.source + "\nscale = = 1"
        return notebook

    def reordered(student: str) -> nbformat.NotebookNode:
        notebook = factory.filled(student)
        first_answer, first_check = answer_cell_indices(notebook)[0], check_cell_indices(notebook)[0]
        cells = notebook.cells
        cells[first_answer], cells[first_check] = cells[first_check], cells[first_answer]
        return notebook

    def answers_at_end(student: str) -> nbformat.NotebookNode:
        notebook = factory.filled(student)
        moved = [notebook.cells[index] for index in answer_cell_indices(notebook)]
        notebook.cells = [cell for cell in notebook.cells if cell not in moved] + moved
        return notebook

    def checks_deleted(student: str) -> nbformat.NotebookNode:
        notebook = factory.filled(student)
        notebook.cells = [cell for index, cell in enumerate(notebook.cells)
                          if index not in check_cell_indices(notebook)]
        return notebook

    def changed_after_check(student: str) -> nbformat.NotebookNode:
        notebook = factory.filled(student)
        wrong = factory.filled(student, lambda q, p: "wrong")
        for index in answer_cell_indices(wrong):
            cell = copy.deepcopy(wrong.cells[index])
            cell["id"] = f"changed-{index}"
            notebook.cells.append(cell)
        return notebook

    def grader_overwritten(student: str) -> nbformat.NotebookNode:
        notebook = factory.filled(student)
        return insert_code(notebook, 1, "grader = None")

    def answers_in_function(student: str) -> nbformat.NotebookNode:
        notebook = factory.filled(student)
        for index in answer_cell_indices(notebook):
            cell = notebook.cells[index]
            cell.source = "def answers():\n" + "\n".join("    " + line for line in cell.source.splitlines())
        return notebook

    def tampered_tests(student: str) -> nbformat.NotebookNode:
        notebook = factory.filled(student, lambda q, p: "wrong")
        tamper = ("import glob\nfor path in glob.glob('tests/*.py'):\n"
                  "    open(path, 'w').write('OK_FORMAT = False\\nname = \"x\"\\npoints = 0\\n')\n")
        return insert_code(notebook, 1, tamper)

    def another_assignment(student: str) -> nbformat.NotebookNode:
        notebook = factory.filled(student)
        notebook.metadata["otter"]["assignment_name"] = "another-homework"
        return notebook

    def empty(student: str) -> nbformat.NotebookNode:
        notebook = factory.blank(student)
        notebook.cells = []
        return notebook

    for case, make in (("error before the answers", error_before_answers),
                       ("syntax error in an answer cell", syntax_error_in_answers),
                       ("cells reordered: check before answers", reordered),
                       ("cells reordered: answers at the end", answers_at_end),
                       ("check cells deleted", checks_deleted),
                       ("answers changed after the check", changed_after_check),
                       ("grader overwritten", grader_overwritten),
                       ("answers inside a function", answers_in_function),
                       ("test files rewritten by the notebook", tampered_tests),
                       ("another assignment's metadata", another_assignment),
                       ("empty notebook", empty)):
        own(case, make)

    # Cases that add one cell to a correct notebook: at the top, or after the first check.
    added_cells = (("process dies after the first check", "import os\nos._exit(3)", True),
                   ("exit() after the first check", "exit()", True),
                   ("sys.exit in a cell", "import sys\nsys.exit(2)", False),
                   ("input() in a cell", "name = input('name? ')", False),
                   ("magics and shell escapes", "%time total = sum(range(1000))\n!echo shell", False),
                   ("cell magic", "%%capture\nprint('hidden')", False),
                   ("a megabyte of output", "for line in range(20000):\n    print('x' * 50)", False))
    for case, source, after_check in added_cells:
        def add(student: str, source: str = source, after_check: bool = after_check) -> nbformat.NotebookNode:
            notebook = factory.filled(student)
            return insert_code(notebook, check_cell_indices(notebook)[0] + 1 if after_check else 1, source)

        own(case, add)

    save("classmate's notebook", factory.filled("s01"), author="s01")
    save("classmate's notebook, half right", half("s02"), author="s02")
    save("non-ASCII student id", factory.filled(UNICODE_STUDENT), student=UNICODE_STUDENT)

    zipped = next(students)
    export_zip(out / f"{zipped}.zip", factory.filled(zipped), name,
               {"data.csv": b"a,b\n1,2\n", "notes/readme.txt": b"my notes\n", f"__MACOSX/._{name}": b"\x00\x05"})
    items.append(CorpusItem(zipped, zipped, "export zip with extra files", out / f"{zipped}.zip"))
    corrupt = next(students)
    (out / f"{corrupt}.ipynb").write_text(nbformat.writes(factory.filled(corrupt))[:-200], encoding="utf-8")
    items.append(CorpusItem(corrupt, corrupt, "corrupt JSON", out / f"{corrupt}.ipynb"))
    return items
