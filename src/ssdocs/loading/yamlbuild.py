"""Plain data and the line:column of every value, built straight from libyaml's event stream."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.limits import MAX_DEPTH, MAX_NODES

Path_ = tuple[str | int, ...]
Marks = dict[Path_, tuple[int, int]]

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))
_Base: Any = yaml.CSafeLoader if _LIBYAML else yaml.SafeLoader

# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution) for plain scalars, plus
# dates (answer files have them) and `<<`, resolved only so that a merge key gets a clear error. What
# YAML 1.1 read as numbers or booleans and 1.2 does not (012 as 10, 1:30 as 90, 1_000, 0b1, yes/no/on)
# stays text, which validation then reports where a number or a choice is expected.
_IMPLICIT: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$")),
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    (_INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    (_FLOAT, re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")),
    ("tag:yaml.org,2002:timestamp", re.compile(
        r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
        r"(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?"
        r"(?::[0-9][0-9])?))?)$")),
    (_MERGE, re.compile(r"^<<$")),
)
_MAY_RESOLVE = frozenset("~nNtTfF+-.0123456789<")  # the first characters of everything above
# Allowed in a YAML file but not in the text of a value: control characters that arrive through
# escapes ("\x07", "\u0000") and bidirectional overrides, which can make a note read differently
# in the report than in the file (the "Trojan Source" trick).
NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def resolve_plain(value: str, implicit: Any) -> str:
    """The tag of an untagged scalar: only plain ones may be anything but text."""
    if implicit[0] and (not value or value[0] in _MAY_RESOLVE):
        for tag, regexp in _IMPLICIT:
            if regexp.match(value):
                return tag
    return _STR


def yaml_int(value: str) -> int:
    """`012` is 12, not octal; `1_000` (explicitly tagged) is refused."""
    if value.startswith(("0o", "0x")):
        return int(value[2:], 8 if value[1] == "o" else 16)
    return int(value, 10)


def yaml_float(value: str) -> float:
    if value.lower().lstrip("+-") in (".inf", ".nan"):
        return float(value.lower().replace(".", ""))
    return float(value.replace("_", "x"))  # Python's float() would accept 1_0


class Loader(_Base):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's when installed) reading the YAML 1.2 core schema."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return resolve_plain(value, implicit)
        return _SEQ if kind is yaml.SequenceNode else _MAP

    # No path resolvers: nothing to track while descending (libyaml calls these for every node).
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        return yaml_int(str(node.value))

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        return yaml_float(str(node.value))


Loader.add_constructor(_INT, Loader.construct_yaml_int)
Loader.add_constructor(_FLOAT, Loader.construct_yaml_float)
_CONSTRUCTOR = Loader("")  # scalar constructors read only the node: one loader serves every file


def construct_scalar(tag: str, value: str, mark: Any) -> Any:
    """A scalar's value under its tag; ConstructorError for a tag no scalar may have."""
    if tag == _STR:
        return value
    construct = Loader.yaml_constructors.get(tag)
    if construct is None or tag in (_MAP, _SEQ):
        raise yaml.constructor.ConstructorError(
            None, None, f"could not determine a constructor for the tag {tag!r}", mark)
    try:
        return construct(_CONSTRUCTOR, yaml.ScalarNode(tag, value, mark, mark))
    except (ValueError, KeyError):
        # An impossible timestamp such as 2024-02-30 (or `!!bool maybe`): keep the text; validation reports it.
        return value


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


class _Fatal(Exception):
    """A limit met while building: raised once the rest of the stream has parsed (syntax errors first)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


_KEY, _VALUE, _SKIP_VALUE, _SKIP_KEY = 0, 1, 2, 3  # what a mapping expects next


class _Frame:
    """An open collection being built: its data, its path and, for a mapping, the current key."""

    __slots__ = ("data", "path", "mapping", "state", "key", "sub")

    def __init__(self, data: Any, path: Path_, mapping: bool) -> None:
        self.data = data
        self.path = path
        self.mapping = mapping
        self.state = _KEY
        self.key: Any = None
        self.sub: Path_ = path


class EventBuilder:
    """One document from an event stream, as `_build` over composed nodes did it, without the nodes.

    An alias replays the events recorded under its anchor (so its values are counted, marked and
    checked again at its own path, at the anchor's line:column); anchors and aliases are checked as
    libyaml's composer checks them; a limit met while building is reported only once the stream has
    parsed to its end, so that a syntax error later in the file still wins, as it did when composing.
    """

    def __init__(self, get_event: Callable[[], Any], file: str, marks: Marks, key_marks: Marks,
                 problems: list[Problem], clean: bool) -> None:
        self.get = get_event
        self.file = file
        self.marks = marks
        self.key_marks = key_marks
        self.problems = problems
        self.clean = clean
        self.anchors: dict[str, list[Any]] = {}  # anchor -> its events (one for a scalar)
        self.recording: list[tuple[list[Any], int]] = []  # open anchored collections, live depth
        self.live_depth = 0

    def read(self) -> tuple[bool, Any]:
        """(False, None) for a stream without a document, else (True, the data)."""
        get = self.get
        get()  # StreamStartEvent
        if type(get()) is StreamEndEvent:
            return False, None
        try:
            data, root_mark = self._document()
        except _Fatal as fatal:
            self._drain()
            raise ValidationFailed([fatal.problem]) from None
        get()  # DocumentEndEvent
        after = get()
        if type(after) is not StreamEndEvent:
            raise yaml.composer.ComposerError("expected a single document in the stream", root_mark,
                                              "but found another document", after.start_mark)
        return True, data

    def _live(self) -> Any:
        """The next event of the file: anchors registered and recorded, aliases checked."""
        event = self.get()
        for events, _ in self.recording:
            events.append(event)
        kind = type(event)
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            if kind is not ScalarEvent:
                self.live_depth += 1
            if event.anchor is not None:
                self._anchor(event, kind is ScalarEvent)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            if self.recording and self.recording[-1][1] == self.live_depth:
                self.recording.pop()
            self.live_depth -= 1
        elif kind is AliasEvent and event.anchor not in self.anchors:
            raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
        return event

    def _anchor(self, event: Any, scalar: bool) -> None:
        if event.anchor in self.anchors:
            raise yaml.composer.ComposerError("found duplicate anchor; first occurrence",
                                              self.anchors[event.anchor][0].start_mark,
                                              "second occurrence", event.start_mark)
        events = [event]
        self.anchors[event.anchor] = events
        if not scalar:
            self.recording.append((events, self.live_depth))

    def _drain(self) -> None:
        """After a limit: parse the rest as composing did, for its errors (syntax, aliases, a 2nd document)."""
        while self.live_depth:
            self._live()
        self.get()  # DocumentEndEvent
        after = self.get()
        if type(after) is DocumentStartEvent:
            raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                              "but found another document", after.start_mark)

    def _document(self) -> tuple[Any, Any]:
        """The root value; every event read through here, live or replayed from an anchor."""
        root = _Frame([], (), False)
        stack = [root]
        top = root
        replays: list[Iterator[Any]] = []
        skip = 0  # levels of a collection being skipped (a key that is a collection, a refused value)
        count = 0  # values built so far, aliases expanded, keys not counted
        clean = self.clean
        marks = self.marks
        anchors = self.anchors
        live = self._live
        while True:
            if replays:
                event = next(replays[-1], None)
                if event is None:
                    replays.pop()
                    continue
            else:
                event = live()
            kind = type(event)
            if skip:
                if kind is MappingStartEvent or kind is SequenceStartEvent:
                    skip += 1
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    skip -= 1
                    if skip:
                        continue
                    if top.mapping:
                        top.state = _SKIP_VALUE if top.state == _SKIP_KEY else _KEY
                    elif top is root:
                        return None, root.key
                continue
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                top = stack[-1]
                if top is root:
                    return root.data[0], root.key
                continue
            if top.mapping:
                state = top.state
                if state == _KEY:
                    if kind is ScalarEvent:
                        self._key(top, event)
                    elif kind is AliasEvent:  # the anchored node itself: nothing more to read
                        anchored = anchors[event.anchor][0]
                        if type(anchored) is ScalarEvent:
                            self._key(top, anchored)
                        else:
                            self._at(anchored.start_mark, top.path, "keys must be plain text")
                            top.state = _SKIP_VALUE
                    else:
                        self._at(event.start_mark, top.path, "keys must be plain text")
                        top.state = _SKIP_KEY
                        skip = 1
                    continue
                if state != _VALUE:  # the value of a refused key
                    if kind is MappingStartEvent or kind is SequenceStartEvent:
                        skip = 1
                    else:
                        top.state = _KEY
                    continue
                path = top.sub
            elif top is root:
                path = ()
            else:
                path = (*top.path, len(top.data))
            if kind is AliasEvent:
                replays.append(iter(anchors[event.anchor]))
                continue
            # A value: count it, bound it, mark it, build it.
            count += 1
            mark = event.start_mark
            if count > MAX_NODES:
                raise _Fatal(self._problem(mark, path, f"document expands to more than {MAX_NODES:,} values "
                                           "(aliases/anchors expanding too much?)"))
            if len(path) > MAX_DEPTH:
                raise _Fatal(self._problem(mark, path, f"nesting deeper than {MAX_DEPTH} levels"))
            marks[path] = (mark.line + 1, mark.column + 1)
            if kind is ScalarEvent:
                tag = event.tag
                value = event.value
                if tag is None or tag == "!":
                    implicit = event.implicit
                    if implicit[0] and (not value or value[0] in _MAY_RESOLVE):
                        tag = resolve_plain(value, implicit)
                    else:
                        tag = _STR
                if tag != _STR or not clean:
                    value = self._scalar_value(tag, value, mark, path)
                if top.mapping:
                    top.data[top.key] = value
                    top.state = _KEY
                elif top is root:
                    return value, mark
                else:
                    top.data.append(value)
                continue
            tag = event.tag
            data: Any
            if tag is not None and tag != "!" and tag != _MAP and tag != _SEQ:
                # `!!python/object/apply:os.system [id]`, `!!set {…}`, `!include {…}`: never dropped silently.
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                self._at(mark, path, f"unsupported value: the tag {shown!r} is not allowed")
                data = None
                skip = 1
            else:
                data = {} if kind is MappingStartEvent else []
            if top.mapping:
                top.data[top.key] = data
                top.state = _KEY
            else:
                if top is root:
                    root.key = mark
                top.data.append(data)
            if data is not None:
                top = _Frame(data, path, kind is MappingStartEvent)
                stack.append(top)

    def _key(self, top: _Frame, event: Any) -> None:
        """A mapping's key: text, or a number meaning its text; anything else is reported, its value skipped."""
        top.state = _SKIP_VALUE
        tag = event.tag
        value = event.value
        if tag is None or tag == "!":
            tag = resolve_plain(value, event.implicit)
        if tag == _MERGE:
            self._at(event.start_mark, top.path, "merge keys (<<) are not supported")
            return
        if tag == _STR and self.clean:
            key = value  # most keys: plain text without control characters
        else:
            try:
                key = construct_scalar(tag, value, event.start_mark)
            except yaml.constructor.ConstructorError as exc:
                self._at(event.start_mark, top.path, f"unsupported key: {exc.problem}")
                return
            self._check(key, value, event.start_mark, (*top.path, str(key)))
            if isinstance(key, (int, float)) and not isinstance(key, bool):
                key = value  # `2024:` or `610100:` as a key means the text
            if not isinstance(key, str):
                self._at(event.start_mark, top.path, f"keys must be text, got {key!r}")
                return
        sub = (*top.path, key)
        if key in top.data:
            first = self.key_marks.get(sub, (0, 0))
            self._at(event.start_mark, sub, f"duplicate key {key!r} (first defined at line {first[0]}); "
                     "YAML keeps only the last one, so remove or rename one")
            return
        mark = event.start_mark
        self.key_marks[sub] = (mark.line + 1, mark.column + 1)
        top.key = key
        top.sub = sub
        top.state = _VALUE

    def _scalar_value(self, tag: str, value: str, mark: Any, path: Path_) -> Any:
        try:
            built = construct_scalar(tag, value, mark)
        except yaml.constructor.ConstructorError as exc:
            self._at(mark, path, f"unsupported value: {exc.problem}")
            return None
        return self._check(built, value, mark, path)

    def _check(self, value: Any, text: str, mark: Any, path: Path_) -> Any:
        """Text must not hide control characters; numbers must be finite (no input needs .inf or .nan)."""
        if isinstance(value, str):
            bad = NOT_IN_TEXT.search(value)
            if bad:
                char = bad.group()
                kind = "bidirectional control" if char >= "\u2000" else "control"
                self._at(mark, path, f"{kind} character U+{ord(char):04X} is not allowed in text; remove it")
        elif isinstance(value, float) and not math.isfinite(value):
            self._at(mark, path, f"expected a finite number, got {text}")
        return value

    def _at(self, mark: Any, path: Path_, message: str) -> None:
        self.problems.append(self._problem(mark, path, message))

    def _problem(self, mark: Any, path: Path_, message: str) -> Problem:
        return Problem(self.file, mark.line + 1, mark.column + 1, dotted(path), message)

