"""Safe YAML reading: limits, duplicate keys, and a line:column for every value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from ssdocs.loading.textfile import decode_text, read_bytes, read_text
from ssdocs.loading.yaml_messages import yaml_error_message
from ssdocs.loading.yamlbuild import OPEN, EventBuilder, Marks, Path_, dotted
from ssdocs.loading.yamlschema import NOT_IN_TEXT, Loader

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "Document", "Path_", "decode_text", "dotted",
           "load_yaml", "parse_yaml", "read_bytes", "read_text"]


# What YAML allows in a stream (PyYAML checks the same set, but raises an unlocated error).
_NOT_YAML_TEXT = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))
_Loader = Loader  # the events of every pass come from it (tests swap in PyYAML's pure-Python one)


@dataclass
class Document:
    """A parsed YAML document: plain Python data plus the position of every node."""

    file: str
    data: Any
    # Problems found while reading (duplicate keys, unsupported tags): reported with validation's.
    problems: list[Problem] = field(default_factory=list)
    # What the reader logged of the positions; made into `marks` and `key_marks` the first time one is
    # asked for (most documents are valid: nothing ever asks where their values are).
    log: list[Any] = field(default_factory=list, repr=False, compare=False)
    _settled: tuple[Marks, Marks] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def marks(self) -> Marks:
        """The line and column of each value, by path."""
        return self._settle()[0]

    @property
    def key_marks(self) -> Marks:
        """The line and column of each key, by the path of its value."""
        return self._settle()[1]

    def _settle(self) -> tuple[Marks, Marks]:
        if self._settled is None:
            self._settled = _settle_marks(self.log)
            self.log = []
        return self._settled

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


def _settle_marks(log: list[Any]) -> tuple[Marks, Marks]:
    """The line:column of every value and of every key, by path, from a builder's log."""
    marks: Marks = {}
    key_marks: Marks = {}
    stack: list[tuple[Path_, int]] = []
    path: Path_ = ()  # of the open collection
    index = 0  # of the next item, in a list
    last: Path_ = ()  # of the last value
    pending: Path_ | None = None  # of the value of the last key
    for entry in log:
        kind = type(entry)
        if kind is int:
            if entry == OPEN:
                stack.append((path, index))
                path, index = last, 0
            else:
                path, index = stack.pop()
        elif kind is tuple:
            key, mark = entry
            pending = (*path, key)
            key_marks[pending] = (mark.line + 1, mark.column + 1)
        else:
            if pending is not None:
                last, pending = pending, None
            elif stack:
                last = (*path, index)
                index += 1
            else:
                last = ()  # the root
            marks[last] = (entry.line + 1, entry.column + 1)
    return marks, key_marks


def parse_yaml(text: str, file: str) -> Document:
    """Parse one YAML document into plain data with marks; every problem is located."""
    _check_characters(text, file)
    scanned = not _plainly_bounded(text)
    if scanned:
        _scan(text, file)  # limits on depth and expanded size, before any value is built
    doc = Document(file=file, data=None)
    # Without a backslash no escape can make a character the text does not show, so when the text
    # has no control character no string value has one: the builder then skips checking each of them.
    clean = "\\" not in text and not NOT_IN_TEXT.search(text)
    loader = _Loader(text)
    try:
        found, doc.data = EventBuilder(loader.get_event, file, doc.log, doc.problems, clean).read()
    except yaml.YAMLError as exc:
        if not scanned:  # libyaml's "exceeded maximum nesting depth": say which limit, located
            _scan(text, file)
        raise _syntax_error(exc, text, file) from None
    finally:
        loader.dispose()
    if not found:
        raise ValidationFailed([Problem(file, 1, 1, "", "file is empty, expected a YAML mapping")])
    return doc


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
