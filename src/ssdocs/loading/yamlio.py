"""Safe YAML reading: limits, duplicate keys, and a line:column for every value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ssdocs.errors import Problem, ValidationFailed

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000  # after alias expansion: stops "billion laughs" documents
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so `value: yes` stays the string 'yes'."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class Document:
    """A parsed YAML document: plain Python data plus the position of every node."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Problems found while reading (duplicate keys, unsupported tags): reported with validation's.
    problems: list[Problem] = field(default_factory=list)

    def locate(self, path: Path_) -> tuple[int, int]:
        """Line and column of the deepest node along `path` that exists."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.marks:
                return self.marks[path[:end]]
        return (1, 1)

    def problem(self, path: Path_, message: str, at_key: bool = False) -> Problem:
        """A problem at the value of `path` (or at its key, for problems with the key itself)."""
        line, column = self.key_marks[path] if at_key and path in self.key_marks else self.locate(path)
        return Problem(self.file, line, column, dotted(path), message)


def dotted(path: Path_) -> str:
    """`("answers", "REC-03", "value")` -> `answers.REC-03.value`; list indexes as `[2]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_text(path: Path, display: str | None = None) -> str:
    """Read a file as UTF-8 text, with a clear error for size, encoding and BOM problems."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValidationFailed([Problem(name, 0, 0, "", "file not found")]) from None
    except IsADirectoryError:
        raise ValidationFailed([Problem(name, 0, 0, "", "is a folder, expected a YAML file")]) from None
    except OSError as exc:
        raise ValidationFailed([Problem(name, 0, 0, "", f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ValidationFailed(
            [Problem(name, 0, 0, "", f"file is {len(raw):,} bytes, expected at most {MAX_FILE_BYTES:,}")]
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 BOM is harmless: editors on Windows add it
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationFailed(
            [Problem(name, 1, 1, "", "file is UTF-16, expected UTF-8 (save it as UTF-8 without BOM)")]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ValidationFailed(
            [
                Problem(
                    name,
                    line,
                    column,
                    "",
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}), expected UTF-8 text "
                    "(GBK/GB2312 files must be re-saved as UTF-8)",
                )
            ]
        ) from None


def parse_yaml(text: str, file: str) -> Document:
    """Parse one YAML document into plain data with marks; every problem is located."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = str(exc.problem or exc.context or "invalid YAML")
        lines = text.splitlines()
        if "\t" in what or "tab" in what or (0 < line <= len(lines) and "\t" in lines[line - 1]):
            what += " (YAML forbids tabs for indentation; use spaces)"
        raise ValidationFailed([Problem(file, line, column, "", f"invalid YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise ValidationFailed([Problem(file, 0, 0, "", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    doc = Document(file=file, data=None)
    if root is None:
        raise ValidationFailed([Problem(file, 1, 1, "", "file is empty, expected a YAML mapping")])
    counter = [0]
    doc.data = _build(root, (), doc, doc.problems, counter, loader)
    return doc


def _build(
    node: yaml.Node,
    path: Path_,
    doc: Document,
    problems: list[Problem],
    counter: list[int],
    loader: _Loader,
) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise ValidationFailed(
            [Problem(doc.file, node.start_mark.line + 1, node.start_mark.column + 1, dotted(path),
                     f"document expands to more than {MAX_NODES:,} values "
                     "(aliases/anchors expanding too much?)")]
        )
    if len(path) > MAX_DEPTH:
        raise ValidationFailed(
            [Problem(doc.file, node.start_mark.line + 1, node.start_mark.column + 1, dotted(path),
                     f"nesting deeper than {MAX_DEPTH} levels")]
        )
    doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(_at(doc, key_node, path, "merge keys (<<) are not supported"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(_at(doc, key_node, path, "keys must be plain text"))
                continue
            try:
                key = _scalar(key_node, loader)
            except yaml.constructor.ConstructorError as exc:
                problems.append(_at(doc, key_node, path, f"unsupported key: {exc.problem}"))
                continue
            if isinstance(key, (int, float)) and not isinstance(key, bool):
                key = str(key_node.value)  # `2024:` or `610100:` as a key means the text
            if not isinstance(key, str):
                problems.append(_at(doc, key_node, path, f"keys must be text, got {key!r}"))
                continue
            if key in result:
                first = doc.key_marks.get((*path, key), (0, 0))
                problems.append(
                    _at(doc, key_node, (*path, key),
                        f"duplicate key {key!r} (first defined at line {first[0]}); "
                        "YAML keeps only the last one, so remove or rename one")
                )
                continue
            doc.key_marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _build(value_node, (*path, key), doc, problems, counter, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, (*path, i), doc, problems, counter, loader) for i, child in enumerate(node.value)
        ]
    try:
        return _scalar(node, loader)
    except yaml.constructor.ConstructorError as exc:
        problems.append(_at(doc, node, path, f"unsupported value: {exc.problem}"))
        return None


def _scalar(node: yaml.Node, loader: _Loader) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a plain value", node.start_mark)
    try:
        return loader.construct_object(node, deep=True)
    except ValueError:
        # An impossible timestamp such as 2024-02-30: keep the text; validation reports it.
        return str(node.value)


def _at(doc: Document, node: yaml.Node, path: Path_, message: str) -> Problem:
    return Problem(doc.file, node.start_mark.line + 1, node.start_mark.column + 1, dotted(path), message)


def load_yaml(path: Path, display: str | None = None) -> Document:
    """Read and parse a YAML file with every safety limit applied."""
    name = display or str(path)
    return parse_yaml(read_text(path, name), name)
