"""effquiz check and effquiz list: exit codes, the summary, JSON and the listing contract."""

from __future__ import annotations

import pytest

import json
from pathlib import Path

from click.testing import CliRunner

from effquiz.cli import main

REPOSITORY = Path(__file__).resolve().parents[2]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.slow
def test_check_shipped_bank_exits_0() -> None:
    result = run("check", str(REPOSITORY / "problems"))
    assert result.exit_code == 0, result.output
    assert "affine-int-mapping" in result.output
    assert "no problems found" in result.output


def test_check_findings_exit_1(tmp_path: Path) -> None:
    (tmp_path / "few.yaml").write_text(
        "id: few\nversion: 1\ntopic: quantization\ntitle: Few\nparams:\n  x: {kind: integer, low: 0, high: 1}\n"
        "prompt: 'x = {{ x }}'\nparts:\n  d: {kind: integer, prompt: d, answer: 2 * x}\n", encoding="utf-8")
    result = run("check", str(tmp_path), "--variants", "40")
    assert result.exit_code == 1
    assert "few: duplicates at params" in result.output
    assert "1 finding." in result.output


def test_failed_draws_show_seeds_and_share(tmp_path: Path) -> None:
    # x <= 1 holds for 2 of the 7 values, so most single draws fail and have no parameters to show.
    (tmp_path / "one-try.yaml").write_text(
        "id: one-try\nversion: 1\ntopic: quantization\ntitle: One try\nmax_tries: 1\n"
        "params:\n  x: {kind: integer, low: 0, high: 6}\nconstraints:\n  - {name: x is small, expr: x <= 1}\n"
        "prompt: 'x = {{ x }}'\nparts:\n  d: {kind: integer, prompt: d, answer: 2 * x}\n", encoding="utf-8")
    result = run("check", str(tmp_path), "--variants", "100")

    assert result.exit_code == 1
    header = next(line for line in result.output.splitlines() if line.startswith("one-try: failure"))
    share = float(header.rsplit("(", 1)[1].rstrip("%)"))
    assert 0 < share <= 100
    seeds = next(line for line in result.output.splitlines() if line.strip().startswith("seeds "))
    assert " has" not in seeds


def test_check_unloadable_template_exits_2_with_file_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\nversion: 1\ntopic: quantization\ntitle: Bad\nparms: {}\n", encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2
    assert f"{path}:5:1: parms: unknown key 'parms' in the template. Did you mean 'params'?" in result.output


def test_check_json_lists_templates_and_findings() -> None:
    result = run("check", "--json", "--variants", "20", str(REPOSITORY / "examples" / "lecture.yaml"))
    payload = json.loads(result.output)
    assert payload["variants"] == 20
    assert payload["findings"] == []
    assert payload["exit_code"] == 0
    assert [entry["name"] for entry in payload["assignments"]] == ["lecture"]
    assert {entry["id"] for entry in payload["templates"]} == {"affine-int-mapping", "speculative-uniform-draft"}


def test_check_json_finding_names_seeds(tmp_path: Path) -> None:
    (tmp_path / "tied.yaml").write_text(
        "id: tied\nversion: 1\ntopic: quantization\ntitle: Tied\nparams:\n  x: {kind: integer, low: 0, high: 999}\n"
        "prompt: 'x = {{ x }}'\nparts:\n  h: {kind: integer, prompt: h, answer: round(x / 2)}\n", encoding="utf-8")
    payload = json.loads(run("check", "--json", "--variants", "50", "--seed", "5", str(tmp_path)).output)
    finding = payload["findings"][0]
    assert finding["check"] == "tie"
    assert finding["template"] == "tied"
    assert all(5 <= seed < 55 for seed in finding["seeds"])
    # The first seed shown has an odd x, whose half is a tie.
    assert finding["params"]["x"] % 2 == 1


def test_list_json_has_contract_fields() -> None:
    result = run("list", "--json")
    assert result.exit_code == 0
    entries = {entry["id"]: entry for entry in json.loads(result.output)}
    mapping = entries["affine-int-mapping"]
    assert mapping["topic"] == "quantization"
    assert mapping["title"] == "Affine integer mapping of one value"
    assert mapping["parts"] == ["scale", "zero_point", "q", "lower_edge", "upper_edge"]
    assert isinstance(mapping["version"], int)


def test_list_text_shows_parts() -> None:
    result = run("list")
    assert "speculative-uniform-draft (version" in result.output
    assert "parts: good_proxy, accept_when, acceptance_rate, residual_noun, residual_other" in result.output


def test_check_without_paths_sweeps_bank_folders(tmp_path) -> None:
    from click.testing import CliRunner

    from effquiz.cli import main

    bank = tmp_path / "mybank"
    bank.mkdir()
    (bank / "doubling.yaml").write_text(
        "id: doubling\nversion: 1\ntopic: quantization\ntitle: Doubling\n"
        "params:\n  n: {kind: integer, low: 1, high: 1000}\nprompt: 'n = {{ n }}'\n"
        "parts:\n  double: {kind: integer, prompt: 2n, answer: 2 * n}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--bank", str(bank), "--variants", "50", "--json"])
    assert [entry["id"] for entry in json.loads(result.output)["templates"]] == ["doubling"]
