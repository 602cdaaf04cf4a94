"""Canvas and Moodle exports of an assignment: drawing variants, compiling and writing atomically."""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from effquiz.assignment import load_assignment
from effquiz.export.canvas import NumericForm, canvas_zip_entries, write_canvas_zip
from effquiz.export.items import part_groups
from effquiz.export.moodle import moodle_xml
from effquiz.export.variants import SkippedPart, draw_variants
from effquiz.outputs import check_output_file, is_moodle_xml, is_qti_zip
from effquiz.templates.bank import Bank

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportSummary:
    """The result of an LMS export: the file, its question groups, and what it changed or left out.

    ``rescaled`` maps ``question.part`` to the exponents k of the Canvas items that ask for
    the answer in units of 10^-k.
    """

    out: Path
    groups: int
    items: int
    variants: dict[str, int]
    skipped: tuple[SkippedPart, ...] = ()
    rescaled: dict[str, tuple[int, ...]] | None = None


def export_canvas(*, assignment_path: Path, variants: int, out: Path, bank: Bank | None = None,
                  form: NumericForm = "exact") -> ExportSummary:
    """Write a Canvas QTI 1.2 zip with ``variants`` variants of every exportable part to ``out``.

    ``form`` chooses how numerical answers are written: an exact answer with a margin, or a
    range. Raises AssignmentError or TemplateError for invalid inputs; ``out`` is written
    only when everything succeeds, and only when it is new or an earlier Canvas export.
    """
    check_output_file(Path(out), kind="Canvas QTI zip", looks_like=is_qti_zip, inputs=[assignment_path])
    assignment = load_assignment(assignment_path, bank)
    drawn = draw_variants(assignment, variants)
    groups, skipped = part_groups(assignment, drawn)
    entries, notes = canvas_zip_entries(assignment, groups, form=form)
    write_atomic(Path(out), lambda path: write_canvas_zip(path, entries))
    logger.info("wrote the Canvas export %s", out)
    return ExportSummary(out=Path(out), groups=len(groups), items=_count_items(groups) - len(notes.dropped),
                         variants={key: len(value) for key, value in drawn.items()},
                         skipped=tuple(skipped + notes.dropped),
                         rescaled={key: tuple(sorted(value)) for key, value in sorted(notes.rescaled.items())})


def export_moodle(*, assignment_path: Path, variants: int, out: Path, bank: Bank | None = None) -> ExportSummary:
    """Write Moodle XML with ``variants`` variants of every exportable part to ``out``.

    ``out`` must be new or an earlier Moodle export.
    """
    check_output_file(Path(out), kind="Moodle XML file", looks_like=is_moodle_xml, inputs=[assignment_path])
    assignment = load_assignment(assignment_path, bank)
    drawn = draw_variants(assignment, variants)
    groups, skipped = part_groups(assignment, drawn)
    document, notes = moodle_xml(assignment, groups)
    write_atomic(Path(out), lambda path: path.write_bytes(document))
    logger.info("wrote the Moodle export %s", out)
    dropped_variants = [note for note in notes.dropped if "misconception" not in note.reason]
    return ExportSummary(out=Path(out), groups=len(groups), items=_count_items(groups) - len(dropped_variants),
                         variants={key: len(value) for key, value in drawn.items()},
                         skipped=tuple(skipped + notes.dropped))


def _count_items(groups: list) -> int:
    return sum(len(group.items) for group in groups)


def write_atomic(path: Path, write) -> None:
    """Write through a temporary file beside ``path`` and rename it into place."""
    path = path.absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
