"""Read YAML into plain Python values, with every number as an exact Decimal.

The file is composed into YAML nodes (no construction of Python objects, so no float
ever exists) and walked here: mappings become dicts, sequences lists, numbers
``Decimal(text)``, booleans and nulls their values, anything else the scalar's text.
Every value's line is recorded by its path (``("units", 2, "basis")``) so that problems
can be reported at the line a person would fix. Duplicate keys, which YAML loaders
usually let the last one win, are reported as problems.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from apportion.input.spreadsheets import read_regular_file
from apportion.input.values import number, unprintable
from apportion.model.messages import Message, counted, problem

try:  # libyaml's composer is several times faster where it is installed
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]

MAX_BYTES = 5_000_000
MAX_NODES = 1_000_000
MAX_DEPTH = 50  # a budget file is 6 or 7 levels deep

MAX_TEXT = 2_000  # characters of any one value or key
NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


@dataclass
class Document:
    """A YAML file's values, the line of each path, and the problems met reading it."""

    file: str
    sha256: str = ""
    root: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Message] = field(default_factory=list)

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 0)


def read_yaml(path: Path, display_name: str | None = None) -> Document:
    """Read ``path`` as YAML; problems (unreadable, syntax, duplicates) go in the result."""
    name = display_name or str(path)
    doc = Document(name)
    try:
        raw, size = read_regular_file(path, MAX_BYTES)
    except OSError as error:
        doc.problems.append(problem(name, 0, "", f"cannot read the file: {error.strerror or error}"))
        return doc
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    if size > MAX_BYTES:
        too_big = f"the file is {size:,} bytes, more than apportion reads ({MAX_BYTES:,})"
        doc.problems.append(problem(name, 0, "", f"{too_big}; read long lists of lines from a spreadsheet (lines_from:)"))
        return doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        doc.problems.append(problem(name, 0, "", f"not UTF-8 text (byte {error.start}); save the file as UTF-8"))
        return doc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        what = " ".join(part for part in (error.context, error.problem) if part)
        doc.problems.append(problem(name, line, "", f"YAML syntax error: {what}"))
        return doc
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, anywhere in the file
        line = text.count("\n", 0, error.position) + 1
        doc.problems.append(problem(name, line, "", f"the file holds a control character (U+{error.character:04X}); remove it"))
        return doc
    except yaml.YAMLError as error:  # pragma: no cover - every other parser error is marked
        doc.problems.append(problem(name, 0, "", f"YAML error: {error}"))
        return doc
    if node is None:
        doc.problems.append(problem(name, 1, "", "the file is empty"))
        return doc
    try:
        doc.root = _Walker(doc).value(node, ())
    except _TooLarge as error:
        doc.root = None
        doc.problems.append(problem(name, 1, "", str(error)))
    return doc


class _Walker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.nodes = 0

    def value(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge(f"the file expands to more than {MAX_NODES:,} values (aliases repeated?)")
        if len(path) > MAX_DEPTH:
            raise _TooLarge(f"values are nested more than {MAX_DEPTH} levels deep at line {node.start_mark.line + 1}")
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in self.joined(node, path) if node.flow_style else node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if not isinstance(key, str) or key == "<<":
                self.problem(line, path, "keys must be plain text (YAML merge keys and complex keys are not used)")
                continue
            if key in result:
                first = self.doc.lines.get((*path, key), 0)
                self.problem(line, (*path, key), f"duplicate key (first given on line {first}); keep one")
                continue
            self.printable(key, line, path, "key")
            self.doc.lines[(*path, key)] = line
            result[key] = self.value(value_node, (*path, key))
        return result

    def joined(self, node: yaml.MappingNode, path: Path_) -> list[tuple[yaml.Node, yaml.Node]]:
        """The entries of a mapping in { }, a number that YAML split at its thousands commas
        ({Kent: 20,699,816} read as Kent: 20, 699: ~, 816: ~) told of and taken whole."""
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if pairs and is_split_tail(key_node, value_node) and is_split_head(pairs[-1][1]):
                head_key, head = pairs[-1]
                whole = f"{head.value},{key_node.value}"
                pairs[-1] = (head_key, yaml.ScalarNode(JOINED, whole, head.start_mark, key_node.end_mark))
                continue
            pairs.append((key_node, value_node))
        for key_node, value_node in pairs:
            if isinstance(value_node, yaml.ScalarNode) and value_node.tag == JOINED and _SPLIT.fullmatch(value_node.value):
                written = value_node.value
                shown = f"{key_node.value}: {written}"
                first, *tails = written.split(",")
                self.problem(
                    value_node.start_mark.line + 1,
                    (*path, key_node.value),
                    f"{{{shown}}}: inside {{ }} a comma ends an entry, so YAML splits {written} into {first} and "
                    f"{counted(len(tails), 'more entry', 'more entries')}, {' and '.join(tails)}; write the number without "
                    f"commas ({written.replace(',', '')}) or in quotes ('{written}')",
                )
        return pairs

    def scalar(self, node: yaml.Node, path: Path_) -> Any:
        text = node.value
        if node.tag in NUMBER_TAGS:
            try:
                value = number(text)
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                self.problem(node.start_mark.line + 1, path, f"{text!r} is not a plain decimal number")
                return text
            return value
        if node.tag == "tag:yaml.org,2002:bool":
            return text.lower() in {"yes", "true", "on", "y"}
        if node.tag == "tag:yaml.org,2002:null":
            return None
        self.printable(text, node.start_mark.line + 1, path, "value")
        return text

    def printable(self, text: str, line: int, path: Path_, what: str) -> bool:
        """A key or a text value holds no control character and is not too long."""
        fault = unprintable(text)
        if fault is None and len(text) > MAX_TEXT:
            fault = f"is {len(text):,} characters long; give at most {MAX_TEXT:,}"
        if fault is not None:
            shown = repr(text) if len(text) <= 40 else repr(text[:40]) + "..."
            self.problem(line, path, f"the {what} {shown} {fault}")
        return fault is None

    def problem(self, line: int, path: Path_, message: str) -> None:
        self.doc.problems.append(problem(self.doc.file, line, format_path(path), message))


JOINED = "tag:apportion,2024:split-number"  # a number put back together from the entries YAML split it into
_SPLIT = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def is_split_head(node: yaml.Node) -> bool:
    """A plain number of one to three digits, or one already joined with the tails after it."""
    if not isinstance(node, yaml.ScalarNode) or node.style:  # plain: None, or '' from libyaml
        return False
    return bool(re.fullmatch(r"-?\d{1,3}(,\d{3})*", node.value))


def is_split_tail(key: yaml.Node, value: yaml.Node) -> bool:
    """A key of three digits (and decimals, at the end) with no value: a number's tail after a comma."""
    plain_key = isinstance(key, yaml.ScalarNode) and not key.style and re.fullmatch(r"\d{3}(\.\d+)?", key.value)
    empty = isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null" and value.value == ""
    return bool(plain_key and empty)


class _TooLarge(Exception):
    """Raised inside the walk when aliases expand past MAX_NODES or nesting passes MAX_DEPTH."""


def format_path(path: Path_) -> str:
    """('units', 2, 'basis') -> 'units[2].basis'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
