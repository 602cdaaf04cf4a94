"""The master notebook for Otter Assign, and each student's notebook made from its output.

Otter Assign runs once per build on a master notebook whose question cells hold
placeholders. Its student notebook becomes the skeleton: for each student, the
placeholder cells are replaced with that student's question text. The master's solution
lines hold dummy values of the right form, never a student's answer.
"""

from __future__ import annotations

import copy
from importlib import resources

import nbformat
import yaml

import effquiz
from effquiz.assignment import Assignment, Question
from effquiz.build.otter_tests import collector_test_source, public_test_source
from effquiz.errors import BuildError
from effquiz.grader.judge import letters
from effquiz.templates.prompts import format_number
from effquiz.variants.model import Variant

MARKER = "<!-- effquiz:question:{} -->"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
DUMMY = {"number": "0.0", "integer": "0", "choice": '"a"', "vector": "[0.0]", "interval": "[0.0, 1.0]"}


def _intro_text() -> str:
    return resources.files("effquiz.student_template").joinpath("notebook_intro.md").read_text(encoding="utf-8")


def master_notebook(assignment: Assignment) -> nbformat.NotebookNode:
    """Return the Otter Assign master notebook for ``assignment``."""
    config = {
        "name": assignment.name,
        "requirements": "requirements.txt",
        "files": [],
        "tests": {"files": True, "ok_format": False},
        "generate": {"pdf": False, "show_stdout": False, "show_hidden": False},
        "export_cell": {"pdf": False, "instructions": "Save the notebook first, then run this cell and upload "
                                                      "the zip file it writes."},
        "check_all_cell": False,
    }
    cells = [nbformat.v4.new_raw_cell("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=True))]
    header = f"# {assignment.title}\n\n"
    if assignment.intro:
        header += assignment.intro.strip() + "\n\n"
    cells.append(nbformat.v4.new_markdown_cell(header + _intro_text().strip()))
    for question in assignment.questions:
        parts = question.template.parts
        solution = "\n".join(f"{part.variable} = {DUMMY[part.kind]}  # SOLUTION" for part in parts)
        cells += [
            nbformat.v4.new_raw_cell(f"# BEGIN QUESTION\nname: {question.id}\npoints: {float(question.points):g}"),
            nbformat.v4.new_markdown_cell(MARKER.format(question.id)),
            nbformat.v4.new_raw_cell("# BEGIN SOLUTION"),
            nbformat.v4.new_code_cell(solution),
            nbformat.v4.new_raw_cell("# END SOLUTION"),
            nbformat.v4.new_raw_cell("# BEGIN TESTS"),
            nbformat.v4.new_code_cell(public_test_source(question.id, parts)),
            nbformat.v4.new_code_cell(collector_test_source(question.id, parts)),
            nbformat.v4.new_raw_cell("# END TESTS"),
            nbformat.v4.new_raw_cell("# END QUESTION"),
        ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = KERNELSPEC
    return notebook


def question_markdown(number: int, question: Question, variant: Variant) -> str:
    """Return one student's text for one question: the prompt, then each part and its variable."""
    template = question.template
    lines = [f"## Question {number}: {template.title} ({format_number(question.points)} points)", "",
             variant.prompt, "", "Assign each answer to its variable in the cell below.", ""]
    for letter, part in zip(letters(len(template.parts)), template.parts):
        lines.append(f"**({letter})** {variant.part_prompts[part.name]} → `{part.variable}`")
        if part.kind == "choice":
            lines.append("")
            for choice_letter, (_, text) in zip(letters(len(part.choices)), part.choices):
                lines.append(f"   - `\"{choice_letter}\"`: {text}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _find_marker(notebook: nbformat.NotebookNode, question_id: str) -> int:
    marker = MARKER.format(question_id)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and marker in cell.source:
            return index
    raise BuildError(f"Otter Assign's student notebook has no cell for question {question_id!r}.",
                     fix="report this as a bug in effquiz, with the Otter version.")


def normalize_skeleton(skeleton: nbformat.NotebookNode, assignment: Assignment) -> nbformat.NotebookNode:
    """Return the skeleton with stable cell ids, so that rebuilds give identical files."""
    skeleton = copy.deepcopy(skeleton)
    for index, cell in enumerate(skeleton.cells):
        cell["id"] = f"cell-{index:03d}"
        if cell.cell_type == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
    for question in assignment.questions:
        _find_marker(skeleton, question.id)
    return skeleton


def student_notebook(skeleton: nbformat.NotebookNode, assignment: Assignment, student_id: str,
                     variants: dict[str, Variant]) -> str:
    """Return one student's notebook as JSON text."""
    notebook = copy.deepcopy(skeleton)
    for number, question in enumerate(assignment.questions, start=1):
        index = _find_marker(notebook, question.id)
        notebook.cells[index]["source"] = question_markdown(number, question, variants[question.id])
    notebook.metadata["effquiz"] = {"assignment": assignment.name, "student_id": student_id,
                                    "effquiz_version": effquiz.__version__}
    return nbformat.writes(notebook) + "\n"
