"""Fixtures for the tests of the shipped problem bank.

Each test module covers one family of templates and checks the reference answers of the
templates' named examples against values computed by hand in its comments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from effquiz.templates import Bank
from effquiz.variants import Variant, generate_variant


@pytest.fixture(scope="session")
def bank() -> Bank:
    """Return the bank that ships with effquiz."""
    return Bank.load()


@pytest.fixture(scope="session")
def example(bank: Bank) -> Callable[[str, str], Variant]:
    """Return a function that draws the variant of a template's named example."""

    def draw(template_id: str, name: str) -> Variant:
        template = bank.get(template_id)
        return generate_variant(template, 0, overrides=template.examples[name])

    return draw


@pytest.fixture(scope="session")
def answers(example: Callable[[str, str], Variant]) -> Callable[[str, str], dict[str, Any]]:
    """Return a function that maps each part of a named example to its reference answer."""

    def collect(template_id: str, name: str) -> dict[str, Any]:
        variant = example(template_id, name)
        return {part: answer.value for part, answer in variant.answers.items()}

    return collect


@pytest.fixture(scope="session")
def wrong(example: Callable[[str, str], Variant]) -> Callable[[str, str, str], dict[str, Any]]:
    """Return a function that maps each misconception of one part of an example to its answer."""

    def collect(template_id: str, name: str, part: str) -> dict[str, Any]:
        return dict(example(template_id, name).answers[part].misconceptions)

    return collect
