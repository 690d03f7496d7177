"""Safe YAML reading: limits, duplicate keys, and a line:column for every value."""

from __future__ import annotations

import errno
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.loading.yaml_messages import yaml_error_message

MAX_FILE_BYTES = 5 * 1024 * 1024
_SYMLINK = ("is a symbolic link, expected a regular file: ssdocs does not follow links in answer and "
            "checklist files (one could point outside the repository); copy the file instead")
MAX_NODES = 200_000  # after alias expansion: stops "billion laughs" documents
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

# What YAML allows in a stream (PyYAML checks the same set, but raises an unlocated error).
_NOT_YAML_TEXT = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Allowed in a YAML file but not in the text of a value: control characters that arrive through
# escapes ("\x07", "\u0000") and bidirectional overrides, which can make a note read differently
# in the report than in the file (the "Trojan Source" trick).
_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class _TooDeep(Exception):
    """Raised by the composer before Python's recursion limit is reached."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("too deep")
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so `value: yes` stays the string 'yes'."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        # PyYAML composes recursively: a crafted `[[[[…` would end in RecursionError.
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:
                raise _TooDeep(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_STR = "tag:yaml.org,2002:str"
_LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))

# The implicit resolvers by the first character of a plain scalar, PyYAML's wildcard ones after
# them (the order PyYAML tries them in), for `_FastLoader.resolve`.
_Resolvers = tuple[tuple[str, re.Pattern[str]], ...]
_WILDCARD: _Resolvers = tuple(_Loader.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT: dict[str, _Resolvers] = {first: (*resolvers, *_WILDCARD)
                                    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
                                    if first is not None}
assert not _Loader.yaml_path_resolvers

if _LIBYAML:

    class _FastLoader(yaml.CSafeLoader):
        """The same resolvers and constructors, but libyaml composes the node tree: about 20 times
        faster than the pure-Python composer (a batch validates tens of thousands of files). Used
        once `_prescan` has bounded the depth and the values after alias expansion, or when
        `_plainly_bounded` shows that nothing needs bounding."""

        # libyaml's composer calls these three for every node, and PyYAML's versions were a third
        # of composing a typical assessment. Same answers (tests/test_loading.py compares them with
        # PyYAML's): the same implicit resolvers in the same order, and no path resolvers, so
        # there is no path to track.
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is yaml.ScalarNode:
                if implicit[0]:
                    for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                        if regexp.match(value):
                            return tag
                return _STR
            return _SEQ if kind is yaml.SequenceNode else _MAP

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None


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


def read_text(path: Path, display: str | None = None) -> str:
    """Read a file as UTF-8 text, with a clear error for size, encoding and BOM problems."""
    name = display or str(path)
    return decode_text(read_bytes(path, name), name)


def read_bytes(path: Path, display: str | None = None) -> bytes:
    """A regular file's bytes (at most MAX_FILE_BYTES), with a clear error when it cannot be read.

    Answer files come from many offices: a symbolic link (which could point at a secret outside the
    repository, whose content an error message would then quote) and anything but a regular file (a
    FIFO that never ends, /dev/zero) are refused without reading them.
    """
    name = display or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ValidationFailed([Problem(name, 0, 0, "", "file not found")]) from None
    except IsADirectoryError:
        raise ValidationFailed([Problem(name, 0, 0, "", "is a folder, expected a YAML file")]) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise ValidationFailed([Problem(name, 0, 0, "", _SYMLINK)]) from None
        raise ValidationFailed([Problem(name, 0, 0, "", f"cannot read: {exc.strerror}")]) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        what = "is a folder" if stat.S_ISDIR(info.st_mode) else "is not a regular file"
        raise ValidationFailed([Problem(name, 0, 0, "", f"{what}, expected a YAML file")])
    try:
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ValidationFailed([Problem(name, 0, 0, "", f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ValidationFailed(
            [Problem(name, 0, 0, "", f"file is {info.st_size:,} bytes, expected at most {MAX_FILE_BYTES:,}")]
        )
    return raw


def decode_text(raw: bytes, name: str) -> str:
    """A file's bytes as UTF-8 text, with a clear error for encoding and BOM problems."""
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationFailed(
            [Problem(name, 1, 1, "", "file contains NUL bytes, so it is UTF-16 or binary, expected UTF-8 text "
                     "(save it as UTF-8)")]
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
    _check_characters(text, file)
    fast = _compose_fast(text) if _plainly_bounded(text) else None
    if fast is None:
        fast = _compose_fast(text) if _prescan(text, file) else None
    if fast is not None:
        root, loader = fast
    else:
        root, loader = _compose(text, file)
    doc = Document(file=file, data=None)
    if root is None:
        raise ValidationFailed([Problem(file, 1, 1, "", "file is empty, expected a YAML mapping")])
    counter = [0]
    # Without a backslash no escape can make a character the text does not show, so when the text
    # has no control character no string value has one: _build then skips checking each of them.
    clean = "\\" not in text and not _NOT_IN_TEXT.search(text)
    doc.data = _build(root, (), doc, doc.problems, counter, loader, clean)
    return doc


def _compose_fast(text: str) -> tuple[yaml.Node | None, _Loader] | None:
    """The node tree composed by libyaml, or None when it finds an error (the Python composer
    then reports it, in the words and at the place the tests and users know)."""
    loader = _FastLoader(text)
    try:
        return loader.get_single_node(), loader  # type: ignore[return-value]
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _compose(text: str, file: str) -> tuple[yaml.Node | None, _Loader]:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except _TooDeep as exc:
        raise ValidationFailed([Problem(file, exc.mark.line + 1, exc.mark.column + 1, "",
                                        f"nesting deeper than {MAX_DEPTH} levels")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = str(exc.problem or exc.context or "invalid YAML")
        message = yaml_error_message(what, exc.context, text.splitlines(), line)
        raise ValidationFailed([Problem(file, line, column, "", message)]) from None
    except yaml.YAMLError as exc:
        raise ValidationFailed([Problem(file, 0, 0, "", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return root, loader


def _build(
    node: yaml.Node,
    path: Path_,
    doc: Document,
    problems: list[Problem],
    counter: list[int],
    loader: _Loader,
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
                    key = _scalar(key_node, loader)
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
            result[key] = _build(value_node, sub, doc, problems, counter, loader, clean)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, (*path, i), doc, problems, counter, loader, clean) for i, child in enumerate(node.value)
        ]
    try:
        return _check_text(_scalar(node, loader), node, doc, path, problems)
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


def _scalar(node: yaml.Node, loader: _Loader) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a plain value", node.start_mark)
    if node.tag == _STR:
        return node.value  # most values: what the constructor would return, without its dispatch
    try:
        return loader.construct_object(node, deep=True)
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


# An anchor begins a token: after a space, a line break, a flow indicator or `"key":`. (Without
# anchors an alias cannot expand: libyaml refuses it as undefined, and the slow path reports it.)
_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:\ufeff])&\S")
_PLAIN_MAX_CHARS = 256 * 1024  # at least ~1.5 characters a value: fewer than MAX_NODES values
# libyaml 0.2.5 and later refuse nesting deeper than 1,000 levels, so their composer cannot exhaust
# the C stack; _build then refuses anything deeper than MAX_DEPTH, located.
_LIBYAML_LIMITS_NESTING = _LIBYAML and yaml._yaml.get_version() >= (0, 2, 5)


def _plainly_bounded(text: str) -> bool:
    """True when the pre-scan could not refuse the text, so that libyaml may compose it at once
    (the pre-scan costs a third of parsing a typical assessment): a file small enough to hold
    fewer than MAX_NODES values, without anchors (so nothing expands), read by a libyaml that
    bounds nesting itself. Conservative: `&` inside quoted text also sends a file to the pre-scan.
    """
    if not (_LIBYAML and _LIBYAML_LIMITS_NESTING) or len(text) > _PLAIN_MAX_CHARS:
        return False
    return not ("&" in text and _ANCHOR.search(text))


def _prescan(text: str, file: str) -> bool:
    """Depth and size after alias expansion, checked on libyaml's event stream before composing.

    The pure-Python composer needs seconds per megabyte and recurses once per level; this pass is
    iterative and fast, so crafted documents (deep `[[[[…`, alias bombs, a 5 MB flat list) are refused
    in well under a second. Syntax errors are left to the main parser, whose messages are clearer.
    True when the whole stream was read without a syntax error (so libyaml may compose it).

    The two parsers do not accept quite the same streams (a tab inside a block scalar): when libyaml
    gives up, the same scan runs on PyYAML's events (slower, but iterative and stopped by the same
    limits), so a prefix libyaml rejects cannot smuggle a huge document past the limits.
    """
    if _LIBYAML:
        try:
            _scan(yaml.CSafeLoader(text), file)
            return True
        except yaml.YAMLError:
            pass
    try:
        _scan(yaml.BaseLoader(text), file)
    except yaml.YAMLError:
        pass  # a syntax error: the main parser reports it, located, in its own words
    return False


def _scan(parser: Any, file: str) -> None:
    """Walk the event stream; ValidationFailed at the first limit crossed, YAMLError on bad syntax."""
    anchors: dict[str, tuple[int, int]] = {}  # anchor -> (values it expands to, levels below it)
    frames: list[_Frame] = []
    total = 0  # values so far, aliases expanded, keys not counted (as _build counts them)
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
