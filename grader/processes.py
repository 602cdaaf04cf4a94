"""Finding and ending every process that a submission started, through /proc (Linux).

Student code can start processes that outlive the notebook, even ones that leave its
session with ``setsid``; such a process could rewrite results after they are written.
A grading process therefore makes itself a child subreaper
(``prctl(PR_SET_CHILD_SUBREAPER)``, see prctl(2)), so that an orphaned descendant is
reparented to it instead of to init and stays in its process tree until it is killed.
Elsewhere only the descendants that are still attached can be found.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import time

logger = logging.getLogger(__name__)

_PR_SET_CHILD_SUBREAPER = 36  # from linux/prctl.h
KILL_ROUNDS = 100


def become_subreaper() -> bool:
    """Make this process adopt its orphaned descendants (Linux only); return whether it worked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _process_table() -> dict[int, tuple[int, str]]:
    """Return each visible process's parent pid and state letter."""
    table = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name in parentheses may itself hold spaces and parentheses.
        fields = stat[stat.rfind(b")") + 2:].split()
        table[int(entry)] = (int(fields[1]), fields[0].decode("ascii", "replace"))
    return table


def descendants(root: int, *, zombies: bool = False) -> set[int]:
    """Return the processes below ``root``; ended ones that wait to be reaped only with ``zombies``."""
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found: set[int] = set()
    stack = list(children.get(root, []))
    while stack:
        pid = stack.pop()
        if zombies or table[pid][1] != "Z":
            found.add(pid)
        stack.extend(children.get(pid, []))
    return found


def reap_children() -> None:
    """Collect the exit status of every child of this process that has ended."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_tree(root: int, *, reap: bool = False) -> int:
    """Kill every process below ``root`` with SIGKILL until none is left; return how many were found.

    A killed process's children are reparented, to ``root`` when it is a child subreaper,
    so the tree is walked again until it is empty. With ``reap``, this process also
    collects the exit status of its own ended children each round.
    """
    killed: set[int] = set()
    for _ in range(KILL_ROUNDS):
        remaining = descendants(root)
        if not remaining:
            break
        for pid in remaining:
            killed.add(pid)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.005)
        if reap:
            reap_children()
    if reap:
        reap_children()
    return len(killed)


def end_new_descendants(before: set[int], *, patience: float = 5.0) -> int:
    """Kill this process's descendants that are not in ``before``, reap them, and return how many there were.

    A killed process stays in /proc until its parent reaps it, so this waits, for at most
    ``patience`` seconds, until every adopted one has been reaped.
    """
    started = descendants(os.getpid(), zombies=True) - before
    for pid in started:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + patience
    remaining = started
    while remaining and time.monotonic() < deadline:
        for pid in remaining:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # reaps only the processes that are this one's children
        time.sleep(0.01)
        remaining = descendants(os.getpid(), zombies=True) - before
    if started:
        logger.info("ended %s processes left behind by the submission", len(started))
    return len(started)
