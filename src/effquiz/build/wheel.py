"""Packing the installed effquiz into a reproducible wheel for the autograder zip.

effquiz is not on PyPI, so the autograder carries it. The wheel is assembled from the
package's own files, with fixed timestamps, so rebuilding gives the same bytes. It is a
valid pure-Python wheel that pip can install, and Python can also import straight from
it, which is how the grading launcher uses it.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import importlib.metadata
from pathlib import Path

import effquiz
from effquiz.build.files import write_zip
from effquiz.errors import BuildError

# The subpackages that live in top-level folders of the repository (see pyproject.toml).
MAPPED_PACKAGES = ("effquiz.grader", "effquiz.solutions", "effquiz.problems", "effquiz.student_template")
SKIPPED_SUFFIXES = (".pyc", ".pyo")


def _package_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    roots = [("effquiz", Path(effquiz.__file__).parent)]
    for name in MAPPED_PACKAGES:
        module = importlib.import_module(name)
        roots.append((name, Path(next(iter(module.__path__)))))
    for name, root in roots:
        prefix = name.replace(".", "/")
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if not path.is_file() or "__pycache__" in relative.parts or path.suffix in SKIPPED_SUFFIXES:
                continue
            archive_name = f"{prefix}/{relative.as_posix()}"
            if archive_name not in files:
                files[archive_name] = path.read_bytes()
    return files


def _record_line(name: str, content: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(content)}"


def wheel_name() -> str:
    """Return the file name of the wheel for the running effquiz version."""
    return f"effquiz-{effquiz.__version__}-py3-none-any.whl"


def build_wheel(path: Path) -> Path:
    """Write effquiz as a wheel at ``path`` and return the path."""
    files = _package_files()
    if "effquiz/grader/gradescope.py" not in files:
        raise BuildError("the effquiz.grader package was not found while packing the autograder.",
                         fix="reinstall effquiz with 'pip install -e .' from the repository.")
    try:
        requires = importlib.metadata.requires("effquiz") or []
    except importlib.metadata.PackageNotFoundError:
        requires = []
    dist_info = f"effquiz-{effquiz.__version__}.dist-info"
    metadata = [
        "Metadata-Version: 2.1",
        "Name: effquiz",
        f"Version: {effquiz.__version__}",
        "Summary: Randomized, auto-graded exercises on LLM efficiency for Otter-grader",
        *(f"Requires-Dist: {requirement}" for requirement in requires),
    ]
    files[f"{dist_info}/METADATA"] = ("\n".join(metadata) + "\n").encode("utf-8")
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: effquiz\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = [_record_line(name, content) for name, content in sorted(files.items())]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    write_zip(path, files)
    return path
