"""Shards of a batch, and merging their results files into one gradebook."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

from effquiz.errors import GradingError
from effquiz.grader.journal import ResultsFile, read_results
from effquiz.grader.merge import merge_results
from effquiz.grader.shards import BuildIdentity, ShardSpec, shard_index

from .conftest import make_record

STUDENTS = tuple(f"s{number:03d}" for number in range(200))
BUILD = BuildIdentity(autograder_sha256="a" * 64, assignment="lecture", questions=(("q1", "2"),), roster=STUDENTS)


def test_shard_parses_index_and_count() -> None:
    assert ShardSpec.parse(" 2/8 ") == ShardSpec(2, 8)


@pytest.mark.parametrize("text", ["0/4", "5/4", "2", "a/b", "1/0"])
def test_invalid_shard_is_rejected(text: str) -> None:
    with pytest.raises(GradingError, match="is not valid.*1 <= I <= N"):
        ShardSpec.parse(text)


def test_shards_partition_students() -> None:
    shards = [ShardSpec(index, 4) for index in range(1, 5)]

    owners = [[shard for shard in shards if shard.includes(student)] for student in STUDENTS]

    assert all(len(owner) == 1 for owner in owners)
    # 200 ids over 4 shards: a hash that ignored the id would put all in one shard.
    assert all(sum(owner == [shard] for owner in owners) > 20 for shard in shards)


def test_shard_ignores_unicode_normal_form() -> None:
    composed = unicodedata.normalize("NFC", "zoë")
    decomposed = unicodedata.normalize("NFD", "zoë")

    assert shard_index(composed, 7) == shard_index(decomposed, 7)


def write_shard(folder: Path, shard: ShardSpec, *, finished: bool = True, extra: tuple[str, ...] = ()) -> Path:
    """Write a shard's results file with a record for each of its first five students, plus ``extra``."""
    path = folder / f"shard-{shard.index}.results.jsonl"
    journal = ResultsFile(path, BUILD, shard)
    started = journal.add_start(engine="fast")
    for student in [student for student in STUDENTS if shard.includes(student)][:5] + list(extra):
        journal.add_result(make_record(student, 2))
    if finished:
        journal.add_run(started=started, finished=True, pending={}, rejected=(), engine="fast")
    journal.close()
    return path


def test_merge_combines_every_shard(tmp_path: Path) -> None:
    paths = [write_shard(tmp_path, ShardSpec(index, 3)) for index in (1, 2, 3)]

    report = merge_results(paths, out=tmp_path / "grades.csv")

    rows = list(csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8")))
    graded = [row["student_id"] for row in rows if row["total"] == "2"]
    assert len(rows) == len(STUDENTS)
    assert len(graded) == 15
    assert sum(len(ids) for ids in report.summary.failed.values()) == 0


def test_merged_results_file_resumes_as_whole_batch(tmp_path: Path) -> None:
    paths = [write_shard(tmp_path, ShardSpec(index, 2)) for index in (1, 2)]

    report = merge_results(paths, out=tmp_path / "grades.csv")

    merged = read_results(report.results)
    assert merged.shard is None
    assert len(merged.records) == 10


def test_merge_rejects_overlap(tmp_path: Path) -> None:
    stray = next(student for student in STUDENTS if ShardSpec(2, 2).includes(student))
    paths = [write_shard(tmp_path, ShardSpec(1, 2), extra=(stray,)), write_shard(tmp_path, ShardSpec(2, 2))]

    with pytest.raises(GradingError, match=f"{stray} was graded in both"):
        merge_results(paths, out=tmp_path / "grades.csv")


def test_merge_rejects_other_build(tmp_path: Path) -> None:
    first = write_shard(tmp_path, ShardSpec(1, 2))
    other = tmp_path / "other.results.jsonl"
    ResultsFile(other, BuildIdentity("b" * 64, "lecture", (("q1", "2"),), STUDENTS), ShardSpec(2, 2)).close()

    with pytest.raises(GradingError, match="different autograder zips"):
        merge_results([first, other], out=tmp_path / "grades.csv")


def test_merge_rejects_missing_shard(tmp_path: Path) -> None:
    paths = [write_shard(tmp_path, ShardSpec(index, 3)) for index in (1, 3)]

    with pytest.raises(GradingError, match="shard 2/3 are missing"):
        merge_results(paths, out=tmp_path / "grades.csv")


def test_merge_rejects_repeated_shard(tmp_path: Path) -> None:
    first = write_shard(tmp_path, ShardSpec(1, 2))
    copy = tmp_path / "copy.results.jsonl"
    copy.write_bytes(first.read_bytes())

    with pytest.raises(GradingError, match="shard 1/2 appears twice"):
        merge_results([first, copy], out=tmp_path / "grades.csv")


def test_merge_rejects_mixed_shard_counts(tmp_path: Path) -> None:
    paths = [write_shard(tmp_path, ShardSpec(1, 2)), write_shard(tmp_path, ShardSpec(2, 3))]

    with pytest.raises(GradingError, match="different numbers of shards: 2, 3"):
        merge_results(paths, out=tmp_path / "grades.csv")


def test_merge_rejects_unfinished_shard(tmp_path: Path) -> None:
    paths = [write_shard(tmp_path, ShardSpec(1, 2)), write_shard(tmp_path, ShardSpec(2, 2), finished=False)]

    with pytest.raises(GradingError, match="did not finish.*run that shard's command again"):
        merge_results(paths, out=tmp_path / "grades.csv")


def test_partial_merge_allows_missing_shard(tmp_path: Path) -> None:
    paths = [write_shard(tmp_path, ShardSpec(1, 2))]

    report = merge_results(paths, out=tmp_path / "grades.csv", partial=True)

    assert sum(row.result is not None for row in report.rows) == 5


def test_partial_merge_missing_shard_not_graded(tmp_path: Path) -> None:
    paths = [write_shard(tmp_path, ShardSpec(1, 2))]

    report = merge_results(paths, out=tmp_path / "grades.csv", partial=True)

    second = [row for row in report.rows if shard_index(row.student_id, 2) == 2]
    first_ungraded = [row for row in report.rows if shard_index(row.student_id, 2) == 1 and row.result is None]
    assert second
    assert all(row.note.startswith("not graded: the results of shard 2/2 were not merged") for row in second)
    # Shard 1's file has records for five of its students, so the rest of shard 1 submitted nothing.
    assert all(row.note == "no submission" for row in first_ungraded)
    assert report.summary.no_submission == len(first_ungraded)
