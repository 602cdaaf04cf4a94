"""Merging the results files of a sharded batch into one gradebook.

Each task of a cluster job array grades one shard (``effquiz grade --shard I/N``) into
its own results file. :func:`merge_results` checks that the files belong together: one build, one shard
count, every shard once, every batch finished and no student twice. It then writes the
gradebook, the feedback and a merged results file. A later ``effquiz grade`` without
``--shard`` can resume from that file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from effquiz.errors import GradingError

from effquiz.grader.batch import gradebook_rows, is_gradebook, write_gradebook
from effquiz.grader.gradebook import NOT_GRADED_YET, BatchSummary, GradebookRow, summarize, write_feedback
from effquiz.grader.journal import ResultsData, read_results, write_results
from effquiz.grader.shards import shard_index
from effquiz.outputs import check_output_file, starts_with_line

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MergeReport:
    """The files a merge wrote, and each student's row."""

    gradebook: Path
    results: Path
    feedback: Path | None
    rows: tuple[GradebookRow, ...]
    summary: BatchSummary


def _check_shards(parts: list[ResultsData], partial: bool) -> None:
    first = parts[0]
    for part in parts[1:]:
        if part.build.autograder_sha256 != first.build.autograder_sha256:
            raise GradingError(f"{part.path} and {first.path} were graded with different autograder zips.",
                               fix="merge only results graded with one build.")
    shards = [part.shard for part in parts]
    if any(shard is None for shard in shards):
        if len(parts) > 1:
            raise GradingError(f"{next(p.path for p in parts if p.shard is None)} contains the results of a whole "
                               f"batch, not of one shard, so it cannot be merged with others.",
                               fix="merge the results files of 'effquiz grade --shard I/N' runs only.")
        return
    counts = {shard.count for shard in shards}
    if len(counts) > 1:
        raise GradingError(f"the results files split the batch into different numbers of shards: "
                           f"{', '.join(str(count) for count in sorted(counts))}.",
                           fix="merge the files of one job array, all run with the same N.")
    seen: dict[int, Path] = {}
    for part in parts:
        if part.shard.index in seen:
            raise GradingError(f"shard {part.shard} appears twice: in {seen[part.shard.index]} and {part.path}.",
                               fix="pass each shard's results file once.")
        seen[part.shard.index] = part.path
    count = counts.pop()
    missing = [f"{index}/{count}" for index in range(1, count + 1) if index not in seen]
    if missing and not partial:
        raise GradingError(f"the results of shard {', '.join(missing)} are missing.",
                           fix="pass the results files of all shards, or --partial to merge what there is.")


def _mark_missing_shards(parts: list[ResultsData], merged: ResultsData) -> None:
    """Mark the roster students of shards that were not passed as not graded, not as missing submissions."""
    if parts[0].shard is None:
        return
    count = parts[0].shard.count
    present = {part.shard.index for part in parts if part.shard is not None}
    for student_id in merged.build.roster:
        index = shard_index(student_id, count)
        if index not in present and student_id not in merged.records:
            merged.pending[student_id] = (NOT_GRADED_YET, f"not graded: the results of shard {index}/{count} were "
                                                          "not merged. Grade that shard and merge again.")


def _check_finished(part: ResultsData, partial: bool) -> None:
    if partial:
        return
    if part.last_run is None or not part.last_run.get("finished"):
        raise GradingError(f"the batch that wrote {part.path} did not finish: it was interrupted or killed.",
                           fix="run that shard's command again; it grades only what is left.")
    if part.pending:
        raise GradingError(f"{part.path} lists {len(part.pending)} submissions that could not be graded: "
                           f"{', '.join(sorted(part.pending))}.",
                           fix="run that shard's command again to retry them, or pass --partial.")


def merge_results(paths: list[Path], *, out: Path, feedback: Path | None = None, results: Path | None = None,
                  partial: bool = False) -> MergeReport:
    """Merge the results files at ``paths`` into the gradebook ``out``.

    Raises GradingError when the files do not belong to one complete batch. With
    ``partial``, missing shards and unfinished batches are allowed, and their students
    appear as not graded.
    """
    if not paths:
        raise GradingError("no results files to merge.", fix="pass the .results.jsonl files of every shard.")
    out = Path(out)
    results = Path(results) if results is not None else out.with_name(f"{out.stem}.results.jsonl")
    check_output_file(out, kind="gradebook", looks_like=is_gradebook, inputs=paths)
    check_output_file(results, kind="results file", looks_like=starts_with_line('{"kind": "header"'), inputs=paths,
                      option="--results")
    parts = [read_results(Path(path)) for path in paths]
    _check_shards(parts, partial)
    merged = ResultsData(path=Path(out), build=parts[0].build, shard=None)
    owner: dict[str, Path] = {}
    for part in parts:
        _check_finished(part, partial)
        for student_id, record in part.records.items():
            if student_id in owner:
                raise GradingError(f"{student_id} was graded in both {owner[student_id]} and {part.path}.",
                                   fix="merge the results files of one job array, each shard once.")
            owner[student_id] = part.path
            merged.records[student_id] = record
        merged.rejected.update(part.rejected)
        merged.pending.update({student: item for student, item in part.pending.items()
                               if student not in part.records})
    _mark_missing_shards(parts, merged)

    rows = gradebook_rows(merged.build, merged)
    write_gradebook(out, merged.build, rows)
    write_results(results, merged, engine="merge")
    if feedback is not None:
        for record in merged.records.values():
            write_feedback(feedback, record)
    logger.info("merged %s results files into %s", len(parts), out)
    return MergeReport(gradebook=out, results=results, feedback=feedback, rows=tuple(rows),
                       summary=summarize(rows, graded_now=set(merged.records)))
