"""Checks shared by the template and assignment loaders.

A :class:`Checker` wraps one parsed YAML file and raises errors that name the file, line
and column, the dotted key, the bad value, the allowed values and a fix.
"""

from __future__ import annotations

import keyword
import re
from typing import Any, NoReturn

from effquiz.errors import InputError, TemplateError
from effquiz.templates.expressions import Expression, ExpressionError, parse_expression, suggestion
from effquiz.templates.yamlsource import Path_, SourceMap

__all__ = ["Checker", "IDENTIFIER", "SLUG", "dotted", "short", "suggestion"]

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def dotted(path: Path_) -> str:
    """Return a path such as ``parts.scale.tolerance`` or ``constraints[0]``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


def short(value: Any) -> str:
    """Return ``repr(value)`` cut to a readable length."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class Checker:
    """Raises located errors while one YAML document is validated."""

    def __init__(self, source: SourceMap, error: type[InputError] = TemplateError) -> None:
        self.source = source
        self.error = error

    def fail(self, path: Path_, message: str, *, value: Any = None, allowed: str | None = None,
             fix: str | None = None, at_value: bool = True) -> NoReturn:
        """Raise the checker's error class at ``path``."""
        location = self.source.value(path) if at_value else self.source.key(path)
        raise self.error(message, location=location, key=dotted(path) or None, value=value, allowed=allowed, fix=fix)

    def mapping(self, data: Any, path: Path_, what: str) -> dict[str, Any]:
        """Return ``data`` if it is a mapping, else fail."""
        if not isinstance(data, dict):
            self.fail(path, f"{what} must be a mapping of keys to values, not {type(data).__name__} {short(data)}.",
                      value=data, fix=f"write {what} as 'key: value' lines.")
        return data

    def keys(self, data: dict[str, Any], path: Path_, *, required: tuple[str, ...] = (),
             optional: tuple[str, ...] = (), what: str = "this mapping") -> None:
        """Fail on a missing required key or an unknown key, with a did-you-mean suggestion."""
        allowed = (*required, *optional)
        for key in data:
            if key not in allowed:
                fix = "rename or remove the key."
                if any(c in key for c in "()[] "):
                    fix = "quote the whole expression: a comma inside {...} ends a YAML entry."
                self.fail((*path, key), f"unknown key {key!r} in {what}.{suggestion(key, allowed)}",
                          value=key, allowed=", ".join(allowed), fix=fix, at_value=False)
        for key in required:
            if key not in data:
                self.fail(path, f"{what} is missing the required key {key!r}.",
                          allowed=", ".join(allowed), fix=f"add '{key}:' to {what}.")

    def text(self, data: dict[str, Any], key: str, path: Path_, *, default: str | None = None) -> str:
        """Return the text under ``key``, failing if it is not a non-empty string."""
        if key not in data and default is not None:
            return default
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail((*path, key), f"{key!r} must be non-empty text, not {short(value)}.", value=value,
                      fix=f"write some text after '{key}:'.")
        return value

    def integer(self, data: dict[str, Any], key: str, path: Path_, *, minimum: int | None = None,
                maximum: int | None = None, default: int | None = None) -> int:
        """Return the whole number under ``key`` within the given bounds."""
        if key not in data and default is not None:
            return default
        value = data.get(key)
        bounds = _bounds(minimum, maximum)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail((*path, key), f"{key!r} must be a whole number, not {short(value)}.", value=value,
                      allowed=bounds, fix=f"write a whole number after '{key}:'.")
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.fail((*path, key), f"{key!r} is {value}, outside the allowed range.", value=value,
                      allowed=bounds, fix=f"choose {key} in that range.")
        return value

    def choice(self, data: dict[str, Any], key: str, path: Path_, options: tuple[str, ...],
               *, default: str | None = None) -> str:
        """Return the value under ``key``, which must be one of ``options``."""
        if key not in data and default is not None:
            return default
        value = data.get(key)
        if value not in options:
            hint = suggestion(str(value), options) if isinstance(value, str) else ""
            self.fail((*path, key), f"{key!r} is {short(value)}, which is not allowed.{hint}", value=value,
                      allowed=", ".join(options), fix=f"set {key} to one of the allowed values.")
        return value

    def expression(self, value: Any, path: Path_) -> Expression:
        """Parse an expression, failing with the parser's reason."""
        try:
            return parse_expression(value)
        except ExpressionError as error:
            reason = str(error) if str(error).endswith((".", "?")) else f"{error}."
            self.fail(path, f"invalid expression {short(value)}: {reason}", value=value,
                      fix="use arithmetic, comparisons, parameter names and the functions listed in docs/templates.md.")

    def identifier(self, name: str, path: Path_, what: str) -> None:
        """Fail unless ``name`` can serve as a Python variable name."""
        if not IDENTIFIER.match(name) or keyword.iskeyword(name):
            self.fail(path, f"{what} {name!r} is not a valid Python name.", value=name,
                      allowed="letters, digits and underscores, not starting with a digit, not a Python keyword",
                      fix="rename it, for example to " + repr(re.sub(r"\W|^(?=\d)", "_", name) or "x") + ".",
                      at_value=False)


def _bounds(minimum: int | None, maximum: int | None) -> str | None:
    if minimum is not None and maximum is not None:
        return f"{minimum} to {maximum}"
    if minimum is not None:
        return f"at least {minimum}"
    if maximum is not None:
        return f"at most {maximum}"
    return None
