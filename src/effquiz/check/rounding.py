"""Watching the calls of a reference answer for rounding ties and degenerate inputs.

The sweep passes :class:`CallWatch` as the observer of :func:`generate_variant`, so it
sees every builtin and core function call that a reference answer makes, with its
arguments. Two tables say what to look for:

- :data:`ROUNDED` names the quantity that each rounding function rounds half to even,
  such as x/S for ``quant.quantize``. A quantity within :data:`TIE_MARGIN` of a tie
  k + 1/2 is reported, because rounding rules disagree there and a student's float
  arithmetic can land on either side.
- Functions that compare a target p with a draft q are degenerate when p equals q:
  every drafted token is kept and the residual is undefined.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from effquiz.core import quant
from effquiz.core.exact import tie_distance, to_exact
from effquiz.errors import CoreError
from effquiz.templates.expressions import BUILTINS, core_function

TIE_MARGIN = Fraction(1, 10**6)
"""A rounded quantity closer than this to a tie k + 1/2 is reported."""


def _over_scale(arguments: dict[str, Any], name: str) -> tuple[str, Fraction]:
    step = quant.scale(arguments["lo"], arguments["hi"], arguments["bits"])
    return f"{name}/S", to_exact(arguments[name]) / step


def _round(arguments: dict[str, Any]) -> list[tuple[str, Fraction]]:
    digits = arguments.get("digits")
    if digits is None:
        return [("x", to_exact(arguments["x"]))]
    return [(f"x·10^{digits}", to_exact(arguments["x"]) * Fraction(10) ** int(digits))]


ROUNDED: dict[str, Callable[[dict[str, Any]], list[tuple[str, Fraction]]]] = {
    "round": _round,
    "quant.quantize": lambda a: [("x/S", to_exact(a["x"]) / to_exact(a["scale"]))],
    "quant.zero_point": lambda a: [_over_scale(a, "lo")],
    "quant.qparams": lambda a: [_over_scale(a, "lo")],
    "quant.lower_edge": lambda a: [_over_scale(a, "value"), _over_scale(a, "lo")],
    "quant.upper_edge": lambda a: [_over_scale(a, "value"), _over_scale(a, "lo")],
}
"""For each function that rounds, the quantities it rounds, by name, from its arguments."""

TARGET_AND_DRAFT = frozenset({"spec.acceptance_rate", "spec.total_variation", "spec.residual"})
"""Core functions whose arguments p and q are the target and draft distributions."""


@dataclass(frozen=True)
class Observation:
    """One suspicious call: a quantity near a rounding tie, or a degenerate input."""

    check: str
    function: str
    message: str


@dataclass
class CallWatch:
    """Collects the observations of one variant; pass :meth:`observe` as the observer."""

    observations: list[Observation] = field(default_factory=list)

    def observe(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> None:
        """Look at one call; see the module docstring for what is looked for."""
        if name not in ROUNDED and name not in TARGET_AND_DRAFT:
            return
        arguments = _bind(name, args, kwargs)
        if arguments is None:
            return
        if name in TARGET_AND_DRAFT:
            self._check_distributions(name, arguments)
            return
        try:
            quantities = ROUNDED[name](arguments)
        except (CoreError, KeyError, TypeError, ZeroDivisionError):
            return  # the call itself succeeded, so an argument this table cannot read is no tie
        for label, value in quantities:
            distance = tie_distance(value)
            if distance < TIE_MARGIN:
                self.observations.append(Observation(
                    "tie", name, f"{name} rounds {label} = {float(value):.10g}, which is {float(distance):.3g} "
                                 f"from the tie {float(value - value % 1 + Fraction(1, 2)):g}"))

    def _check_distributions(self, name: str, arguments: dict[str, Any]) -> None:
        p, q = arguments.get("p"), arguments.get("q")
        if isinstance(p, (tuple, list)) and isinstance(q, (tuple, list)) and len(p) == len(q):
            if all(to_exact(a) == to_exact(b) for a, b in zip(p, q)):
                self.observations.append(Observation(
                    "degenerate", name, f"{name} gets a target p equal to the draft q, so every drafted "
                                        "token is kept and the residual is undefined"))

    def take(self) -> list[Observation]:
        """Return the observations so far and start a new list."""
        taken, self.observations = self.observations, []
        return taken


_SIGNATURES: dict[str, inspect.Signature] = {}


def _bind(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any] | None:
    signature = _SIGNATURES.get(name)
    if signature is None:
        function = BUILTINS.get(name) or core_function(name)
        if function is None:
            return None
        signature = _SIGNATURES[name] = inspect.signature(function)
    try:
        return dict(signature.bind(*args, **kwargs).arguments)
    except TypeError:
        return None
