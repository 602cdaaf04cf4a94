"""Ending every process that a submission started, before the judge writes its verdict.

Student code in the kernel can start processes that outlive the kernel, even ones that
leave its session with ``setsid``, and such a process could rewrite the results after
the judge wrote them. On Linux the judge makes itself a child subreaper
(``prctl(PR_SET_CHILD_SUBREAPER)``, see prctl(2)), so an orphaned descendant is reparented
to the judge instead of to init, and stays in the judge's process tree until the judge
kills it. Elsewhere only the descendants that are still attached can be found.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import time
from pathlib import Path

logger = logging.getLogger(__name__)

_PR_SET_CHILD_SUBREAPER = 36  # from linux/prctl.h


def become_subreaper() -> bool:
    """Make this process adopt its orphaned descendants (Linux only); return whether it worked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(pid: int) -> set[int]:
    """Return the ids of every process below ``pid``, read from /proc (empty where there is none)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in parentheses may contain spaces, so split after its closing one.
        fields = stat[stat.rfind(")") + 2:].split()
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    pending = [pid]
    while pending:
        for child in parents.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def end_new_descendants(before: set[int], *, patience: float = 5.0) -> int:
    """Kill this process's descendants that are not in ``before``, reap them, and return how many there were.

    A killed process stays in /proc until its parent reaps it, so this waits, for at most
    ``patience`` seconds, until every adopted one has been reaped.
    """
    started = descendants(os.getpid()) - before
    for pid in started:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    deadline = time.monotonic() + patience
    remaining = started
    while remaining and time.monotonic() < deadline:
        for pid in remaining:
            try:
                os.waitpid(pid, os.WNOHANG)  # reaps only the processes that are this one's children
            except ChildProcessError:
                pass
        time.sleep(0.01)
        remaining = descendants(os.getpid()) - before
    if started:
        logger.info("ended %s processes left behind by the submission", len(started))
    return len(started)
