"""HTML pages for print: a handout with the questions and a key with answers, steps and figures.

Pages are self-contained (inline CSS and SVG, no scripts, nothing fetched), so a browser
prints them offline. Every text from a template passes through Markdown with raw HTML
disabled, or through HTML escaping.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import effquiz
from effquiz.build.sources import reference_source, starter_source
from effquiz.assignment import Assignment, Question
from effquiz.export.figures import figures_for
from effquiz.export.items import markdown_html, points_text
from effquiz.export.solutions import show_answer, worked_steps
from effquiz.grader.judge import describe_tolerance, letters
from effquiz.templates.schema import PartSpec
from effquiz.variants.model import Variant

STYLE = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 11pt; line-height: 1.4; color: #212529;
       max-width: 190mm; margin: 0 auto; padding: 8px; }
header { border-bottom: 2px solid #212529; margin-bottom: 12px; }
header h1 { font-size: 17pt; margin: 0 0 4px; }
header p { margin: 2px 0; }
.kind { font-family: "DejaVu Sans", Arial, sans-serif; font-weight: bold; color: #9d0208; }
h2 { font-size: 13pt; margin: 18px 0 6px; }
.question { break-inside: auto; }
.parts { padding-left: 0; list-style: none; }
.part { break-inside: avoid; margin: 10px 0 14px; }
.label { font-weight: bold; }
.points { color: #6c757d; font-size: 10pt; }
.answer-box { border: 1px solid #adb5bd; height: 2.2em; margin-top: 4px; padding: 2px 6px; color: #6c757d;
              font-size: 9pt; }
.choices { margin: 4px 0 0 1.5em; padding: 0; list-style: none; }
.key-answer { background: #e9f5ec; border-left: 4px solid #2b9348; padding: 4px 8px; margin-top: 4px; }
.tolerance { color: #495057; font-size: 10pt; }
.steps { border-left: 4px solid #adb5bd; padding: 2px 8px; margin-top: 6px; }
.steps h4, .mistakes h4 { margin: 2px 0; font-size: 10pt; font-family: "DejaVu Sans", Arial, sans-serif; }
.steps p { margin: 2px 0; }
.mistakes { font-size: 10pt; margin-top: 6px; }
.mistakes table { border-collapse: collapse; }
.mistakes td, .mistakes th { border: 1px solid #ced4da; padding: 2px 6px; vertical-align: top; text-align: left; }
figure { break-inside: avoid; margin: 12px 0; }
figcaption { font-size: 10pt; color: #495057; }
footer { margin-top: 24px; font-size: 9pt; color: #6c757d; border-top: 1px solid #ced4da; }
"""


@dataclass(frozen=True)
class Sheet:
    """The reader of a page (a student or a form), with their variant of each question."""

    heading: str
    variants: dict[str, Variant]
    seed_note: str


def handout_page(assignment: Assignment, sheet: Sheet) -> str:
    """Return the handout: every question with its parts and a space for each answer."""
    body = [_question(assignment, index, question, sheet.variants[question.id], key=False)
            for index, question in enumerate(assignment.questions, start=1)]
    return _page(assignment, sheet, "Problem set", body)


def key_page(assignment: Assignment, sheet: Sheet) -> str:
    """Return the answer key: answers, accepted tolerance, worked steps, mistakes and figures."""
    body = [_question(assignment, index, question, sheet.variants[question.id], key=True)
            for index, question in enumerate(assignment.questions, start=1)]
    return _page(assignment, sheet, "Answer key (for course staff)", body)


def _page(assignment: Assignment, sheet: Sheet, kind: str, body: list[str]) -> str:
    intro = f'<div class="intro">{markdown_html(assignment.intro)}</div>' if assignment.intro else ""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_escape(assignment.title)}: {_escape(sheet.heading)} ({_escape(kind)})</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_escape(assignment.title)}</h1>",
        f"<p>{_escape(sheet.heading)}</p>",
        f'<p class="kind">{_escape(kind)}</p>',
        "</header>",
        intro,
        *body,
        f"<footer>effquiz {effquiz.__version__}; {_escape(sheet.seed_note)}</footer>",
        "</body>",
        "</html>",
        "",
    ])


def _question(assignment: Assignment, index: int, question: Question, variant: Variant, *, key: bool) -> str:
    template = question.template
    points = question.part_points()
    parts = []
    for label, part in zip(letters(len(template.parts)), template.parts):
        parts.append(_part(template, part, variant, label, points[part.name], key=key))
    figures = ""
    if key:
        figures = "\n".join(f'<figure>{figure.svg}<figcaption>{_escape(figure.caption)}</figcaption></figure>'
                            for figure in figures_for(template, variant))
    seed = f'<p class="tolerance">Variant seed {variant.seed}.</p>' if key else ""
    return "\n".join([
        '<section class="question">',
        f"<h2>Question {index} ({points_text(question.points)} points): {_escape(template.title)}</h2>",
        seed,
        f'<div class="prompt">{markdown_html(variant.prompt)}</div>',
        '<ol class="parts">',
        *parts,
        "</ol>",
        figures,
        "</section>",
    ])


def _part(template, part: PartSpec, variant: Variant, label: str, points, *, key: bool) -> str:
    prompt = markdown_html(variant.part_prompts[part.name]).removeprefix("<p>")
    unit = "point" if points == 1 else "points"
    lines = ['<li class="part">',
             f'<p><span class="label">({label})</span> {prompt.removesuffix("</p>")} '
             f'<span class="points">({points_text(points)} {unit})</span></p>']
    if part.kind == "function":
        lines += _function_part(part, key=key)
        lines.append("</li>")
        return "\n".join(lines)
    if part.kind == "choice":
        choices = "".join(f"<li>({letter}) {_escape(text)}</li>"
                          for letter, (_, text) in zip(letters(len(part.choices)), part.choices))
        lines.append(f'<ul class="choices">{choices}</ul>')
    if not key:
        lines.append(f'<div class="answer-box">Answer{_shape(part)}:</div>')
        lines.append("</li>")
        return "\n".join(lines)

    answer = variant.answers[part.name]
    accepted = "" if part.kind in ("choice", "integer") else \
        f' <span class="tolerance">(accepted {describe_tolerance(part.tolerance)})</span>'
    lines.append(f'<div class="key-answer"><strong>Answer:</strong> {_escape(_key_answer(part, answer.value))}'
                 f"{accepted}</div>")
    lines.append(f'<div class="steps"><h4>Worked solution</h4>{markdown_html(worked_steps(template, part, variant))}'
                 "</div>")
    if answer.misconceptions:
        rows = "".join(
            f"<tr><td>{_escape(name)}</td><td>{_escape(show_answer(part, value))}"
            f"{' (the same as the answer in this variant)' if value == answer.value else ''}</td>"
            f"<td>{_escape(next(m.feedback for m in part.misconceptions if m.name == name))}</td></tr>"
            for name, value in answer.misconceptions.items())
        lines.append('<div class="mistakes"><h4>Common mistakes</h4><table><tr><th>mistake</th><th>answer</th>'
                     f"<th>feedback</th></tr>{rows}</table></div>")
    lines.append("</li>")
    return "\n".join(lines)


def _function_part(part: PartSpec, *, key: bool) -> list[str]:
    """Return a function part's lines: the starter to complete, or in the key the reference and known mistakes."""
    spec = part.function
    assert spec is not None
    if not key:
        _, starter = starter_source(spec.module, spec.name)
        return [f"<pre><code>{_escape(starter)}</code></pre>",
                '<div class="answer-box">Write the body of the function:</div>']
    lines = ['<div class="key-answer"><strong>Reference implementation:</strong></div>',
             f"<pre><code>{_escape(reference_source(spec.module, spec.name))}</code></pre>"]
    if spec.sampling is not None:
        lines.append('<p class="tolerance">Graded by a statistical test of its outputs over '
                     f"{spec.sampling.calls} calls per setting.</p>")
    if spec.misconceptions:
        rows = "".join(f"<tr><td>{_escape(mistake.name)}</td><td>{_escape(mistake.feedback)}</td></tr>"
                       for mistake in spec.misconceptions)
        lines.append('<div class="mistakes"><h4>Common mistakes</h4><table><tr><th>mistake</th>'
                     f"<th>feedback</th></tr>{rows}</table></div>")
    return lines


def _key_answer(part: PartSpec, value: Any) -> str:
    if part.kind == "choice":
        letter = letters(len(part.choices))[[key for key, _ in part.choices].index(value)]
        return f"({letter}) {part.choice_text(value)}"
    return show_answer(part, value)


def _shape(part: PartSpec) -> str:
    if part.kind == "choice":
        return " (letter)"
    if part.kind == "vector":
        return " (list of numbers)"
    if part.kind == "interval":
        return " (lower and upper bound)"
    return ""


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
