"""YAML loading that remembers where each key and value came from.

PyYAML's safe loader drops positions once it builds Python objects. Validation errors
must name the file, line and column of the offending key, so this module composes the
node graph itself and records the position of every mapping key and value under its
path, a tuple such as ``("parts", "scale", "tolerance")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from effquiz.errors import InputError, Location

Path_ = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Positions of the keys and values of one YAML document, by path."""

    file: str
    keys: dict[Path_, Location] = field(default_factory=dict)
    values: dict[Path_, Location] = field(default_factory=dict)

    def key(self, path: Path_) -> Location:
        """Return the position of the key at ``path``, or of the nearest parent known."""
        for end in range(len(path), -1, -1):
            location = self.keys.get(path[:end]) or self.values.get(path[:end])
            if location is not None:
                return location
        return Location(self.file)

    def value(self, path: Path_) -> Location:
        """Return the position of the value at ``path``, falling back to its key."""
        return self.values.get(path) or self.key(path)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, reading ``1e-4`` as a float as YAML 1.2 does.

    YAML 1.1, which PyYAML follows, needs a dot in a float, so ``1e-4`` would be text.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:float"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
                  |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
                  |\.[0-9_]+(?:[eE][-+]?[0-9]+)?
                  |[-+]?\.(?:inf|Inf|INF)
                  |\.(?:nan|NaN|NAN))$""", re.X),
    list("-+0123456789."),
)


def _location(file: str, mark: yaml.Mark) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _construct(node: yaml.Node, path: Path_, source: SourceMap, constructor: yaml.SafeLoader) -> Any:
    source.values[path] = _location(source.file, node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise InputError(
                    f"a mapping key must be a name, not {key!r}.",
                    location=_location(source.file, key_node.start_mark),
                    fix="write the key as plain text.",
                )
            key = str(key)
            if key in result:
                raise InputError(
                    f"the key {key!r} appears twice in one mapping.",
                    location=_location(source.file, key_node.start_mark),
                    key=".".join(str(p) for p in (*path, key)),
                    fix="keep one of the two entries.",
                )
            source.keys[(*path, key)] = _location(source.file, key_node.start_mark)
            result[key] = _construct(value_node, (*path, key), source, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, index), source, constructor) for index, item in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Parse one YAML document and return its data with a map of positions.

    Raises InputError, naming the file and position, on a syntax error, an empty file,
    a duplicate key or a key that is not plain text.
    """
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror}.", location=Location(file),
                         fix="check the path and its permissions.") from error
    except UnicodeDecodeError as error:
        raise InputError("the file is not valid UTF-8 text.", location=Location(file),
                         fix="save it as UTF-8.") from error
    return load_yaml_text(text, file)


def load_yaml_text(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML text as if it came from ``file``; see :func:`load_yaml`."""
    source = SourceMap(file)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise InputError("the file is empty.", location=Location(file), fix="write the YAML document into it.")
        data = _construct(root, (), source, loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = _location(file, mark) if mark is not None else Location(file)
        problem = error.problem or error.context or "invalid YAML"
        raise InputError(f"invalid YAML: {problem}.", location=location,
                         fix="correct the syntax at that position (indentation, quotes, colons).") from error
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}.", location=Location(file), fix="correct the syntax.") from error
    finally:
        loader.dispose()
    return data, source
