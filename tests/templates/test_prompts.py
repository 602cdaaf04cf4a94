"""Prompt rendering: exact division, the display record and sandbox checks at load."""

from __future__ import annotations

from fractions import Fraction

import jinja2
import pytest

from effquiz.templates.prompts import Shown, displayed_numbers, render, unsafe_attributes


def test_division_of_ints_is_exact() -> None:
    # Jinja2 alone divides 1 by 7 into a float; the prompt environment keeps 1/7.
    assert render("{{ (1 / n) | fraction }}", {"n": 7}) == "1/7"


def test_large_exponent_is_rejected() -> None:
    with pytest.raises(jinja2.sandbox.SecurityError, match="the exponent 5000 is larger than 4096"):
        render("{{ 2 ** 5000 }}", {})


def test_displayed_numbers_records_placeholder_text() -> None:
    value = Shown(Fraction(31416, 10000), "3.1416")
    assert displayed_numbers("x = {{ x }}", {"x": value}) == [(value, "3.1416")]


def test_displayed_numbers_records_filter_text() -> None:
    # fixed(2) prints 1/3 as 0.33.
    shown = displayed_numbers("{{ t | fixed(2) }}", {"t": Fraction(1, 3)})
    assert shown == [(Fraction(1, 3), "0.33")]


def test_displayed_numbers_is_empty_outside_recording() -> None:
    render("{{ t }}", {"t": Fraction(1, 3)})
    assert displayed_numbers("no numbers", {}) == []


def test_unsafe_attributes_finds_private_names() -> None:
    assert unsafe_attributes("{{ x.__class__ }} {{ y['_secret'] }} {{ z.numerator }}") == ["__class__", "_secret"]
