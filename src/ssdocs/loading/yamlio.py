"""Safe YAML reading: limits, duplicate keys, and a line:column for every value."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from ssdocs.loading.textfile import decode_text, read_bytes, read_text
from ssdocs.loading.yaml_messages import yaml_error_message

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "Document", "Path_", "decode_text", "dotted",
           "load_yaml", "parse_yaml", "read_bytes", "read_text"]


Path_ = tuple[str | int, ...]
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

# What YAML allows in a stream (PyYAML checks the same set, but raises an unlocated error).
_NOT_YAML_TEXT = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Allowed in a YAML file but not in the text of a value: control characters that arrive through
# escapes ("\x07", "\u0000") and bidirectional overrides, which can make a note read differently
# in the report than in the file (the "Trojan Source" trick).
_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


_STR = "tag:yaml.org,2002:str"
_LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))
_Base: Any = yaml.CSafeLoader if _LIBYAML else yaml.SafeLoader

# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution) for plain scalars, plus
# dates (answer files have them) and `<<`, resolved only so that a merge key gets a clear error. What
# YAML 1.1 read as numbers or booleans and 1.2 does not (012 as 10, 1:30 as 90, 1_000, 0b1, yes/no/on)
# stays text, which validation then reports where a number or a choice is expected.
_IMPLICIT: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$")),
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    ("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    ("tag:yaml.org,2002:float", re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                                           r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")),
    ("tag:yaml.org,2002:timestamp", re.compile(
        r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
        r"(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?"
        r"(?::[0-9][0-9])?))?)$")),
    ("tag:yaml.org,2002:merge", re.compile(r"^<<$")),
)
_MAY_RESOLVE = frozenset("~nNtTfF+-.0123456789<")  # the first characters of everything above


class _Loader(_Base):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's when installed) reading the YAML 1.2 core schema."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and (not value or value[0] in _MAY_RESOLVE):
                for tag, regexp in _IMPLICIT:
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    # No path resolvers: nothing to track while descending (libyaml calls these for every node).
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = str(node.value)
        if value.startswith(("0o", "0x")):
            return int(value[2:], 8 if value[1] == "o" else 16)
        return int(value, 10)  # `012` is 12, not octal; `1_000` (explicitly tagged) is refused

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value = str(node.value)
        if value.lower().lstrip("+-") in (".inf", ".nan"):
            return float(value.lower().replace(".", ""))
        return float(value.replace("_", "x"))  # Python's float() would accept 1_0


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_CONSTRUCTOR = _Loader("")  # scalar constructors read only the node: one loader serves every file


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
            out += ("." if out else "") + _visible(str(part))
    return out


def _visible(text: str) -> str:
    """Keys go into messages printed on terminals: escape what could move the cursor or recolour."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) > 0xFF else f"\\x{ord(c):02x}"
                   for c in text)


def parse_yaml(text: str, file: str) -> Document:
    """Parse one YAML document into plain data with marks; every problem is located."""
    _check_characters(text, file)
    scanned = not _plainly_bounded(text)
    if scanned:
        _scan(text, file)  # limits on depth and expanded size, before any node is composed
    root = _compose(text, file, scanned)
    doc = Document(file=file, data=None)
    if root is None:
        raise ValidationFailed([Problem(file, 1, 1, "", "file is empty, expected a YAML mapping")])
    counter = [0]
    # Without a backslash no escape can make a character the text does not show, so when the text
    # has no control character no string value has one: _build then skips checking each of them.
    clean = "\\" not in text and not _NOT_IN_TEXT.search(text)
    doc.data = _build(root, (), doc, doc.problems, counter, clean)
    return doc


def _compose(text: str, file: str, scanned: bool) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    except yaml.YAMLError as exc:
        if not scanned:  # libyaml's "exceeded maximum nesting depth": say which limit, located
            _scan(text, file)
        raise _syntax_error(exc, text, file) from None
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.YAMLError, text: str, file: str) -> ValidationFailed:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return ValidationFailed([Problem(file, 0, 0, "", f"invalid YAML: {exc}")])
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    what = str(exc.problem or exc.context or "invalid YAML")
    if what == "exceeded maximum nesting depth":  # libyaml's own limit (1,000), met before ours
        return ValidationFailed([Problem(file, line, column, "", f"nesting deeper than {MAX_DEPTH} levels")])
    return ValidationFailed([Problem(file, line, column, "",
                                     yaml_error_message(what, exc.context, text.splitlines(), line))])


def _build(
    node: yaml.Node,
    path: Path_,
    doc: Document,
    problems: list[Problem],
    counter: list[int],
    clean: bool = False,
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
    mark = node.start_mark
    doc.marks[path] = (mark.line + 1, mark.column + 1)
    kind = type(node)
    if kind is yaml.ScalarNode and node.tag == _STR:  # most values: text, as it stands
        return node.value if clean else _check_text(node.value, node, doc, path, problems)
    if node.tag not in (_MAP, _SEQ) and not isinstance(node, yaml.ScalarNode):
        # `!!python/object/apply:os.system [id]`, `!!set {…}`, `!include {…}`: never dropped silently.
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        problems.append(_at(doc, node, path, f"unsupported value: the tag {tag!r} is not allowed"))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(_at(doc, key_node, path, "merge keys (<<) are not supported"))
                continue
            if type(key_node) is yaml.ScalarNode and key_node.tag == _STR and clean:
                key = key_node.value  # most keys: plain text without control characters
            else:
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(_at(doc, key_node, path, "keys must be plain text"))
                    continue
                try:
                    key = _scalar(key_node)
                except yaml.constructor.ConstructorError as exc:
                    problems.append(_at(doc, key_node, path, f"unsupported key: {exc.problem}"))
                    continue
                _check_text(key, key_node, doc, (*path, str(key)), problems)
                if isinstance(key, (int, float)) and not isinstance(key, bool):
                    key = str(key_node.value)  # `2024:` or `610100:` as a key means the text
                if not isinstance(key, str):
                    problems.append(_at(doc, key_node, path, f"keys must be text, got {key!r}"))
                    continue
            sub = (*path, key)
            if key in result:
                first = doc.key_marks.get(sub, (0, 0))
                problems.append(
                    _at(doc, key_node, sub,
                        f"duplicate key {key!r} (first defined at line {first[0]}); "
                        "YAML keeps only the last one, so remove or rename one")
                )
                continue
            key_mark = key_node.start_mark
            doc.key_marks[sub] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = _build(value_node, sub, doc, problems, counter, clean)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, (*path, i), doc, problems, counter, clean) for i, child in enumerate(node.value)
        ]
    try:
        return _check_text(_scalar(node), node, doc, path, problems)
    except yaml.constructor.ConstructorError as exc:
        problems.append(_at(doc, node, path, f"unsupported value: {exc.problem}"))
        return None


def _check_text(value: Any, node: yaml.Node, doc: Document, path: Path_, problems: list[Problem]) -> Any:
    """Text must not hide control characters; numbers must be finite (no input needs .inf or .nan)."""
    if isinstance(value, str):
        bad = _NOT_IN_TEXT.search(value)
        if bad:
            char = bad.group()
            kind = "bidirectional control" if char >= "\u2000" else "control"
            problems.append(_at(doc, node, path, f"{kind} character U+{ord(char):04X} is not allowed in text; "
                                "remove it"))
    elif isinstance(value, float) and not math.isfinite(value):
        problems.append(_at(doc, node, path, f"expected a finite number, got {node.value}"))
    return value


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a plain value", node.start_mark)
    if node.tag == _STR:
        return node.value  # most values: what the constructor would return, without its dispatch
    construct = _Loader.yaml_constructors.get(node.tag)
    if construct is None or node.tag in (_MAP, _SEQ):
        raise yaml.constructor.ConstructorError(
            None, None, f"could not determine a constructor for the tag {node.tag!r}", node.start_mark)
    try:
        return construct(_CONSTRUCTOR, node)
    except ValueError:
        # An impossible timestamp such as 2024-02-30: keep the text; validation reports it.
        return str(node.value)


def _at(doc: Document, node: yaml.Node, path: Path_, message: str) -> Problem:
    return Problem(doc.file, node.start_mark.line + 1, node.start_mark.column + 1, dotted(path), message)


def _check_characters(text: str, file: str) -> None:
    """Characters YAML forbids anywhere in a file (a NUL usually means UTF-16 without a BOM)."""
    bad = _NOT_YAML_TEXT.search(text)
    if bad is None:
        return
    char = bad.group()
    line = text.count("\n", 0, bad.start()) + 1
    column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    hint = ("; the file looks like UTF-16, save it as UTF-8" if char == "\x00"
            else "; remove it")
    raise ValidationFailed([Problem(file, line, column, "",
                                    f"control character U+{ord(char):04X} is not allowed in YAML{hint}")])


@dataclass
class _Frame:
    """An open collection during the pre-scan."""

    anchor: str | None
    start: int  # values counted before it opened
    mapping: bool
    step: str | int = -1  # the current key, or the current list index
    expect_key: bool = True
    height: int = -1  # levels below it (-1: no child yet)


# An anchor begins a token: after a space, a line break, a flow indicator or `"key":`.
_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:\ufeff])&\S")
_PLAIN_MAX_CHARS = 256 * 1024  # at least ~1.5 characters a value: fewer than MAX_NODES values
# libyaml 0.2.5 and later refuse nesting deeper than 1,000 levels, so their composer cannot exhaust
# the C stack. PyYAML has no public way to ask libyaml's version: `yaml._yaml` it is.
_LIBYAML_LIMITS_NESTING = _LIBYAML and yaml._yaml.get_version() >= (0, 2, 5)


def _plainly_bounded(text: str) -> bool:
    """True when the pre-scan could not refuse the text, so that libyaml may compose it at once
    (skipping it: 9 ms instead of 17 ms for a typical assessment): a file too small to hold
    MAX_NODES values, without anchors (so nothing expands), read by a libyaml that bounds nesting
    itself. Conservative: `&` inside quoted text also sends a file to the pre-scan.
    """
    return _LIBYAML_LIMITS_NESTING and len(text) <= _PLAIN_MAX_CHARS and not ("&" in text and _ANCHOR.search(text))


def _scan(text: str, file: str) -> None:
    """Depth and size after alias expansion, checked on the event stream before composing.

    Composing builds every node first (a 5 MB flat list: 2.6 million nodes, 10 s and 790 MB with
    libyaml), and the pure-Python composer recurses once per level; this pass is iterative and keeps
    only a few numbers per open collection, so crafted documents (deep `[[[[…`, alias bombs, huge flat
    lists) are refused, located, in well under a second. A syntax error is reported as it is found.
    """
    anchors: dict[str, tuple[int, int]] = {}  # anchor -> (values it expands to, levels below it)
    frames: list[_Frame] = []
    total = 0  # values so far, aliases expanded, keys not counted (as _build counts them)
    parser = _Loader(text)
    try:
        while True:
            event = parser.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.CollectionEndEvent):
                done = frames.pop()
                height = done.height + 1
                if done.anchor:
                    anchors[done.anchor] = (total - done.start, height)
                if frames:
                    frames[-1].height = max(frames[-1].height, height)
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                continue
            parent = frames[-1] if frames else None
            is_key = False
            if parent is not None and parent.mapping:
                is_key, parent.expect_key = parent.expect_key, not parent.expect_key
                if is_key:
                    parent.step = event.value if isinstance(event, yaml.ScalarEvent) else "?"
            elif parent is not None:
                parent.step = int(parent.step) + 1
            size, height = anchors.get(event.anchor or "", (1, 0)) if isinstance(event, yaml.AliasEvent) else (1, 0)
            if not is_key:
                total += size
                if total > MAX_NODES:
                    _refuse(file, event, frames, f"document expands to more than {MAX_NODES:,} values "
                            "(aliases/anchors expanding too much?)")
            if len(frames) + height > MAX_DEPTH:
                _refuse(file, event, frames, f"nesting deeper than {MAX_DEPTH} levels")
            if parent is not None:
                parent.height = max(parent.height, height)
            if isinstance(event, yaml.ScalarEvent) and event.anchor:
                anchors[event.anchor] = (1, 0)
            elif isinstance(event, yaml.CollectionStartEvent):
                frames.append(_Frame(event.anchor, total - 1, isinstance(event, yaml.MappingStartEvent)))
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text, file) from None
    finally:
        parser.dispose()


def _refuse(file: str, event: yaml.Event, frames: list[_Frame], message: str) -> None:
    mark = event.start_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    where = dotted(tuple(frame.step for frame in frames))
    raise ValidationFailed([Problem(file, line, column, where, message)])


def load_yaml(path: Path, display: str | None = None) -> Document:
    """Read and parse a YAML file with every safety limit applied."""
    name = display or str(path)
    return parse_yaml(read_text(path, name), name)
