"""Assignment files: the questions they name must be answerable in one notebook, from the bank in use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from effquiz.assignment import load_assignment
from effquiz.errors import AssignmentError
from effquiz.templates import default_bank_path
from effquiz.templates.bank import Bank


def test_course_example_loads(examples: Path) -> None:
    assignment = load_assignment(examples / "course.yaml")
    # One question per template of the bank, the six implementation tasks included.
    assert len(assignment.questions) == 27


def test_shared_variable_rejected(tmp_path: Path) -> None:
    # The same template twice assigns scale, zero_point and q twice in one notebook.
    path = tmp_path / "twice.yaml"
    path.write_text(
        "name: twice\ncourse_seed: 1\nquestions:\n"
        "  - {id: first, problem: affine-int-mapping, points: 1}\n"
        "  - {id: second, problem: affine-int-mapping, points: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(AssignmentError, match=r"questions\[1\]\.problem: question 'second' \(part 'scale'\) "
                                              r"and question 'first' \(part 'scale'\) both use the notebook "
                                              r"variable 'scale'"):
        load_assignment(path)


def test_unknown_problem_with_bank_option(own_bank: Path, tmp_path: Path) -> None:
    path = tmp_path / "week.yaml"
    path.write_text("name: week\ncourse_seed: 1\nquestions:\n  - {id: q, problem: affine-int-mapping, points: 1}\n",
                    encoding="utf-8")
    expected = (f"use one of the ids that 'effquiz list --bank {own_bank}' prints. --bank replaces the shipped bank, "
                f"so pass '--bank {default_bank_path()}' as well to use both.")
    with pytest.raises(AssignmentError, match=re.escape(expected)):
        load_assignment(path, Bank.load(own_bank))


def test_unknown_problem_with_bank_key(own_bank: Path, tmp_path: Path) -> None:
    path = tmp_path / "week.yaml"
    path.write_text("name: week\ncourse_seed: 1\nbank: mybank\nquestions:\n"
                    "  - {id: q, problem: affine-int-mapping, points: 1}\n", encoding="utf-8")
    expected = (f"use one of the ids that 'effquiz list --bank {own_bank}' prints. The 'bank' key replaces the "
                "shipped bank and --bank, so to combine folders, remove the key and pass each folder with --bank.")
    with pytest.raises(AssignmentError, match=re.escape(expected)):
        load_assignment(path)


def test_doc_example_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "assignments.md").read_text(encoding="utf-8")
    path = tmp_path / "week3.yaml"
    path.write_text(re.search(r"```yaml\n(.*?)```", doc, flags=re.S).group(1), encoding="utf-8")

    assignment = load_assignment(path)

    assert [question.id for question in assignment.questions] == ["mapping", "memory", "quantize"]
    # scale and zero_point get 1 point each, and the three other parts of equal weight
    # share the remaining 5 − 2 = 3, so 1 each.
    assert assignment.question("mapping").part_points() == {"scale": 1, "zero_point": 1, "q": 1, "lower_edge": 1,
                                                            "upper_edge": 1}


def test_missing_bank_folder_gives_one_fix(tmp_path: Path) -> None:
    path = tmp_path / "week.yaml"
    path.write_text("name: week\ncourse_seed: 1\nbank: mybnak\nquestions:\n"
                    "  - {id: q, problem: affine-int-mapping, points: 1}\n", encoding="utf-8")
    with pytest.raises(AssignmentError, match=r"week\.yaml:3:.*bank: the bank folder '.*mybnak' does not exist\."
                                              r".* Fix: point 'bank' at the folder of templates\.$") as caught:
        load_assignment(path)
    assert str(caught.value).count("Fix:") == 1
