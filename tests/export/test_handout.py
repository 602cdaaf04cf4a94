"""Handouts and keys: one per student or per form, with worked steps and figures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from effquiz.errors import BuildError, OutputError, RosterError
from effquiz.export import export_handouts
from effquiz.export.figures import HIGHLIGHT

from tests.conftest import THREE_STUDENTS


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Path:
    folder = tmp_path_factory.mktemp("handouts")
    roster = folder / "roster.csv"
    roster.write_text(THREE_STUDENTS, encoding="utf-8")
    export_handouts(assignment_path=examples / "lecture.yaml", roster_path=roster, out=folder / "out", pdf=False)
    return folder / "out"


def test_page_and_key_per_student(handouts: Path) -> None:
    names = {path.name for path in handouts.iterdir()}
    assert names == {".effquiz-output", "index.html",
                     *(f"{s}{suffix}.html" for s in ("ada", "alan", "grace") for suffix in ("", "-key"))}


def test_handout_holds_no_answer(handouts: Path) -> None:
    page = (handouts / "ada.html").read_text(encoding="utf-8")
    assert "Worked solution" not in page
    assert "<svg" not in page
    assert 'class="answer-box"' in page


def test_key_shows_steps_and_figures(handouts: Path) -> None:
    key = (handouts / "ada-key.html").read_text(encoding="utf-8")
    assert key.count("Worked solution") == 10
    assert key.count("<svg") == 2
    assert HIGHLIGHT in key


def test_student_handout_matches_notebook_variant(handouts: Path, lecture_build: Path) -> None:
    # The build's key for ada and the handout key must show the same value of x.
    import json

    key = json.loads((lecture_build / "keys" / "ada.json").read_text(encoding="utf-8"))
    value = key["questions"]["mapping"]["params"]["value"]
    assert f"for the value x = {value:.4f}" in (handouts / "ada.html").read_text(encoding="utf-8")


def test_same_inputs_same_html(handouts: Path, tmp_path: Path, examples: Path, three_students: Path) -> None:
    export_handouts(assignment_path=examples / "lecture.yaml", roster_path=three_students, out=tmp_path / "again",
                    pdf=False)
    assert (tmp_path / "again" / "ada-key.html").read_bytes() == (handouts / "ada-key.html").read_bytes()


def test_forms_dealt_in_roster_order(tmp_path: Path, examples: Path, three_students: Path) -> None:
    result = export_handouts(assignment_path=examples / "lecture.yaml", roster_path=three_students, forms=2,
                             out=tmp_path / "forms", pdf=False)
    assert result.handouts == ("form-A", "form-B")
    with (tmp_path / "forms" / "forms.csv").open(encoding="utf-8") as file:
        rows = [(row["student_id"], row["form"]) for row in csv.DictReader(file)]
    assert rows == [("ada", "A"), ("alan", "B"), ("grace", "A")]


def test_forms_differ(tmp_path: Path, examples: Path) -> None:
    export_handouts(assignment_path=examples / "lecture.yaml", forms=2, out=tmp_path / "forms", pdf=False)
    first = (tmp_path / "forms" / "form-A.html").read_text(encoding="utf-8")
    second = (tmp_path / "forms" / "form-B.html").read_text(encoding="utf-8").replace("Form B", "Form A")
    assert first != second


def test_colliding_file_names_rejected(tmp_path: Path, examples: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\nada\nada-key\n", encoding="utf-8")
    with pytest.raises(RosterError, match="ada-key.html, which already belongs to 'ada'"):
        export_handouts(assignment_path=examples / "lecture.yaml", roster_path=roster, out=tmp_path / "out", pdf=False)
    assert not (tmp_path / "out").exists()


def test_missing_roster_and_forms_rejected(tmp_path: Path, examples: Path) -> None:
    with pytest.raises(RosterError, match="needs a roster"):
        export_handouts(assignment_path=examples / "lecture.yaml", out=tmp_path / "out", pdf=False)


def test_required_pdf_without_chromium(tmp_path: Path, examples: Path, three_students: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EFFQUIZ_CHROMIUM", "no-such-chromium-binary")
    with pytest.raises(BuildError, match="no Chromium was found"):
        export_handouts(assignment_path=examples / "lecture.yaml", roster_path=three_students, out=tmp_path / "out",
                        pdf=True)
    assert not (tmp_path / "out").exists()


def test_template_text_is_escaped(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "escaped.yaml").write_text(
        "id: escaped\nversion: 1\ntopic: quantization\ntitle: <b>bold</b> title\n"
        "params:\n  n: {kind: choice, values: [2]}\n"
        "prompt: 'Two <script>alert(1)</script> {{ n }}'\n"
        "parts:\n  x:\n    kind: integer\n    prompt: x\n    answer: n\n    solution: 'It is <img src=x> {{ answer }}'\n",
        encoding="utf-8")
    (tmp_path / "a.yaml").write_text("name: a\ncourse_seed: 1\nbank: bank\nquestions:\n"
                                     "  - {id: q, problem: escaped, points: 1}\n", encoding="utf-8")
    export_handouts(assignment_path=tmp_path / "a.yaml", forms=1, out=tmp_path / "out", pdf=False)
    key = (tmp_path / "out" / "form-A-key.html").read_text(encoding="utf-8")
    assert "<script>" not in key
    assert "<img" not in key
    assert "<b>bold" not in key
    assert "&lt;script&gt;" in key


def test_function_parts_print_starter_and_reference(tmp_path: Path, examples: Path, three_students: Path) -> None:
    export_handouts(assignment_path=examples / "functions.yaml", roster_path=three_students, out=tmp_path / "out",
                    pdf=False)
    page = (tmp_path / "out" / "ada.html").read_text(encoding="utf-8")
    key = (tmp_path / "out" / "ada-key.html").read_text(encoding="utf-8")
    assert "def quantize(x, lo, hi, bits, signed):" in page
    assert "Write the body of the function" in page
    assert "Reference implementation" not in page
    assert "Reference implementation" in key
    assert "floor-instead-of-round" in key


def test_handouts_refuse_a_folder_effquiz_did_not_write(tmp_path: Path, examples: Path, three_students: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "syllabus.md").write_text("week 3", encoding="utf-8")
    with pytest.raises(OutputError, match="already exists and is not a folder that effquiz wrote"):
        export_handouts(assignment_path=examples / "lecture.yaml", roster_path=three_students, out=folder, pdf=False)
    assert [path.name for path in folder.iterdir()] == ["syllabus.md"]
