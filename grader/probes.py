"""Probe inputs for function parts: what the student's function is called with.

Inputs are not secret: the judge writes them into the grading tree, where the kernel's
collector reads them. Expected outputs are never written anywhere; the judge computes
them in its own process (see ``functions.py``).

- A deterministic function gets per-student probes, one per fresh draw of the template's
  parameters with the probe's seed, followed by the template's fixed edge probes.
- A sampling step gets, per setting, the draft tokens drawn from the draft rows and the
  seed of the ``numpy.random.Generator`` that the kernel passes to every call.

Every draw reads raw PCG64 words through :mod:`effquiz.variants.seeds`, so the plan is the
same on every machine and NumPy version.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from effquiz.errors import TemplateError
from effquiz.templates.functions import array_entries
from effquiz.templates.schema import FunctionSpec, PartSpec, SamplingSetting, Template
from effquiz.variants.generate import generate_variant
from effquiz.variants.seeds import draw_unit, make_rng, question_seed

# Per call, and for all calls of a sampling step together, in seconds. A correct step
# needs well under a second for all its calls (docs/benchmarks.md).
CALL_SECONDS = 5.0
SAMPLING_BUDGET_SECONDS = 60.0


@dataclass(frozen=True)
class ProbeInput:
    """One call of a deterministic function: its arguments as JSON, a label, and whether it is hidden."""

    label: str
    args: dict[str, Any]
    hidden: bool


@dataclass(frozen=True)
class SamplingPlan:
    """The calls of a sampling step for one setting: the drafts per call and the Generator's seed."""

    setting: SamplingSetting
    drafts: tuple[tuple[int, ...], ...]
    seed: int


def argument_json(value: Any, dtype: str = "float64") -> Any:
    """Return a probe argument as JSON: bools and ints as they are, numbers as floats, lists as arrays.

    A list, or a list of equal-length lists, becomes ``{"array": entries}``, plus
    ``"dtype"`` when ``dtype`` is not float64. Raises ValueError for an array that
    :func:`~effquiz.templates.functions.array_entries` rejects.
    """
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, (tuple, list)):
        entries = array_entries(value, dtype)
        return {"array": entries} if dtype == "float64" else {"array": entries, "dtype": dtype}
    return float(Fraction(value))


def _args_json(spec: FunctionSpec, args: tuple[tuple[str, Any], ...], env: dict[str, Any]) -> dict[str, Any]:
    result = {}
    for name, expression in args:
        value = expression.evaluate(env)
        try:
            result[name] = argument_json(value, spec.dtype(name))
        except ValueError as error:
            raise TemplateError(f"the probe argument {name!r} of {spec.name} is invalid: {error}.",
                                location=spec.location, value=value,
                                fix="keep the parameters that fill this argument inside its dtype's range.") from None
    return result


def function_probes(template: Template, part: PartSpec, seed: int) -> list[ProbeInput]:
    """Return the probes of a deterministic function part for the question seed ``seed``."""
    spec = _spec(part)
    probes = []
    for index in range(spec.probe_count):
        variant = generate_variant(template, question_seed(seed, f"{part.name}/probe/{index}"))
        probes.append(ProbeInput(f"probe {index + 1}", _args_json(spec, spec.probe_args, variant.params),
                                 spec.probes_hidden))
    return probes + edge_probe_inputs(part)


def edge_probe_inputs(part: PartSpec) -> list[ProbeInput]:
    """Return the fixed edge probes of a deterministic function part, the same for every student."""
    spec = _spec(part)
    return [ProbeInput(edge.label, _args_json(spec, edge.args, {}), edge.hidden) for edge in spec.edge_probes]


def _thresholds(row: tuple[Fraction, ...]) -> list[int]:
    """Return ceil(2^53 · cumulative probability) for each token, for :func:`_draw_token`."""
    thresholds, cumulative = [], Fraction(0)
    for probability in row:
        cumulative += probability
        thresholds.append(math.ceil(cumulative * 2**53))
    return thresholds


def _draw_token(rng: Any, thresholds: list[int]) -> int:
    """Draw a token by inverting the exact CDF at a 53-bit uniform k·2^−53.

    k·2^−53 < c is true exactly when k < ceil(c·2^53), so integer comparisons suffice. A
    token with probability 0 has the same threshold as the one before it, so it is never drawn.
    """
    unit = int(draw_unit(rng) * 2**53)  # exact: draw_unit returns a multiple of 2^-53
    return bisect.bisect_right(thresholds, unit)


def sampling_plans(part: PartSpec, seed: int) -> list[SamplingPlan]:
    """Return the calls of a sampling step for the question seed ``seed``, one plan per setting."""
    spec = _spec(part)
    assert spec.sampling is not None
    plans = []
    for index, setting in enumerate(spec.sampling.settings):
        rng = make_rng(question_seed(seed, f"{part.name}/drafts/{index}"))
        rows = [_thresholds(row) for row in setting.draft]
        drafts = tuple(tuple(_draw_token(rng, row) for row in rows) for _ in range(spec.sampling.calls))
        plans.append(SamplingPlan(setting, drafts, question_seed(seed, f"{part.name}/generator/{index}")))
    return plans


def _spec(part: PartSpec) -> FunctionSpec:
    if part.function is None:
        raise ValueError(f"part {part.name!r} is not a function part")
    return part.function


def _rows_json(rows: tuple[tuple[Fraction, ...], ...]) -> list[list[float]]:
    return [[float(value) for value in row] for row in rows]


def probe_file(template: Template, seed: int) -> dict[str, Any] | None:
    """Return the probe file of one question for the kernel, or None when it has no function part."""
    parts: dict[str, Any] = {}
    for part in template.parts:
        if part.function is None:
            continue
        entry: dict[str, Any] = {"function": part.function.name, "call_seconds": CALL_SECONDS}
        if part.function.sampling is not None:
            entry["budget_seconds"] = SAMPLING_BUDGET_SECONDS
            entry["sampling"] = [{"seed": plan.seed, "target": _rows_json(plan.setting.target),
                                  "draft": _rows_json(plan.setting.draft), "drafts": [list(d) for d in plan.drafts]}
                                 for plan in sampling_plans(part, seed)]
        else:
            entry["probes"] = [{"label": probe.label, "args": probe.args}
                               for probe in function_probes(template, part, seed)]
        parts[part.variable] = entry
    return {"parts": parts} if parts else None
