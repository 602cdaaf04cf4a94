"""Executing one notebook in a forked child, the way Otter's grading path executes it.

Otter 7.0.0 grades a notebook in ``otter.execute.grade_notebook``. Its
``GradingPreprocessor`` drops cells tagged ``otter_ignore``, adds a check after each
cell whose metadata names tests, seeds cells when the configuration sets a seed and puts
the submission folder on ``sys.path``. It then wraps the notebook between an init cell,
which calls ``Notebook.init_grading_mode(tests_dir)``, and a final cell, which runs every
test that the notebook did not check itself (``Checker.check_if_not_already_checked``).
nbconvert's ExecutePreprocessor runs the code cells in a fresh kernel, with errors
allowed unless Otter's debug mode is on.

This module does the same inside an IPython ``InteractiveShell``, calling the same
preprocessor methods, so the same tests run against the same global namespace and the
collectors in them write the same JSON. Two cells differ from Otter's: the init cell
sends no logs to a logging server, and the final cell pickles no results, because
effquiz reads only the collected JSON.

Everything here runs in the child after the fork, and the child is untrusted. It reports
progress as JSON lines on a status pipe and always ends with ``os._exit``.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import io
import json
import os
import resource
import signal
import sys
import tempfile
from typing import Any, NoReturn

import nbformat
from IPython.core.interactiveshell import InteractiveShell
from otter.execute.preprocessor import GradingPreprocessor
from otter.nbmeta_config import NBMetadataConfig
from otter.utils import id_generator
from traitlets.config import Config

PR_SET_PDEATHSIG = 1
MAX_MESSAGE = 300
MAX_ERRORS = 20
# Exit code of a child in which effquiz's own code failed, whatever the cause.
INTERNAL_FAILURE = 70
CELL_TAG = "effquiz_cell"
# Taken before any student code runs, which could replace the module attributes.
_write, _exit, _dumps = os.write, os._exit, json.dumps
FINAL_LABEL = "the final check of every question"
ADDED_LABEL = "a check cell that Otter adds"
INIT_SOURCE = 'from otter import Notebook as {name}\n{name}.init_grading_mode("{tests_dir}")\n'
FINAL_SOURCE = ("from otter.execute import Checker\n"
                "for {variable} in {tests}:\n"
                "    Checker.check_if_not_already_checked({variable})\n")


class StatusChannel:
    """The write end of the status pipe: one JSON object per line, each under one pipe buffer.

    ``notebook_started`` turns True just before the first cell runs; from then on a
    failure of effquiz's code in this process may be the notebook's doing.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.notebook_started = False

    def send(self, **event: Any) -> None:
        """Write one event; any failure is ignored, because the worker also watches the exit status."""
        try:
            _write(self.fd, (_dumps(event, ensure_ascii=True) + "\n").encode("ascii")[:4000])
        except BaseException:  # noqa: BLE001  (student code may have broken anything here)
            pass


class OutputCounter:
    """Counts the characters the notebook prints and reports each power of ten above a million."""

    def __init__(self, status: StatusChannel) -> None:
        self.status = status
        self.characters = 0
        self.next_report = 1_000_000

    def add(self, count: int) -> None:
        """Count ``count`` more characters."""
        self.characters += count
        if self.characters >= self.next_report:
            self.status.send(event="output", characters=self.characters)
            while self.next_report <= self.characters:
                self.next_report *= 10


class DiscardingStream(io.TextIOBase):
    """A text stream that counts the characters written to it and keeps none of them.

    A notebook that prints hundreds of megabytes therefore costs time but neither memory
    nor disk. ``fileno`` returns the descriptor behind the stream, which points at
    /dev/null, so code that hands ``sys.stdout`` to a subprocess still works.
    """

    def __init__(self, fd: int, counter: OutputCounter) -> None:
        super().__init__()
        self._fd = fd
        self._counter = counter

    def write(self, text: str) -> int:  # noqa: D102  (io.TextIOBase documents it)
        count = len(text)
        self._counter.add(count)
        return count

    def writable(self) -> bool:  # noqa: D102
        return True

    def isatty(self) -> bool:  # noqa: D102
        return False

    def fileno(self) -> int:  # noqa: D102
        return self._fd

    @property
    def encoding(self) -> str:  # noqa: D102
        return "utf-8"


class GradingShell(InteractiveShell):
    """An InteractiveShell that does not copy each cell's output into its history.

    IPython 9 keeps every write to stdout and stderr in ``history_manager.outputs``
    (``InteractiveShell._tee``), so a cell that prints 200 MB would hold 200 MB. Output
    is discarded while grading, so nothing needs to be kept.
    """

    # NOTE: overrides a private IPython method (present in IPython 9); on versions
    # without it the override is simply unused.
    @contextlib.contextmanager
    def _tee(self, channel: str):  # type: ignore[override]
        yield

    def ask_exit(self) -> None:
        """Ignore ``exit()`` and ``quit()``, as grading under Otter 7.0.0 does.

        The plain InteractiveShell has no ``ask_exit``, so without this method the call
        would raise AttributeError; in Otter's kernel the cells after it still run.
        """


def _shell_config() -> Config:
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.xmode = "Plain"
    return config


def run_child(job: dict[str, Any], status_fd: int) -> NoReturn:
    """Run the job's notebook in this freshly forked process, then exit without returning."""
    code = INTERNAL_FAILURE
    status = StatusChannel(status_fd)
    try:
        counter = OutputCounter(status)
        _isolate(job, status_fd, counter)
        run_notebook(job, status, counter)
        code = 0
    except BaseException as error:  # noqa: BLE001  (the child must always exit here, never return)
        status.send(event="failed" if status.notebook_started else "internal", message=describe_error(error))
    finally:
        _exit(code)


def _isolate(job: dict[str, Any], status_fd: int, counter: OutputCounter) -> None:
    """Put this process in its own session with limits, closed stdin and discarded output."""
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A write past the file size limit then fails with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    limits = job["limits"]
    if limits.get("memory_bytes"):
        resource.setrlimit(resource.RLIMIT_AS, (limits["memory_bytes"], limits["memory_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # NOTE: the number of processes is not limited, because RLIMIT_NPROC counts every
    # process of the user on the machine; a fork bomb ends only at the time limits.
    if limits.get("file_bytes"):
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_bytes"], limits["file_bytes"]))

    # Only the status pipe stays open: the worker's protocol pipes must be out of reach.
    null = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(null, target)
    keep = sorted({0, 1, 2, status_fd})
    for low, high in zip(keep, keep[1:] + [resource.getrlimit(resource.RLIMIT_NOFILE)[0]]):
        os.closerange(low + 1, high)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115  (lives as long as the process)
    sys.stdout = DiscardingStream(1, counter)
    sys.stderr = DiscardingStream(2, counter)

    os.chdir(job["workdir"])
    os.environ.clear()
    os.environ.update(job["environment"])
    tempfile.tempdir = None
    sys.argv = [""]
    # ipykernel 7 replaces the launcher's folder on sys.path with '' ahead of
    # site-packages, so the notebook finds the same sys.path as in a kernel. The
    # worker's effquiz modules are dropped from sys.modules; its IPython, NumPy and Otter
    # stay imported, which is what makes the fork fast.
    del sys.path[0]
    packages = next((index for index, entry in enumerate(sys.path) if "-packages" in entry), len(sys.path))
    sys.path.insert(packages, "")
    for name in [name for name in sys.modules if name == "effquiz" or name.startswith("effquiz.")]:
        del sys.modules[name]


def describe_error(error: BaseException) -> str:
    """Return ``Name: message`` for an exception, even one whose ``__str__`` fails."""
    try:
        return f"{type(error).__name__}: {error}"[:MAX_MESSAGE]
    except BaseException:  # noqa: BLE001  (a student's exception class may raise anything)
        return f"{type(error).__name__}: (its message cannot be shown)"[:MAX_MESSAGE]


def _problem(status: StatusChannel, kind: str, detail: str = "") -> None:
    status.send(event="problem", kind=kind, detail=detail[:MAX_MESSAGE])


def _resolve_submission(status: StatusChannel) -> str | None:
    """Return the file Otter would grade in the working folder, as Otter's PythonRunner finds it."""
    notebooks = sorted(glob.glob("*.ipynb"))
    if len(notebooks) > 1:
        _problem(status, "several notebooks", ", ".join(notebooks))
        return None
    if notebooks:
        return notebooks[0]
    scripts = [path for path in sorted(glob.glob("*.py")) if path != "__init__.py"]
    if len(scripts) == 1:
        return scripts[0]
    _problem(status, "several scripts" if scripts else "no notebook", ", ".join(scripts))
    return None


def _describe_content(content: bytes) -> tuple[str, str]:
    """Return a problem kind and detail for a file that is not a readable notebook."""
    if not content.strip():
        return "empty file", ""
    signatures = {b"%PDF": "a PDF document", b"PK\x03\x04": "a zip archive", b"\x89PNG": "a PNG image",
                  b"\xff\xd8\xff": "a JPEG image", b"{\\rtf": "an RTF document"}
    for signature, described in signatures.items():
        if content.startswith(signature):
            return "not a notebook", described
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return "not a notebook", "binary data, not text"
    try:
        data = json.loads(text)
    except ValueError as error:
        return "not json", str(error)
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        return "not a notebook", "JSON without notebook cells"
    return "unreadable notebook", ""


def read_notebook(path: str, status: StatusChannel) -> nbformat.NotebookNode | None:
    """Read the submission as a version 4 notebook, or report why it cannot be read."""
    with open(path, "rb") as handle:
        content = handle.read()
    if path.endswith(".py"):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(content.decode("utf-8", "replace"))])
    try:
        notebook = nbformat.reads(content.decode("utf-8"), as_version=4)
    except MemoryError:
        _problem(status, "notebook too large", f"{len(content)} bytes")
        return None
    except Exception as error:  # noqa: BLE001  (any parse failure means the file is not a notebook)
        kind, detail = _describe_content(content)
        _problem(status, kind, detail or f"{type(error).__name__}: {error}")
        return None
    if not isinstance(notebook.get("cells"), list):
        _problem(status, "not a notebook", "no list of cells")
        return None
    for number, cell in enumerate(notebook.cells, start=1):
        if not (isinstance(cell, dict) and isinstance(cell.get("cell_type"), str)
                and isinstance(cell.get("source"), str) and isinstance(cell.get("metadata", {}), dict)):
            _problem(status, "unreadable notebook", f"cell {number} is not a valid notebook cell")
            return None
    return notebook


def _check_metadata(notebook: nbformat.NotebookNode, expected: str | None, status: StatusChannel) -> bool:
    """Return whether Otter would grade the notebook, and report whom effquiz handed it to.

    Otter's runner rejects a notebook whose metadata names another assignment, or none.
    """
    try:
        found = NBMetadataConfig.from_notebook(notebook).assignment_name
    except Exception as error:  # noqa: BLE001  (Otter itself would fail on the same metadata)
        _problem(status, "invalid metadata", f"{type(error).__name__}: {error}")
        return False
    if expected and found != expected:
        _problem(status, "another assignment", str(found) if found is not None else "")
        return False
    effquiz = notebook.get("metadata", {}).get("effquiz", {})
    if isinstance(effquiz, dict) and isinstance(effquiz.get("student_id"), str):
        status.send(event="handed_out_to", student_id=effquiz["student_id"][:100])
    return True


def grading_cells(notebook: nbformat.NotebookNode, job: dict[str, Any], tests: list[str]) -> list[Any]:
    """Return the cells Otter's GradingPreprocessor would execute, each original cell tagged with its number."""
    for number, cell in enumerate(notebook.cells, start=1):
        cell.setdefault("metadata", {})[CELL_TAG] = number
    preprocessor = GradingPreprocessor(cwd=os.getcwd(), test_dir=job["tests_dir"], tests_glob=tests,
                                       seed=job.get("seed"), seed_variable=job.get("seed_variable"),
                                       results_path="", logging_server_host="", logging_server_port=0)
    # NOTE: Otter's preprocess() sets this private name itself. The steps are called one
    # by one here, so that the init cell can leave out Otter's logging server.
    preprocessor._notebook_name = f"notebook_{id_generator()}"
    preprocessor.filter_ignored_cells(notebook)
    preprocessor.add_checks(notebook)
    preprocessor.add_seeds(notebook)
    preprocessor.add_cwd_to_path(notebook)
    init = nbformat.v4.new_code_cell(INIT_SOURCE.format(name=preprocessor._notebook_name, tests_dir=job["tests_dir"]))
    final = nbformat.v4.new_code_cell(FINAL_SOURCE.format(variable=f"t_{id_generator()}", tests=json.dumps(tests)))
    final.metadata[CELL_TAG] = "final"
    return [init, *notebook.cells, final]


def _label(cell: Any) -> tuple[Any, str]:
    tag = cell.get("metadata", {}).get(CELL_TAG)
    if tag == "final":
        return "final", FINAL_LABEL
    if isinstance(tag, int):
        first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
        return tag, first[:80]
    return None, ADDED_LABEL


def run_notebook(job: dict[str, Any], status: StatusChannel, counter: OutputCounter) -> None:
    """Execute the submission's code cells in order and report each cell and each error."""
    path = _resolve_submission(status)
    if path is None:
        return
    notebook = read_notebook(path, status)
    if notebook is None or not _check_metadata(notebook, job.get("assignment"), status):
        return
    tests = sorted(glob.glob(os.path.join(job["tests_dir"], "*.py")))
    cells = [cell for cell in grading_cells(notebook, job, tests)
             if cell.get("cell_type") == "code" and isinstance(cell.get("source"), str) and cell.source.strip()]
    code_cells = sum(1 for cell in cells if isinstance(cell.get("metadata", {}).get(CELL_TAG), int))
    status.send(event="start", cells=code_cells)

    shell = GradingShell.instance(config=_shell_config())
    status.notebook_started = True
    reported = 0
    for cell in cells:
        number, label = _label(cell)
        status.send(event="cell", cell=number, label=label)
        result = shell.run_cell(cell.source, store_history=True)
        error = result.error_before_exec or result.error_in_exec
        if error is None:
            continue
        if reported < MAX_ERRORS:
            name, _, message = describe_error(error).partition(": ")
            status.send(event="error", cell=number, label=label, name=name, message=message)
        reported += 1
        if not job.get("allow_errors", True):
            status.send(event="stopped", cell=number)
            break
    watched = [name for name in job.get("watch", []) if isinstance(name, str)]
    status.send(event="defined", names=[name for name in watched if name in shell.user_ns][:200])
    status.send(event="end", output=counter.characters, errors=reported)
