"""Finding and killing every process below a given one, through /proc (Linux)."""

from __future__ import annotations

import contextlib
import os
import signal
import time

KILL_ROUNDS = 100


def _process_table() -> dict[int, tuple[int, str]]:
    """Return each visible process's parent pid and state letter."""
    table = {}
    for entry in os.listdir("/proc"):
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


def descendants(root: int) -> list[int]:
    """Return the live (not zombie) processes below ``root``."""
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        if table[pid][1] != "Z":
            found.append(pid)
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

    A killed process's children are re-parented, to ``root`` when it is a child
    subreaper, so the tree is walked again until it is empty. With ``reap``, this process
    also collects the exit status of its own ended children each round.
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
