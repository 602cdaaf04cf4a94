"""Writing answers into student notebooks the way a student would, for the end-to-end tests."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from effquiz.demo import execute_notebook, set_variables, write_function
from effquiz.grader.batch import grade_folder

__all__ = ["add_cell", "feedback_part", "grade_with_feedback", "key", "read_notebook", "set_variables", "submit",
           "write_function"]


def read_notebook(build_dir: Path, student: str, name: str) -> nbformat.NotebookNode:
    """Return a copy of the notebook that the build wrote for ``student``."""
    return nbformat.read(build_dir / "student" / student / f"{name}.ipynb", as_version=4)


def key(build_dir: Path, student: str) -> dict:
    """Return a student's answer key."""
    return json.loads((build_dir / "keys" / f"{student}.json").read_text(encoding="utf-8"))


def add_cell(notebook: nbformat.NotebookNode, source: str, *, before: str | None = None) -> nbformat.NotebookNode:
    """Insert a code cell at the end, or before the first cell whose source contains ``before``."""
    cell = nbformat.v4.new_code_cell(source)
    index = len(notebook.cells)
    if before is not None:
        index = next(i for i, c in enumerate(notebook.cells) if before in c.source)
    notebook.cells.insert(index, cell)
    return notebook


def submit(notebook: nbformat.NotebookNode, build_dir: Path, author: str, folder: Path, filed_as: str) -> Path:
    """Run the notebook in a kernel in the author's folder and file it as ``<filed_as>.ipynb``."""
    executed = execute_notebook(notebook, build_dir / "student" / author)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{filed_as}.ipynb"
    nbformat.write(executed, path)
    return path


def grade_with_feedback(build_dir: Path, folder: Path, out: Path) -> dict:
    """Grade a folder of submissions; return each student's row and feedback file, by student id."""
    report = grade_folder(build_dir=build_dir, submissions=folder, out=out)
    feedback = {row.student_id: json.loads((report.feedback / f"{row.student_id}.json").read_text(encoding="utf-8"))
                for row in report.rows}
    return {"rows": {row.student_id: row for row in report.rows}, "feedback": feedback}


def feedback_part(feedback: dict, name: str) -> dict:
    """Return the entry of the part ``name`` in one student's feedback file."""
    return next(entry for entry in feedback["parts"] if entry["part"] == name)
