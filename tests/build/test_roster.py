"""load_roster: rows that do not match the header, ids that collide by case, a missing email column."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from effquiz.assignment import load_roster
from effquiz.errors import RosterError


def write_roster(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_short_row_rejected(tmp_path: Path) -> None:
    path = write_roster(tmp_path, "student_id,name,email\nada,Ada,ada@example.edu\nsam,Sam\n")
    with pytest.raises(RosterError, match=r"roster\.csv:3: the row has 2 fields, but the header has 3 "
                                          r"\(student_id, name, email\)\. Fix: .*'sam,Sam,'"):
        load_roster(path)


def test_row_of_one_field_rejected(tmp_path: Path) -> None:
    path = write_roster(tmp_path, "student_id,name,email\nsam\n")
    with pytest.raises(RosterError, match=r"roster\.csv:2: the row has 1 field, but the header has 3 .*'sam,,'"):
        load_roster(path)


def test_long_row_rejected(tmp_path: Path) -> None:
    # An unquoted comma in the name splits it into two fields.
    path = write_roster(tmp_path, "student_id,name,email\nada,Lovelace, Ada,ada@example.edu\n")
    with pytest.raises(RosterError, match=r"roster\.csv:2: the row has 4 fields, but the header has 3 "
                                          r".*Fix: put a value that contains a comma in double quotes"):
        load_roster(path)


def test_quoted_comma_accepted(tmp_path: Path) -> None:
    path = write_roster(tmp_path, 'student_id,name,email\nada,"Lovelace, Ada",ada@example.edu\n')
    (student,) = load_roster(path)
    assert student.name == "Lovelace, Ada"
    assert student.email == "ada@example.edu"


def test_blank_rows_skipped(tmp_path: Path) -> None:
    path = write_roster(tmp_path, "student_id,name,email\nada,Ada,ada@example.edu\n\nalan,Alan,alan@example.edu\n,,\n\n")
    assert [student.student_id for student in load_roster(path)] == ["ada", "alan"]


def test_ids_differing_in_case_rejected(tmp_path: Path) -> None:
    path = write_roster(tmp_path, "student_id,email\nSam,sam.a@example.edu\nada,ada@example.edu\n"
                                  "sam,sam.b@example.edu\n")
    with pytest.raises(RosterError, match=r"roster\.csv:4: student_id: the student ids 'Sam' \(line 2\) and 'sam' "
                                          r"\(line 4\) differ only in case"):
        load_roster(path)


def test_missing_email_warns_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write_roster(tmp_path, "student_id,name\nada,Ada\nalan,Alan\n")
    with caplog.at_level(logging.WARNING, logger="effquiz.assignment"):
        students = load_roster(path)
    assert [student.student_id for student in students] == ["ada", "alan"]
    assert len(caplog.records) == 1
    assert caplog.records[0].levelno == logging.WARNING
    assert f"the roster {path} has no 'email' column" in caplog.records[0].getMessage()
    assert "Gradescope's 'sid' field" in caplog.records[0].getMessage()


def test_email_column_no_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write_roster(tmp_path, "student_id,email\nada,ada@example.edu\n")
    with caplog.at_level(logging.WARNING, logger="effquiz.assignment"):
        load_roster(path)
    assert caplog.records == []


def test_doc_example_roster_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "assignments.md").read_text(encoding="utf-8")
    path = write_roster(tmp_path, re.search(r"```csv\n(.*?)```", doc, flags=re.S).group(1))

    students = load_roster(path)

    assert [student.student_id for student in students] == ["ada", "alan", "grace"]
    assert students[1].name == "Turing, Alan"


def test_misspelled_id_column_is_named(tmp_path: Path) -> None:
    path = write_roster(tmp_path, "studentid,name\nada,Ada\n")
    with pytest.raises(RosterError, match=r"roster\.csv:1: .*no 'student_id' column\. The column 'studentid' looks "
                                          r"like a misspelling of it\..* Fix: rename the column 'studentid' to "
                                          r"student_id\."):
        load_roster(path)


def test_missing_id_column_asks_for_one(tmp_path: Path) -> None:
    path = write_roster(tmp_path, "name,email\nAda,ada@example.edu\n")
    with pytest.raises(RosterError, match=r"no 'student_id' column\..* Fix: add a student_id column to the header "
                                          r"row \(line 1\)\."):
        load_roster(path)
