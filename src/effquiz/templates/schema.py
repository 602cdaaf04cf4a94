"""Typed, validated form of a problem template.

The loader in :mod:`effquiz.templates.loader` turns a YAML file into these frozen
dataclasses. Everything after loading works on them and never on raw YAML.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from effquiz.errors import Location
from effquiz.templates.expressions import CallObserver, Expression, ExpressionError, core_function

ParamKind = Literal["uniform", "integer", "choice", "derived"]
PartKind = Literal["number", "integer", "choice", "vector", "interval", "function"]
TOPICS = ("quantization", "speculative-decoding")


@dataclass(frozen=True)
class ParamSpec:
    """One template parameter and how it is drawn.

    ``uniform`` draws a real in [low, high] and rounds it to ``decimals`` places or
    ``sigfigs`` significant figures before anything is computed from it. ``integer``
    draws from low, low + step, ..., high. ``choice`` draws one of ``values``.
    ``derived`` evaluates ``expr`` over the parameters before it and, when it has
    ``decimals`` or ``sigfigs``, rounds the result half to even to that precision.
    """

    name: str
    kind: ParamKind
    location: Location
    low: Expression | None = None
    high: Expression | None = None
    step: Expression | None = None
    decimals: int | None = None
    sigfigs: int | None = None
    values: tuple[Any, ...] = ()
    expr: Expression | None = None
    description: str = ""

    def reads(self) -> frozenset[str]:
        """Return the names of the other parameters that this one depends on."""
        names: set[str] = set()
        for expression in (self.low, self.high, self.step, self.expr):
            if expression is not None:
                names |= expression.names
        return frozenset(names)


@dataclass(frozen=True)
class Constraint:
    """A condition that every variant's parameters must meet."""

    expression: Expression
    name: str
    location: Location


@dataclass(frozen=True)
class AnswerRule:
    """How a value is computed: a named core function with named arguments, or an expression."""

    location: Location
    function: str | None = None
    args: tuple[tuple[str, Expression], ...] = ()
    expr: Expression | None = None
    pick: Expression | None = None

    def reads(self) -> frozenset[str]:
        """Return the parameter names that the rule reads."""
        names: set[str] = set()
        for _, expression in self.args:
            names |= expression.names
        for expression in (self.expr, self.pick):
            if expression is not None:
                names |= expression.names
        return frozenset(names)

    def evaluate(self, env: dict[str, Any], *, memo: dict[str, Any] | None = None,
                 observer: CallObserver | None = None) -> Any:
        """Compute the value over the parameters in ``env``.

        ``memo`` and ``observer`` work as in :meth:`Expression.evaluate`, and the core
        function call of a ``function`` rule is cached and observed too. Raises
        ExpressionError, or the core's own error, when the computation fails.
        """
        if self.function is not None:
            value = self._call(env, memo, observer)
        else:
            assert self.expr is not None
            value = self.expr.evaluate(env, memo=memo, observer=observer)
        if self.pick is not None:
            index = self.pick.evaluate(env, memo=memo, observer=observer)
            if isinstance(value, (tuple, list)):
                value = value[int(index)]
            else:
                value = getattr(value, str(index))
        return value

    def _call(self, env: dict[str, Any], memo: dict[str, Any] | None, observer: CallObserver | None) -> Any:
        function = core_function(self.function or "")
        if function is None:  # the loader checks this; it guards direct construction
            raise ExpressionError(f"{self.function} is not a core function")
        key = f"{self.function}({', '.join(f'{name}={expression.source}' for name, expression in self.args)})"
        if memo is not None and key in memo:
            return memo[key]
        kwargs = {name: expression.evaluate(env, memo=memo, observer=observer) for name, expression in self.args}
        value = function(**kwargs)
        if observer is not None:
            observer(self.function or "", (), kwargs, value)
        if memo is not None:
            memo[key] = value
        return value


def function_parameters(dotted: str) -> tuple[list[str], list[str]]:
    """Return the required and optional keyword names of a core function."""
    function = core_function(dotted)
    if function is None:
        return [], []
    required, optional = [], []
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        (required if parameter.default is parameter.empty else optional).append(parameter.name)
    return required, optional


@dataclass(frozen=True)
class Tolerance:
    """How close an answer must be to the reference to earn credit.

    A number is accepted when |answer − reference| <= max(absolute, relative·|reference|).
    ``sigfigs`` accepts any answer that rounds to the reference at that many significant
    figures. An exact tolerance demands equality.
    """

    absolute: Fraction = Fraction(0)
    relative: Fraction = Fraction(0)
    sigfigs: int | None = None

    @property
    def exact(self) -> bool:
        """Whether the tolerance demands equality."""
        return self.absolute == 0 and self.relative == 0 and self.sigfigs is None


@dataclass(frozen=True)
class Overlap:
    """A declared, accepted rate at which a misconception's answer passes as the right one."""

    max_rate: Fraction
    reason: str


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer, how it is computed, and the feedback it earns.

    ``when`` limits the misconception to the variants where it holds; elsewhere the
    variant carries no answer for it. ``overlap`` accepts that its answer sometimes falls
    inside the tolerance of the right one, which ``effquiz check`` otherwise reports.
    """

    name: str
    answer: AnswerRule
    feedback: str
    location: Location
    when: Expression | None = None
    overlap: Overlap | None = None


@dataclass(frozen=True)
class PartSpec:
    """One answer that the student gives, in one notebook variable.

    A ``distribution`` vector must also sum to 1. A ``function`` part has no ``answer``
    rule: its ``function`` spec says how the student's function is probed instead.
    """

    name: str
    kind: PartKind
    variable: str
    prompt: str
    answer: AnswerRule | None
    location: Location
    tolerance: Tolerance = field(default_factory=Tolerance)
    choices: tuple[tuple[str, str], ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    weight: Fraction = Fraction(1)
    solution: str = ""
    """Worked solution steps: Jinja text over the parameters, ``answer`` (this part's reference
    answer) and ``answers`` (every part's, by part name). Empty when the template gives none."""
    distribution: bool = False
    function: "FunctionSpec | None" = None

    def choice_text(self, key: str) -> str:
        """Return the text of the choice with ``key``."""
        return dict(self.choices)[key]


# Function parts: the student writes a function, which the judge calls on probe inputs.

SAMPLING_LAWS = ("speculative-sampling",)
"""The output laws that a stochastic function part can be tested against."""

SAMPLING_MISTAKES = ("p-instead-of-residual", "unnormalized-residual", "p-q-swapped", "no-bonus-token")
"""Known wrong laws of the speculative sampling step that misconceptions can name."""

ARRAY_DTYPES: dict[str, tuple[int, int] | None] = {
    "float64": None,
    "int64": (-(2**63), 2**63 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int8": (-128, 127),
    "uint8": (0, 255),
}
"""The NumPy dtypes that a function part's array arguments can have, with the range of
each integer dtype. float64 is the default."""


@dataclass(frozen=True)
class Probe:
    """One fixed input of a function part, the same for every student."""

    label: str
    args: tuple[tuple[str, Expression], ...]
    hidden: bool
    location: Location


@dataclass(frozen=True)
class FunctionMisconception:
    """A known wrong implementation: a function in the solutions module, or a wrong sampling law."""

    name: str
    feedback: str
    location: Location
    function: str | None = None
    law: str | None = None


@dataclass(frozen=True)
class SamplingSetting:
    """Target rows p (γ + 1 of them) and draft rows q (γ) that a sampling step is called with.

    Every entry is a dyadic rational, so the float arrays that the student's function
    receives hold exactly these values.
    """

    name: str
    target: tuple[tuple[Fraction, ...], ...]
    draft: tuple[tuple[Fraction, ...], ...]
    location: Location


@dataclass(frozen=True)
class SamplingSpec:
    """How a stochastic function is tested: its law, settings, calls per setting and false-fail rate."""

    law: str
    calls: int
    false_fail: Fraction
    settings: tuple[SamplingSetting, ...]


@dataclass(frozen=True)
class FunctionSpec:
    """A function that the student implements, and the probes it is graded on.

    ``module`` names both ``student_template/MODULE.py`` (the starter, with the signature)
    and ``solutions/MODULE.py`` (the reference). Per-student probes evaluate
    ``probe_args`` over ``probe_count`` fresh draws of the template's parameters. A
    stochastic function has ``sampling`` instead of probes. ``dtypes`` maps a parameter
    that receives an array to its NumPy dtype when that is not float64.
    """

    module: str
    name: str
    parameters: tuple[str, ...]
    location: Location
    probe_count: int = 0
    probe_args: tuple[tuple[str, Expression], ...] = ()
    probes_hidden: bool = True
    edge_probes: tuple[Probe, ...] = ()
    misconceptions: tuple[FunctionMisconception, ...] = ()
    sampling: SamplingSpec | None = None
    dtypes: tuple[tuple[str, str], ...] = ()

    def dtype(self, parameter: str) -> str:
        """Return the NumPy dtype of the array passed as ``parameter``: its entry in ``dtypes``, else float64."""
        return dict(self.dtypes).get(parameter, "float64")


@dataclass(frozen=True)
class NamedExpression:
    """An expression with a name for reports, such as one entry of ``checks.ties``."""

    name: str
    expression: Expression
    location: Location


@dataclass(frozen=True)
class CheckSpec:
    """What ``effquiz check`` tests beyond its built-in checks.

    ``ties`` are values that get rounded, which must stay away from rounding ties.
    ``degenerate`` are conditions that make a variant degenerate, which no draw may meet.
    ``max_duplicate_rate`` replaces the command's limit on the rate of repeated variants.
    """

    ties: tuple[NamedExpression, ...] = ()
    degenerate: tuple[NamedExpression, ...] = ()
    max_duplicate_rate: Fraction | None = None


@dataclass(frozen=True)
class Template:
    """A validated problem template: its parameters, constraints, prompt and parts."""

    id: str
    version: int
    topic: str
    title: str
    path: Path
    params: tuple[ParamSpec, ...]
    constraints: tuple[Constraint, ...]
    prompt: str
    parts: tuple[PartSpec, ...]
    conventions: str = ""
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_tries: int = 1000
    checks: CheckSpec = field(default_factory=CheckSpec)

    def param(self, name: str) -> ParamSpec:
        """Return the parameter called ``name``."""
        for spec in self.params:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def part(self, name: str) -> PartSpec:
        """Return the part called ``name``."""
        for spec in self.parts:
            if spec.name == name:
                return spec
        raise KeyError(name)
