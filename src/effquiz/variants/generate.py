"""Drawing one variant of a template and computing its reference answers.

Parameters are drawn in the order the template lists them. A ``uniform`` parameter is
drawn on the grid of its display precision, and a ``derived`` one with a precision is
rounded to it, so the value that answers are computed from is exactly the value printed
in the prompt. Constraints are met by rejection sampling, with at most
``template.max_tries`` attempts.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from effquiz.core.exact import round_half_even, to_exact
from effquiz.errors import CoreError, EffquizError, SamplingError, TemplateError
from effquiz.templates.expressions import CallObserver, ExpressionError, suggestion
from effquiz.templates.prompts import Shown, format_number, render
from effquiz.templates.schema import AnswerRule, ParamSpec, PartSpec, Template
from effquiz.variants.model import PartAnswer, Variant
from effquiz.variants.seeds import draw_index, draw_unit, make_rng

logger = logging.getLogger(__name__)


class EmptyRangeError(ValueError):
    """A parameter's range holds no value for the parameters drawn before it."""


def generate_variant(template: Template, seed: int, *, overrides: dict[str, Any] | None = None,
                     observer: CallObserver | None = None) -> Variant:
    """Draw the variant of ``template`` for ``seed`` and compute its answers.

    ``overrides`` fixes parameters to the given values, used exactly as given.
    ``observer`` sees every function call made while the reference answers are computed
    (see :meth:`~effquiz.templates.expressions.Expression.evaluate`), but not those of
    misconceptions or constraints. Raises SamplingError when no draw meets the
    constraints, and TemplateError when an answer cannot be computed for the drawn
    parameters.
    """
    overrides = dict(overrides or {})
    for name, value in overrides.items():
        try:
            spec = template.param(name)
        except KeyError:
            names = [spec.name for spec in template.params]
            raise TemplateError(f"{template.id} has no parameter {name!r}.{suggestion(name, names)}", value=name,
                                allowed=", ".join(names),
                                fix="set one of the template's parameters.") from None
        _check_given(template, spec, value)

    rng = make_rng(seed)
    params = _sample(template, rng, overrides)
    # One cache per variant: identical calls, such as the same residual in two parts, run once.
    # Every reference answer is computed before any misconception, so that the observer sees
    # each call of the reference answers even when a misconception repeats it.
    memo: dict[str, Any] = {}
    # A function part has no answer rule: the judge probes the student's function instead.
    values = {part.name: None if part.answer is None else _compute(template, part, part.answer, params, "answer",
                                                                   memo, observer)
              for part in template.parts}
    answers = {part.name: PartAnswer(part=part.name, kind=part.kind, variable=part.variable, value=values[part.name],
                                     misconceptions=_misconceptions(template, part, params, memo))
               for part in template.parts}
    prompt = _render(template, template.prompt, params, "prompt")
    part_prompts = {part.name: _render(template, part.prompt, params, f"parts.{part.name}.prompt")
                    for part in template.parts}
    return Variant(problem=template.id, version=template.version, seed=seed, params=params, prompt=prompt,
                   part_prompts=part_prompts, answers=answers)


def _sample(template: Template, rng: np.random.Generator, overrides: dict[str, Any]) -> dict[str, Any]:
    free = [spec for spec in template.params if spec.name not in overrides and spec.kind != "derived"]
    failures: Counter[str] = Counter()
    checked: Counter[str] = Counter()
    tries = template.max_tries if free else 1
    for _ in range(tries):
        params = _draw(template, rng, overrides)
        broken = None
        for constraint in template.constraints:
            checked[constraint.name] += 1
            try:
                holds = constraint.expression.evaluate(params)
            except (ExpressionError, CoreError) as error:
                raise TemplateError(f"constraint {constraint.name!r} failed to evaluate for {_describe(params)}: {_why(error)}",
                                    location=constraint.location, key="constraints",
                                    fix="make the constraint defined for every draw.") from error
            if not holds:
                failures[constraint.name] += 1
                broken = constraint.name
                break
        if broken is None:
            return params
        if not free:
            logger.warning("the given values break the constraint %r of %s; they are used as given",
                           broken, template.id)
            return params
    name, count = failures.most_common(1)[0]
    rate = 1 - count / checked[name]
    raise SamplingError(
        f"no draw of {template.id} met all constraints in {tries} {'try' if tries == 1 else 'tries'}. The constraint {name!r} held in "
        f"{rate:.2%} of the draws that reached it.",
        location=next(c.location for c in template.constraints if c.name == name),
        key="constraints", value=name,
        fix="widen the parameter ranges, relax the constraint, or raise max_tries.",
    )


def _draw(template: Template, rng: np.random.Generator, overrides: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for spec in template.params:
        if spec.name in overrides:
            params[spec.name] = _given(overrides[spec.name])
            continue
        try:
            params[spec.name] = _draw_one(spec, rng, params)
        except (ExpressionError, CoreError, ValueError) as error:
            raise TemplateError(f"parameter {spec.name!r} of {template.id} could not be drawn from "
                                f"{_describe(params)}: {_why(error)}", location=spec.location,
                                key=f"params.{spec.name}", fix="check its bounds and expression.") from error
    return params


def _check_given(template: Template, spec: ParamSpec, value: Any) -> None:
    """Raise TemplateError when a given value is a word for a numeric parameter, or the reverse."""
    numeric = spec.kind != "choice" or all(isinstance(choice, (int, Fraction)) and not isinstance(choice, bool)
                                          for choice in spec.values)
    is_word = isinstance(value, str)
    if numeric and is_word:
        allowed = ", ".join(format_number(choice) for choice in spec.values) if spec.kind == "choice" else "a number"
        raise TemplateError(f"the parameter {spec.name!r} of {template.id} takes numbers, not the word {value!r}.",
                            key=f"params.{spec.name}", value=value, allowed=allowed,
                            fix=f"set {spec.name} to a number, for example {spec.name}={_example(spec)}.")


def _example(spec: ParamSpec) -> str:
    if spec.kind == "choice" and spec.values:
        return format_number(spec.values[0])
    return "1"


def _given(value: Any) -> Any:
    """Return a value given by the caller, unchanged but for exact numbers that print as given."""
    if isinstance(value, (bool, int, str)) or isinstance(value, Shown):
        return value
    exact = to_exact(value)
    if isinstance(value, float):
        return Shown(exact, repr(value))
    return Shown(exact, format_number(exact, digits=12))


def _draw_one(spec: ParamSpec, rng: np.random.Generator, params: dict[str, Any]) -> Any:
    if spec.kind == "derived":
        assert spec.expr is not None
        value = spec.expr.evaluate(params)
        if spec.decimals is None and spec.sigfigs is None:
            return value
        return round_to_display(_number(value, spec.name), decimals=spec.decimals, sigfigs=spec.sigfigs)
    if spec.kind == "choice":
        return spec.values[draw_index(rng, len(spec.values))]
    assert spec.low is not None and spec.high is not None
    low, high = to_exact(spec.low.evaluate(params)), to_exact(spec.high.evaluate(params))
    if spec.kind == "integer":
        step = to_exact(spec.step.evaluate(params)) if spec.step is not None else Fraction(1)
        if step <= 0 or step.denominator != 1 or low.denominator != 1:
            raise ValueError(f"an integer parameter needs whole low and step > 0, got low={low}, step={step}")
        count = math.floor((high - low) / step) + 1
        if count < 1:
            raise EmptyRangeError(f"the range [{low}, {high}] is empty")
        return int(low + step * draw_index(rng, count))
    if high < low:
        raise EmptyRangeError(f"the range [{format_number(low)}, {format_number(high)}] is empty")
    if spec.decimals is not None:
        return _draw_on_grid(rng, low, high, spec.decimals)
    assert spec.sigfigs is not None
    return _draw_sigfigs(rng, low, high, spec.sigfigs)


def _draw_on_grid(rng: np.random.Generator, low: Fraction, high: Fraction, decimals: int) -> Shown:
    unit = Fraction(1, 10**decimals)
    first, last = math.ceil(low / unit), math.floor(high / unit)
    if last < first:
        raise EmptyRangeError(f"no value with {decimals} decimals lies in [{format_number(low)}, {format_number(high)}]")
    value = (first + draw_index(rng, last - first + 1)) * unit
    return Shown(value, _fixed_text(value, decimals))


def _draw_sigfigs(rng: np.random.Generator, low: Fraction, high: Fraction, sigfigs: int) -> Shown:
    for _ in range(64):
        real = float(low) + (float(high) - float(low)) * draw_unit(rng)
        if real == 0:
            return Shown(Fraction(0), "0")
        exponent = math.floor(math.log10(abs(real)))
        places = sigfigs - 1 - exponent
        value = Fraction(round(Decimal(repr(real)), places))
        if low <= value <= high and value != 0:
            return Shown(value, _fixed_text(value, max(places, 0)))
    raise EmptyRangeError(f"no value with {sigfigs} significant figures lies in [{low}, {high}]")


def round_to_display(value: Fraction, *, decimals: int | None = None, sigfigs: int | None = None) -> Shown:
    """Round ``value`` half to even to ``decimals`` places or ``sigfigs`` significant figures.

    The result prints with exactly that precision and equals the printed text.

    >>> str(round_to_display(Fraction(4, 255), sigfigs=3)), str(round_to_display(Fraction(5, 2), decimals=0))
    ('0.0157', '2')
    """
    if decimals is None:
        assert sigfigs is not None
        if value == 0:
            return Shown(Fraction(0), "0")
        exponent = math.floor(math.log10(abs(value.numerator)) - math.log10(value.denominator))
        # The float logarithm can be one off near powers of ten; the exact checks correct it.
        if abs(value) >= Fraction(10) ** (exponent + 1):
            exponent += 1
        elif abs(value) < Fraction(10) ** exponent:
            exponent -= 1
        decimals = sigfigs - 1 - exponent
    unit = Fraction(10) ** -decimals
    rounded = round_half_even(value / unit) * unit
    return Shown(rounded, _fixed_text(rounded, max(decimals, 0)))


def _fixed_text(value: Fraction, places: int) -> str:
    return f"{Decimal(value.numerator) / Decimal(value.denominator):.{places}f}"


def _number(value: Any, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise ValueError(f"{name} has a display precision, so it must be a number, not {value!r}")
    return Fraction(value)


def _misconceptions(template: Template, part: PartSpec, params: dict[str, Any], memo: dict[str, Any]) -> dict[str, Any]:
    """Return the answer of each misconception that applies to these parameters and is defined for them."""
    result: dict[str, Any] = {}
    for misconception in part.misconceptions:
        what = f"misconception {misconception.name!r}"
        try:
            if misconception.when is not None and not misconception.when.evaluate(params, memo=memo):
                continue
            result[misconception.name] = _compute(template, part, misconception.answer, params, what, memo)
        except (TemplateError, ExpressionError, CoreError) as error:
            logger.debug("%s of %s.%s is undefined here: %s", what, template.id, part.name, _why(error))
    return result


def _compute(template: Template, part: PartSpec, rule: AnswerRule, params: dict[str, Any], what: str,
             memo: dict[str, Any], observer: CallObserver | None = None) -> Any:
    try:
        return normalize(part, rule.evaluate(params, memo=memo, observer=observer))
    except (ExpressionError, CoreError, ValueError, TypeError, IndexError, KeyError) as error:
        raise TemplateError(f"the {what} of part {part.name!r} failed for {_describe(params)}: {_why(error)}",
                            location=rule.location, key=f"parts.{part.name}",
                            fix="add a constraint that excludes these parameters, or correct the rule.") from error


def normalize(part: PartSpec, value: Any) -> Any:
    """Convert a computed value to the canonical exact form of the part's kind.

    number: Fraction; integer: int; choice: the key of a choice; vector: a tuple of
    Fractions; interval: a (lower, upper) tuple.
    """
    if part.kind == "choice":
        keys = [key for key, _ in part.choices]
        if value not in keys:
            raise ValueError(f"the value {value!r} is not one of the choice keys {keys}")
        return value
    if part.kind == "integer":
        exact = to_exact(value)
        if exact.denominator != 1:
            raise ValueError(f"the value {exact} is not a whole number")
        return int(exact)
    if part.kind == "number":
        return Fraction(to_exact(value))
    if part.kind == "interval":
        if hasattr(value, "lower") and hasattr(value, "upper"):
            value = (value.lower, value.upper)
        if not isinstance(value, tuple) or len(value) != 2:
            raise ValueError(f"an interval needs two bounds, got {value!r}")
        return (Fraction(to_exact(value[0])), Fraction(to_exact(value[1])))
    if not isinstance(value, (tuple, list)) or not value:
        raise ValueError(f"a vector needs a non-empty sequence, got {value!r}")
    return tuple(Fraction(to_exact(element)) for element in value)


def _render(template: Template, text: str, params: dict[str, Any], key: str) -> str:
    try:
        return render(text, params)
    except Exception as error:  # jinja2 raises many types; each is a template defect here
        raise TemplateError(f"the {key} of {template.id} failed to render: {error}", key=key,
                            fix="check the placeholders against the parameter names.") from error


def _why(error: Exception) -> str:
    return error.reason if isinstance(error, EffquizError) else str(error)


def _describe(params: dict[str, Any]) -> str:
    return ", ".join(f"{name}={format_number(value)}" for name, value in params.items()) or "no parameters"
