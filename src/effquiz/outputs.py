"""Guards for output files: a command replaces only an earlier output of its own kind.

Output folders carry a marker file (:func:`effquiz.build.files.check_replaceable`). A single
output file cannot, so :func:`check_output_file` looks at the start of an existing file
instead: it must look like what the command writes, such as a gradebook header or a Moodle
quiz, before the command may replace it. An output path that is also one of the command's
inputs is always rejected.

NOTE: only the start of the file is read, so a hand-written file that begins like the
command's output (a gradebook header, for example) is replaced as well.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from effquiz.errors import Location, OutputError

_HEAD_BYTES = 4096


def check_output_file(target: Path, *, kind: str, looks_like: Callable[[Path], bool],
                      inputs: Iterable[Path | None] = (), option: str = "--out") -> None:
    """Raise OutputError unless ``target`` is new, empty or an earlier output of ``kind``.

    ``looks_like`` returns whether an existing file is such an output. ``inputs`` are the
    paths that the command reads, none of which it may write over.
    """
    target = Path(target)
    for source in inputs:
        if source is not None and target.absolute().resolve() == Path(source).absolute().resolve():
            raise OutputError(f"{option} {target} is also an input of this command, so writing it would destroy "
                              "that input.", location=Location(str(target)), value=str(target),
                              fix=f"choose another path for {option}.")
    if not target.exists():
        return
    if target.is_dir():
        raise OutputError(f"{option} {target} is a folder, and this command writes a {kind} file.",
                          location=Location(str(target)), value=str(target),
                          fix=f"give {option} the path of a file, for example a new file inside {target}.")
    if target.stat().st_size == 0 or looks_like(target):
        return
    raise OutputError(f"the file {target} already exists and is not a {kind} that effquiz wrote, so it was left "
                      "untouched.", location=Location(str(target)), value=str(target),
                      fix=f"choose a new path for {option}, or move {target} away first.")


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(_HEAD_BYTES).decode("utf-8-sig", errors="replace")
    except OSError:
        return ""


def starts_with_line(*prefixes: str) -> Callable[[Path], bool]:
    """Return a test for text files whose first line starts with one of ``prefixes``."""
    def matches(path: Path) -> bool:
        lines = _head(path).splitlines()
        return bool(lines) and lines[0].startswith(prefixes)
    return matches


def is_moodle_xml(path: Path) -> bool:
    """Return whether ``path`` starts like a Moodle XML quiz: an XML declaration, then ``<quiz>``."""
    head = _head(path).lstrip()
    return head.startswith("<?xml") and "<quiz>" in head


def is_qti_zip(path: Path) -> bool:
    """Return whether ``path`` is a zip with an IMS manifest at its top, as a QTI package has."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "imsmanifest.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
