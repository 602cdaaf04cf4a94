"""Gradebooks for Canvas and Gradescope from the results of ``effquiz grade``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from effquiz.errors import GradebookError
from effquiz.export import export_gradebook

GRADES = """\
student_id,total,possible,mapping,draft,note
ada,10,10,5,5,
alan,7,10,3,4,
grace,0,10,0,0,no submission
mallory,0,10,0,0,mallory.ipynb: the student is not on the roster
"""

ROSTER = """\
student_id,name,email,canvas_id,sis_login_id,section
ada,Ada Lovelace,ada@example.edu,101,,A1
alan,Alan Turing,alan@example.edu,,aturing,A2
grace,Grace Hopper,grace@example.edu,,,
"""


def feedback_json(student_id: str, scores: dict[str, list[float]]) -> dict:
    parts = [{"question": question, "part": f"p{index}", "variable": f"p{index}", "score": score,
              "max_score": 2.5, "status": "correct" if score else "incorrect", "message": ""}
             for question, values in scores.items() for index, score in enumerate(values)]
    total = sum(score for values in scores.values() for score in values)
    return {"student_id": student_id, "assignment": "lecture", "total": total, "possible": 10.0, "error": None,
            "questions": list(scores), "parts": parts, "seed": 1, "template_versions": {}, "effquiz_version": "0.1.0"}


@pytest.fixture
def graded(tmp_path: Path) -> Path:
    (tmp_path / "grades.csv").write_text(GRADES, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    feedback = tmp_path / "feedback"
    feedback.mkdir()
    # ada: 2.5 + 2.5 + 2.5 + 2.5 = 10; alan: 2.5 + 0.5 + 2.5 + 1.5 = 7.
    for student_id, scores in (("ada", {"mapping": [2.5, 2.5], "draft": [2.5, 2.5]}),
                               ("alan", {"mapping": [2.5, 0.5], "draft": [2.5, 1.5]})):
        (feedback / f"{student_id}.json").write_text(json.dumps(feedback_json(student_id, scores)), encoding="utf-8")
    return tmp_path


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def test_canvas_header_and_points_row(graded: Path) -> None:
    export_gradebook(grades_path=graded / "grades.csv", roster_path=graded / "roster.csv", format="canvas",
                     out=graded / "canvas.csv")
    table = rows(graded / "canvas.csv")
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "lecture"]
    assert table[1] == ["Points Possible", "", "", "", "", "10"]


def test_canvas_rows_from_roster(graded: Path) -> None:
    export_gradebook(grades_path=graded / "grades.csv", roster_path=graded / "roster.csv", format="canvas",
                     out=graded / "canvas.csv")
    table = rows(graded / "canvas.csv")[2:]
    assert table == [
        ["Ada Lovelace", "101", "ada", "ada@example.edu", "A1", "10"],
        ["Alan Turing", "", "alan", "aturing", "A2", "7"],
        ["Grace Hopper", "", "grace", "grace@example.edu", "", "0"],
    ]


def test_canvas_title_option(graded: Path) -> None:
    export_gradebook(grades_path=graded / "grades.csv", format="canvas", title="Quiz 3 (4711)",
                     out=graded / "canvas.csv")
    assert rows(graded / "canvas.csv")[0][-1] == "Quiz 3 (4711)"


def test_students_off_roster_left_out(graded: Path) -> None:
    result = export_gradebook(grades_path=graded / "grades.csv", roster_path=graded / "roster.csv",
                              format="gradescope", out=graded / "gs.csv")
    assert result.left_out == ("mallory",)
    assert [row[1] for row in rows(graded / "gs.csv")[1:]] == ["ada", "alan", "grace"]


def test_roster_matching_nobody_rejected(graded: Path) -> None:
    (graded / "other.csv").write_text("student_id\nsam\nkim\n", encoding="utf-8")
    with pytest.raises(GradebookError, match="none of the 4 students in the gradebook is on the roster"):
        export_gradebook(grades_path=graded / "grades.csv", roster_path=graded / "other.csv", format="canvas",
                         out=graded / "canvas.csv")
    assert not (graded / "canvas.csv").exists()


def test_canvas_without_feedback_needs_title(graded: Path) -> None:
    (graded / "lonely").mkdir()
    (graded / "lonely" / "grades.csv").write_text(GRADES, encoding="utf-8")
    with pytest.raises(GradebookError, match="the assignment's name is unknown.*Fix: pass --title"):
        export_gradebook(grades_path=graded / "lonely" / "grades.csv", format="canvas", out=graded / "canvas.csv")


def test_gradescope_columns(graded: Path) -> None:
    export_gradebook(grades_path=graded / "grades.csv", roster_path=graded / "roster.csv", format="gradescope",
                     out=graded / "gs.csv")
    table = rows(graded / "gs.csv")
    # Each question has two parts of 2.5 points in the feedback: 5 points.
    assert table[0] == ["Name", "SID", "Email", "Total Score", "Max Points", "Status", "mapping (5 pts)",
                        "draft (5 pts)"]
    assert table[2] == ["Alan Turing", "alan", "alan@example.edu", "7", "10", "Graded", "3", "4"]
    assert table[3][5] == "Missing"


def test_without_roster_keeps_every_row(graded: Path) -> None:
    result = export_gradebook(grades_path=graded / "grades.csv", format="gradescope", out=graded / "gs.csv")
    assert result.students == 4
    assert rows(graded / "gs.csv")[4][5] == "Not graded: mallory.ipynb: the student is not on the roster"


def test_feedback_total_mismatch_rejected(graded: Path) -> None:
    text = GRADES.replace("alan,7,10,3,4,", "alan,8,10,3,5,")
    (graded / "grades.csv").write_text(text, encoding="utf-8")
    with pytest.raises(GradebookError, match="the feedback gives alan 7 points, but the gradebook gives 8"):
        export_gradebook(grades_path=graded / "grades.csv", format="canvas", out=graded / "canvas.csv")
    assert not (graded / "canvas.csv").exists()


def test_wrong_header_rejected(graded: Path) -> None:
    (graded / "grades.csv").write_text("id,score\nada,3\n", encoding="utf-8")
    with pytest.raises(GradebookError, match=r"grades.csv:1: the header 'id,score' is not that of an effquiz"):
        export_gradebook(grades_path=graded / "grades.csv", format="canvas", out=graded / "canvas.csv")


def test_non_numeric_points_rejected(graded: Path) -> None:
    (graded / "grades.csv").write_text(GRADES.replace("alan,7,", "alan,seven,"), encoding="utf-8")
    with pytest.raises(GradebookError, match=r"grades.csv:3: total: 'total' is 'seven'"):
        export_gradebook(grades_path=graded / "grades.csv", format="canvas", out=graded / "canvas.csv")


@pytest.mark.slow
def test_real_grading_run_exports(lecture_build: Path, examples: Path, tmp_path: Path) -> None:
    from effquiz.grader.batch import grade_folder
    from tests.e2e.test_end_to_end import submit

    submit(lecture_build, examples, "ada", "ada", tmp_path / "submissions")
    grade_folder(build_dir=lecture_build, submissions=tmp_path / "submissions", out=tmp_path / "grades.csv")
    export_gradebook(grades_path=tmp_path / "grades.csv", format="canvas", out=tmp_path / "canvas.csv")
    export_gradebook(grades_path=tmp_path / "grades.csv", format="gradescope", out=tmp_path / "gs.csv")
    canvas = {row[2]: row for row in rows(tmp_path / "canvas.csv")[2:]}
    gradescope = {row[1]: row for row in rows(tmp_path / "gs.csv")[1:]}
    # ada submits her key's values and earns all 10 points; alan and grace did not submit.
    assert canvas["ada"][-1] == "10"
    assert canvas["alan"][-1] == "0"
    assert rows(tmp_path / "canvas.csv")[0][-1] == "lecture"
    assert gradescope["ada"][5] == "Graded"
    assert gradescope["grace"][5] == "Missing"
    assert rows(tmp_path / "gs.csv")[0][6:] == ["mapping (5 pts)", "draft (5 pts)"]
