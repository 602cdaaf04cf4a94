"""The results file: appended as results come, resumed, guarded against mixing builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from effquiz.errors import GradingError
from effquiz.grader.journal import RejectedFile, ResultsFile, read_results
from effquiz.grader.shards import BuildIdentity, ShardSpec

from .conftest import make_record

BUILD = BuildIdentity(autograder_sha256="a" * 64, assignment="lecture", questions=(("q1", "2"),),
                      roster=("ada", "alan", "grace"))
OTHER_BUILD = BuildIdentity(autograder_sha256="b" * 64, assignment="lecture", questions=(("q1", "2"),),
                            roster=("ada", "alan", "grace"))


def test_results_are_read_back(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    journal = ResultsFile(path, BUILD, None)
    journal.add_result(make_record("ada", 2))
    journal.close()

    data = read_results(path)

    assert data.records["ada"].result.total == 2
    assert data.build == BUILD


def test_later_result_replaces_earlier(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    journal = ResultsFile(path, BUILD, None)
    journal.add_result(make_record("ada", 1))
    journal.add_result(make_record("ada", 2))
    journal.close()

    assert read_results(path).records["ada"].result.total == 2


def test_reopened_file_keeps_results(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    first = ResultsFile(path, BUILD, None)
    first.add_result(make_record("ada", 2))
    first.close()

    second = ResultsFile(path, BUILD, None)
    second.close()

    assert set(second.data.records) == {"ada"}


def test_cut_off_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    journal = ResultsFile(path, BUILD, None)
    journal.add_result(make_record("ada", 2))
    journal.close()
    with open(path, "ab") as handle:
        handle.write(b'{"kind": "result", "record": {"student_id": "al')

    resumed = ResultsFile(path, BUILD, None)
    resumed.add_result(make_record("grace", 1))
    resumed.close()

    assert set(read_results(path).records) == {"ada", "grace"}


def test_other_build_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    ResultsFile(path, BUILD, None).close()

    with pytest.raises(GradingError, match="another autograder zip.*--regrade"):
        ResultsFile(path, OTHER_BUILD, None)


def test_other_shard_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    ResultsFile(path, BUILD, ShardSpec(1, 2)).close()

    with pytest.raises(GradingError, match="shard 1/2, not 2/2"):
        ResultsFile(path, BUILD, ShardSpec(2, 2))


def test_second_writer_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    first = ResultsFile(path, BUILD, None)
    try:
        with pytest.raises(GradingError, match="another 'effquiz grade' is writing"):
            ResultsFile(path, BUILD, None)
    finally:
        first.close()


def test_regrade_starts_afresh_and_keeps_previous(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    first = ResultsFile(path, BUILD, None)
    first.add_result(make_record("ada", 2))
    first.close()

    regraded = ResultsFile(path, OTHER_BUILD, None, regrade=True)
    regraded.close()

    assert regraded.data.records == {}
    assert "ada" in read_results(path.with_name(path.name + ".previous")).records


def test_batch_without_run_line_is_unfinished(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    journal = ResultsFile(path, BUILD, None)
    journal.add_start(engine="fast")
    journal.add_result(make_record("ada", 2))
    journal.close()

    assert read_results(path).last_run is None


def test_run_line_records_pending_and_rejected(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    journal = ResultsFile(path, BUILD, None)
    started = journal.add_start(engine="fast")
    rejected = RejectedFile(name="mallory", file="mallory.ipynb", reason="not on the roster", note="not on roster")
    journal.add_run(started=started, finished=True, pending={"alan": ("grading failed", "worker died")},
                    rejected=(rejected,), engine="fast")
    journal.close()

    data = read_results(path)

    assert data.last_run["finished"] is True
    assert data.pending == {"alan": ("grading failed", "worker died")}
    assert data.rejected == {"mallory": rejected}


def test_file_without_header_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "grades.results.jsonl"
    path.write_text('{"kind": "result"}\n', encoding="utf-8")

    with pytest.raises(GradingError, match="not an effquiz results file"):
        read_results(path)
