"""Running Otter Assign and assembling the class's autograder zip.

Otter Assign makes the tests, ``otter_config.json``, ``environment.yml`` and
``setup.sh`` that Gradescope expects. effquiz then repacks its zip reproducibly and
adds:

- ``effquiz/effquiz-VERSION-py3-none-any.whl``: effquiz itself;
- ``effquiz/grading.json``: the course seed, questions, templates and roster;
- ``run_effquiz.py`` and a ``run_autograder`` that calls it in place of Otter's;
- ``requirements.txt``: what the grading environment needs, effquiz's wheel aside.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import nbformat

from effquiz.build.files import json_bytes, write_zip
from effquiz.build.wheel import build_wheel, wheel_name
from effquiz.errors import BuildError
from effquiz.grader.config import CONFIG_NAME, GradingConfig

logger = logging.getLogger(__name__)

OTTER_REQUIREMENT = "otter-grader[grading]==7.0.0"
# Packages the judge imports, pinned to the versions that built the notebooks so that the
# grading machine computes the same variants.
JUDGE_PACKAGES = ("numpy", "PyYAML", "Jinja2")
OTTER_ENTRIES = ("environment.yml", "otter_config.json", "setup.sh", "run_otter.py")


@dataclass(frozen=True)
class OtterOutput:
    """What Otter Assign produced: the student notebook, the public tests and the autograder files."""

    student_notebook: nbformat.NotebookNode
    public_tests: dict[str, bytes]
    autograder_files: dict[str, bytes]


def judge_requirements() -> list[str]:
    """Return pinned requirements for the packages the judge imports."""
    lines = []
    for package in JUDGE_PACKAGES:
        try:
            lines.append(f"{package}=={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            lines.append(package)
    return lines


def run_otter_assign(master: nbformat.NotebookNode, name: str, workdir: Path) -> OtterOutput:
    """Run ``otter assign`` on ``master`` in ``workdir`` and read back what it wrote."""
    workdir.mkdir(parents=True, exist_ok=True)
    nbformat.write(master, workdir / f"{name}.ipynb")
    (workdir / "requirements.txt").write_text("\n".join(judge_requirements()) + "\n", encoding="utf-8")
    environment = dict(os.environ, TMPDIR=str(workdir))
    command = [sys.executable, "-m", "otter", "assign", f"{name}.ipynb", "dist"]
    logger.info("running Otter Assign")
    completed = subprocess.run(command, cwd=workdir, env=environment, capture_output=True, text=True)
    if completed.returncode != 0:
        tail = (completed.stdout + completed.stderr)[-3000:]
        raise BuildError(f"Otter Assign failed with exit code {completed.returncode}:\n{tail}",
                         fix="check that otter-grader[grading] 7.0.0 is installed in this environment.")
    dist = workdir / "dist"
    zips = sorted((dist / "autograder").glob("*.zip"))
    if len(zips) != 1:
        raise BuildError(f"Otter Assign wrote {len(zips)} autograder zips, expected 1.",
                         fix="report this as a bug in effquiz, with the Otter version.")
    with zipfile.ZipFile(zips[0]) as archive:
        autograder_files = {entry: archive.read(entry) for entry in archive.namelist() if not entry.endswith("/")}
    public_tests = {path.name: path.read_bytes() for path in sorted((dist / "student" / "tests").glob("*.py"))}
    student = nbformat.read(dist / "student" / f"{name}.ipynb", as_version=4)
    return OtterOutput(student_notebook=student, public_tests=public_tests, autograder_files=autograder_files)


def _grader_file(name: str) -> bytes:
    return resources.files("effquiz.grader").joinpath(name).read_bytes()


def write_autograder_zip(path: Path, otter: OtterOutput, config: GradingConfig, workdir: Path) -> Path:
    """Write the class's autograder zip at ``path``."""
    entries: dict[str, bytes] = {}
    for name, content in otter.autograder_files.items():
        if name.startswith("tests/") or name in OTTER_ENTRIES:
            entries[name] = content
    wheel = build_wheel(workdir / wheel_name())
    entries[f"effquiz/{wheel_name()}"] = wheel.read_bytes()
    entries[f"effquiz/{CONFIG_NAME}"] = json_bytes(config.to_json())
    entries["run_effquiz.py"] = _grader_file("run_effquiz.py")
    entries["run_autograder"] = _grader_file("run_autograder")
    entries["requirements.txt"] = ("\n".join([OTTER_REQUIREMENT, *judge_requirements()]) + "\n").encode("utf-8")
    write_zip(path, entries, executable=frozenset({"run_autograder", "setup.sh"}))
    return path
