"""The autograder zip runs as Gradescope runs it: a fresh environment from its own requirements.

Gradescope's setup.sh downloads Miniforge, which these machines cannot, so the test
installs the zip's requirements.txt with pip into a new virtual environment instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import venv
import zipfile
from pathlib import Path

import nbformat
import pytest

from effquiz.assignment import load_assignment
from effquiz.demo import answer_as_student

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory, lecture_build: Path) -> Path:
    """Create a virtual environment with only the zip's requirements installed."""
    root = tmp_path_factory.mktemp("gradescope-env")
    venv.create(root / "venv", with_pip=True)
    python = root / "venv" / "bin" / "python"
    with zipfile.ZipFile(lecture_build / "autograder" / "lecture-autograder.zip") as archive:
        (root / "requirements.txt").write_bytes(archive.read("requirements.txt"))
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r",
                    str(root / "requirements.txt")], check=True, timeout=1200)
    return python


def gradescope_tree(root: Path, autograder: Path, notebook: nbformat.NotebookNode, email: str) -> Path:
    """Lay out Gradescope's folders with the zip in source/ and one notebook in submission/."""
    tree = root / "autograder"
    for folder in ("source", "submission", "results"):
        (tree / folder).mkdir(parents=True)
    with zipfile.ZipFile(autograder) as archive:
        archive.extractall(tree / "source")
    os.chmod(tree / "source" / "run_autograder", 0o755)
    nbformat.write(notebook, tree / "submission" / "lecture.ipynb")
    metadata = {"id": 1, "users": [{"email": email, "id": 11, "name": "A Student"}]}
    (tree / "submission_metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return tree


def run_autograder(tree: Path, python: Path) -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    environment.update(EFFQUIZ_PYTHON=str(python), PATH=f"{python.parent}:{environment.get('PATH', '')}")
    subprocess.run([str(tree / "source" / "run_autograder")], cwd=tree, env=environment, check=True, timeout=600)
    return json.loads((tree / "results" / "results.json").read_text())


@pytest.fixture(scope="module")
def alans_notebook(lecture_build: Path, examples: Path, tmp_path_factory: pytest.TempPathFactory):
    """alan's notebook with his key's answers, run in a kernel as he would run it."""
    assignment = load_assignment(examples / "lecture.yaml")
    workdir = tmp_path_factory.mktemp("alan") / "alan"
    return answer_as_student(lecture_build, assignment, "alan", workdir).notebook


def test_zip_grades_key_answers_fully(fresh_python: Path, lecture_build: Path, alans_notebook, tmp_path: Path) -> None:
    tree = gradescope_tree(tmp_path, lecture_build / "autograder" / "lecture-autograder.zip", alans_notebook,
                           "alan@example.edu")

    results = run_autograder(tree, fresh_python)

    assert results["score"] == 10
    assert results["output"] == "Graded for student alan."
    assert len(results["tests"]) == 10
    assert all(test["score"] == test["max_score"] for test in results["tests"])
    assert not (tree / "source" / "effquiz").exists()


def test_zip_grades_classmates_answers_against_submitter(fresh_python: Path, lecture_build: Path, alans_notebook,
                                                         tmp_path: Path) -> None:
    tree = gradescope_tree(tmp_path, lecture_build / "autograder" / "lecture-autograder.zip", alans_notebook,
                           "grace@example.edu")

    results = run_autograder(tree, fresh_python)

    assert results["score"] < 10
    assert results["output"].startswith("Graded for student grace.")
    assert "This notebook was handed out to alan, not to grace" in results["output"]


def test_zip_does_not_import_effquiz_in_student_kernel(fresh_python: Path) -> None:
    completed = subprocess.run([str(fresh_python), "-c", "import effquiz"], capture_output=True, text=True)
    assert completed.returncode != 0
    assert "No module named 'effquiz'" in completed.stderr
