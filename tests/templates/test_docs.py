"""Every YAML example in docs/templates.md loads, draws variants and passes effquiz check.

The examples are small, so some have few distinct variants; repeated variants are the one
finding allowed here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from effquiz.check import sweep_template
from effquiz.templates import parse_template
from effquiz.variants import generate_variant

DOC = Path(__file__).resolve().parents[2] / "docs" / "templates.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def block_id(text: str) -> str:
    return yaml.safe_load(text)["id"]


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
    template = parse_template(text, f"{block_id(text)}.yaml")
    _, found = sweep_template(template, variants=200)
    assert [finding for finding in found if finding.check != "duplicates"] == []
