"""Writing answers into student notebooks the way a student would, for the end-to-end tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from effquiz.demo import execute_notebook


def read_notebook(build_dir: Path, student: str, name: str) -> nbformat.NotebookNode:
    """Return a copy of the notebook that the build wrote for ``student``."""
    return nbformat.read(build_dir / "student" / student / f"{name}.ipynb", as_version=4)


def key(build_dir: Path, student: str) -> dict:
    """Return a student's answer key."""
    return json.loads((build_dir / "keys" / f"{student}.json").read_text(encoding="utf-8"))


def set_variables(notebook: nbformat.NotebookNode, values: dict[str, str]) -> nbformat.NotebookNode:
    """Replace each ``name = ...`` line with ``name = SOURCE``."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for name, source in values.items():
                cell.source = re.sub(rf"^{re.escape(name)} = \.\.\.$", f"{name} = {source}", cell.source, flags=re.M)
    return notebook


def write_function(notebook: nbformat.NotebookNode, name: str, source: str) -> nbformat.NotebookNode:
    """Replace the starter ``def name(...)`` and its docstring and ``...`` body with ``source``."""
    pattern = re.compile(rf"^def {re.escape(name)}\(.*?^    \.\.\.$", flags=re.M | re.S)
    for cell in notebook.cells:
        if cell.cell_type == "code" and pattern.search(cell.source):
            cell.source = pattern.sub(lambda _: source.strip("\n"), cell.source)
            return notebook
    raise AssertionError(f"no starter function {name} in the notebook")


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
