"""Export variants: drawn from explicit seeds, and distinct within a question."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from effquiz.assignment import load_assignment
from effquiz.errors import BuildError
from effquiz.export.variants import draw_variants, export_seed, form_seed
from effquiz.variants.seeds import question_seed, student_seed

TWO_VALUES = """\
id: two-values
version: 1
topic: quantization
title: Two values
params:
  n: {kind: choice, values: [1, 2]}
prompt: n = {{ n }}
parts:
  double: {kind: integer, prompt: 2n, answer: 2 * n}
"""


@pytest.fixture
def small_assignment(tmp_path: Path) -> Path:
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "two-values.yaml").write_text(TWO_VALUES, encoding="utf-8")
    (tmp_path / "a.yaml").write_text("name: a\ncourse_seed: 5\nbank: bank\nquestions:\n"
                                     "  - {id: q, problem: two-values, points: 1}\n", encoding="utf-8")
    return tmp_path / "a.yaml"


def test_seed_is_reserved_student() -> None:
    assert export_seed(20261204, "mapping", 3) == question_seed(student_seed(20261204, "export:3"), "mapping")
    assert form_seed(20261204, "mapping", "B") == question_seed(student_seed(20261204, "form:B"), "mapping")


def test_variants_are_distinct(examples: Path) -> None:
    drawn = draw_variants(load_assignment(examples / "lecture.yaml"), 8)["mapping"]
    assert len(drawn) == 8
    assert len({tuple(sorted(str(v) for v in item.variant.params.values())) for item in drawn}) == 8


def test_too_few_distinct_variants_warns(small_assignment: Path, caplog: pytest.LogCaptureFixture) -> None:
    # n takes two values, so only two distinct variants exist.
    with caplog.at_level(logging.WARNING):
        drawn = draw_variants(load_assignment(small_assignment), 5)["q"]
    assert sorted(item.variant.params["n"] for item in drawn) == [1, 2]
    assert "only 2 distinct variants" in caplog.text


def test_zero_variants_rejected(small_assignment: Path) -> None:
    with pytest.raises(BuildError, match="at least 1, not 0"):
        draw_variants(load_assignment(small_assignment), 0)
