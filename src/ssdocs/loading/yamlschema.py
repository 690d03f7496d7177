"""The YAML 1.2 core schema ssdocs reads: which tag a plain scalar has, and what each tag builds."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
SCALAR_TAGS = frozenset({STR, NULL, "tag:yaml.org,2002:bool", _INT, _FLOAT, _TIMESTAMP})  # what answers use
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))
_Base: Any = yaml.CSafeLoader if _LIBYAML else yaml.SafeLoader

# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution) for plain scalars, plus
# dates (answer files have them) and `<<`, resolved only so that a merge key gets a clear error. What
# YAML 1.1 read as numbers or booleans and 1.2 does not (012 as 10, 1:30 as 90, 1_000, 0b1, yes/no/on)
# stays text, which validation then reports where a number or a choice is expected.
_IMPLICIT: tuple[tuple[str, re.Pattern[str]], ...] = (
    (NULL, re.compile(r"^(?:~|null|Null|NULL|)$")),
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    (_INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    (_FLOAT, re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")),
    (_TIMESTAMP, re.compile(
        r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
        r"(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?"
        r"(?::[0-9][0-9])?))?)$")),
    (MERGE, re.compile(r"^<<$")),
)
MAY_RESOLVE = frozenset("~nNtTfF+-.0123456789<")  # the first characters of everything above
# For each character a resolvable text may start with, the patterns above that such a text can match,
# tried in the same order as one pattern (one match call instead of up to six, which fail).
_NULL_, _BOOL_, _INT_, _FLOAT_, _TIMESTAMP_, _MERGE_ = _IMPLICIT


def _first_of(*entries: tuple[str, re.Pattern[str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    names = {f"t{i}": tag for i, (tag, _) in enumerate(entries)}
    either = "|".join(f"(?P<t{i}>{regexp.pattern[1:]})" for i, (_, regexp) in enumerate(entries))
    return re.compile(f"^(?:{either})"), names


_BY_FIRST: dict[str, tuple[re.Pattern[str], dict[str, str]]] = {
    **dict.fromkeys("~nN", _first_of(_NULL_)), **dict.fromkeys("tTfF", _first_of(_BOOL_)),
    "<": _first_of(_MERGE_), **dict.fromkeys("+-", _first_of(_INT_, _FLOAT_)), ".": _first_of(_FLOAT_),
    **dict.fromkeys("0123456789", _first_of(_INT_, _FLOAT_, _TIMESTAMP_)),
}
# Allowed in a YAML file but not in the text of a value: control characters that arrive through
# escapes ("\x07", "\u0000") and bidirectional overrides, which can make a note read differently
# in the report than in the file (the "Trojan Source" trick).
NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def resolve_plain(value: str, implicit: Any) -> str:
    """The tag of an untagged scalar: only plain ones may be anything but text."""
    if not implicit[0]:
        return STR
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = _resolve(value)
        if len(_RESOLVED) < _RESOLVED_MAX and len(value) <= 64:
            _RESOLVED[value] = tag
    return tag


# Plain scalars resolved before: files repeat their keys, dates and levels (100 synthetic assessments:
# 63,000 scalars to resolve, 878 distinct). Bounded, so that no input makes it grow without end.
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 4096


def _resolve(value: str) -> str:
    if not value:
        return NULL
    candidates = _BY_FIRST.get(value[0])
    if candidates is not None:
        found = candidates[0].match(value)
        if found is not None:
            return candidates[1][str(found.lastgroup)]
    return STR


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
        return SEQ if kind is yaml.SequenceNode else MAP

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
    if tag == STR:
        return value
    if tag == NULL:
        return None
    try:
        if tag == _INT:  # the usual ones directly, as their constructors would
            return yaml_int(value)
        if tag == _FLOAT:
            return yaml_float(value)
        if tag == _TIMESTAMP and _DATE.match(value):  # a plain date: what the constructor returns for it
            return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        construct = Loader.yaml_constructors.get(tag)
        if construct is None or tag in (MAP, SEQ):
            raise yaml.constructor.ConstructorError(
                None, None, f"could not determine a constructor for the tag {tag!r}", mark)
        if tag not in SCALAR_TAGS:
            # !!binary would give bytes (which a text field accepts, decoded: control characters
            # and bidi overrides past the text check); !!omap/!!pairs/!!set on a plain value, a generator.
            raise yaml.constructor.ConstructorError(
                None, None, f"the tag {tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed", mark)
        return construct(_CONSTRUCTOR, yaml.ScalarNode(tag, value, mark, mark))
    except (ValueError, KeyError):
        # An impossible timestamp such as 2024-02-30 (or `!!bool maybe`): keep the text; validation reports it.
        return value
