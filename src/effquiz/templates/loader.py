"""Loading a problem template from YAML into a validated :class:`Template`.

Validation happens once, here, before anything else runs. Every error names the file,
line and column, the key, the bad value, the allowed values and a fix. See
``docs/templates.md`` for the language itself.
"""

from __future__ import annotations

import logging
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2

from effquiz.core.exact import to_exact
from effquiz.templates.expressions import (
    BUILTINS, CONSTANTS, NAMESPACES, core_function, core_function_names, result_constants,
)
from effquiz.templates.functions import FUNCTION_OPTIONAL, FUNCTION_REQUIRED, function_part
from effquiz.templates.prompts import ENVIRONMENT, PROMPT_FILTERS, Shown, compile_prompt, unsafe_attributes
from effquiz.templates.schema import (
    TOPICS, AnswerRule, CheckSpec, Constraint, Misconception, NamedExpression, Overlap, ParamSpec, PartSpec, Template,
    Tolerance, function_parameters,
)
from effquiz.templates.validate import SLUG, Checker, short, suggestion
from effquiz.templates.yamlsource import Path_, SourceMap, load_yaml, load_yaml_text

logger = logging.getLogger(__name__)

TOP_REQUIRED = ("id", "version", "topic", "title", "params", "prompt", "parts")
TOP_OPTIONAL = ("conventions", "constraints", "examples", "max_tries", "checks")
PARAM_KINDS = {
    "uniform": (("kind", "low", "high"), ("decimals", "sigfigs", "description")),
    "integer": (("kind", "low", "high"), ("step", "description")),
    "choice": (("kind", "values"), ("description",)),
    "derived": (("kind", "expr"), ("decimals", "sigfigs", "description")),
}
PART_KINDS = ("number", "integer", "choice", "vector", "interval", "function")
PART_KEYS = ("kind", "variable", "prompt", "answer", "tolerance", "choices", "misconceptions", "weight", "distribution",
             "solution")
SOLUTION_NAMES = ("answer", "answers")
DEFAULT_TOLERANCE = {
    "number": Tolerance(relative=Fraction(1, 10**4)),
    "interval": Tolerance(relative=Fraction(1, 10**4)),
    "vector": Tolerance(absolute=Fraction(1, 10**6)),
    "integer": Tolerance(),
    "choice": Tolerance(),
    "function": Tolerance(relative=Fraction(1, 10**9)),
}
RESERVED = set(BUILTINS) | set(CONSTANTS) | set(NAMESPACES)
CHECK_KEYS = ("ties", "degenerate", "max_duplicate_rate")
MISCONCEPTION_KEYS = ("name", "answer", "feedback", "when", "overlap")


def load_template(path: Path | str) -> Template:
    """Load and validate the template at ``path``; raise TemplateError on any problem."""
    path = Path(path)
    data, source = load_yaml(path)
    return _template(data, source, path)


def parse_template(text: str, path: Path | str) -> Template:
    """Validate template YAML ``text`` as if it had been read from ``path``."""
    data, source = load_yaml_text(text, str(path))
    return _template(data, source, Path(path))


def _template(data: Any, source: SourceMap, path: Path) -> Template:
    check = Checker(source)
    data = check.mapping(data, (), "the template")
    check.keys(data, (), required=TOP_REQUIRED, optional=TOP_OPTIONAL, what="the template")

    template_id = check.text(data, "id", ())
    if not SLUG.match(template_id):
        check.fail(("id",), f"the id {template_id!r} is not a lowercase slug.", value=template_id,
                   allowed="lowercase letters and digits joined by single hyphens",
                   fix="rename it, for example 'affine-int-mapping'.")
    if template_id != path.stem:
        check.fail(("id",), f"the id {template_id!r} differs from the file name {path.name!r}.", value=template_id,
                   fix=f"rename the file to {template_id}.yaml or set id: {path.stem}.")

    params = _params(check, data["params"])
    names = [spec.name for spec in params]
    constraints = _constraints(check, data.get("constraints", []), names)
    prompt = _prompt(check, data, ("prompt",), names)
    parts_data = check.mapping(data["parts"], ("parts",), "parts")
    if not parts_data:
        check.fail(("parts",), "the template has no parts.", fix="add at least one part under 'parts:'.")
    parts = tuple(_part(check, name, spec, names) for name, spec in parts_data.items())
    _unique_variables(check, parts)

    template = Template(
        id=template_id,
        version=check.integer(data, "version", (), minimum=1),
        topic=check.choice(data, "topic", (), TOPICS),
        title=check.text(data, "title", ()),
        path=path,
        params=params,
        constraints=constraints,
        prompt=prompt,
        parts=parts,
        conventions=check.text(data, "conventions", (), default="") if "conventions" in data else "",
        examples=_examples(check, data.get("examples", {}), names),
        max_tries=check.integer(data, "max_tries", (), minimum=1, maximum=1_000_000, default=1000),
        checks=_checks(check, data.get("checks", {}), names),
    )
    logger.debug("loaded template %s version %s from %s", template.id, template.version, path)
    return template


def _params(check: Checker, data: Any) -> tuple[ParamSpec, ...]:
    data = check.mapping(data, ("params",), "params")
    if not data:
        check.fail(("params",), "the template has no parameters.", fix="add at least one parameter under 'params:'.")
    specs: list[ParamSpec] = []
    for name, spec in data.items():
        path: Path_ = ("params", name)
        check.identifier(name, path, "the parameter name")
        if name in RESERVED:
            check.fail(path, f"the parameter name {name!r} is reserved by the expression language.", value=name,
                       fix="choose another name.", at_value=False)
        spec = check.mapping(spec, path, f"parameter {name!r}")
        kind = check.choice(spec, "kind", path, tuple(PARAM_KINDS))
        required, optional = PARAM_KINDS[kind]
        check.keys(spec, path, required=required, optional=optional, what=f"a {kind} parameter")
        earlier = [s.name for s in specs]
        fields: dict[str, Any] = {"description": spec.get("description", "")}
        for key in ("low", "high", "step", "expr"):
            if key in spec:
                fields[key] = _expression_over(check, spec[key], (*path, key), earlier, "earlier parameters")
        if kind == "uniform" and ("decimals" in spec) == ("sigfigs" in spec):
            check.fail(path, f"uniform parameter {name!r} needs exactly one of 'decimals' and 'sigfigs'.",
                       allowed="decimals: 0 to 12, or sigfigs: 1 to 15",
                       fix="add 'decimals: N' (places after the point) or 'sigfigs: N', not both.")
        if kind == "derived" and "decimals" in spec and "sigfigs" in spec:
            check.fail(path, f"derived parameter {name!r} has both 'decimals' and 'sigfigs'.",
                       allowed="decimals: 0 to 12, or sigfigs: 1 to 15",
                       fix="keep one of them, or neither to use the exact value.")
        if "decimals" in spec:
            fields["decimals"] = check.integer(spec, "decimals", path, minimum=0, maximum=12)
        if "sigfigs" in spec:
            fields["sigfigs"] = check.integer(spec, "sigfigs", path, minimum=1, maximum=15)
        if kind == "choice":
            values = spec["values"]
            if not isinstance(values, list) or not values:
                check.fail((*path, "values"), f"'values' must be a non-empty list, not {short(values)}.", value=values,
                           fix="write the values as a YAML list, for example [4, 8].")
            for index, value in enumerate(values):
                if not isinstance(value, (bool, int, float, str)):
                    check.fail((*path, "values", index), f"the choice {short(value)} is not a number, boolean or word.",
                               value=value, fix="use plain scalars.")
            fields["values"] = tuple(_scalar(value) for value in values)
        specs.append(ParamSpec(name=name, kind=kind, location=check.source.key(path), **fields))
    return tuple(specs)


def _scalar(value: Any) -> Any:
    """Return a choice value, with a float made exact but printed as the YAML wrote it."""
    if isinstance(value, float):
        return Shown(to_exact(value), repr(value))
    return value


def _expression_over(check: Checker, value: Any, path: Path_, known: list[str], scope: str):
    expression = check.expression(value, path)
    for name in sorted(expression.names):
        if name not in known:
            check.fail(path, f"the expression {short(value)} reads {name!r}, which is not one of the {scope}."
                       f"{suggestion(name, known)}", value=value, allowed=", ".join(known) or "none",
                       fix="define the parameter first, or correct the name.")
    return expression


def _constraints(check: Checker, data: Any, names: list[str]) -> tuple[Constraint, ...]:
    entries = _named_expressions(check, data, ("constraints",), names)
    return tuple(Constraint(expression=entry.expression, name=entry.name, location=entry.location)
                 for entry in entries)


def _prompt(check: Checker, data: dict[str, Any], path: Path_, names: list[str]) -> str:
    return _jinja_text(check, data, path, names, "prompt")


def _jinja_text(check: Checker, data: dict[str, Any], path: Path_, names: list[str], what: str,
                extra: tuple[str, ...] = ()) -> str:
    """Validate a Jinja text (a prompt or a solution) that may read ``names`` and ``extra``."""
    text = check.text(data, path[-1], path[:-1])
    try:
        used = compile_prompt(text)
    except jinja2.TemplateAssertionError as error:
        filters = sorted(ENVIRONMENT.filters)
        word = str(error.message).rpartition(" ")[2].strip("'\"")
        check.fail(path, f"the {what} is not a valid template: {error.message} ({what} line {error.lineno})."
                   f"{suggestion(word, filters)}", value=word, allowed=", ".join(PROMPT_FILTERS),
                   fix="use one of the allowed filters, or remove the filter.")
    except jinja2.TemplateSyntaxError as error:
        check.fail(path, f"the {what} is not a valid template: {error.message} ({what} line {error.lineno}).",
                   fix="balance the {{ }} and {% %} markers.")
    known = [*names, *extra]
    for name in sorted(used - set(known)):
        kinds = "a parameter" if not extra else "a parameter nor " + " or ".join(extra)
        check.fail(path, f"the {what} uses {{{{ {name} }}}}, which is not {kinds}.{suggestion(name, known)}",
                   value=name, allowed=", ".join(known), fix="correct the placeholder or add the parameter.")
    for attribute in unsafe_attributes(text):
        check.fail(path, f"the {what} reads the attribute {attribute!r}, which the sandbox forbids.", value=attribute,
                   allowed="attributes that do not start with '_'", fix="print the parameter itself.")
    return text


def _answer(check: Checker, data: Any, path: Path_, names: list[str]) -> AnswerRule:
    if isinstance(data, (str, int, float)) and not isinstance(data, bool):
        return AnswerRule(location=check.source.value(path), expr=_expression_over(check, data, path, names, "parameters"))
    data = check.mapping(data, path, "an answer")
    check.keys(data, path, optional=("function", "args", "expr", "pick"), what="an answer")
    if ("function" in data) == ("expr" in data):
        check.fail(path, "an answer needs exactly one of 'function' (with 'args') and 'expr'.",
                   fix="write 'function: quant.scale' with 'args:', or 'expr: ...'.")
    pick = _expression_over(check, data["pick"], (*path, "pick"), names, "parameters") if "pick" in data else None
    if "expr" in data:
        if "args" in data:
            check.fail((*path, "args"), "'args' belongs with 'function', not with 'expr'.", fix="remove 'args'.",
                       at_value=False)
        return AnswerRule(location=check.source.value(path),
                          expr=_expression_over(check, data["expr"], (*path, "expr"), names, "parameters"), pick=pick)
    function = data["function"]
    if not isinstance(function, str) or core_function(function) is None:
        options = core_function_names()
        hint = suggestion(function, options) if isinstance(function, str) else ""
        check.fail((*path, "function"), f"{short(function)} is not a core function.{hint}", value=function,
                   allowed=", ".join(options), fix="name a function from the list.")
    required, optional = function_parameters(function)
    args = check.mapping(data.get("args", {}), (*path, "args"), "args")
    check.keys(args, (*path, "args"), required=tuple(required), optional=tuple(optional),
               what=f"the call to {function}")
    parsed = tuple((name, _expression_over(check, value, (*path, "args", name), names, "parameters"))
                   for name, value in args.items())
    return AnswerRule(location=check.source.value(path), function=function, args=parsed, pick=pick)


def _choice_results(check: Checker, answer: AnswerRule, path: Path_, keys: list[str]) -> None:
    """Fail when a choice answer's expression can give a text that is not a choice key."""
    if answer.expr is None:
        return
    for text in result_constants(answer.expr):
        if text not in keys:
            check.fail(path, f"the answer can be {text!r}, which is not a choice key.{suggestion(text, keys)}",
                       value=text, allowed=", ".join(keys), fix="return one of the keys under 'choices'.")


def _tolerance(check: Checker, data: Any, path: Path_, kind: str) -> Tolerance:
    if data is None:
        return DEFAULT_TOLERANCE[kind]
    if kind in ("integer", "choice"):
        check.fail(path, f"a {kind} part is graded exactly and takes no tolerance.", fix="remove 'tolerance'.",
                   at_value=False)
    if data == "exact":
        return Tolerance()
    if not isinstance(data, dict):
        check.fail(path, f"the tolerance {short(data)} is not allowed.", value=data,
                   allowed="the word exact, or a mapping with abs, rel or sigfigs",
                   fix="write for example 'tolerance: {rel: 1e-4}' or 'tolerance: exact'.")
    check.keys(data, path, optional=("abs", "rel", "sigfigs"), what="a tolerance")
    if not data:
        check.fail(path, "the tolerance is empty.", allowed="abs, rel, sigfigs or the word exact",
                   fix="write for example 'tolerance: {rel: 1e-4}'.")
    if "sigfigs" in data:
        if len(data) > 1:
            check.fail(path, "'sigfigs' cannot be combined with 'abs' or 'rel'.", fix="keep one model.")
        return Tolerance(sigfigs=check.integer(data, "sigfigs", path, minimum=1, maximum=15))
    values = {}
    for key in ("abs", "rel"):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                check.fail((*path, key), f"{key!r} must be a number >= 0, not {short(value)}.", value=value,
                           fix="write a number such as 1e-4.")
            values[key] = to_exact(value)
    return Tolerance(absolute=values.get("abs", Fraction(0)), relative=values.get("rel", Fraction(0)))


def _part(check: Checker, name: str, data: Any, names: list[str]) -> PartSpec:
    path: Path_ = ("parts", name)
    check.identifier(name, path, "the part name")
    data = check.mapping(data, path, f"part {name!r}")
    if data.get("kind") == "function":
        check.keys(data, path, required=FUNCTION_REQUIRED, optional=FUNCTION_OPTIONAL, what=f"function part {name!r}")
        return function_part(check, name, data, names, prompt=_prompt(check, data, (*path, "prompt"), names),
                             tolerance=_tolerance(check, data.get("tolerance"), (*path, "tolerance"), "function"),
                             weight=_weight(check, data, path), expression_over=_expression_over)
    check.keys(data, path, required=("kind", "prompt", "answer"),
               optional=tuple(k for k in PART_KEYS if k not in ("kind", "prompt", "answer")), what=f"part {name!r}")
    kind = check.choice(data, "kind", path, PART_KINDS)
    variable = data.get("variable", name)
    if not isinstance(variable, str):
        check.fail((*path, "variable"), f"'variable' must be a name, not {short(variable)}.", value=variable,
                   fix="write a Python variable name.")
    check.identifier(variable, (*path, "variable"), "the notebook variable")
    choices: tuple[tuple[str, str], ...] = ()
    if kind == "choice":
        if "choices" not in data:
            check.fail(path, f"choice part {name!r} has no 'choices'.", fix="add 'choices:' mapping keys to texts.")
        mapping = check.mapping(data["choices"], (*path, "choices"), "choices")
        if len(mapping) < 2:
            check.fail((*path, "choices"), "a choice part needs at least two choices.", fix="add more choices.")
        for key, text in mapping.items():
            if not isinstance(text, str) or not text.strip():
                check.fail((*path, "choices", key), f"the text of choice {key!r} must be non-empty text.", value=text,
                           fix="write the text that students see.")
        choices = tuple(mapping.items())
    elif "choices" in data:
        check.fail((*path, "choices"), f"'choices' belongs to choice parts, not to a {kind} part.",
                   fix="remove 'choices' or set 'kind: choice'.", at_value=False)
    weight = _weight(check, data, path)
    misconceptions = _misconceptions(check, data.get("misconceptions", []), (*path, "misconceptions"), names)
    answer = _answer(check, data["answer"], (*path, "answer"), names)
    if kind == "choice":
        _choice_results(check, answer, (*path, "answer"), [key for key, _ in choices])
    distribution = data.get("distribution", False)
    if not isinstance(distribution, bool) or (distribution and kind != "vector"):
        check.fail((*path, "distribution"), f"'distribution' must be true or false on a vector part, not "
                   f"{short(distribution)} on a {kind} part.", value=distribution,
                   fix="write 'distribution: true' on a vector part whose entries must sum to 1, or remove it.")
    return PartSpec(
        name=name, kind=kind, variable=variable, prompt=_prompt(check, data, (*path, "prompt"), names),
        answer=answer, location=check.source.key(path),
        tolerance=_tolerance(check, data.get("tolerance"), (*path, "tolerance"), kind), choices=choices,
        misconceptions=misconceptions, weight=weight, distribution=distribution,
        solution=_solution(check, data, (*path, "solution"), names) if "solution" in data else "",
    )


def _weight(check: Checker, data: dict[str, Any], path: Path_) -> Fraction:
    weight = data.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        check.fail((*path, "weight"), f"'weight' must be a number > 0, not {short(weight)}.", value=weight,
                   fix="write a positive number; parts share the question's points in proportion to it.")
    return to_exact(weight)


def _solution(check: Checker, data: dict[str, Any], path: Path_, names: list[str]) -> str:
    """Validate a part's worked solution: Jinja text over the parameters, ``answer`` and ``answers``."""
    for name in SOLUTION_NAMES:
        if name in names:
            check.fail(path, f"the solution cannot tell the parameter {name!r} from the part's {name!r}.", value=name,
                       fix=f"rename the parameter {name!r}.")
    return _jinja_text(check, data, path, names, "solution", SOLUTION_NAMES)


def _misconceptions(check: Checker, data: Any, path: Path_, names: list[str]) -> tuple[Misconception, ...]:
    if not isinstance(data, list):
        check.fail(path, f"'misconceptions' must be a list, not {short(data)}.", value=data,
                   fix="write each misconception as a '- name: ...' entry.")
    result: list[Misconception] = []
    for index, entry in enumerate(data):
        entry_path = (*path, index)
        entry = check.mapping(entry, entry_path, "a misconception")
        check.keys(entry, entry_path, required=("name", "answer", "feedback"),
                   optional=tuple(k for k in MISCONCEPTION_KEYS if k not in ("name", "answer", "feedback")),
                   what="a misconception")
        name = check.text(entry, "name", entry_path)
        if any(earlier.name == name for earlier in result):
            check.fail((*entry_path, "name"), f"two misconceptions of this part are named {name!r}.", value=name,
                       fix="give each misconception its own name.")
        when = _expression_over(check, entry["when"], (*entry_path, "when"), names, "parameters") \
            if "when" in entry else None
        result.append(Misconception(
            name=name,
            answer=_answer(check, entry["answer"], (*entry_path, "answer"), names),
            feedback=check.text(entry, "feedback", entry_path),
            location=check.source.value(entry_path),
            when=when,
            overlap=_overlap(check, entry["overlap"], (*entry_path, "overlap")) if "overlap" in entry else None,
        ))
    return tuple(result)


def _overlap(check: Checker, data: Any, path: Path_) -> Overlap:
    data = check.mapping(data, path, "an overlap")
    check.keys(data, path, required=("max_rate", "reason"), what="an overlap")
    return Overlap(max_rate=_rate(check, data, "max_rate", path), reason=check.text(data, "reason", path))


def _rate(check: Checker, data: dict[str, Any], key: str, path: Path_) -> Fraction:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        check.fail((*path, key), f"{key!r} must be a rate from 0 to 1, not {short(value)}.", value=value,
                   allowed="a number from 0 to 1", fix="write a fraction of the variants, such as 0.5.")
    return to_exact(value)


def _checks(check: Checker, data: Any, names: list[str]) -> CheckSpec:
    data = check.mapping(data, ("checks",), "checks")
    check.keys(data, ("checks",), optional=CHECK_KEYS, what="checks")
    lists = {key: _named_expressions(check, data.get(key, []), ("checks", key), names) for key in ("ties", "degenerate")}
    rate = _rate(check, data, "max_duplicate_rate", ("checks",)) if "max_duplicate_rate" in data else None
    return CheckSpec(ties=lists["ties"], degenerate=lists["degenerate"], max_duplicate_rate=rate)


def _named_expressions(check: Checker, data: Any, path: Path_, names: list[str]) -> tuple[NamedExpression, ...]:
    """Parse a list of '- expression' or '- {name: ..., expr: ...}' entries, as constraints are written."""
    if not isinstance(data, list):
        check.fail(path, f"{path[-1]!r} must be a list, not {short(data)}.", value=data,
                   fix="write each entry as a '- expression' line or a '- name: ...' entry with 'expr:'.")
    result = []
    for index, entry in enumerate(data):
        entry_path: Path_ = (*path, index)
        if isinstance(entry, dict):
            check.keys(entry, entry_path, required=("expr",), optional=("name",), what=f"an entry of {path[-1]!r}")
            expression = _expression_over(check, entry["expr"], (*entry_path, "expr"), names, "parameters")
            name = str(entry.get("name", expression.source))
        else:
            expression = _expression_over(check, entry, entry_path, names, "parameters")
            name = expression.source
        result.append(NamedExpression(name=name, expression=expression, location=check.source.value(entry_path)))
    return tuple(result)


def _unique_variables(check: Checker, parts: tuple[PartSpec, ...]) -> None:
    seen: dict[str, str] = {}
    for part in parts:
        if part.variable in seen:
            check.fail(("parts", part.name, "variable"), f"parts {seen[part.variable]!r} and {part.name!r} both use "
                       f"the notebook variable {part.variable!r}.", value=part.variable,
                       fix="give each part its own 'variable:'.")
        seen[part.variable] = part.name


def _examples(check: Checker, data: Any, names: list[str]) -> dict[str, dict[str, Any]]:
    data = check.mapping(data, ("examples",), "examples")
    result = {}
    for example, values in data.items():
        path: Path_ = ("examples", example)
        values = check.mapping(values, path, f"example {example!r}")
        for name, value in values.items():
            if name not in names:
                check.fail((*path, name), f"example {example!r} sets {name!r}, which is not a parameter."
                           f"{suggestion(name, names)}", value=name, allowed=", ".join(names),
                           fix="correct the name.", at_value=False)
            if not isinstance(value, (bool, int, float, str)):
                check.fail((*path, name), f"the example value {short(value)} is not a scalar.", value=value,
                           fix="write a number, true/false or a word.")
            if isinstance(value, float) and not math.isfinite(value):
                check.fail((*path, name), f"the example value {value} is not finite.", value=value,
                           fix="write a finite number.")
        result[example] = dict(values)
    return result
