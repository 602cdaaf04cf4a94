"""Loading a function part: a function that the student writes, and how it is probed.

A function part names ``MODULE.FUNCTION``. The starter ``student_template/MODULE.py``
gives the signature that students fill in, and ``solutions/MODULE.py`` the reference
implementation with the same parameters. Both files are read as source with :mod:`ast`,
so nothing is imported while a template loads. See ``docs/grading.md``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from fractions import Fraction
from importlib import resources
from typing import Any

from effquiz.templates.expressions import Expression, ExpressionError
from effquiz.templates.schema import (
    ARRAY_DTYPES, SAMPLING_LAWS, SAMPLING_MISTAKES, FunctionMisconception, FunctionSpec, PartSpec, Probe,
    SamplingSetting, SamplingSpec, Tolerance,
)
from effquiz.templates.validate import IDENTIFIER, Checker, short, suggestion
from effquiz.templates.yamlsource import Path_

FUNCTION_REQUIRED = ("kind", "prompt", "function")
FUNCTION_OPTIONAL = ("variable", "probes", "edge_probes", "sampling", "misconceptions", "tolerance", "weight",
                     "dtypes")
MAX_PROBES = 200
MAX_CALLS = 100_000

ExpressionOver = Callable[[Checker, Any, Path_, list[str], str], Expression]


def module_parameters(package: str, module: str, function: str) -> tuple[str, ...] | None:
    """Return the parameter names of ``function`` in ``effquiz.PACKAGE``'s ``MODULE.py``, or None if absent."""
    source = resources.files(f"effquiz.{package}").joinpath(f"{module}.py")
    if not source.is_file():
        return None
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return tuple(argument.arg for argument in node.args.args)
    return None


def array_entries(value: tuple[Any, ...] | list[Any], dtype: str) -> list[Any]:
    """Return a list, or a list of equal-length lists, as JSON numbers for a NumPy array of ``dtype``.

    Entries become floats for float64 and ints for an integer dtype. Raises ValueError for
    rows of different lengths, for more than two dimensions, and for an entry that the
    integer dtype cannot hold.
    """
    rows = list(value)
    if rows and all(isinstance(row, (tuple, list)) for row in rows):
        if len({len(row) for row in rows}) != 1:
            raise ValueError(f"the rows of the matrix have different lengths {[len(row) for row in rows]}")
        return [_array_row(row, dtype) for row in rows]
    return _array_row(rows, dtype)


def _array_row(row: tuple[Any, ...] | list[Any], dtype: str) -> list[Any]:
    bounds = ARRAY_DTYPES[dtype]
    entries = []
    for entry in row:
        if isinstance(entry, (tuple, list)):
            raise ValueError("an array argument has at most two dimensions, a list of equal-length lists")
        if bounds is None:
            entries.append(float(Fraction(entry)))
            continue
        number = Fraction(entry)
        if number.denominator != 1 or not bounds[0] <= number <= bounds[1]:
            raise ValueError(f"the entry {entry} is not a whole number from {bounds[0]} to {bounds[1]}, so {dtype} "
                             "cannot hold it")
        entries.append(int(number))
    return entries


def function_part(check: Checker, name: str, data: dict[str, Any], names: list[str], *, prompt: str,
                  tolerance: Tolerance, weight: Fraction, expression_over: ExpressionOver) -> PartSpec:
    """Validate a ``kind: function`` part and return its PartSpec (which has no answer rule)."""
    path: Path_ = ("parts", name)
    spec = _function_spec(check, data, path, names, expression_over)
    variable = data.get("variable", spec.name)
    if not isinstance(variable, str):
        check.fail((*path, "variable"), f"'variable' must be a name, not {short(variable)}.", value=variable,
                   fix="write the Python name of the function, or remove 'variable'.")
    check.identifier(variable, (*path, "variable"), "the notebook variable")
    if variable != spec.name:
        check.fail((*path, "variable"), f"a function part's variable must be the function's name {spec.name!r}.",
                   value=variable, fix="remove 'variable'; the notebook defines the function under its own name.")
    return PartSpec(name=name, kind="function", variable=variable, prompt=prompt, answer=None,
                    location=check.source.key(path), tolerance=tolerance, weight=weight, function=spec)


def _function_spec(check: Checker, data: dict[str, Any], path: Path_, names: list[str],
                   expression_over: ExpressionOver) -> FunctionSpec:
    dotted = data["function"]
    if not isinstance(dotted, str) or dotted.count(".") != 1 or not all(IDENTIFIER.match(p) for p in dotted.split(".")):
        check.fail((*path, "function"), f"'function' must be MODULE.NAME, not {short(dotted)}.", value=dotted,
                   fix="write for example 'quantization.quantize' for quantize() in student_template/quantization.py.")
    module, function = dotted.split(".")
    parameters = module_parameters("student_template", module, function)
    if parameters is None:
        check.fail((*path, "function"), f"student_template/{module}.py has no function {function!r}.", value=dotted,
                   fix=f"add the starter 'def {function}(...)' with its docstring to student_template/{module}.py.")
    reference = module_parameters("solutions", module, function)
    if reference is None:
        check.fail((*path, "function"), f"solutions/{module}.py has no function {function!r}.", value=dotted,
                   fix=f"add the reference implementation of {function} to solutions/{module}.py.")
    if reference != parameters:
        check.fail((*path, "function"), f"the starter has parameters {parameters} but the reference has {reference}.",
                   value=dotted, fix="give both functions the same parameters in the same order.")

    has_probes = "probes" in data or "edge_probes" in data
    if has_probes == ("sampling" in data):
        check.fail(path, "a function part needs probes ('probes' and/or 'edge_probes') or 'sampling', not both.",
                   fix="use 'sampling' for a function whose output is random, probes otherwise.")
    fields: dict[str, Any] = {}
    if "probes" in data:
        fields.update(_probes(check, data["probes"], (*path, "probes"), names, parameters, expression_over))
    dtypes = _dtypes(check, data.get("dtypes", {}), (*path, "dtypes"), parameters)
    if dtypes:
        fields["dtypes"] = dtypes
    if "edge_probes" in data:
        fields["edge_probes"] = _edge_probes(check, data["edge_probes"], (*path, "edge_probes"), parameters,
                                             expression_over, dict(dtypes))
    if "sampling" in data:
        fields["sampling"] = _sampling(check, data["sampling"], (*path, "sampling"), expression_over)
    misconceptions = _misconceptions(check, data.get("misconceptions", []), (*path, "misconceptions"), module,
                                     parameters, sampling="sampling" in data)
    return FunctionSpec(module=module, name=function, parameters=parameters, location=check.source.value(path),
                        misconceptions=misconceptions, **fields)


def _args(check: Checker, data: Any, path: Path_, parameters: tuple[str, ...], known: list[str], scope: str,
          expression_over: ExpressionOver) -> tuple[tuple[str, Expression], ...]:
    data = check.mapping(data, path, "the arguments")
    check.keys(data, path, required=parameters, what="the arguments of the function")
    return tuple((parameter, expression_over(check, data[parameter], (*path, parameter), known, scope))
                 for parameter in parameters)


def _flag(check: Checker, data: dict[str, Any], key: str, path: Path_, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        check.fail((*path, key), f"{key!r} must be true or false, not {short(value)}.", value=value,
                   allowed="true, false", fix=f"write '{key}: true' or '{key}: false'.")
    return value


def _probes(check: Checker, data: Any, path: Path_, names: list[str], parameters: tuple[str, ...],
            expression_over: ExpressionOver) -> dict[str, Any]:
    data = check.mapping(data, path, "probes")
    check.keys(data, path, required=("count", "args"), optional=("hidden",), what="probes")
    return {
        "probe_count": check.integer(data, "count", path, minimum=1, maximum=MAX_PROBES),
        "probe_args": _args(check, data["args"], (*path, "args"), parameters, names, "parameters", expression_over),
        "probes_hidden": _flag(check, data, "hidden", path, True),
    }


def _dtypes(check: Checker, data: Any, path: Path_, parameters: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    data = check.mapping(data, path, "dtypes")
    check.keys(data, path, optional=parameters, what="dtypes")
    for name, dtype in data.items():
        if dtype not in ARRAY_DTYPES:
            hint = suggestion(dtype, ARRAY_DTYPES) if isinstance(dtype, str) else ""
            check.fail((*path, name), f"{short(dtype)} is not a dtype that array arguments can have.{hint}",
                       value=dtype, allowed=", ".join(ARRAY_DTYPES), fix="name one of the allowed dtypes.")
    return tuple((name, data[name]) for name in parameters if name in data and data[name] != "float64")


def _check_arrays(check: Checker, args: tuple[tuple[str, Expression], ...], path: Path_,
                  dtypes: dict[str, str]) -> None:
    """Fail on an edge probe's array argument that is ragged or that its dtype cannot hold."""
    for name, expression in args:
        try:
            value = expression.evaluate({})
        except ExpressionError as error:
            check.fail((*path, name), f"the argument {name!r} does not evaluate: {error}.",
                       fix="write a constant, a list or a list of equal-length lists.")
        if not isinstance(value, tuple):
            continue
        try:
            array_entries(value, dtypes.get(name, "float64"))
        except (TypeError, ValueError) as error:
            check.fail((*path, name), f"the array argument {name!r} is invalid: {error}.", value=short(value),
                       fix="pass a list of numbers, or a list of equal-length lists that its dtype can hold.")


def _edge_probes(check: Checker, data: Any, path: Path_, parameters: tuple[str, ...],
                 expression_over: ExpressionOver, dtypes: dict[str, str]) -> tuple[Probe, ...]:
    if not isinstance(data, list) or not data:
        check.fail(path, f"'edge_probes' must be a non-empty list, not {short(data)}.", value=data,
                   fix="write each edge probe as '- label: ...' with 'args:'.")
    probes = []
    for index, entry in enumerate(data):
        entry_path = (*path, index)
        entry = check.mapping(entry, entry_path, "an edge probe")
        check.keys(entry, entry_path, required=("label", "args"), optional=("hidden",), what="an edge probe")
        args = _args(check, entry["args"], (*entry_path, "args"), parameters, [], "parameters (edge probes "
                     "are the same for every student, so they take constants)", expression_over)
        _check_arrays(check, args, (*entry_path, "args"), dtypes)
        probes.append(Probe(
            label=check.text(entry, "label", entry_path),
            args=args,
            hidden=_flag(check, entry, "hidden", entry_path, False),
            location=check.source.value(entry_path),
        ))
    return tuple(probes)


def _misconceptions(check: Checker, data: Any, path: Path_, module: str, parameters: tuple[str, ...], *,
                    sampling: bool) -> tuple[FunctionMisconception, ...]:
    if not isinstance(data, list):
        check.fail(path, f"'misconceptions' must be a list, not {short(data)}.", value=data,
                   fix="write each misconception as a '- name: ...' entry.")
    key = "law" if sampling else "function"
    result = []
    for index, entry in enumerate(data):
        entry_path = (*path, index)
        entry = check.mapping(entry, entry_path, "a misconception")
        check.keys(entry, entry_path, required=("name", key, "feedback"), what="a misconception of a function part")
        value = entry[key]
        if sampling and value not in SAMPLING_MISTAKES:
            hint = suggestion(value, SAMPLING_MISTAKES) if isinstance(value, str) else ""
            check.fail((*entry_path, "law"), f"{short(value)} is not a known wrong law.{hint}", value=value,
                       allowed=", ".join(SAMPLING_MISTAKES), fix="name one of the allowed laws.")
        if not sampling and (not isinstance(value, str) or module_parameters("solutions", module, value) != parameters):
            check.fail((*entry_path, "function"), f"solutions/{module}.py has no function {short(value)} with the "
                       f"parameters {parameters}.", value=value,
                       fix=f"add the wrong implementation to solutions/{module}.py, or correct the name.")
        result.append(FunctionMisconception(
            name=check.text(entry, "name", entry_path), feedback=check.text(entry, "feedback", entry_path),
            location=check.source.value(entry_path), **{key: value},
        ))
    return tuple(result)


def _sampling(check: Checker, data: Any, path: Path_, expression_over: ExpressionOver) -> SamplingSpec:
    data = check.mapping(data, path, "sampling")
    check.keys(data, path, required=("law", "calls", "settings"), optional=("false_fail",), what="sampling")
    law = check.choice(data, "law", path, SAMPLING_LAWS)
    false_fail = data.get("false_fail", 1e-6)
    if isinstance(false_fail, bool) or not isinstance(false_fail, (int, float)) or not 0 < false_fail <= 0.01:
        check.fail((*path, "false_fail"), f"'false_fail' must be a probability in (0, 0.01], not "
                   f"{short(false_fail)}.", value=false_fail, fix="write for example 1e-6.")
    settings = data["settings"]
    if not isinstance(settings, list) or not settings:
        check.fail((*path, "settings"), f"'settings' must be a non-empty list, not {short(settings)}.",
                   value=settings, fix="write each setting as '- name: ...' with 'target:' and 'draft:'.")
    return SamplingSpec(
        law=law, calls=check.integer(data, "calls", path, minimum=100, maximum=MAX_CALLS),
        false_fail=Fraction(str(false_fail)),
        settings=tuple(_setting(check, entry, (*path, "settings", index), expression_over)
                       for index, entry in enumerate(settings)),
    )


def _setting(check: Checker, data: Any, path: Path_, expression_over: ExpressionOver) -> SamplingSetting:
    data = check.mapping(data, path, "a sampling setting")
    check.keys(data, path, required=("name", "target", "draft"), what="a sampling setting")
    target = _rows(check, data["target"], (*path, "target"), expression_over)
    draft = _rows(check, data["draft"], (*path, "draft"), expression_over)
    if len(target) != len(draft) + 1:
        check.fail((*path, "target"), f"the target has {len(target)} rows and the draft {len(draft)}; the target "
                   "needs one row more, for the token after the last draft.", fix="add or remove rows.")
    if any(len(row) != len(target[0]) for row in (*target, *draft)):
        check.fail(path, "the rows of 'target' and 'draft' have different lengths.",
                   fix="give every row one probability per token of the same vocabulary.")
    return SamplingSetting(name=check.text(data, "name", path), target=target, draft=draft,
                           location=check.source.value(path))


def _rows(check: Checker, data: Any, path: Path_, expression_over: ExpressionOver) -> tuple[tuple[Fraction, ...], ...]:
    if not isinstance(data, list) or not data or not all(isinstance(row, list) and row for row in data):
        check.fail(path, f"expected a non-empty list of rows of probabilities, not {short(data)}.", value=data,
                   fix="write for example [[1/2, 1/4, 1/4], [1/4, 1/4, 1/2]].")
    rows = []
    for row_index, row in enumerate(data):
        values = []
        for index, entry in enumerate(row):
            entry_path = (*path, row_index, index)
            expression = expression_over(check, entry, entry_path, [], "parameters (settings take constants)")
            try:
                value = Fraction(expression.evaluate({}))
            except (ExpressionError, TypeError, ValueError) as error:
                check.fail(entry_path, f"the probability {short(entry)} is not a number: {error}.", value=entry,
                           fix="write a fraction such as 1/8.")
            denominator = value.denominator
            if value < 0 or denominator & (denominator - 1):
                check.fail(entry_path, f"the probability {short(entry)} is negative or not a multiple of a power "
                           "of 1/2, so a float cannot hold it exactly.", value=entry,
                           fix="use values such as 1/2, 3/8 or 5/16.")
            values.append(value)
        if sum(values) != 1:
            check.fail((*path, row_index), f"row {row_index} sums to {sum(values)}, not 1.", value=row,
                       fix="make every row a probability distribution.")
        rows.append(tuple(values))
    return tuple(rows)
