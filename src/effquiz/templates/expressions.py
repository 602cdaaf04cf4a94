"""A small, safe expression language for template parameters, constraints and answers.

Expressions use Python syntax, parsed with :mod:`ast`, and are interpreted by a walker that
accepts only a fixed set of node types. Nothing reaches Python's ``eval``: there are no
attribute lookups except on the core namespaces ``quant`` and ``spec``, no imports, no
comprehensions and no lambdas.

Numbers are exact. A literal such as ``0.1`` becomes ``Fraction(1, 10)``, ``/`` divides
exactly, and ``**`` with an integer exponent stays exact. Functions that are irrational
by nature (``log2``, ``sqrt``, ``exp``) return the exact value of their float result.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import math
import operator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Iterable

from effquiz.core import exact as exact_core
from effquiz.core import quant, schemes, specdec, tensors


class ExpressionError(Exception):
    """An expression is malformed or failed to evaluate; the caller adds the location."""


class NonFiniteError(ExpressionError):
    """An expression's value is infinite or undefined, such as ``log2(0)`` or ``1 / 0``."""


CallObserver = Callable[[str, tuple[Any, ...], dict[str, Any], Any], None]
"""A function that :meth:`Expression.evaluate` calls after each function call, with the
function's name (``round`` or ``quant.quantize``), its positional and keyword arguments and
its result."""


def _exact(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NonFiniteError(f"the result {value} is not a finite number")
        return exact_core.to_exact(value)
    return value


def _number(value: Any, what: str) -> Fraction | int:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise ExpressionError(f"{what} needs a number, got {value!r}")
    return value


def _float_function(function: Callable[[float], float], name: str) -> Callable[..., Fraction]:
    def wrapped(x: Any) -> Fraction:
        try:
            return _exact(function(float(_number(x, name))))
        except (ValueError, OverflowError) as error:
            raise NonFiniteError(f"{name}({x}) is not a finite number: {error}") from error

    wrapped.__name__ = name
    return wrapped


def _log(x: Any, base: Any = None) -> Fraction:
    value = float(_number(x, "log"))
    if value <= 0:
        raise NonFiniteError(f"log({x}) is not a finite number, because {x} <= 0")
    if base is None:
        return _exact(math.log(value))
    return _exact(math.log(value, float(_number(base, "log"))))


def _uniform(n: Any) -> tuple[Fraction, ...]:
    """Return the uniform distribution over ``n`` outcomes."""
    count = _count(n, "uniform")
    return tuple(Fraction(1, count) for _ in range(count))


def _uniform_prefix(n: Any, k: Any) -> tuple[Fraction, ...]:
    """Return a length-``n`` distribution uniform over its first ``k`` outcomes and 0 elsewhere."""
    length, support = _count(n, "uniform_prefix"), _count(k, "uniform_prefix")
    if support > length:
        raise ExpressionError(f"uniform_prefix({n}, {k}) needs k <= n")
    return tuple(Fraction(1, support) if i < support else Fraction(0) for i in range(length))


def _count(value: Any, name: str) -> int:
    number = _number(value, name)
    if number != int(number) or number < 1:
        raise ExpressionError(f"{name} needs a positive whole number, got {value}")
    return int(number)


def _round(x: Any, digits: Any = None) -> Fraction | int:
    number = _number(x, "round")
    if digits is None:
        return exact_core.round_half_even(number)
    scale = Fraction(10) ** int(_number(digits, "round"))
    return Fraction(exact_core.round_half_even(number * scale)) / scale


BUILTINS: dict[str, Callable[..., Any]] = {
    "min": lambda *args: min(args[0]) if len(args) == 1 else min(args),
    "max": lambda *args: max(args[0]) if len(args) == 1 else max(args),
    "abs": abs,
    "sum": lambda values: sum(values, Fraction(0)),
    "len": len,
    "round": _round,
    "floor": lambda x: math.floor(_number(x, "floor")),
    "ceil": lambda x: math.ceil(_number(x, "ceil")),
    "log": _log,
    "log2": _float_function(math.log2, "log2"),
    "log10": _float_function(math.log10, "log10"),
    "exp": _float_function(math.exp, "exp"),
    "sqrt": _float_function(math.sqrt, "sqrt"),
    "tie_distance": exact_core.tie_distance,
    "uniform": _uniform,
    "uniform_prefix": _uniform_prefix,
}
"""Functions that every expression may call, by name."""

CONSTANTS: dict[str, Any] = {
    "pi": exact_core.to_exact(math.pi),
    "e": exact_core.to_exact(math.e),
    "true": True,
    "false": False,
    "True": True,
    "False": False,
}
"""Names that every expression may use."""


def _public_functions(module: Any) -> dict[str, Callable[..., Any]]:
    return {name: getattr(module, name) for name in module.__all__ if inspect.isfunction(getattr(module, name))}


NAMESPACES: dict[str, dict[str, Callable[..., Any]]] = {
    "quant": {**_public_functions(quant), **_public_functions(schemes), **_public_functions(tensors)},
    "spec": _public_functions(specdec),
}
"""Core functions, reachable as ``quant.NAME`` and ``spec.NAME``."""


def core_function(dotted: str) -> Callable[..., Any] | None:
    """Return the core function named ``quant.NAME`` or ``spec.NAME``, or None."""
    namespace, _, name = dotted.partition(".")
    return NAMESPACES.get(namespace, {}).get(name)


def core_function_names() -> list[str]:
    """Return every ``namespace.function`` name that templates may call."""
    return sorted(f"{space}.{name}" for space, functions in NAMESPACES.items() for name in functions)


_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_MAX_POWER = 4096
_MEMO_KEY = "_effquiz_memo_key"


def suggestion(word: str, options: Iterable[str]) -> str:
    """Return " Did you mean 'x'?" for the closest option, or an empty string.

    The closest option is the most similar one by :mod:`difflib`, or else one that starts
    the word or that the word starts, so 'relative' suggests 'rel'.
    """
    options = list(options)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close and len(word) >= 3:
        close = [option for option in options if len(option) >= 3 and (word.startswith(option) or option.startswith(word))]
    return f" Did you mean {close[0]!r}?" if close else ""


def result_constants(expression: Expression) -> set[str]:
    """Return the text constants that an expression can return as its value.

    Only constants in result position count: the whole expression, both branches of a
    conditional and the operands of ``and`` and ``or``.
    """
    found: set[str] = set()
    pending: list[ast.AST] = [expression.tree.body]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, ast.IfExp):
            pending += [node.body, node.orelse]
        elif isinstance(node, ast.BoolOp):
            pending += node.values
    return found


@dataclass(frozen=True)
class Expression:
    """A parsed expression with the free names it reads."""

    source: str
    tree: ast.Expression
    names: frozenset[str]

    def evaluate(self, env: dict[str, Any], *, memo: dict[str, Any] | None = None,
                 observer: CallObserver | None = None) -> Any:
        """Evaluate the expression over ``env``; raise ExpressionError on failure.

        ``memo`` caches the result of each function call by its source text, so callers
        may pass one dict to every expression evaluated over the same ``env``, and never
        across different ones. ``observer`` sees every call that is not taken from ``memo``.
        """
        try:
            return _Evaluator(env, memo, observer).visit(self.tree.body)
        except ExpressionError:
            raise
        except ZeroDivisionError as error:
            raise NonFiniteError("division by zero") from error
        except (TypeError, ValueError, ArithmeticError) as error:
            raise ExpressionError(str(error)) from error


def parse_expression(source: Any) -> Expression:
    """Parse ``source`` (text, a number or a boolean) into an Expression.

    Raises ExpressionError naming the first construct that the language does not allow,
    an unknown function, or an argument that a core function does not take.
    """
    if isinstance(source, bool):
        source = "true" if source else "false"
    elif isinstance(source, (int, float)):
        source = repr(source)
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError(f"an expression must be non-empty text or a number, got {source!r}")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"invalid syntax in {source.strip()!r}: {error.msg}") from error
    nodes = list(ast.walk(tree))
    for node in nodes:
        _check_node(node)
    called: set[int] = set()
    for node in nodes:
        if isinstance(node, ast.Call):
            _check_call(node)
            called.add(id(node.func))
            setattr(node, _MEMO_KEY, ast.unparse(node))
    names = {node.id for node in nodes if isinstance(node, ast.Name) and id(node) not in called
             and node.id not in CONSTANTS and node.id not in NAMESPACES}
    return Expression(source.strip(), tree, frozenset(names))


_ALLOWED = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare,
    ast.IfExp, ast.Call, ast.keyword, ast.List, ast.Tuple, ast.Subscript, ast.Attribute, ast.Slice,
    ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd, ast.Pow, ast.Div, *_BINARY, *_COMPARE,
)


def _check_node(node: ast.AST) -> None:
    if not isinstance(node, _ALLOWED):
        raise ExpressionError(f"{type(node).__name__} is not allowed in an expression")
    if isinstance(node, ast.Attribute):
        if not (isinstance(node.value, ast.Name) and node.value.id in NAMESPACES):
            raise ExpressionError("attribute access is allowed only as quant.NAME or spec.NAME")
        if node.attr not in NAMESPACES[node.value.id]:
            raise ExpressionError(f"{node.value.id}.{node.attr} is not a core function."
                                  f"{suggestion(f'{node.value.id}.{node.attr}', core_function_names())}")
    if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool)):
        raise ExpressionError(f"the constant {node.value!r} is not allowed")


def _check_call(node: ast.Call) -> None:
    """Check that a call names a known function and, for a core function, passes arguments it takes."""
    if any(keyword_node.arg is None for keyword_node in node.keywords):
        raise ExpressionError("argument unpacking with ** is not allowed")
    if isinstance(node.func, ast.Name):
        if node.func.id not in BUILTINS:
            raise ExpressionError(f"the function {node.func.id!r} is not defined.{suggestion(node.func.id, BUILTINS)}")
        return
    if not isinstance(node.func, ast.Attribute):
        raise ExpressionError("only named functions can be called")
    dotted = f"{node.func.value.id}.{node.func.attr}"  # type: ignore[attr-defined]
    signature = inspect.signature(NAMESPACES[node.func.value.id][node.func.attr])  # type: ignore[attr-defined]
    for keyword_node in node.keywords:
        if keyword_node.arg not in signature.parameters:
            raise ExpressionError(f"{dotted} takes no argument {keyword_node.arg!r}."
                                  f"{suggestion(str(keyword_node.arg), signature.parameters)}")
    try:
        signature.bind(*node.args, **{keyword_node.arg: None for keyword_node in node.keywords})
    except TypeError as error:
        raise ExpressionError(f"{dotted}: {error}; it takes ({', '.join(signature.parameters)})") from None


class _Evaluator:
    def __init__(self, env: dict[str, Any], memo: dict[str, Any] | None, observer: CallObserver | None) -> None:
        self.env = env
        self.memo = memo
        self.observer = observer

    def visit(self, node: ast.AST) -> Any:
        method = getattr(self, f"visit_{type(node).__name__}")
        return method(node)

    def visit_Constant(self, node: ast.Constant) -> Any:
        value = node.value
        if isinstance(value, float):
            return exact_core.to_exact(value)
        return value

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id in self.env:
            return self.env[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise ExpressionError(f"the name {node.id!r} is not defined")

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        return NAMESPACES[node.value.id][node.attr]  # type: ignore[attr-defined]

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Div):
            return Fraction(_number(left, "/")) / _number(right, "/")
        if isinstance(node.op, ast.Pow):
            return self._power(left, right)
        if isinstance(node.op, ast.Add) and isinstance(left, tuple) and isinstance(right, tuple):
            return left + right
        return _exact(_BINARY[type(node.op)](left, right))

    @staticmethod
    def _power(base: Any, exponent: Any) -> Any:
        base, exponent = _number(base, "**"), _number(exponent, "**")
        if exponent == int(exponent):
            if abs(exponent) > _MAX_POWER:
                raise ExpressionError(f"the exponent {exponent} is larger than {_MAX_POWER}")
            if base == 0 and exponent < 0:
                raise NonFiniteError("0 cannot be raised to a negative power")
            return Fraction(base) ** int(exponent) if exponent < 0 else base ** int(exponent)
        if base < 0:
            raise NonFiniteError(f"{base} ** {exponent} is not a real number")
        return _exact(float(base) ** float(exponent))

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        value = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return not value
        number = _number(value, "a sign")
        return -number if isinstance(node.op, ast.USub) else number

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        if isinstance(node.op, ast.And):
            result: Any = True
            for value in node.values:
                result = self.visit(value)
                if not result:
                    return result
            return result
        result = False
        for value in node.values:
            result = self.visit(value)
            if result:
                return result
        return result

    def visit_Compare(self, node: ast.Compare) -> bool:
        left = self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.visit(comparator)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    def visit_IfExp(self, node: ast.IfExp) -> Any:
        return self.visit(node.body) if self.visit(node.test) else self.visit(node.orelse)

    def visit_Call(self, node: ast.Call) -> Any:
        key = getattr(node, _MEMO_KEY, None)
        if self.memo is not None and key in self.memo:
            return self.memo[key]
        if isinstance(node.func, ast.Name):
            name = node.func.id
            function = BUILTINS.get(name)
            if function is None:  # parse_expression rejects this; it guards hand-built trees
                raise ExpressionError(f"the function {name!r} is not defined")
        else:
            name = f"{node.func.value.id}.{node.func.attr}"  # type: ignore[attr-defined]
            function = self.visit(node.func)
        args = tuple(self.visit(arg) for arg in node.args)
        kwargs = {kw.arg: self.visit(kw.value) for kw in node.keywords if kw.arg is not None}
        result = _exact(function(*args, **kwargs))
        if self.observer is not None:
            self.observer(name, args, kwargs, result)
        if self.memo is not None and key is not None:
            self.memo[key] = result
        return result

    def visit_List(self, node: ast.List) -> tuple[Any, ...]:
        return tuple(self.visit(element) for element in node.elts)

    visit_Tuple = visit_List

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        container = self.visit(node.value)
        index = self.visit(node.slice)
        if isinstance(index, slice):
            return container[index]
        return container[int(_number(index, "an index"))]

    def visit_Slice(self, node: ast.Slice) -> slice:
        def bound(part: ast.AST | None) -> int | None:
            return None if part is None else int(_number(self.visit(part), "a slice"))

        return slice(bound(node.lower), bound(node.upper), bound(node.step))
