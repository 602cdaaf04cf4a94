"""Judging function parts: the student's outputs on the probes against the reference's.

The collector in the kernel called the student's function on the probe inputs and wrote
each outcome as JSON. Here the judge calls the reference implementation in
``effquiz.solutions`` on the same inputs, in its own process, and compares. The first
failing input is named. For a hidden probe the expected output is not shown.

A sampling step is judged by the calibrated test in ``stochastic.py`` instead.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any, Callable

from effquiz.templates.schema import FunctionSpec, PartSpec, Tolerance

from effquiz.grader.judge import Verdict, decode_number
from effquiz.grader.kernel_code import call_with_limit, decode_args, encode_outcome
from effquiz.grader.probes import CALL_SECONDS, ProbeInput, SamplingPlan
from effquiz.grader.stochastic import check_samples, exact_law, mistaken_law, tally
from effquiz.grader.tolerance import describe_tolerance, within

logger = logging.getLogger(__name__)

# The samples of a mistaken law must fit it at this level for the mistake to be named.
MISTAKE_FIT_LEVEL = 1e-3
MAX_SHOWN = 120


def solution(spec: FunctionSpec, name: str | None = None) -> Callable[..., Any]:
    """Return the reference implementation (or the named wrong one) from ``effquiz.solutions``."""
    module = importlib.import_module(f"effquiz.solutions.{spec.module}")
    return getattr(module, name or spec.name)


def preload(parts: list[PartSpec]) -> None:
    """Import every solutions module that ``parts`` need, before effquiz's files are deleted."""
    for part in parts:
        if part.function is not None:
            solution(part.function)


def expected_outcomes(function: Callable[..., Any], probes: list[ProbeInput]) -> list[dict[str, Any]]:
    """Return the encoded outcome of ``function`` on each probe, as the kernel encodes the student's."""
    outcomes = []
    for probe in probes:
        kind, value = call_with_limit(function, (), decode_args(probe.args), CALL_SECONDS)
        outcomes.append(encode_outcome(kind, value, CALL_SECONDS))
    return outcomes


def values_match(expected: Any, got: Any, tolerance: Tolerance) -> bool:
    """Return whether an encoded output equals the expected one: exact ints, floats within tolerance."""
    if not isinstance(expected, dict) or not isinstance(got, dict):
        return False
    kind = expected.get("kind")
    if kind == "list":
        items, got_items = expected.get("items", []), got.get("items")
        return (got.get("kind") == "list" and isinstance(got_items, list) and len(items) == len(got_items)
                and all(values_match(a, b, tolerance) for a, b in zip(items, got_items)))
    if kind in ("bool", "str"):
        return got.get("kind") == kind and got.get("value") == expected.get("value")
    reference, value = decode_number(expected), decode_number(got)
    if reference is None or value is None:
        return False
    if kind == "int":
        return value == reference
    return within(value, reference, tolerance)


def outcomes_match(expected: dict[str, Any], got: Any, tolerance: Tolerance) -> bool:
    """Return whether one call's outcome matches: the same error class, or a matching value."""
    if not isinstance(got, dict):
        return False
    if "raised" in expected:
        names = got.get("raised")
        return isinstance(names, list) and expected["raised"][0] in names
    return "returned" in got and values_match(expected["returned"], got["returned"], tolerance)


def shown_value(encoded: Any) -> str:
    """Return short Python-like text for an encoded value."""
    if not isinstance(encoded, dict):
        return "an unreadable value"
    kind = encoded.get("kind")
    if kind == "list":
        text = "[" + ", ".join(shown_value(item) for item in encoded.get("items", [])) + "]"
    elif kind in ("int", "float"):
        text = str(encoded.get("value"))
    elif kind == "bool":
        text = str(encoded.get("value"))
    elif kind == "str":
        text = repr(encoded.get("value"))
    else:
        text = f"an object of type {encoded.get('type', kind)}"
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 3] + "..."


def shown_outcome(outcome: Any) -> str:
    """Return what a call did, such as 'returned [3, 4]' or 'raised ValueError'."""
    if not isinstance(outcome, dict):
        return "gave no readable result"
    if "returned" in outcome:
        return f"returned {shown_value(outcome['returned'])}"
    if "raised" in outcome and isinstance(outcome["raised"], list) and outcome["raised"]:
        return f"raised {outcome['raised'][0]}"
    if "timed_out" in outcome:
        return f"ran longer than {outcome['timed_out']:g} s"
    return "gave no readable result"


def shown_call(name: str, args: dict[str, Any]) -> str:
    """Return the call as text, such as ``quantize(x=[2.5], lo=0.0, hi=15.0, bits=4, signed=False)``."""
    pieces = []
    for key, value in args.items():
        if isinstance(value, dict):
            value = _shown_array(value["array"])
        pieces.append(f"{key}={value}")
    text = f"{name}({', '.join(pieces)})"
    return text if len(text) <= 3 * MAX_SHOWN else text[:3 * MAX_SHOWN - 3] + "..."


def _shown_array(entries: list[Any]) -> str:
    """Return an array argument as text: ints in full, floats with ``:g``, rows in brackets."""
    shown = []
    for entry in entries:
        if isinstance(entry, list):
            shown.append(_shown_array(entry))
        else:
            shown.append(str(entry) if isinstance(entry, int) else f"{entry:g}")
    return "[" + ", ".join(shown) + "]"


def _collected_outcomes(part: PartSpec, encoded: Any, count: int) -> tuple[list[Any] | None, Verdict | None]:
    kind = encoded.get("kind") if isinstance(encoded, dict) else None
    name = part.variable
    if kind == "undefined":
        return None, Verdict("missing", f"No answer: the function `{name}` was not defined when the question was "
                                        "checked.")
    if kind == "not callable":
        return None, Verdict("invalid", f"Not graded: `{name}` must be a function, not {encoded.get('type')}.")
    outcomes = encoded.get("outcomes") if kind == "function" else None
    if not isinstance(outcomes, list) or len(outcomes) != count:
        return None, Verdict("not graded", f"Not graded: the probes of `{name}` did not run. Run every cell in "
                                           "order before you submit.")
    return outcomes, None


def judge_function(part: PartSpec, probes: list[ProbeInput], encoded: Any) -> Verdict:
    """Decide a deterministic function part from the outcomes collected on ``probes``."""
    spec = part.function
    assert spec is not None
    outcomes, problem = _collected_outcomes(part, encoded, len(probes))
    if problem is not None:
        return problem
    assert outcomes is not None
    if all(isinstance(o, dict) and o.get("returned") == {"kind": "other", "type": "NoneType"} for o in outcomes):
        return Verdict("missing", f"No answer: `{spec.name}` returns None on every probe. Write its body.")

    expected = expected_outcomes(solution(spec), probes)
    failures = [index for index, (want, got) in enumerate(zip(expected, outcomes))
                if not outcomes_match(want, got, part.tolerance)]
    if not failures:
        return Verdict("correct", f"Correct: `{spec.name}` passed all {len(probes)} probes, with outputs "
                                  f"{_compared(part.tolerance)}.")

    first = failures[0]
    probe, want, got = probes[first], expected[first], outcomes[first]
    where = f"{shown_call(spec.name, probe.args)} [{probe.label}]"
    if probe.hidden:
        detail = f"{shown_outcome(got)}, which is not accepted. The expected output of a hidden probe is not shown."
    else:
        detail = f"{shown_outcome(got)}; the reference {shown_outcome(want)}."
    summary = f"{len(failures)} of {len(probes)} probes failed. The first failing input: {where} {detail}"

    for mistake in spec.misconceptions:
        assert mistake.function is not None
        wrong = expected_outcomes(solution(spec, mistake.function), probes)
        if all(outcomes_match(w, g, part.tolerance) for w, g in zip(wrong, outcomes)):
            return Verdict("incorrect", f"Not accepted. {mistake.feedback} {summary}", misconception=mistake.name)
    return Verdict("incorrect", f"Not accepted: {summary}")


def _compared(tolerance: Tolerance) -> str:
    if tolerance.exact:
        return "equal to the reference"
    return f"whole numbers equal to the reference and other numbers {describe_tolerance(tolerance)}"


def judge_sampling(part: PartSpec, plans: list[SamplingPlan], encoded: Any) -> Verdict:
    """Decide a sampling step from its outputs, by the calibrated test of its output law."""
    spec = part.function
    assert spec is not None and spec.sampling is not None
    kind = encoded.get("kind") if isinstance(encoded, dict) else None
    name = part.variable
    if kind == "undefined":
        return Verdict("missing", f"No answer: the function `{name}` was not defined when the question was checked.")
    if kind == "not callable":
        return Verdict("invalid", f"Not graded: `{name}` must be a function, not {encoded.get('type')}.")
    settings = encoded.get("settings") if kind == "samples" else None
    if not isinstance(settings, list) or len(settings) != len(plans):
        return Verdict("not graded", f"Not graded: the calls of `{name}` did not run. Run every cell in order "
                                     "before you submit.")

    outputs = []
    for plan, collected in zip(plans, settings):
        failure = collected.get("failure") if isinstance(collected, dict) else None
        got = collected.get("outputs") if isinstance(collected, dict) else None
        if failure is not None or not isinstance(got, list) or len(got) != len(plan.drafts):
            return Verdict("incorrect", f"Not accepted: {_call_failure(name, plan, failure)}")
        outputs.append(got)

    drafts = [[list(d) for d in plan.drafts] for plan in plans]
    laws = [exact_law(plan.setting) for plan in plans]
    verdict = check_samples(laws, [tally(law, d, o) for law, d, o in zip(laws, drafts, outputs)],
                            float(spec.sampling.false_fail))
    calls = sum(len(plan.drafts) for plan in plans)
    if verdict.passed:
        return Verdict("correct", f"Correct: the {calls} outputs of `{name}` fit the exact law of speculative "
                                  f"sampling (a test whose false-fail rate is at most "
                                  f"{float(spec.sampling.false_fail):g}).")
    summary = f"the outputs of `{name}` do not follow speculative sampling: {verdict.reason}."
    for mistake in spec.misconceptions:
        assert mistake.law is not None
        wrong = [mistaken_law(plan.setting, mistake.law) for plan in plans]
        fit = check_samples(wrong, [tally(law, d, o) for law, d, o in zip(wrong, drafts, outputs)],
                            MISTAKE_FIT_LEVEL)
        if fit.passed:
            return Verdict("incorrect", f"Not accepted. {mistake.feedback} In detail, {summary}",
                           misconception=mistake.name)
    return Verdict("incorrect", f"Not accepted: {summary}")


def _call_failure(name: str, plan: SamplingPlan, failure: Any) -> str:
    if not isinstance(failure, dict) or not isinstance(failure.get("call"), int):
        return f"the calls of `{name}` returned no readable outputs."
    index = failure["call"]
    drafts = list(plan.drafts[index]) if 0 <= index < len(plan.drafts) else "?"
    if "too_slow" in failure:
        return f"`{name}` did not finish its calls within {failure['too_slow']:g} s."
    if "raised" in failure and isinstance(failure["raised"], list) and failure["raised"]:
        message = str(failure.get("message", ""))[:200]
        return f"call {index + 1}, with draft_tokens={drafts}, raised {failure['raised'][0]}: {message}"
    if "timed_out" in failure:
        return f"call {index + 1}, with draft_tokens={drafts}, ran longer than {failure['timed_out']:g} s."
    shown = shown_value(failure.get("returned"))
    return f"call {index + 1}, with draft_tokens={drafts}, returned {shown}, which is not a list of token ids."
