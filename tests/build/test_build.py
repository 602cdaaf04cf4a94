"""effquiz build: layout, the key contract, secrecy of answers, reproducibility and atomicity."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from fractions import Fraction
from pathlib import Path

import nbformat
import pytest

from effquiz.build import build
from effquiz.errors import RosterError

pytestmark = pytest.mark.slow
STUDENTS = ("ada", "alan", "grace")


def keys(build_dir: Path) -> dict[str, dict]:
    return {sid: json.loads((build_dir / "keys" / f"{sid}.json").read_text()) for sid in STUDENTS}


def test_build_writes_contract_layout(lecture_build: Path) -> None:
    for sid in STUDENTS:
        assert (lecture_build / "student" / sid / "lecture.ipynb").is_file()
        assert (lecture_build / "student" / sid / "tests" / "mapping.py").is_file()
        assert (lecture_build / "keys" / f"{sid}.json").is_file()
    assert (lecture_build / "autograder" / "lecture-autograder.zip").is_file()


def test_key_follows_contract(lecture_build: Path) -> None:
    key = keys(lecture_build)["ada"]
    assert key["student_id"] == "ada"
    assert isinstance(key["seed"], int)
    mapping = key["questions"]["mapping"]
    assert mapping["problem"] == "affine-int-mapping"
    assert set(mapping["params"]) == {"bits", "signed", "lo", "hi", "value"}
    assert mapping["parts"]["scale"]["variable"] == "scale"
    assert "exact" in mapping["parts"]["scale"]


def test_key_matches_its_own_parameters(lecture_build: Path) -> None:
    # S = (hi - lo)/(2^b - 1), recomputed here from the printed parameters.
    for key in keys(lecture_build).values():
        params = key["questions"]["mapping"]["params"]
        scale = (Fraction(str(params["hi"])) - Fraction(str(params["lo"]))) / (2 ** params["bits"] - 1)
        assert Fraction(key["questions"]["mapping"]["parts"]["scale"]["exact"]) == scale


def test_each_variable_has_one_assignment_line(lecture_build: Path) -> None:
    notebook = nbformat.read(lecture_build / "student" / "ada" / "lecture.ipynb", as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    for question in keys(lecture_build)["ada"]["questions"].values():
        for part in question["parts"].values():
            assert len(re.findall(rf"^{part['variable']} = \.\.\.$", code, flags=re.M)) == 1


def test_students_see_their_own_numbers(lecture_build: Path) -> None:
    for sid, key in keys(lecture_build).items():
        text = (lecture_build / "student" / sid / "lecture.ipynb").read_text()
        value = key["questions"]["mapping"]["params"]["value"]
        assert f"x = {value:.4f}" in text


def test_numeric_parts_state_their_tolerance(lecture_build: Path) -> None:
    # problems/affine-int-mapping.yaml gives scale rel 1e-4 (0.01%) and the edges rel 1e-5 (0.001%).
    text = "".join(nbformat.read(lecture_build / "student" / "ada" / "lecture.ipynb", as_version=4).cells[2].source)
    assert "→ `scale` (1 point; accepted within a relative tolerance of 0.01%)" in text
    assert "→ `upper_edge` (1 point; accepted within a relative tolerance of 0.001%)" in text
    assert "→ `q` (1 point)\n" in text


def _secret_texts(key: dict) -> set[str]:
    """Return textual forms of each non-trivial reference answer in a key."""
    texts: set[str] = set()
    for question in key["questions"].values():
        for part in question["parts"].values():
            answer = part["answer"]
            if isinstance(answer, float) and len(repr(answer).strip("-0.")) >= 5:
                texts |= {repr(answer), f"{answer:.6g}", f"{answer:.5f}"}
            exact = part.get("exact")
            if isinstance(exact, str) and "/" in exact and int(exact.split("/")[1]) > 10:
                texts.add(exact)
    return texts


def test_no_reference_answer_in_student_files(lecture_build: Path) -> None:
    for sid, key in keys(lecture_build).items():
        secrets = _secret_texts(key)
        assert secrets, "the check needs at least one non-trivial answer"
        folder = lecture_build / "student" / sid
        for path in folder.rglob("*"):
            if path.is_file():
                text = path.read_text()
                assert not [s for s in secrets if s in text], path


def test_no_reference_answer_in_autograder_zip(lecture_build: Path) -> None:
    secrets = set().union(*(_secret_texts(key) for key in keys(lecture_build).values()))
    with zipfile.ZipFile(lecture_build / "autograder" / "lecture-autograder.zip") as archive:
        for name in archive.namelist():
            if name.endswith(".whl"):
                continue
            text = archive.read(name).decode("utf-8")
            assert not [s for s in secrets if s in text], name


def test_notebook_metadata_carries_no_answers(lecture_build: Path) -> None:
    notebook = nbformat.read(lecture_build / "student" / "ada" / "lecture.ipynb", as_version=4)
    assert set(notebook.metadata["effquiz"]) == {"assignment", "student_id", "effquiz_version"}


def _digest(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_same_inputs_give_identical_bytes(lecture_build: Path, examples: Path, three_students: Path,
                                          tmp_path: Path) -> None:
    again = build(assignment_path=examples / "lecture.yaml", roster_path=three_students, out=tmp_path / "again").out
    assert _digest(again) == _digest(lecture_build)


def test_failed_build_leaves_previous_output(build_copy: Path, examples: Path, tmp_path: Path) -> None:
    before = _digest(build_copy)
    roster = tmp_path / "bad.csv"
    roster.write_text("student_id\nada\nada\n", encoding="utf-8")
    with pytest.raises(RosterError, match="'ada' also appears on line 2"):
        build(assignment_path=examples / "lecture.yaml", roster_path=roster, out=build_copy)
    assert _digest(build_copy) == before
    assert not [p for p in build_copy.parent.iterdir() if p.name.startswith(".build.")]
