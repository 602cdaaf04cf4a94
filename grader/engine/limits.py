"""The limits a submission runs under while it is graded, and sizes such as ``1GiB``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from effquiz.errors import GradingError

UNITS = {"": 2**20, "k": 2**10, "kib": 2**10, "m": 2**20, "mib": 2**20, "g": 2**30, "gib": 2**30,
         "kb": 10**3, "mb": 10**6, "gb": 10**9}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$")


def parse_size(text: str) -> int:
    """Return the number of bytes in a size such as ``1GiB``, ``512MiB`` or ``2GB``; a bare number is MiB."""
    match = _SIZE.match(text.lower())
    if not match or match.group(2) not in UNITS:
        raise GradingError(f"the size {text!r} is not valid.",
                           fix="write a number with a unit, such as 1GiB, 512MiB or 2GB (a bare number is MiB).")
    return int(float(match.group(1)) * UNITS[match.group(2)])


def format_size(size: int) -> str:
    """Return ``size`` bytes in the largest binary unit that keeps it readable, such as ``1 GiB``."""
    for unit, factor in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


@dataclass(frozen=True)
class GradingLimits:
    """Time, memory and file limits for one submission's run.

    ``submission_timeout`` and ``cell_timeout`` are in seconds. ``memory_bytes`` caps the
    address space of each process the notebook runs in (``RLIMIT_AS``); None leaves it
    unlimited. ``file_bytes`` caps the size of any one file the notebook writes
    (``RLIMIT_FSIZE``). The fast engine enforces all four; the Otter engine only the
    submission timeout.
    """

    submission_timeout: float = 900.0
    cell_timeout: float = 120.0
    memory_bytes: int | None = 2 * 2**30
    file_bytes: int = 2**30

    def __post_init__(self) -> None:
        if self.submission_timeout <= 0 or self.cell_timeout <= 0:
            raise GradingError(f"time limits must be positive, not {self.submission_timeout:g} s per submission "
                               f"and {self.cell_timeout:g} s per cell.", fix="pass positive numbers of seconds.")
        if self.memory_bytes is not None and self.memory_bytes <= 0:
            raise GradingError(f"the memory limit must be positive, not {self.memory_bytes} bytes.",
                               fix="pass a size such as 2GiB.")

    def to_json(self) -> dict[str, Any]:
        """Return the limits as the worker reads them."""
        return {"submission_timeout": self.submission_timeout, "cell_timeout": self.cell_timeout,
                "memory_bytes": self.memory_bytes, "file_bytes": self.file_bytes}
