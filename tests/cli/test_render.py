"""effquiz render: the JSON contract, --set parsing and error exit codes."""

from __future__ import annotations

import json
from fractions import Fraction

from click.testing import CliRunner

from effquiz.cli import main
from effquiz.cli.render import parse_setting


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_render_json_contract_for_lecture_example() -> None:
    result = run("render", "affine-int-mapping", "--example", "lecture", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["problem"] == "affine-int-mapping"
    assert payload["params"]["bits"] == 8
    # S = 4/255 exactly, with its float alongside.
    assert payload["parts"]["scale"]["exact"] == "4/255"
    assert abs(payload["parts"]["scale"]["answer"] - 4 / 255) < 1e-15
    assert payload["parts"]["q"]["answer"] == 72


def test_render_json_choice_answer_is_choice_text() -> None:
    result = run("render", "speculative-uniform-draft", "--example", "lecture", "--json")
    payload = json.loads(result.output)
    assert payload["parts"]["accept_when"]["answer"] == "Exactly when the drafted token is a noun."


def test_render_set_value_is_used_exactly() -> None:
    # 3.1294 / (4/255) = 199.499..., which rounds to 199; 199 - 128 = 71.
    result = run("render", "affine-int-mapping", "--set", "lo=0", "--set", "hi=4", "--set", "bits=8",
                 "--set", "signed=true", "--set", "value=3.1294", "--json")
    payload = json.loads(result.output)
    assert payload["parts"]["q"]["answer"] == 71
    assert payload["params"]["value"] == 3.1294


def test_render_text_shows_prompt_and_answers() -> None:
    result = run("render", "affine-int-mapping", "--example", "lecture")
    assert "x = 3.141592653589793" in result.output
    assert "4/255" in result.output


def test_parse_setting_kinds() -> None:
    assert parse_setting("signed=false") == ("signed", False)
    assert parse_setting("bits=4") == ("bits", 4)
    assert parse_setting("value=3.1450") == ("value", Fraction("3.145"))
    assert str(parse_setting("value=3.1450")[1]) == "3.1450"
    assert parse_setting("mode=absmax") == ("mode", "absmax")


def test_unknown_problem_exits_2_with_suggestion() -> None:
    result = run("render", "affine-int-maping")
    assert result.exit_code == 2
    assert "Did you mean 'affine-int-mapping'?" in result.output


def test_bad_set_syntax_is_rejected() -> None:
    result = run("render", "affine-int-mapping", "--set", "bits")
    assert result.exit_code == 2
    assert "is not NAME=VALUE" in result.output


def test_render_text_shows_misconception_feedback() -> None:
    result = run("render", "speculative-uniform-draft", "--example", "lecture")
    assert "misconception residual-not-normalized: 0.15 (exact 3/20)" in result.output
    assert "Divide by its sum so the residual is a distribution." in result.output


def test_render_text_marks_misconception_that_does_not_apply() -> None:
    # The lecture example is signed, and pi/(4/255) = 200.28... rounds down, so floor agrees with round.
    result = run("render", "affine-int-mapping", "--example", "lecture")
    assert "misconception floor-instead-of-round: does not apply to this variant" in result.output
    assert "misconception unsigned-range-for-signed: 0" in result.output


def test_render_function_part_lists_edge_probes() -> None:
    # The tie probe: lo = 0, hi = 15, 4-bit unsigned gives S = 1 and Z = 0, so x/S = 0.5,
    # 1.5, 2.5 and 3.5 round half to even to 0, 2, 2 and 4.
    result = run("render", "quantize-function", "--json")
    assert result.exit_code == 0, result.output
    probes = json.loads(result.output)["parts"]["quantize"]["probes"]
    tie = next(probe for probe in probes if probe["args"]["x"] == {"array": [0.5, 1.5, 2.5, 3.5]})
    assert [int(item["value"]) for item in tie["expected"]["returned"]["items"]] == [0, 2, 2, 4]


def test_render_set_word_for_number_is_rejected() -> None:
    result = run("render", "affine-int-mapping", "--set", "bits=abc")
    assert result.exit_code == 2
    assert "the parameter 'bits' of affine-int-mapping takes numbers, not the word 'abc'" in result.output
    assert "Allowed: 4, 8." in result.output


def test_render_header_names_example() -> None:
    result = run("render", "affine-int-mapping", "--example", "lecture")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith("), seed 0, example 'lecture'")


def test_misspelled_set_name_gets_suggestion() -> None:
    result = run("render", "affine-int-mapping", "--set", "vlaue=2")
    assert result.exit_code == 2
    assert "has no parameter 'vlaue'. Did you mean 'value'?" in result.output
