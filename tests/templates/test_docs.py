"""docs/templates.md: every YAML example passes effquiz check, and every core function is listed."""

from __future__ import annotations

import inspect
import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from effquiz.check import sweep_template
from effquiz.check.sweep import DEFAULT_MAX_DUPLICATE_RATE
from effquiz.templates import parse_template
from effquiz.templates.expressions import core_function, core_function_names
from effquiz.variants import generate_variant

DOC = Path(__file__).resolve().parents[2] / "docs" / "templates.md"
TEXT = DOC.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", TEXT, flags=re.S)

# A row of the core-function table: `quant.a`, `quant.b` | arguments | returns.
CORE_ROW = re.compile(r"^\| ((?:`(?:quant|spec)\.\w+`(?:, )?)+) \| ([^|]*) \|", flags=re.M)

SWEEP_VARIANTS = 200
FULL_VARIANTS = 1000
"""effquiz check draws 1000 variants by default. The tests draw fewer to stay fast."""


def block_id(text: str) -> str:
    return yaml.safe_load(text)["id"]


def documented_functions() -> dict[str, list[str]]:
    """Map each function named in the doc's core-function table to the argument names it lists."""
    functions: dict[str, list[str]] = {}
    for names, arguments in CORE_ROW.findall(TEXT):
        listed = [argument.split("=")[0].strip() for argument in arguments.split(",")]
        for name in re.findall(r"`([^`]+)`", names):
            functions[name] = listed
    return functions


def test_doc_has_an_example_per_feature() -> None:
    ids = {block_id(text) for text in BLOCKS}
    for feature in ("uniform", "integer", "choice", "derived", "constraint", "prompt", "choice-part", "vector",
                    "interval", "misconception", "checks"):
        assert f"{feature}-example" in ids


@pytest.mark.parametrize("text", BLOCKS, ids=[block_id(text) for text in BLOCKS])
def test_doc_example_loads_and_draws(text: str) -> None:
    template = parse_template(text, f"{block_id(text)}.yaml")
    for seed in range(20):
        variant = generate_variant(template, seed)
        assert set(variant.answers) == {part.name for part in template.parts}


@pytest.mark.parametrize("text", BLOCKS, ids=[block_id(text) for text in BLOCKS])
def test_doc_example_passes_check(text: str) -> None:
    # For n draws from a law p over the variants, the share of repeats is about n·Σp²/2
    # while it is small, and it grows more slowly after. So a share within 200/1000 of the
    # limit at 200 draws is expected to stay within the limit at the 1000 draws of effquiz
    # check. A template's own checks.max_duplicate_rate is scaled the same way.
    template = parse_template(text, f"{block_id(text)}.yaml")
    own_limit = template.checks.max_duplicate_rate
    full_limit = own_limit if own_limit is not None else DEFAULT_MAX_DUPLICATE_RATE
    limit = full_limit * Fraction(SWEEP_VARIANTS, FULL_VARIANTS)

    summary, found = sweep_template(template, variants=SWEEP_VARIANTS, max_duplicate_rate=limit)

    assert found == []
    assert summary.duplicate_rate <= limit


def test_doc_lists_every_core_function() -> None:
    missing = sorted(set(core_function_names()) - set(documented_functions()))
    assert missing == []


def test_doc_lists_only_core_functions() -> None:
    unknown = sorted(set(documented_functions()) - set(core_function_names()))
    assert unknown == []


@pytest.mark.parametrize("name", core_function_names())
def test_doc_core_arguments_match(name: str) -> None:
    listed = documented_functions().get(name)
    assert listed == list(inspect.signature(core_function(name)).parameters)
