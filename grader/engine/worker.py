"""A warm grading worker: imports the notebook stack once and forks a child per notebook.

Started by :class:`~effquiz.grader.engine.pool.WorkerProcess` as
``python -m effquiz.grader.engine.worker``. It reads one job per line on stdin and
writes one report per line on stdout, both JSON. For each job it forks a child that
executes the notebook (:func:`~effquiz.grader.engine.child.run_child`) and supervises it:

- the per-cell and per-submission time limits, counted from the child's status events;
- after the child ends, every process it left behind is killed. The worker is a child
  subreaper (``PR_SET_CHILD_SUBREAPER``), so even processes that left the child's session
  are re-parented to it and found by walking ``/proc``.

The worker imports nothing of effquiz beyond this subpackage and never reads the grading
configuration, so a child forked from it has no grading data in its memory.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import signal
import sys
import time
from typing import Any

# The point of the worker: these imports happen once, not once per notebook.
import IPython  # noqa: F401
import nbformat  # noqa: F401
import numpy  # noqa: F401
import otter  # noqa: F401
import otter.execute  # noqa: F401
import otter.test_files  # noqa: F401

from effquiz.grader.engine.child import run_child
from effquiz.grader.processes import become_subreaper, descendants, kill_tree

MAX_LINE = 65_536
MAX_ERRORS = 20

_current_child: int | None = None


def _on_terminate(signum: int, frame: Any) -> None:
    kill_tree(os.getpid(), reap=True)
    os._exit(0)


class StatusReader:
    """Reads the child's status events from the pipe, skipping invalid and oversized lines."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.open = True
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)

    def read(self) -> list[dict[str, Any]]:
        """Return the complete events available now; mark the pipe closed at end of file."""
        events = []
        while self.open:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                self.open = False
                break
            self.buffer += chunk
            *lines, self.buffer = self.buffer.split(b"\n")
            if len(self.buffer) > MAX_LINE:
                self.buffer = b""
            for line in lines:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if isinstance(event, dict) and isinstance(event.get("event"), str):
                    events.append(event)
        return events


class Supervision:
    """A summary of what one child reported and which limit, if any, stopped it.

    Only a bounded summary is kept, however many events the child sends.
    """

    def __init__(self) -> None:
        self.cells: int | None = None
        self.cells_run = 0
        self.current_cell: dict[str, Any] | None = None
        self.cell_started = 0.0
        self.errors: list[dict[str, Any]] = []
        self.problem: dict[str, Any] | None = None
        self.ended = False
        self.output = 0
        self.handed_out_to: str | None = None
        self.internal: str | None = None
        self.failed: str | None = None
        self.defined: list[str] = []
        self.stopped_by: str | None = None

    def take(self, events: list[dict[str, Any]], now: float) -> None:
        """Fold new events into the summary; ``now`` is when they were read."""
        for event in events:
            kind = event["event"]
            if kind == "cell":
                self.cells_run += isinstance(event.get("cell"), int)
                self.current_cell = {"cell": event.get("cell"), "label": event.get("label")}
                self.cell_started = now
            elif kind == "start":
                self.cells = event.get("cells")
            elif kind == "error" and len(self.errors) < MAX_ERRORS:
                self.errors.append({key: event.get(key) for key in ("cell", "label", "name", "message")})
            elif kind == "problem" and self.problem is None:
                self.problem = {"kind": event.get("kind"), "detail": event.get("detail")}
            elif kind == "output":
                self.output = max(self.output, _count(event.get("characters")))
            elif kind == "end":
                self.ended = True
                self.output = max(self.output, _count(event.get("output")))
            elif kind == "stopped":
                self.stopped_by = "first error"
            elif kind == "defined" and isinstance(event.get("names"), list):
                self.defined = [name for name in event["names"] if isinstance(name, str)][:200]
            elif kind == "handed_out_to":
                self.handed_out_to = event.get("student_id")
            elif kind == "internal":
                self.internal = event.get("message")
            elif kind == "failed":
                self.failed = event.get("message")


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def supervise(job: dict[str, Any]) -> dict[str, Any]:
    """Fork a child for ``job``, enforce its time limits, clean up after it and return the report."""
    global _current_child
    limits = job["limits"]
    status_read, status_write = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(status_read)
        run_child(job, status_write)
    _current_child = pid
    os.close(status_write)

    reader = StatusReader(status_read)
    seen = Supervision()
    pidfd = os.pidfd_open(pid)
    deadline = started + limits["submission_timeout"]
    parent = os.getppid()
    try:
        while True:
            cell_deadline = deadline
            if seen.current_cell is not None:
                cell_deadline = seen.cell_started + limits["cell_timeout"]
            wait = max(0.0, min(deadline, cell_deadline) - time.monotonic())
            watched = [pidfd] + ([status_read] if reader.open else [])
            ready, _, _ = select.select(watched, [], [], min(wait, 1.0))
            seen.take(reader.read(), time.monotonic())
            if pidfd in ready:
                break
            now = time.monotonic()
            if now >= deadline:
                seen.stopped_by = "submission timeout"
                break
            if seen.current_cell is not None and now >= seen.cell_started + limits["cell_timeout"]:
                seen.stopped_by = "cell timeout"
                break
            if os.getppid() != parent:
                seen.stopped_by = "worker stopped"
                break
        leftover = [other for other in descendants(os.getpid()) if other != pid]
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        _, wait_status = os.waitpid(pid, 0)
        kill_tree(os.getpid(), reap=True)
    finally:
        os.close(pidfd)
        _current_child = None
    seen.take(reader.read(), time.monotonic())
    os.close(status_read)
    return _report(job, seen, wait_status, len(leftover), time.monotonic() - started)


def _report(job: dict[str, Any], seen: Supervision, wait_status: int, leftover: int, seconds: float) -> dict[str, Any]:
    return {
        "id": job["id"],
        "problem": seen.problem,
        "cells": seen.cells,
        "cells_run": seen.cells_run,
        "last_cell": seen.current_cell,
        "errors": seen.errors,
        "ended": seen.ended,
        "output": seen.output,
        "handed_out_to": seen.handed_out_to,
        "internal": seen.internal,
        "failed": seen.failed,
        "defined": seen.defined,
        "stopped_by": seen.stopped_by,
        "exit_code": os.waitstatus_to_exitcode(wait_status),
        "leftover_processes": leftover,
        "seconds": round(seconds, 4),
    }


def main() -> None:
    """Serve jobs from stdin until it closes."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)
    subreaper = become_subreaper()
    with open("/proc/self/stat", "rb") as handle:
        address_space = int(handle.read().rsplit(b")", 1)[1].split()[20])
    protocol.write(json.dumps({"ready": True, "pid": os.getpid(), "subreaper": subreaper,
                               "address_space": address_space}) + "\n")
    for line in sys.stdin:
        job = json.loads(line)
        protocol.write(json.dumps(supervise(job)) + "\n")


if __name__ == "__main__":
    main()
