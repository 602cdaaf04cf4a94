"""The results file: every graded submission, appended as soon as it is judged.

The file is JSON lines. The first line is a header naming the build and the shard.
Each batch then writes a ``start`` line, one ``result`` line per graded submission (a
:class:`~effquiz.grader.records.GradedSubmission`) and a ``run`` line at its end. The ``run`` line lists the
submissions left to grade and the files that belong to no roster student; a batch that
was killed leaves a ``start`` line without one. Each line is written with one ``write`` call and flushed to disk, so
an interrupted batch leaves at most one cut-off last line, which readers skip. A later
line for the same student replaces an earlier one.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from effquiz.errors import GradingError

from effquiz.grader.records import GradedSubmission, utc_now
from effquiz.grader.shards import BuildIdentity, ShardSpec

logger = logging.getLogger(__name__)

FORMAT = 1


@dataclass(frozen=True)
class RejectedFile:
    """A submission file that matches no roster student, with its name, file and the reason."""

    name: str
    file: str
    reason: str
    note: str

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form stored in the results file."""
        return {"name": self.name, "file": self.file, "reason": self.reason, "note": self.note}


@dataclass
class ResultsData:
    """Everything a results file holds, with later lines replacing earlier ones."""

    path: Path
    build: BuildIdentity
    shard: ShardSpec | None
    records: dict[str, GradedSubmission] = field(default_factory=dict)
    rejected: dict[str, RejectedFile] = field(default_factory=dict)
    pending: dict[str, tuple[str, str]] = field(default_factory=dict)
    last_run: dict[str, Any] | None = None


def _header(build: BuildIdentity, shard: ShardSpec | None) -> dict[str, Any]:
    return {"kind": "header", "format": FORMAT, "build": build.to_json(),
            "shard": str(shard) if shard else None, "created": utc_now()}


def read_results(path: Path) -> ResultsData:
    """Read a results file; raise GradingError if it has no valid header."""
    try:
        lines = Path(path).read_bytes().split(b"\n")
    except OSError as error:
        raise GradingError(f"cannot read the results file {path}: {error}.") from error
    try:
        header = json.loads(lines[0])
        if header.get("kind") != "header" or header.get("format") != FORMAT:
            raise ValueError("the first line is not a results header")
        data = ResultsData(path=Path(path), build=BuildIdentity.from_json(header["build"]),
                           shard=ShardSpec.parse(header["shard"]) if header.get("shard") else None)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise GradingError(f"{path} is not an effquiz results file ({error}).",
                           fix="pass a .results.jsonl file that 'effquiz grade' wrote.") from error
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            kind = entry["kind"]
            if kind == "result":
                record = GradedSubmission.from_json(entry["record"])
                data.records[record.student_id] = record
            elif kind == "start":
                data.last_run = None
            elif kind == "run":
                data.last_run = entry
                data.rejected = {item["name"]: RejectedFile(**item) for item in entry.get("rejected", [])}
                data.pending = {student: (str(item[0]), str(item[1])) for student, item in entry["pending"].items()}
        except (ValueError, KeyError, TypeError) as error:
            # A line cut off by an interrupted batch; the submission is graded again.
            logger.warning("skipped line %s of %s, which is damaged: %s", number, path, error)
    return data


class ResultsFile:
    """A results file opened for appending by one batch, locked against a second batch."""

    def __init__(self, path: Path, build: BuildIdentity, shard: ShardSpec | None, *, regrade: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.path.with_name(self.path.name + ".lock"), "w")  # noqa: SIM115  (held until close)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            self._lock.close()
            raise GradingError(f"another 'effquiz grade' is writing {self.path}.",
                               fix="wait for it to finish, or pass another --out.") from error
        try:
            self.data = self._open(build, shard, regrade)
        except BaseException:
            self.close()
            raise
        self._handle = open(self.path, "ab")  # noqa: SIM115  (held until close)

    def _open(self, build: BuildIdentity, shard: ShardSpec | None, regrade: bool) -> ResultsData:
        if self.path.exists() and regrade:
            previous = self.path.with_name(self.path.name + ".previous")
            os.replace(self.path, previous)
            logger.info("moved the earlier results to %s", previous)
        if not self.path.exists():
            temporary = self.path.with_name(f".{self.path.name}.new")
            temporary.write_text(json.dumps(_header(build, shard)) + "\n", encoding="utf-8")
            os.replace(temporary, self.path)
            return ResultsData(path=self.path, build=build, shard=shard)
        data = read_results(self.path)
        if data.build.autograder_sha256 != build.autograder_sha256:
            raise GradingError(f"{self.path} contains results graded with another autograder zip.",
                               fix="pass --regrade to grade everything again with this build, or another --out.")
        if data.shard != shard:
            raise GradingError(f"{self.path} contains results of shard {data.shard or 'none'}, not {shard or 'none'}.",
                               fix="pass the same --shard as before, or another --out.")
        # End a line cut off by an interrupted batch, so that the next line starts afresh.
        with open(self.path, "rb+") as handle:
            if handle.seek(0, os.SEEK_END) > 0:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    handle.write(b"\n")
        return data

    def _append(self, entry: dict[str, Any]) -> None:
        self._handle.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def add_result(self, record: GradedSubmission) -> None:
        """Append one graded submission and flush it to disk."""
        self._append({"kind": "result", "record": record.to_json()})
        self.data.records[record.student_id] = record

    def add_start(self, *, engine: str) -> str:
        """Append the start of a batch, so that a batch killed before its end shows as unfinished.

        Returns the start time.
        """
        started = utc_now()
        self._append({"kind": "start", "started": started, "engine": engine})
        self.data.last_run = None
        return started

    def add_run(self, *, started: str, finished: bool, pending: dict[str, tuple[str, str]],
                rejected: tuple[RejectedFile, ...], engine: str) -> None:
        """Append the summary of one batch.

        ``pending`` maps each submission still to grade to a reason and a note;
        ``rejected`` lists the files that belong to no roster student.
        """
        entry = {"kind": "run", "started": started, "ended": utc_now(), "finished": finished, "engine": engine,
                 "pending": {student: list(item) for student, item in sorted(pending.items())},
                 "rejected": [item.to_json() for item in rejected]}
        self._append(entry)
        self.data.last_run = entry
        self.data.rejected = {item.name: item for item in rejected}
        self.data.pending = dict(pending)

    def close(self) -> None:
        """Close the file and release the lock."""
        handle = getattr(self, "_handle", None)
        if handle is not None:
            handle.close()
        self._lock.close()


def write_results(path: Path, data: ResultsData, *, engine: str) -> None:
    """Write ``data`` as a complete results file at ``path``, replacing any file there at once."""
    lines = [_header(data.build, data.shard)]
    lines += [{"kind": "result", "record": data.records[student].to_json()} for student in sorted(data.records)]
    lines.append({"kind": "run", "started": utc_now(), "ended": utc_now(), "finished": not data.pending,
                  "engine": engine, "pending": {student: list(item) for student, item in sorted(data.pending.items())},
                  "rejected": [data.rejected[name].to_json() for name in sorted(data.rejected)]})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    os.replace(temporary, path)
