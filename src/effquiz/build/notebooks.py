"""The master notebook for Otter Assign, and each student's notebook made from its output.

Otter Assign runs once per build on a master notebook whose question cells hold
placeholders. Its student notebook becomes the skeleton: for each student, the
placeholder cells are replaced with that student's question text. The master's solution
lines hold dummy values of the right form, never a student's answer. A function part's
answer cell holds the starter from ``student_template/``: its imports, signature and
docstring, with a body that Otter Assign replaces by ``...``.
"""

from __future__ import annotations

import ast
import copy
from importlib import resources

import nbformat
import yaml

import effquiz
from effquiz.assignment import Assignment, Question
from effquiz.build.sources import starter_source
from effquiz.build.otter_tests import answer_spec, collector_test_source, public_test_source
from effquiz.errors import BuildError
from effquiz.grader.judge import letters
from effquiz.grader.tolerance import describe_tolerance
from effquiz.templates.prompts import format_number
from effquiz.templates.schema import PartSpec
from effquiz.variants.model import Variant

MARKER = "<!-- effquiz:question:{} -->"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
DUMMY = {"number": "0.0", "integer": "0", "choice": '"a"', "vector": "[0.0]", "interval": "[0.0, 1.0]"}


def _intro_text() -> str:
    return resources.files("effquiz.student_template").joinpath("notebook_intro.md").read_text(encoding="utf-8")


def _dummy_body(part: PartSpec) -> str:
    """Return a body whose output has the form that the public check expects, for Otter Assign's test run."""
    spec = answer_spec(part)
    if "sampling_example" in spec:
        return "return [0]"
    form = spec.get("example", {}).get("form") if isinstance(spec.get("example"), dict) else None
    if not form:
        return "return None"
    zero = {"int": "0", "float": "0.0", "bool": "False"}
    if form.get("items") == "list":
        row = form["row"]
        return f"return [[{zero.get(row.get('items'), '0')}] * {row.get('length')}] * {form['length']}"
    if form["kind"] == "list":
        return f"return [{zero.get(form['items'], '0')}] * {form['length']}"
    return f"return {zero.get(form['kind'], '0')}"


def function_cell(parts: list[PartSpec]) -> str:
    """Return the answer code for a question's function parts: starter imports and functions."""
    imports: list[str] = []
    functions = []
    for part in parts:
        assert part.function is not None
        lines, source = starter_source(part.function.module, part.function.name)
        imports += [line for line in lines if line not in imports]
        tree = ast.parse(source).body[0]
        assert isinstance(tree, ast.FunctionDef)
        body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
        keep = source.splitlines()[: (body[0].lineno - 1) if body else len(source.splitlines())]
        functions.append("\n".join([*keep, "    # BEGIN SOLUTION", f"    {_dummy_body(part)}", "    # END SOLUTION"]))
    return "\n\n\n".join(["\n".join(imports), *functions]) if imports else "\n\n\n".join(functions)


def master_notebook(assignment: Assignment) -> nbformat.NotebookNode:
    """Return the Otter Assign master notebook for ``assignment``."""
    config = {
        "name": assignment.name,
        "requirements": "requirements.txt",
        "files": [],
        "tests": {"files": True, "ok_format": False},
        "generate": {"pdf": False, "show_stdout": False, "show_hidden": False},
        "export_cell": {"pdf": False, "instructions": "Upload the zip file that the next cell writes."},
        "check_all_cell": False,
    }
    cells = [nbformat.v4.new_raw_cell("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=True))]
    header = f"# {assignment.title}\n\n"
    if assignment.intro:
        header += assignment.intro.strip() + "\n\n"
    cells.append(nbformat.v4.new_markdown_cell(header + _intro_text().strip()))
    for question in assignment.questions:
        parts = question.template.parts
        lines = [f"{part.variable} = {'[1.0]' if part.distribution else DUMMY[part.kind]}  # SOLUTION"
                 for part in parts if part.function is None]
        functions = [part for part in parts if part.function is not None]
        solution = "\n\n\n".join(piece for piece in ("\n".join(lines),
                                                      function_cell(functions) if functions else "") if piece)
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
             variant.prompt, "", _answer_instruction(template.parts), ""]
    points = question.part_points()
    for letter, part in zip(letters(len(template.parts)), template.parts):
        worth = f"{format_number(points[part.name])} {'point' if points[part.name] == 1 else 'points'}"
        note = _precision_note(part)
        lines.append(f"**({letter})** {variant.part_prompts[part.name]} → `{part.variable}` "
                     f"({worth}{'; ' + note if note else ''})")
        if part.kind == "choice":
            lines.append("")
            for choice_letter, (_, text) in zip(letters(len(part.choices)), part.choices):
                lines.append(f"   - `\"{choice_letter}\"`: {text}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _precision_note(part: PartSpec) -> str | None:
    """Return how close a numeric answer must be, such as 'accepted within a relative tolerance of 0.01%'.

    Whole numbers, choices and functions have no such note. The note names the tolerance
    only, never the reference value.
    """
    if part.function is not None or part.kind not in ("number", "vector", "interval"):
        return None
    tolerance = part.tolerance
    entries = {"number": "", "vector": "each entry ", "interval": "each bound "}[part.kind]
    if tolerance.exact:
        return f"{entries}must be exact: write a fraction such as 4/255, not a rounded decimal"
    if tolerance.sigfigs is not None:
        return f"{entries}graded at {tolerance.sigfigs} significant figures"
    return f"{entries}accepted {describe_tolerance(tolerance)}"


def _answer_instruction(parts: tuple[PartSpec, ...]) -> str:
    if all(part.function is not None for part in parts):
        return "Write the body of each function in the cell below."
    if any(part.function is not None for part in parts):
        return "Write the body of each function and assign each answer to its variable in the cell below."
    return "Assign each answer to its variable in the cell below."


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
