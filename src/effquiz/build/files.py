"""File writing that is reproducible and all-or-nothing.

Zip archives get fixed timestamps, fixed permissions and sorted entries, so the same
inputs give byte-identical archives. Output folders are written under a temporary name
beside the target and renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from effquiz.errors import Location, OutputError

logger = logging.getLogger(__name__)

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_zip(path: Path, entries: dict[str, bytes], *, executable: frozenset[str] = frozenset()) -> None:
    """Write ``entries`` (archive name to content) as a reproducible zip at ``path``."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if name in executable else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3
            archive.writestr(info, entries[name])


def json_bytes(data: Any) -> bytes:
    """Return ``data`` as indented, key-sorted UTF-8 JSON with a final newline."""
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


OUTPUT_MARKER = ".effquiz-output"


def check_replaceable(target: Path, kind: str) -> None:
    """Raise OutputError unless ``target`` is missing, empty, or an earlier output of this ``kind``.

    Each output folder carries a marker file naming its kind, so a command that replaces
    its output never deletes a folder that effquiz did not write.
    """
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputError(f"the output path {target} exists and is not a folder.", location=Location(str(target)),
                          value=str(target), fix="choose a folder path for --out.")
    marker = target / OUTPUT_MARKER
    try:
        written = marker.read_text(encoding="utf-8").strip()
    except OSError:
        written = None
    if written == kind or not any(target.iterdir()):
        return
    what = f"an effquiz {written} folder" if written else "not a folder that effquiz wrote"
    raise OutputError(f"the output folder {target} already exists and is {what}, so it was left untouched.",
                      location=Location(str(target)), value=str(target),
                      fix=f"choose a new folder for --out, or move {target} away first.")


@contextlib.contextmanager
def atomic_directory(target: Path, *, kind: str) -> Iterator[Path]:
    """Yield a fresh temporary folder that replaces ``target`` when the block succeeds.

    ``target`` must be missing, empty, or an earlier output of the same ``kind``
    (:func:`check_replaceable`); the new folder gets the marker of that kind. On an
    exception the temporary folder is removed and ``target`` is left as it was. The
    temporary folder sits beside ``target`` so the final rename stays on one file system.
    """
    target = Path(target).absolute()
    check_replaceable(target, kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        yield staging
        (staging / OUTPUT_MARKER).write_text(kind + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _warn_about_dropped_files(target, staging)
    retired = None
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, retired / "previous")
    try:
        os.rename(staging, target)
    except OSError:
        if retired is not None:
            os.rename(retired / "previous", target)
            shutil.rmtree(retired, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
    logger.debug("wrote %s", target)


def _warn_about_dropped_files(target: Path, staging: Path, shown: int = 5) -> None:
    """Log a warning naming the files of ``target`` that its replacement ``staging`` lacks.

    Files that someone added to an earlier output, and the folders of students who left the
    roster, disappear when the output is replaced, so the warning lets the user copy them out.
    """
    if not target.is_dir():
        return
    old = {path.relative_to(target) for path in target.rglob("*") if path.is_file()}
    new = {path.relative_to(staging) for path in staging.rglob("*") if path.is_file()}
    dropped = sorted(str(path) for path in old - new)
    if dropped:
        listed = ", ".join(dropped[:shown]) + (f" and {len(dropped) - shown} more" if len(dropped) > shown else "")
        count = f"{len(dropped)} file" + ("s" if len(dropped) > 1 else "")
        logger.warning("replacing %s removes %s that the new output does not have: %s", target, count, listed)
