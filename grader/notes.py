"""Short notes on a result's unanswered, malformed and ungraded parts, for the gradebook.

Each part's own message in the feedback says what was wrong with it; these notes gather
them into one line per kind, so that course staff can read the gradebook's note column
without opening every feedback file.
"""

from __future__ import annotations

from effquiz.grader.results import SubmissionResult

MAX_LISTED = 6


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else "")


def _parts(count: int) -> str:
    return f"{count} part" + ("s" if count != 1 else "")


def handed_out_note(handed_out_to: str, student_id: str) -> str:
    """Return the note for a notebook whose metadata names another student than the one it was filed as."""
    return (f"This notebook was handed out to {handed_out_to}, not to {student_id}, so its numbers are "
            f"{handed_out_to}'s; it was graded against {student_id}'s.")


def out_of_order_note(question: str, variables: list[str]) -> str:
    """Return the note for a question checked before a later cell assigned its answers."""
    names = ", ".join(f"`{variable}`" for variable in variables)
    return (f"Question {question} was checked before {names} had a value, and a later cell assigns them: "
            f"run the cells from top to bottom before you submit.")


def part_notes(result: SubmissionResult, *, out_of_order: dict[str, list[str]] | None = None) -> tuple[str, ...]:
    """Return notes on the parts that earned nothing for a reason other than a wrong answer.

    ``out_of_order`` maps a question to the answer variables that were undefined when it
    was checked but defined when the notebook ended; those parts get one note of their
    own instead of a place in the list of unanswered parts.
    """
    out_of_order = {question: names for question, names in (out_of_order or {}).items() if names}
    reordered = {(question, name) for question, names in out_of_order.items() for name in names}
    notes = [out_of_order_note(question, names) for question, names in out_of_order.items()]

    missing = [f"{part.question}.{part.variable}" for part in result.parts
               if part.status == "missing" and (part.question, part.variable) not in reordered]
    invalid = [f"{part.question}.{part.variable}" for part in result.parts if part.status == "invalid"]
    not_graded = [f"{part.question}.{part.variable}" for part in result.parts if part.status == "not graded"]
    if missing:
        notes.append(f"No answer for {_parts(len(missing))}: {_listed(missing)}.")
    if invalid:
        notes.append(f"{_parts(len(invalid)).capitalize()} had an answer of the wrong form: {_listed(invalid)}.")
    if not_graded and result.error is None:
        verb = "was" if len(not_graded) == 1 else "were"
        notes.append(f"{_parts(len(not_graded)).capitalize()} {verb} not graded because the notebook never "
                     f"checked their question: {_listed(not_graded)}.")
    return tuple(notes)
