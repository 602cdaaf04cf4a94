"""Figures for answer keys, as inline SVG drawn without a browser.

- A quantization number line: the bins of the levels around a value, their edges with
  exact values, and the value itself. Filled edge markers belong to the value's bin and
  hollow ones do not: half-to-even rounding gives a tie to the even neighbour.
- Bar charts of the target p, the draft q and the residual norm(max(0, p − q)).

A figure is drawn for a variant when one of its parts computes its answer with a core
function that the figure explains (see :data:`QUANTIZATION_FUNCTIONS` and
:data:`DISTRIBUTION_FUNCTIONS`); its arguments give the numbers. The output depends only
on those numbers, so the same variant gives the same bytes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from effquiz.core.quant import level_interval, level_range, qparams, quantize
from effquiz.core.specdec import residual
from effquiz.errors import CoreError
from effquiz.templates.expressions import ExpressionError
from effquiz.templates.prompts import format_number
from effquiz.templates.schema import Template
from effquiz.variants.model import Variant

QUANTIZATION_FUNCTIONS = ("quant.lower_edge", "quant.upper_edge", "quant.quantize")
DISTRIBUTION_FUNCTIONS = ("spec.acceptance_rate", "spec.residual", "spec.total_variation")

WIDTH = 720
HIGHLIGHT = "#f4a261"
VALUE = "#d62828"
BAR_COLORS = {"p": "#264653", "q": "#2a9d8f", "residual": "#e76f51"}
_BINS_EACH_SIDE = 2
_MAX_SINGLE_BARS = 24


@dataclass(frozen=True)
class Figure:
    """One figure: a caption and its SVG markup."""

    caption: str
    svg: str


def figures_for(template: Template, variant: Variant) -> list[Figure]:
    """Return the figures that explain a variant: at most one number line and one bar chart."""
    figures: list[Figure] = []
    for functions, draw in ((QUANTIZATION_FUNCTIONS, _number_line), (DISTRIBUTION_FUNCTIONS, _bar_charts)):
        for part in template.parts:
            if part.answer is not None and part.answer.function in functions:
                try:
                    arguments = {name: expression.evaluate(variant.params) for name, expression in part.answer.args}
                    figures.append(draw(part.answer.function, arguments))
                except (ExpressionError, CoreError, KeyError):
                    continue  # this part's arguments cannot be drawn; another part may serve
                break
    return figures


def _number_line(function: str, arguments: dict[str, Any]) -> Figure:
    if function == "quant.quantize":
        value, scale, zero_point = Fraction(arguments["x"]), arguments["scale"], arguments["zero_point"]
    else:
        value = Fraction(arguments["value"])
        params = qparams(arguments["lo"], arguments["hi"], arguments["bits"], arguments["signed"])
        scale, zero_point = params.scale, params.zero_point
    bits, signed = arguments["bits"], arguments["signed"]
    scale = Fraction(scale)
    level = quantize(value, scale, zero_point, bits, signed)
    qmin, qmax = level_range(bits, signed)
    levels = [lvl for lvl in range(level - _BINS_EACH_SIDE, level + _BINS_EACH_SIDE + 1) if qmin <= lvl <= qmax]
    intervals = [level_interval(lvl, scale, zero_point, bits, signed) for lvl in levels]
    first = intervals[0].lower if intervals[0].lower is not None else intervals[0].upper - scale
    last = intervals[-1].upper if intervals[-1].upper is not None else intervals[-1].lower + scale
    left, right = 40, WIDTH - 40

    def x_of(number: Fraction) -> float:
        return left + float((number - first) / (last - first)) * (right - left)

    parts = [_svg_open(190, "A number line with the quantization bins around the value")]
    axis_y = 110
    for interval in intervals:
        low = interval.lower if interval.lower is not None else first
        high = interval.upper if interval.upper is not None else last
        fill = HIGHLIGHT if interval.level == level else "#e9ecef"
        parts.append(f'<rect x="{x_of(low):.2f}" y="{axis_y - 36}" width="{x_of(high) - x_of(low):.2f}" '
                     f'height="36" fill="{fill}" stroke="#495057" stroke-width="1"/>')
        parts.append(_text((x_of(low) + x_of(high)) / 2, axis_y - 44, f"q = {interval.level}", size=13))
    edges = sorted({edge for interval in intervals for edge in (interval.lower, interval.upper) if edge is not None})
    for index, edge in enumerate(edges):
        x = x_of(edge)
        parts.append(f'<line x1="{x:.2f}" y1="{axis_y - 40}" x2="{x:.2f}" y2="{axis_y + 8}" stroke="#212529" '
                     'stroke-width="1.5"/>')
        parts.append(_text(x, axis_y + 24 + 14 * (index % 2), format_number(edge), size=11))
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" stroke="#212529" stroke-width="2"/>')
    own = next(interval for interval in intervals if interval.level == level)
    for edge, closed in ((own.lower, own.lower_closed), (own.upper, own.upper_closed)):
        if edge is not None:
            fill = "#212529" if closed else "#ffffff"
            parts.append(f'<circle cx="{x_of(edge):.2f}" cy="{axis_y}" r="5" fill="{fill}" stroke="#212529" '
                         'stroke-width="1.5"/>')
    x = x_of(value)
    parts.append(f'<line x1="{x:.2f}" y1="{axis_y - 78}" x2="{x:.2f}" y2="{axis_y}" stroke="{VALUE}" '
                 'stroke-width="2.5"/>')
    parts.append(f'<polygon points="{x - 6:.2f},{axis_y - 84} {x + 6:.2f},{axis_y - 84} {x:.2f},{axis_y - 74}" '
                 f'fill="{VALUE}"/>')
    parts.append(_text(x, axis_y - 90, f"x = {format_number(value)}", size=13, color=VALUE))
    parts.append(_text(WIDTH / 2, 182, f"S = {_fraction(scale)}, Z = {zero_point}; each bin is "
                       "S·[k − 1/2, k + 1/2] with k = q − Z", size=12))
    parts.append("</svg>")
    caption = (f"The bins of levels {levels[0]} to {levels[-1]} with their edges. x = {format_number(value)} falls in "
               f"the bin of level {level}; a filled end belongs to that bin, a hollow end does not.")
    return Figure(caption, "\n".join(parts))


def _bar_charts(function: str, arguments: dict[str, Any]) -> Figure:
    p = tuple(Fraction(value) for value in arguments["p"])
    q = tuple(Fraction(value) for value in arguments["q"])
    try:
        rest: tuple[Fraction, ...] | None = residual(p, q)
    except CoreError:
        rest = None  # p equals q: nothing is rejected, so there is no residual to draw
    groups = _groups(p, q, rest)
    top = max([*p, *q, *(rest or ())]) or Fraction(1)

    panel_width, gap = (WIDTH - 40) / 3, 20
    parts = [_svg_open(250, "Bar charts of the target p, the draft q and the residual")]
    panels = (("p", "target p", [group[1] for group in groups]), ("q", "draft q", [group[2] for group in groups]),
              ("residual", "residual norm(max(0, p − q))", [group[3] for group in groups]))
    for index, (key, title, values) in enumerate(panels):
        label_x = 20 + index * panel_width
        x0, width = label_x + 30, panel_width - gap - 30
        parts.append(_text(x0 + width / 2, 20, title, size=13))
        base, height = 200, 160
        parts.append(f'<line x1="{x0:.2f}" y1="{base}" x2="{x0 + width:.2f}" y2="{base}" stroke="#212529"/>')
        parts.append(f'<line x1="{x0:.2f}" y1="{base - height}" x2="{x0:.2f}" y2="{base}" stroke="#212529"/>')
        parts.append(_text(x0 - 4, base - height + 4, format_number(top, digits=3), size=10, anchor="end"))
        parts.append(_text(x0 - 4, base + 4, "0", size=10, anchor="end"))
        if key == "residual" and rest is None:
            parts.append(_text(x0 + width / 2, base - height / 2, "undefined: p equals q", size=12))
            continue

        bar = width / len(groups)
        for slot, (label, *_), value in zip(range(len(groups)), groups, values):
            bar_height = float(value / top) * height
            parts.append(f'<rect x="{x0 + slot * bar + bar * 0.15:.2f}" y="{base - bar_height:.2f}" '
                         f'width="{bar * 0.7:.2f}" height="{bar_height:.2f}" fill="{BAR_COLORS[key]}"/>')
            parts.append(_text(x0 + slot * bar + bar / 2, base + 14, label, size=10))

    parts.append(_text(WIDTH / 2, 242, "token index (runs of tokens with equal probabilities share one bar)"
                       if len(groups) < len(p) else "token index", size=11))
    parts.append("</svg>")
    caption = (f"Target p, draft q and the residual over {len(p)} tokens; the bars share one scale, "
               f"0 to {format_number(top)}.")
    return Figure(caption, "\n".join(parts))


def _groups(p: tuple[Fraction, ...], q: tuple[Fraction, ...], rest: tuple[Fraction, ...] | None
            ) -> list[tuple[str, Fraction, Fraction, Fraction]]:
    """Return one bar per token, or per run of equal tokens when there are too many to draw."""
    rows = [(p[i], q[i], rest[i] if rest is not None else Fraction(0)) for i in range(len(p))]
    if len(rows) <= _MAX_SINGLE_BARS:
        return [(str(i + 1), *row) for i, row in enumerate(rows)]
    groups: list[tuple[str, Fraction, Fraction, Fraction]] = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i] != rows[start]:
            label = str(start + 1) if i - start == 1 else f"{start + 1}–{i}"
            groups.append((label, *rows[start]))
            start = i
    return groups


def _svg_open(height: int, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{html.escape(label)}" '
            'font-family="DejaVu Sans, Arial, sans-serif">')


def _text(x: float, y: float, text: str, *, size: int, color: str = "#212529", anchor: str = "middle") -> str:
    return (f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" fill="{color}" '
            f'text-anchor="{anchor}">{html.escape(text)}</text>')


def _fraction(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
