"""Printable handouts: one per student or one per form, each with its answer key beside it.

The output folder holds, for each student ``<student_id>.html`` and
``<student_id>-key.html``, or with forms ``form-A.html`` and ``form-A-key.html`` and a
``forms.csv`` that says which student gets which form. ``index.html`` links them all.
Where headless Chromium is found, every page is also printed to PDF beside its HTML.

A student's handout has the same variants as their notebook from ``effquiz build``. A
form's variants come from the course seed and the form letter, and students are dealt
forms in roster order: A, B, C, A, B, C, ...
"""

from __future__ import annotations

import csv
import html
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from effquiz.assignment import Assignment, Student, load_assignment, load_roster
from effquiz.build.files import atomic_directory
from effquiz.errors import BuildError, RosterError
from effquiz.export.browser import find_chromium, print_pdf
from effquiz.export.pages import Sheet, handout_page, key_page
from effquiz.export.variants import form_seed
from effquiz.templates.bank import Bank
from effquiz.variants.generate import generate_variant
from effquiz.variants.students import student_variants

logger = logging.getLogger(__name__)

RESERVED_NAMES = ("index.html", "forms.csv")


@dataclass(frozen=True)
class HandoutResult:
    """The output of a handout export: the folder, one name per handout, and whether PDFs were made."""

    out: Path
    handouts: tuple[str, ...]
    pdf: bool
    pdf_note: str = ""


def export_handouts(*, assignment_path: Path, out: Path, roster_path: Path | None = None, forms: int | None = None,
                    pdf: bool | None = None, bank: Bank | None = None) -> HandoutResult:
    """Write handouts and keys for every student of ``roster_path``, or for ``forms`` forms A, B, C...

    ``pdf`` None prints PDFs when Chromium is found, True requires them and False skips
    them. Raises AssignmentError, RosterError or TemplateError for invalid inputs and
    BuildError when a required PDF cannot be printed; ``out`` is replaced only when
    everything succeeds.
    """
    assignment = load_assignment(assignment_path, bank)
    roster = load_roster(roster_path) if roster_path is not None else ()
    if forms is None and not roster:
        raise RosterError("a handout per student needs a roster.", fix="pass a roster CSV, or a number of forms.")
    if forms is not None and not 1 <= forms <= 26:
        raise BuildError(f"the number of forms must be from 1 to 26, not {forms}.", fix="pass --forms 1 to 26.")
    sheets = _form_sheets(assignment, forms) if forms is not None else _student_sheets(assignment, roster)
    files = _file_names(sheets)

    chromium = None if pdf is False else find_chromium()
    if pdf is True and chromium is None:
        raise BuildError("PDFs were requested, but no Chromium was found.",
                         fix="install Chromium (apt-get install chromium), set EFFQUIZ_CHROMIUM, or pass --no-pdf.")
    note = ""
    if chromium is None:
        note = "--no-pdf was given" if pdf is False else "no Chromium found"

    logger.info("writing %s handouts of %s to %s", len(sheets), assignment.name, out)
    with atomic_directory(out, kind="handouts") as staging:
        for (_, sheet), (page, key) in zip(sheets, files):
            (staging / page).write_text(handout_page(assignment, sheet), encoding="utf-8")
            (staging / key).write_text(key_page(assignment, sheet), encoding="utf-8")
        (staging / "index.html").write_text(_index(assignment, sheets, files), encoding="utf-8")
        if forms is not None and roster:
            (staging / "forms.csv").write_text(_forms_csv(roster, forms), encoding="utf-8")
        if chromium:
            for names in files:
                for name in names:
                    print_pdf(chromium, staging / name, staging / name.replace(".html", ".pdf"))
    return HandoutResult(out=Path(out), handouts=tuple(stem for stem, _ in sheets), pdf=chromium is not None,
                         pdf_note=note)


def form_letters(count: int) -> list[str]:
    """Return the form letters A, B, C... for ``count`` forms."""
    return [chr(ord("A") + index) for index in range(count)]


def _form_sheets(assignment: Assignment, forms: int) -> list[tuple[str, Sheet]]:
    sheets = []
    for letter in form_letters(forms):
        variants = {question.id: generate_variant(question.template,
                                                  form_seed(assignment.course_seed, question.id, letter))
                    for question in assignment.questions}
        sheets.append((f"form-{letter}", Sheet(f"Form {letter}", variants, f"form {letter}")))
    return sheets


def _student_sheets(assignment: Assignment, roster: tuple[Student, ...]) -> list[tuple[str, Sheet]]:
    sheets = []
    for student in roster:
        seed, variants = student_variants(assignment.questions, assignment.course_seed, student.student_id)
        heading = f"{student.name} ({student.student_id})" if student.name else student.student_id
        sheets.append((student.student_id, Sheet(f"Student: {heading}", variants, f"student seed {seed}")))
    return sheets


def _file_names(sheets: list[tuple[str, Sheet]]) -> list[tuple[str, str]]:
    """Return (handout, key) file names, refusing two pages that would share a file."""
    owners: dict[str, str] = {name: "effquiz" for name in RESERVED_NAMES}
    result = []
    for stem, _ in sheets:
        pair = (f"{stem}.html", f"{stem}-key.html")
        for name in pair:
            if name in owners:
                raise RosterError(f"the handout of {stem!r} would be written to {name}, which already belongs to "
                                  f"{owners[name]!r}.", key="student_id", value=stem,
                                  fix="rename one of the two students in the roster.")
            owners[name] = stem
        result.append(pair)
    return result


def _index(assignment: Assignment, sheets: list[tuple[str, Sheet]], files: list[tuple[str, str]]) -> str:
    rows = "\n".join(f'<li>{html.escape(sheet.heading)}: <a href="{html.escape(page)}">handout</a>, '
                     f'<a href="{html.escape(key)}">key</a></li>'
                     for (_, sheet), (page, key) in zip(sheets, files))
    title = html.escape(assignment.title)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{title}: handouts</title></head>\n'
            f"<body>\n<h1>{title}</h1>\n<ul>\n{rows}\n</ul>\n</body>\n</html>\n")


def _forms_csv(roster: tuple[Student, ...], forms: int) -> str:
    letters = form_letters(forms)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "name", "form"])
    for index, student in enumerate(roster):
        writer.writerow([student.student_id, student.name, letters[index % forms]])
    return buffer.getvalue()
