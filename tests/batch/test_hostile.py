"""Broken and hostile submissions, graded in one batch with the fast engine.

Every kind of submission gets a clear message in its gradebook note and its feedback
file, the batch grades all of them, and a correct submission graded in the same batch
earns exactly the result it earns when graded alone.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import tempfile
import unicodedata
from pathlib import Path

import nbformat
import pytest

from effquiz.assignment import load_assignment
from effquiz.demo import answer_as_student
from effquiz.grader.batch import grade_folder
from effquiz.grader.engine.limits import GradingLimits
from effquiz.grader.engine.messages import (CELL_TIMEOUT, NOT_A_NOTEBOOK, PROCESS_ENDED, SUBMISSION_TIMEOUT,
                                            ANOTHER_ASSIGNMENT)
from effquiz.grader.gradebook import NOT_ON_ROSTER

from .conftest import EXAMPLES, corpus

pytestmark = pytest.mark.slow

# 1 GiB of address space per process, and a notebook that allocates 4 GiB.
LIMITS = GradingLimits(submission_timeout=20, cell_timeout=5, memory_bytes=2**30)
GOOD = "s01"


def after_first_check(factory, student: str, source: str) -> nbformat.NotebookNode:
    """Return the student's correct notebook with a cell added right after the first check."""
    notebook = factory.filled(student)
    return corpus.insert_code(notebook, corpus.check_cell_indices(notebook)[0] + 1, source)


def at_top(factory, student: str, source: str) -> nbformat.NotebookNode:
    """Return the student's correct notebook with a cell added after the first cell."""
    return corpus.insert_code(factory.filled(student), 1, source)


def write(folder: Path, name: str, notebook: nbformat.NotebookNode) -> None:
    nbformat.write(notebook, folder / name)


def folder_digest(folder: Path) -> dict[str, str]:
    """Return the SHA-256 of every file below ``folder``, by relative path."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def hostile(corpus_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Grade one batch of every kind of broken submission, and the good one alone."""
    root = tmp_path_factory.mktemp("hostile")
    submissions = root / "submissions"
    submissions.mkdir()
    pids_file = root / "sleepers.txt"
    assignment = load_assignment(EXAMPLES / "lecture.yaml")
    factory = corpus.NotebookFactory(corpus_build, assignment)

    write(submissions, f"{GOOD}.ipynb", factory.filled(GOOD))
    write(submissions, "s02.ipynb", after_first_check(factory, "s02", "while True:\n    pass"))
    write(submissions, "s03.ipynb", at_top(factory, "s03", "1 / 0"))
    write(submissions, "s04.ipynb", at_top(factory, "s04", "import sys\nsys.exit(1)"))
    write(submissions, "s05.ipynb", after_first_check(factory, "s05", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"))
    write(submissions, "s06.ipynb", at_top(factory, "s06", "print('x' * 200_000_000)"))
    write(submissions, "s07.ipynb", at_top(factory, "s07", "import numpy as np\nblock = np.ones(4 * 2**30, dtype=np.uint8)"))
    sleepers = ("import subprocess\n"
                "children = [subprocess.Popen(['sleep', '600'], start_new_session=index % 2 == 0)"
                " for index in range(50)]\n"
                f"open({str(pids_file)!r}, 'w').write(' '.join(str(child.pid) for child in children))")
    write(submissions, "s08.ipynb", at_top(factory, "s08", sleepers))
    late = factory.filled("s09")
    for _ in range(6):
        corpus.insert_code(late, 1, "import time\ntime.sleep(4)")
    write(submissions, "s09.ipynb", late)
    (submissions / "s10.ipynb").write_text(nbformat.writes(factory.filled("s10"))[:-300], encoding="utf-8")
    (submissions / "s11.ipynb").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    empty = factory.blank("s12")
    empty.cells = []
    write(submissions, "s12.ipynb", empty)
    other = factory.filled("s13")
    other.metadata["otter"]["assignment_name"] = "hw2"
    write(submissions, "s13.ipynb", other)
    write(submissions, "mallory.ipynb", factory.filled(GOOD))
    write(submissions, "s14.ipynb", factory.filled("s14", lambda question, part: "wrong"))
    corpus.export_zip(submissions / "s14.zip", factory.filled("s14"), assignment.notebook_name, {})
    write(submissions, unicodedata.normalize("NFD", corpus.UNICODE_STUDENT) + ".ipynb",
          factory.filled(corpus.UNICODE_STUDENT))
    corpus.export_zip(submissions / "s15.zip", factory.filled("s15"), assignment.notebook_name,
                      {"data.csv": b"a,b\n1,2\n", "figures/plot.png": b"\x89PNG\r\n", "__MACOSX/._lecture.ipynb": b"\0"})
    reordered = factory.filled("s16")
    answer, check = corpus.answer_cell_indices(reordered)[0], corpus.check_cell_indices(reordered)[0]
    reordered.cells[answer], reordered.cells[check] = reordered.cells[check], reordered.cells[answer]
    write(submissions, "s16.ipynb", reordered)
    executed = answer_as_student(corpus_build, assignment, "s17", root / "scratch" / "s17").notebook
    write(submissions, "s17.ipynb", corpus.strip_outputs(executed))
    large = factory.filled("s18")
    picture = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo" * 3_600_000})
    large.cells[corpus.answer_cell_indices(large)[0]].outputs = [picture]
    write(submissions, "s18.ipynb", large)
    escape = ("import os\nfor depth in range(1, 7):\n"
              "    try:\n        open(os.path.join(*['..'] * depth, f'escaped-{depth}.txt'), 'w').write('x')\n"
              "    except OSError:\n        pass")
    write(submissions, "s19.ipynb", at_top(factory, "s19", escape))
    (submissions / "s20.zip").write_bytes(b"this is not a zip archive")
    (submissions / "s21.ipynb").write_bytes(b"")
    write(submissions, "s22.ipynb", factory.filled(GOOD))
    write(submissions, "s23.ipynb", after_first_check(factory, "s23", "import ctypes\nctypes.string_at(0)"))
    device = ("import os\nfolder = os.environ['EFFQUIZ_ANSWERS_DIR']\n"
              "os.symlink('/dev/zero', os.path.join(folder, 'mapping.json'))\n"
              "os.mkfifo(os.path.join(folder, 'draft.json'))")
    write(submissions, "s24.ipynb", at_top(factory, "s24", device))
    malformed = json.loads(nbformat.writes(factory.filled("s25")))
    malformed["cells"][2] = 42
    (submissions / "s25.ipynb").write_text(json.dumps(malformed), encoding="utf-8")
    sabotage = "import os, json\nos.write = os._exit = json.dumps = None"
    write(submissions, "s26.ipynb", at_top(factory, "s26", sabotage))
    unprintable = "class Unprintable(Exception):\n    def __str__(self):\n        raise ValueError\nraise Unprintable()"
    write(submissions, "s27.ipynb", at_top(factory, "s27", unprintable))

    build_before, submissions_before = folder_digest(corpus_build), folder_digest(submissions)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(root / "tmp"))
        (root / "tmp").mkdir()
        report = grade_folder(build_dir=corpus_build, submissions=submissions, out=root / "out" / "grades.csv",
                              engine="fast", workers=2, limits=LIMITS)
        alone = root / "alone"
        alone.mkdir()
        shutil.copy(submissions / f"{GOOD}.ipynb", alone)
        solo = grade_folder(build_dir=corpus_build, submissions=alone, out=root / "solo" / "grades.csv",
                            engine="fast", workers=1, limits=LIMITS)
    rows = {row["student_id"]: row for row in csv.DictReader(report.gradebook.open(encoding="utf-8"))}
    return {"root": root, "report": report, "rows": rows, "solo": solo, "pids_file": pids_file,
            "build_before": build_before, "build_after": folder_digest(corpus_build),
            "submissions_before": submissions_before, "submissions_after": folder_digest(submissions),
            "records": {row.student_id: row for row in report.rows}}


# (kind, student, words in the note and feedback, reason, total points). Words of None mean that
# nothing is wrong with the submission, so its note must be empty. A total of None means that
# the row has no result, or a total that is not known in advance.
KINDS = [
    ("infinite loop", "s02", "the time limit per cell", CELL_TIMEOUT, 5),
    ("exception in a cell", "s03", "raised ZeroDivisionError: division by zero", None, 10),
    ("sys.exit", "s04", "called sys.exit(1); grading went on", None, 10),
    ("kernel dies", "s05", "was killed by SIGKILL", PROCESS_ENDED, 5),
    ("flood of output", "s06", "printed 200,000,", None, 10),
    ("memory over the limit", "s07", "ran out of memory", None, 10),
    ("fifty sleeping children", "s08", "left 50 processes running", None, 10),
    ("sleeping past the deadline", "s09", "the time limit per submission", SUBMISSION_TIMEOUT, 0),
    ("corrupt JSON", "s10", "is not a notebook: its text is not valid JSON", NOT_A_NOTEBOOK, 0),
    ("file that is not a notebook", "s11", "(a PDF document)", NOT_A_NOTEBOOK, 0),
    ("empty notebook", "s12", "has no code cells", None, 0),
    ("another assignment", "s13", "the notebook of assignment 'hw2', not of 'lecture'", ANOTHER_ASSIGNMENT, 0),
    ("missing from the roster", "mallory", "mallory is not on the roster", NOT_ON_ROSTER, None),
    ("two submissions", "s14", "2 files for this student: graded s14.zip, ignored s14.ipynb", None, 10),
    ("unicode name and id", corpus.UNICODE_STUDENT, None, None, 10),
    ("export zip with extra files", "s15", None, None, 10),
    ("cells reordered", "s16", "Question mapping was checked before", None, 5),
    ("outputs stripped", "s17", None, None, 10),
    ("very large notebook", "s18", None, None, 10),
    ("writes outside its folder", "s19", "The notebook wrote outside its folder (../escaped-1.txt, ../../escaped-2.txt)",
     None, 10),
    ("zip that is not a zip", "s20", "s20.zip is not a zip archive", NOT_A_NOTEBOOK, 0),
    ("empty file", "s21", "s21.ipynb is empty", NOT_A_NOTEBOOK, 0),
    ("classmate's notebook", "s22", "handed out to s01, not to s22", None, None),
    ("segmentation fault", "s23", "was killed by SIGSEGV", PROCESS_ENDED, 5),
    ("answer files replaced by a device", "s24", "The answer file mapping.json was not a regular file", CELL_TIMEOUT, 0),
    ("cell that is not a cell", "s25", "s25.ipynb is not a notebook that can be read", NOT_A_NOTEBOOK, 0),
    ("os and json functions replaced", "s26", None, None, 10),
    ("exception that cannot be printed", "s27", "Cell 2 (`class Unprintable(Exception):`) raised", None, 10),
]


@pytest.mark.parametrize(("kind", "student", "words", "reason", "total"), KINDS, ids=[kind[0] for kind in KINDS])
def test_kind_gets_clear_message(hostile: dict, kind: str, student: str, words: str | None, reason: str | None,
                                 total: int | None) -> None:
    row = hostile["rows"][student]
    feedback = json.loads((hostile["report"].feedback / f"{student}.json").read_text(encoding="utf-8"))
    feedback_text = " ".join([feedback.get("error") or "", *feedback.get("notes", [])])

    if words is None:
        assert row["note"] == ""
        assert feedback_text.strip() == ""
    else:
        assert words in row["note"]
        assert words in feedback_text
    assert hostile["records"][student].reason == reason
    if total is not None:
        assert float(row["total"]) == total


def test_every_submission_has_a_row(hostile: dict) -> None:
    expected = {GOOD} | {kind[1] for kind in KINDS}

    assert expected <= set(hostile["rows"])
    assert not hostile["report"].interrupted


def test_good_result_equals_result_alone(hostile: dict) -> None:
    in_batch = hostile["records"][GOOD].result
    alone = {row.student_id: row for row in hostile["solo"].rows}[GOOD].result

    assert in_batch.parts == alone.parts
    assert in_batch.total == in_batch.possible == 10


def test_sleeping_children_are_killed(hostile: dict) -> None:
    pids = [int(pid) for pid in hostile["pids_file"].read_text().split()]

    alive = [pid for pid in pids if Path(f"/proc/{pid}").exists()]

    assert len(pids) == 50
    assert alive == []


def test_escaping_writes_miss_build_and_submissions(hostile: dict) -> None:
    out = hostile["report"].gradebook.parent

    assert hostile["build_after"] == hostile["build_before"]
    assert hostile["submissions_after"] == hostile["submissions_before"]
    assert not list(out.rglob("escaped-*"))


def test_scratch_files_are_deleted(hostile: dict) -> None:
    # The escaping notebook's own files may land in the temporary folder itself.
    left = [path.name for path in (hostile["root"] / "tmp").iterdir() if not path.name.startswith("escaped-")]

    assert left == []


def test_unicode_feedback_file_is_named_by_id(hostile: dict) -> None:
    path = hostile["report"].feedback / f"{corpus.UNICODE_STUDENT}.json"

    assert json.loads(path.read_text(encoding="utf-8"))["student_id"] == corpus.UNICODE_STUDENT
