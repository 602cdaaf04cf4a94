"""Splitting a batch into shards for a cluster, and what results files must agree on to merge.

A shard is ``I/N``: the students whose id hashes to I among N shards. The hash is
SHA-256 of the NFC id, so each student's shard depends on nothing but the id and N,
and every task of a job array agrees on it whatever the order in which it lists files.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from effquiz.errors import GradingError

from effquiz.grader.config import GradingConfig

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class ShardSpec:
    """Shard ``index`` of ``count``, counting from 1."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> "ShardSpec":
        """Parse ``I/N``, such as ``2/8``; raise GradingError unless 1 <= I <= N."""
        match = _SHARD.match(text)
        if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise GradingError(f"the shard {text!r} is not valid.",
                               fix="write I/N with 1 <= I <= N, such as 2/8 for the second of 8 shards.")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def includes(self, student_id: str) -> bool:
        """Return whether ``student_id`` belongs to this shard."""
        return shard_index(student_id, self.count) == self.index


def shard_index(student_id: str, count: int) -> int:
    """Return the shard, from 1 to ``count``, that ``student_id`` belongs to."""
    digest = hashlib.sha256(unicodedata.normalize("NFC", student_id).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


@dataclass(frozen=True)
class BuildIdentity:
    """What a batch graded against: the autograder zip's hash, the questions and the roster.

    A results file stores it, so that a resumed batch and ``effquiz merge`` can refuse
    results graded with another build, and so that merging needs no build folder.
    """

    autograder_sha256: str
    assignment: str
    questions: tuple[tuple[str, str], ...]
    roster: tuple[str, ...]

    @classmethod
    def of(cls, autograder: Path, config: GradingConfig) -> "BuildIdentity":
        """Return the identity of the build whose zip is ``autograder``."""
        digest = hashlib.sha256(Path(autograder).read_bytes()).hexdigest()
        return cls(autograder_sha256=digest, assignment=config.assignment_name,
                   questions=tuple((question.id, str(question.points)) for question in config.questions),
                   roster=tuple(entry.student_id for entry in config.students))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form stored in a results file's header."""
        return {"autograder_sha256": self.autograder_sha256, "assignment": self.assignment,
                "questions": [list(question) for question in self.questions], "roster": list(self.roster)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "BuildIdentity":
        """Rebuild the identity from :meth:`to_json` output."""
        return cls(autograder_sha256=data["autograder_sha256"], assignment=data["assignment"],
                   questions=tuple((str(item[0]), str(item[1])) for item in data["questions"]),
                   roster=tuple(data["roster"]))
