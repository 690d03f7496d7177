"""Plain data and the line:column of every value, built straight from libyaml's event stream."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.limits import MAX_DEPTH, MAX_NODES
from ssdocs.loading.yamlschema import MAP, MAY_RESOLVE, MERGE, NOT_IN_TEXT, SEQ, STR, construct_scalar, resolve_plain

Path_ = tuple[str | int, ...]
Marks = dict[Path_, tuple[int, int]]


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


def scalar_value(tag: str, text: str, mark: Any) -> tuple[Any, str | None]:
    """A scalar's value, and what is wrong with it if anything is."""
    try:
        value = construct_scalar(tag, text, mark)
    except yaml.constructor.ConstructorError as exc:
        return None, f"unsupported value: {exc.problem}"
    return value, _wrong(value, text)


def _wrong(value: Any, text: str) -> str | None:
    """Text must not hide control characters; numbers must be finite (no input needs .inf or .nan)."""
    if isinstance(value, str):
        bad = NOT_IN_TEXT.search(value)
        if bad:
            char = bad.group()
            kind = "bidirectional control" if char >= "\u2000" else "control"
            return f"{kind} character U+{ord(char):04X} is not allowed in text; remove it"
    elif isinstance(value, float) and not math.isfinite(value):
        return f"expected a finite number, got {text}"
    return None


class _Fatal(Exception):
    """A limit met while building: raised once the rest of the stream has parsed (syntax errors first)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


_KEY, _VALUE, _SKIP_VALUE, _SKIP_KEY = 0, 1, 2, 3  # what a mapping expects next
# The log a builder keeps instead of path-keyed marks: each value's mark, each key as (key, mark),
# and these two around the children of a collection (numbers, so that a copied log still reads).
# Document.marks makes the path-keyed marks from it.
OPEN = 1
CLOSE = 0


class EventBuilder:
    """One document from an event stream, as composing its nodes and walking them did, without the nodes.

    An alias replays the events recorded under its anchor (so its values are counted, marked and
    checked again at its own path, at the anchor's line:column); anchors and aliases are checked as
    libyaml's composer checks them; a limit met while building is reported only once the stream has
    parsed to its end, so that a syntax error later in the file still wins, as it did when composing.
    Marks go to a log (see OPEN), made into paths only when asked for: most documents never are.
    """

    def __init__(self, get_event: Callable[[], Any], file: str, log: list[Any], problems: list[Problem],
                 clean: bool) -> None:
        self.get = get_event
        self.file = file
        self.log = log
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
            data = self._document()
        except _Fatal as fatal:
            self._drain()
            raise ValidationFailed([fatal.problem]) from None
        get()  # DocumentEndEvent
        after = get()
        if type(after) is not StreamEndEvent:
            raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                              "but found another document", after.start_mark)
        return True, data

    def _document(self) -> Any:
        """The root value, from events read live or replayed from an anchor."""
        get = self.get
        anchors = self.anchors
        recording = self.recording
        log = self.log.append
        clean = self.clean
        replays: list[Iterator[Any]] = []
        # The open collection (at first a list holding the root value) and the ones around it.
        data: Any = []
        path: Path_ = ()
        mapping = False
        seen: dict[str, Any] = {}  # in a mapping: the mark of each key so far
        state = _KEY  # in a mapping: what comes next
        key: Any = None  # in a mapping: the current key
        deep = False  # its values are deeper than MAX_DEPTH
        stack: list[tuple[Any, Path_, bool, dict[str, Any], Any, bool]] = []
        skip = 0  # levels of a collection being skipped (a key that is a collection, a refused value)
        count = 0  # values built so far, aliases expanded, keys not counted
        live_depth = 0
        try:
            while True:
                if replays:
                    event = next(replays[-1], None)
                    if event is None:
                        replays.pop()
                        continue
                    kind = type(event)
                else:
                    event = get()
                    kind = type(event)
                    if recording:
                        for events, _ in recording:
                            events.append(event)
                    if kind is ScalarEvent:
                        if event.anchor is not None:
                            self._anchor(event, live_depth)
                    elif kind is MappingStartEvent or kind is SequenceStartEvent:
                        live_depth += 1
                        if event.anchor is not None:
                            self._anchor(event, live_depth)
                    elif kind is AliasEvent:
                        if event.anchor not in anchors:
                            raise yaml.composer.ComposerError(None, None, "found undefined alias",
                                                              event.start_mark)
                    else:
                        if recording and recording[-1][1] == live_depth:
                            recording.pop()
                        live_depth -= 1
                if skip:
                    if kind is MappingStartEvent or kind is SequenceStartEvent:
                        skip += 1
                    elif kind is MappingEndEvent or kind is SequenceEndEvent:
                        skip -= 1
                        if not skip:
                            if mapping:
                                state = _SKIP_VALUE if state == _SKIP_KEY else _KEY
                            elif not stack:
                                return None  # the root, with a refused tag
                    continue
                if kind is ScalarEvent:
                    if mapping:
                        if state == _KEY:
                            value = event.value
                            if clean and event.tag is None and (not event.implicit[0] or (value and (
                                    value[0] not in MAY_RESOLVE or resolve_plain(value, event.implicit) == STR))):
                                mark = event.start_mark
                                if value in seen:
                                    state = self._duplicate(mark, (*path, value), seen[value])
                                    continue
                                seen[value] = mark
                                log((value, mark))
                                key = value
                                state = _VALUE
                            else:
                                state, key = self._key(seen, path, event)
                            continue
                        if state != _VALUE:  # the value of a refused key
                            state = _KEY
                            continue
                    count += 1
                    mark = event.start_mark
                    if count > MAX_NODES or deep:
                        self._limits(count, mark, self._where(path, mapping, key, data, stack))
                    log(mark)
                    tag = event.tag
                    value = event.value
                    if tag is None or tag == "!":
                        implicit = event.implicit
                        if implicit[0] and (not value or value[0] in MAY_RESOLVE):
                            tag = resolve_plain(value, implicit)
                        else:
                            tag = STR
                    if tag != STR or not clean:
                        value, wrong = scalar_value(tag, value, mark)
                        if wrong is not None:
                            self._at(mark, self._where(path, mapping, key, data, stack), wrong)
                    if mapping:
                        data[key] = value
                        state = _KEY
                    else:
                        data.append(value)
                        if not stack:
                            return value
                    continue
                if kind is MappingStartEvent or kind is SequenceStartEvent:
                    if mapping:
                        if state == _KEY:
                            self._at(event.start_mark, path, "keys must be plain text")
                            state = _SKIP_KEY
                            skip = 1
                            continue
                        if state != _VALUE:
                            skip = 1
                            continue
                    where = self._where(path, mapping, key, data, stack)
                    count += 1
                    mark = event.start_mark
                    if count > MAX_NODES or deep:
                        self._limits(count, mark, where)
                    log(mark)
                    tag = event.tag
                    new: Any
                    if tag is not None and tag != "!" and tag != MAP and tag != SEQ:
                        # `!!python/object/apply:os.system [id]`, `!!set {…}`, `!include {…}`: never dropped silently.
                        shown = tag.replace("tag:yaml.org,2002:", "!!")
                        self._at(mark, where, f"unsupported value: the tag {shown!r} is not allowed")
                        new = None
                        skip = 1
                    else:
                        new = {} if kind is MappingStartEvent else []
                    if mapping:
                        data[key] = new
                        state = _KEY
                    else:
                        data.append(new)
                    if new is not None:
                        log(OPEN)
                        stack.append((data, path, mapping, seen, key, deep))
                        data, path, mapping, seen = new, where, kind is MappingStartEvent, {}
                        deep = len(where) >= MAX_DEPTH
                    continue
                if kind is AliasEvent:
                    if mapping and state == _KEY:
                        anchored = anchors[event.anchor][0]  # the anchored node itself is the key
                        if type(anchored) is ScalarEvent:
                            state, key = self._key(seen, path, anchored)
                        else:
                            self._at(anchored.start_mark, path, "keys must be plain text")
                            state = _SKIP_VALUE
                    elif mapping and state != _VALUE:
                        state = _KEY
                    else:
                        replays.append(iter(anchors[event.anchor]))
                    continue
                # The end of the open collection.
                log(CLOSE)
                data, path, mapping, seen, key, deep = stack.pop()
                state = _KEY
                if not stack:
                    return data[0]
        except _Fatal:
            self.live_depth = live_depth
            raise

    @staticmethod
    def _where(path: Path_, mapping: bool, key: Any, data: Any, stack: list[Any]) -> Path_:
        """The path of the value about to be built in the open collection."""
        if mapping:
            return (*path, key)
        return (*path, len(data)) if stack else ()

    def _anchor(self, event: Any, live_depth: int) -> None:
        if event.anchor in self.anchors:
            raise yaml.composer.ComposerError("found duplicate anchor; first occurrence",
                                              self.anchors[event.anchor][0].start_mark,
                                              "second occurrence", event.start_mark)
        events = [event]
        self.anchors[event.anchor] = events
        if type(event) is not ScalarEvent:
            self.recording.append((events, live_depth))

    def _drain(self) -> None:
        """After a limit: parse the rest as composing did, for its errors (syntax, aliases, a 2nd document)."""
        depth = self.live_depth
        while depth:
            event = self.get()
            kind = type(event)
            if kind is MappingStartEvent or kind is SequenceStartEvent or kind is ScalarEvent:
                depth += kind is not ScalarEvent
                if event.anchor is not None:
                    self._anchor(event, depth)
            elif kind is AliasEvent:
                if event.anchor not in self.anchors:
                    raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
            else:
                depth -= 1
        self.get()  # DocumentEndEvent
        after = self.get()
        if type(after) is not StreamEndEvent:
            raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                              "but found another document", after.start_mark)

    def _limits(self, count: int, mark: Any, path: Path_) -> None:
        if count > MAX_NODES:
            raise _Fatal(self._problem(mark, path, f"document expands to more than {MAX_NODES:,} values "
                                       "(aliases/anchors expanding too much?)"))
        raise _Fatal(self._problem(mark, path, f"nesting deeper than {MAX_DEPTH} levels"))

    def _key(self, seen: dict[str, Any], path: Path_, event: Any) -> tuple[int, Any]:
        """A key that is not plain text: a number means its text; anything else is reported, its value skipped."""
        tag = event.tag
        value = event.value
        mark = event.start_mark
        if tag is None or tag == "!":
            tag = resolve_plain(value, event.implicit)
        if tag == MERGE:
            self._at(mark, path, "merge keys (<<) are not supported")
            return _SKIP_VALUE, None
        if tag == STR and self.clean:
            key = value
        else:
            try:
                key = construct_scalar(tag, value, mark)
            except yaml.constructor.ConstructorError as exc:
                self._at(mark, path, f"unsupported key: {exc.problem}")
                return _SKIP_VALUE, None
            wrong = _wrong(key, value)
            if wrong is not None:
                self._at(mark, (*path, str(key)), wrong)
            if isinstance(key, (int, float)) and not isinstance(key, bool):
                key = value  # `2024:` or `610100:` as a key means the text
            if not isinstance(key, str):
                self._at(mark, path, f"keys must be text, got {key!r}")
                return _SKIP_VALUE, None
        if key in seen:
            return self._duplicate(mark, (*path, key), seen[key]), None
        seen[key] = mark
        self.log.append((key, mark))
        return _VALUE, key

    def _duplicate(self, mark: Any, sub: Path_, first: Any) -> int:
        self._at(mark, sub, f"duplicate key {sub[-1]!r} (first defined at line {first.line + 1}); "
                 "YAML keeps only the last one, so remove or rename one")
        return _SKIP_VALUE

    def _at(self, mark: Any, path: Path_, message: str) -> None:
        self.problems.append(self._problem(mark, path, message))

    def _problem(self, mark: Any, path: Path_, message: str) -> Problem:
        return Problem(self.file, mark.line + 1, mark.column + 1, dotted(path), message)
