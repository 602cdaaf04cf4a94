"""Sweeping many variants of one template and collecting what is wrong with them.

Entry point: :func:`sweep_template`. Each variant is drawn with
:func:`~effquiz.variants.generate_variant` under its own seed, so every finding names seeds
that ``effquiz render ID --seed S`` draws again.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from effquiz.check.model import CHECKS, Finding, TemplateSummary
from effquiz.check.rounding import TIE_MARGIN, CallWatch
from effquiz.core.exact import tie_distance, to_exact
from effquiz.errors import CoreError, DegenerateRangeError, EffquizError, SamplingError, TemplateError, \
    UndefinedResidualError
from effquiz.grader.judge import within
from effquiz.templates.expressions import ExpressionError, NonFiniteError
from effquiz.templates.prompts import displayed_numbers
from effquiz.templates.schema import ParamSpec, PartSpec, Template
from effquiz.variants.generate import EmptyRangeError, generate_variant
from effquiz.variants.model import Variant, params_json

logger = logging.getLogger(__name__)

DEFAULT_MAX_DUPLICATE_RATE = Fraction(1, 4)
"""The largest accepted share of swept variants that repeat an earlier one, unless a
template sets ``checks.max_duplicate_rate``."""

_SEEDS_SHOWN = 5


@dataclass
class _Tally:
    """Findings of one template, aggregated by (check, where) in the order first seen."""

    template: str
    entries: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def add(self, check: str, where: str, detail: str, seed: int, params: dict[str, Any] | None) -> None:
        """Count one variant that shows a problem; a variant that shows it twice counts once."""
        entry = self.entries.get((check, where))
        if entry is None:
            self.entries[(check, where)] = {"detail": detail, "count": 1, "seeds": [seed], "last": seed,
                                            "params": params_json(params) if params else {}}
            return
        if entry["last"] == seed:
            return
        entry["last"] = seed
        entry["count"] += 1
        if len(entry["seeds"]) < _SEEDS_SHOWN:
            entry["seeds"].append(seed)

    def findings(self, swept: int, ignore: set[tuple[str, str]] = frozenset()) -> list[Finding]:
        """Return one finding per (check, where), with its rate as a share of the ``swept`` seeds."""
        return [Finding(template=self.template, check=check, where=where, detail=entry["detail"],
                        count=entry["count"], rate=entry["count"] / max(swept, 1), seeds=tuple(entry["seeds"]),
                        params=entry["params"])
                for (check, where), entry in self.entries.items() if (check, where) not in ignore]


def sweep_template(template: Template, *, variants: int = 1000, seed: int = 0,
                   max_duplicate_rate: Fraction = DEFAULT_MAX_DUPLICATE_RATE) -> tuple[TemplateSummary, list[Finding]]:
    """Draw ``variants`` variants of ``template`` with seeds seed, seed + 1, ... and check each.

    See ``docs/templates.md`` ("Checking a template") for what is checked.
    """
    started = time.perf_counter()
    tally = _Tally(template.id)
    watch = CallWatch()
    seen: dict[tuple[Any, ...], int] = {}
    generated = 0
    for variant_seed in range(seed, seed + variants):
        try:
            variant = generate_variant(template, variant_seed, observer=watch.observe)
        except TemplateError as error:
            watch.take()
            tally.add(_classify(error), error.key or "template", error.reason, variant_seed, None)
            continue
        generated += 1
        seen.setdefault(tuple(variant.params.values()), variant_seed)
        for observation in watch.take():
            tally.add(observation.check, f"answers: {observation.function}", observation.message, variant_seed,
                      variant.params)
        _check_variant(template, variant, tally)

    coincidences = _misconception_findings(template, tally, generated)
    findings = tally.findings(variants, ignore=coincidences)
    duplicate_rate = 1 - len(seen) / generated if generated else 0.0
    limit = template.checks.max_duplicate_rate if template.checks.max_duplicate_rate is not None else max_duplicate_rate
    if duplicate_rate > limit:
        findings.append(Finding(
            template=template.id, check="duplicates", where="params", count=generated - len(seen), rate=duplicate_rate,
            detail=f"{generated - len(seen)} of {generated} variants repeat an earlier one ({duplicate_rate:.1%}, "
                   f"above the limit of {float(limit):.0%}); only {len(seen)} are distinct. Widen the parameter "
                   "ranges, or set checks.max_duplicate_rate if the question needs so few variants."))
    findings += _example_findings(template)

    counts = {check: sum(f.count for f in findings if f.check == check) for check in CHECKS}
    summary = TemplateSummary(id=template.id, version=template.version, path=str(template.path), variants=variants,
                              generated=generated, distinct=len(seen), duplicate_rate=duplicate_rate,
                              seconds=time.perf_counter() - started, counts=counts)
    logger.info("swept %s variants of %s in %.2f s: %s findings", variants, template.id, summary.seconds, len(findings))
    return summary, findings


def _classify(error: TemplateError) -> str:
    """Return the kind of finding for a variant that failed, from the errors that caused it."""
    if isinstance(error, SamplingError):
        return "failure"
    cause: BaseException | None = error.__cause__
    while cause is not None:
        if isinstance(cause, NonFiniteError):
            return "non-finite"
        if isinstance(cause, (EmptyRangeError, DegenerateRangeError, UndefinedResidualError)):
            return "degenerate"
        cause = cause.__cause__
    return "failure"


def _check_variant(template: Template, variant: Variant, tally: _Tally) -> None:
    params, seed = variant.params, variant.seed
    # A function part has no answer of its own: its probes are checked by the judge's tests.
    computed = [part for part in template.parts if part.kind != "function"]
    for part in computed:
        problem = _non_finite(variant.answers[part.name].value)
        if problem:
            tally.add("non-finite", f"parts.{part.name}", problem, seed, params)

    for entry in template.checks.ties:
        try:
            value = to_exact(entry.expression.evaluate(params))
        except (ExpressionError, CoreError) as error:
            tally.add("failure", f"checks.ties: {entry.name}", f"the expression failed: {error}", seed, params)
            continue
        if tie_distance(value) < TIE_MARGIN:
            tally.add("tie", f"checks.ties: {entry.name}", f"{entry.name} = {float(value):.10g} is "
                      f"{float(tie_distance(value)):.3g} from a rounding tie", seed, params)
    for entry in template.checks.degenerate:
        try:
            met = entry.expression.evaluate(params)
        except (ExpressionError, CoreError) as error:
            tally.add("failure", f"checks.degenerate: {entry.name}", f"the expression failed: {error}", seed, params)
            continue
        if met:
            tally.add("degenerate", f"checks.degenerate: {entry.name}", f"{entry.expression.source} holds",
                      seed, params)
    for spec in template.params:
        if _one_value(spec, params):
            tally.add("degenerate", f"params.{spec.name}: one value", f"the range of {spec.name} contains a single "
                      "value, so the parameter does not vary", seed, params)

    prompts = {"prompt": template.prompt, **{f"parts.{part.name}.prompt": part.prompt for part in template.parts}}
    for where, text in prompts.items():
        for value, shown in displayed_numbers(text, params):
            if _parse(shown) != to_exact(value):
                tally.add("display", where, f"prints {shown!r} for the value {_exact_text(value)} that answers "
                          "are computed from; give the parameter a display precision (decimals or sigfigs)",
                          seed, params)

    for part in computed:
        answer = variant.answers[part.name]
        for name, wrong in answer.misconceptions.items():
            if _coincides(part, wrong, answer.value):
                tally.add("misconception", f"parts.{part.name}.misconceptions.{name}",
                          f"the answer of {name!r} is accepted as the right answer", seed, params)


def _misconception_findings(template: Template, tally: _Tally, generated: int) -> set[tuple[str, str]]:
    """Return the misconception findings within a declared overlap, which are not reported."""
    accepted = set()
    for part in template.parts:
        for misconception in part.misconceptions:
            key = ("misconception", f"parts.{part.name}.misconceptions.{misconception.name}")
            entry = tally.entries.get(key)
            if entry is None or misconception.overlap is None:
                continue
            rate = entry["count"] / max(generated, 1)
            if rate <= misconception.overlap.max_rate:
                accepted.add(key)
            else:
                entry["detail"] += f" in {rate:.1%} of the variants, above the declared overlap " \
                                   f"max_rate {float(misconception.overlap.max_rate):g}"
    return accepted


def _example_findings(template: Template) -> list[Finding]:
    findings = []
    for name, values in template.examples.items():
        try:
            variant = generate_variant(template, 0, overrides=values)
        except EffquizError as error:
            findings.append(Finding(template=template.id, check="example", where=f"examples.{name}",
                                    detail=f"the example does not render: {error}", params=dict(values)))
            continue
        for constraint in template.constraints:
            try:
                holds = constraint.expression.evaluate(variant.params)
            except (ExpressionError, CoreError):
                holds = False
            if not holds:
                findings.append(Finding(template=template.id, check="example", where=f"examples.{name}",
                                        detail=f"the example breaks the constraint {constraint.name!r}, so no "
                                               "student could draw it", params=dict(values)))
    return findings


def _coincides(part: PartSpec, wrong: Any, right: Any) -> bool:
    """Return whether the judge would accept the misconception's answer as the right one."""
    if part.kind in ("choice", "integer"):
        return wrong == right
    if part.kind == "number":
        return within(Fraction(wrong), Fraction(right), part.tolerance)
    if part.kind in ("vector", "interval"):
        return len(wrong) == len(right) and all(within(Fraction(w), Fraction(r), part.tolerance)
                                                for w, r in zip(wrong, right))
    return False


def _non_finite(value: Any) -> str | None:
    """Return why an answer has no finite float form, which is what students compare against, or None."""
    for element in value if isinstance(value, tuple) else (value,):
        if isinstance(element, (str, bool)):
            continue
        try:
            number = float(element)
        except OverflowError:
            return f"the answer {_exact_text(element)} is too large for a float"
        if not math.isfinite(number):
            return f"the answer is {number}"
        if number == 0 and element != 0:
            return f"the answer {_exact_text(element)} is too small for a float and reads as 0"
    return None


def _one_value(spec: ParamSpec, params: dict[str, Any]) -> bool:
    """Return whether a uniform or integer parameter's range held a single value for this draw."""
    if spec.kind not in ("uniform", "integer") or spec.low is None or spec.high is None:
        return False
    try:
        low, high = to_exact(spec.low.evaluate(params)), to_exact(spec.high.evaluate(params))
        step = to_exact(spec.step.evaluate(params)) if spec.step is not None else Fraction(1)
    except (ExpressionError, CoreError):
        return False
    if spec.kind == "integer":
        return step > 0 and math.floor((high - low) / step) == 0
    if spec.decimals is not None:
        unit = Fraction(1, 10**spec.decimals)
        return math.ceil(low / unit) == math.floor(high / unit)
    return low == high


def _parse(text: str) -> Fraction | None:
    try:
        return Fraction(text.replace("−", "-"))
    except (ValueError, ZeroDivisionError):
        return None


def _exact_text(value: Any) -> str:
    exact = Fraction(value)
    return str(exact.numerator) if exact.denominator == 1 else f"{exact.numerator}/{exact.denominator}"
