"""Warm worker processes on the batch side: start, send a job, read the report, restart.

Each :class:`WorkerProcess` runs ``python -m effquiz.grader.engine.worker`` and speaks
JSON lines over its stdin and stdout. A :class:`WorkerPool` lends workers to the
threads that grade submissions, one submission per worker at a time, and replaces a
worker that crashed or stopped responding.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from effquiz.errors import GradingError

logger = logging.getLogger(__name__)

START_TIMEOUT = 180.0
# Extra seconds the batch waits for a report beyond the worker's own submission timeout.
REPORT_GRACE = 60.0
MAX_REPORT_BYTES = 1_000_000
# The worker's numerical libraries start one thread each: every thread's stack and
# arena count against the child's address-space limit.
WORKER_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class WorkerFailure(GradingError):
    """A worker process crashed, stopped responding or sent an invalid report."""


class WorkerProcess:
    """One warm worker process, used by one thread at a time."""

    def __init__(self, number: int, log_path: Path) -> None:
        self.number = number
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.address_space = 0
        self._buffer = b""

    def start(self) -> None:
        """Start the process and wait until it has imported everything."""
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process without waiting for it."""
        environment = dict(os.environ, **WORKER_THREADS)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "effquiz.grader.engine.worker"],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                            env=environment, start_new_session=True, close_fds=True)

    def wait_ready(self) -> None:
        """Wait for the ready message of a launched process."""
        ready = self._read_message(START_TIMEOUT)
        if ready.get("ready") is not True:
            raise WorkerFailure(f"grading worker {self.number} sent {ready!r} instead of its ready message.")
        if not ready.get("subreaper"):
            logger.warning("worker %s could not become a child subreaper; processes that leave a notebook's "
                           "session may survive it", self.number)
        self.address_space = int(ready.get("address_space", 0))
        logger.debug("worker %s started as pid %s with %s bytes mapped", self.number, ready.get("pid"),
                     self.address_space)

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        """Send one job and return the worker's report; raise WorkerFailure if none comes back."""
        if self.process is None or self.process.poll() is not None:
            raise WorkerFailure(f"grading worker {self.number} is not running.")
        try:
            self.process.stdin.write((json.dumps(job) + "\n").encode("utf-8"))
            self.process.stdin.flush()
        except OSError as error:
            raise WorkerFailure(f"grading worker {self.number} stopped accepting jobs: {error}.") from error
        report = self._read_message(job["limits"]["submission_timeout"] + REPORT_GRACE)
        if report.get("id") != job["id"]:
            raise WorkerFailure(f"grading worker {self.number} returned the report of job {report.get('id')!r}, "
                                f"not {job['id']!r}.")
        return report

    def _read_message(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        stdout = self.process.stdout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise WorkerFailure(f"grading worker {self.number} did not respond within {timeout:g} s.")
            ready, _, _ = select.select([stdout], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(stdout.fileno(), 65536)
            if not chunk:
                raise WorkerFailure(f"grading worker {self.number} exited unexpectedly "
                                    f"(exit code {self.process.poll()}); see {self.log_path}.")
            self._buffer += chunk
            if len(self._buffer) > MAX_REPORT_BYTES:
                self.stop()
                raise WorkerFailure(f"grading worker {self.number} sent a report larger than "
                                    f"{MAX_REPORT_BYTES} bytes.")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError as error:
            raise WorkerFailure(f"grading worker {self.number} sent invalid JSON: {error}.") from error
        if not isinstance(message, dict):
            raise WorkerFailure(f"grading worker {self.number} sent {type(message).__name__}, not an object.")
        return message

    def stop(self) -> None:
        """Stop the worker; it kills the notebook it is running, if any, before it exits."""
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(OSError):
            self.process.stdout.close()
        self._buffer = b""


class WorkerPool:
    """A fixed number of warm workers lent out to grading threads."""

    def __init__(self, count: int, log_folder: Path) -> None:
        if count < 1:
            raise GradingError(f"the number of workers must be at least 1, not {count}.", fix="pass --workers 1 or more.")
        self.workers = [WorkerProcess(number, log_folder / f"worker-{number}.log") for number in range(1, count + 1)]
        self._idle: queue.Queue[WorkerProcess] = queue.Queue()
        self.closing = False

    def start(self) -> None:
        """Start every worker; they import in parallel."""
        for worker in self.workers:
            worker.launch()
        for worker in self.workers:
            worker.wait_ready()
            self._idle.put(worker)

    @property
    def address_space(self) -> int:
        """Return the largest address space a started worker maps before it runs any notebook."""
        return max((worker.address_space for worker in self.workers), default=0)

    @contextlib.contextmanager
    def borrow(self) -> Iterator[WorkerProcess]:
        """Lend an idle worker to the calling thread, restarting it if the work broke it."""
        if self.closing:
            raise WorkerFailure("the grading workers are stopping.")
        worker = self._idle.get()
        try:
            yield worker
        except WorkerFailure:
            worker.stop()
            if not self.closing:
                try:
                    worker.start()
                except WorkerFailure as error:
                    logger.error("could not restart grading worker %s: %s", worker.number, error)
            raise
        finally:
            self._idle.put(worker)

    def stop(self) -> None:
        """Stop every worker, including those busy with a notebook, and restart none of them."""
        self.closing = True
        for worker in self.workers:
            worker.stop()
