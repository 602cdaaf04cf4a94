"""The source text of starter and reference functions, read from ``student_template/`` and ``solutions/``.

Both files are parsed with :mod:`ast`, never imported, so a build or a printed handout does
not run course code.
"""

from __future__ import annotations

import ast
import copy
from importlib import resources

from effquiz.errors import BuildError


def starter_source(module: str, function: str) -> tuple[list[str], str]:
    """Return the import lines of ``student_template/MODULE.py`` and the source of one function in it."""
    text = resources.files("effquiz.student_template").joinpath(f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    imports = [ast.get_source_segment(text, node) or "" for node in tree.body
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return imports, ast.get_source_segment(text, node) or ""
    raise BuildError(f"student_template/{module}.py has no function {function!r}.",
                     fix="add the starter function, or correct the part's 'function'.")


def reference_source(module: str, name: str, *, rename: str | None = None) -> str:
    """Return the source of ``name`` in ``solutions/MODULE.py`` as one self-contained function.

    The module's imports, and the module-level functions and constants that ``name`` uses
    directly or through each other, move inside the function's body, so defining it in a
    notebook adds no other name that could shadow a variable. ``rename`` gives the function
    another name, such as the starter's name for a known wrong implementation.
    """
    text = resources.files("effquiz.solutions").joinpath(f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    definitions: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            definitions[node.name] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for element in ast.walk(target):
                    if isinstance(element, ast.Name):
                        definitions[element.id] = node
    function = definitions.get(name)
    if not isinstance(function, ast.FunctionDef):
        raise BuildError(f"solutions/{module}.py has no function {name!r}.",
                         fix="correct the function part's 'function' or the misconception's 'function'.")

    # Collect the helpers that the function reaches, then keep them in the module's order.
    used: list[ast.stmt] = []
    pending: list[ast.stmt] = [function]
    while pending:
        for element in ast.walk(pending.pop()):
            helper = definitions.get(element.id) if isinstance(element, ast.Name) else None
            if helper is not None and helper is not function and all(helper is not seen for seen in used):
                used.append(helper)
                pending.append(helper)
    helpers = [node for node in tree.body if any(node is helper for helper in used)]
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
               and getattr(node, "module", None) != "__future__"]

    result = copy.deepcopy(function)
    result.name = rename or name
    docstring = result.body[:1] if ast.get_docstring(result) is not None else []
    result.body = [*docstring, *copy.deepcopy(imports), *copy.deepcopy(helpers), *result.body[len(docstring):]]
    return ast.unparse(ast.fix_missing_locations(result))
