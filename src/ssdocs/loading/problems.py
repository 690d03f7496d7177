"""Turn pydantic validation errors into located, readable problems with "did you mean"."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.loading.yamlio import Document, Path_

_SCALARS = {"str": "text", "int": "a whole number", "float": "a number", "bool": "true/false"}


def _is_type_name(step: str) -> bool:
    """Pydantic names union branches by type (`constrained-str`, `dict[...]`); fields never look so."""
    return "[" in step or "-" in step or step in _SCALARS


def _type_words(branch: str) -> str:
    base = branch.removeprefix("constrained-").split("[")[0]
    if base == "dict":
        return "a mapping"
    if base == "list":
        return "a list"
    return _SCALARS.get(base, base)


M = TypeVar("M", bound=BaseModel)


def validate_document(doc: Document, model: type[M], what: str) -> M:
    """A parsed YAML document validated as `model` (`what` names it in a message); every problem of the
    document (the reader's and the model's) raised together, located."""
    if not isinstance(doc.data, dict):
        raise ValidationFailed([doc.problem((), f"expected a mapping at the top of {what}")])
    try:
        value = model.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        raise ValidationFailed([*doc.problems, *problems_from(exc, doc, model)]) from None
    if doc.problems:
        raise ValidationFailed(doc.problems)
    return value


def problems_from(error: pydantic.ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    """One problem per location; union branches at one place are folded into one message."""
    grouped: dict[Path_, list[dict[str, Any]]] = {}
    for details in error.errors(include_url=False):
        path, branch = _data_path(details["loc"], doc.data)
        grouped.setdefault(path, []).append({**details, "_branch": branch})
    problems = []
    for path, errs in grouped.items():
        if len(errs) > 1 and all(e["_branch"] and _is_type_name(e["_branch"]) for e in errs):
            words = list(dict.fromkeys(_type_words(e["_branch"]) for e in errs))
            wanted = ", ".join(words[:-1]) + " or " + words[-1]
            problems.append(doc.problem(path, f"expected {wanted}, got {_show(errs[0]['input'])}"))
            continue
        for err in errs:
            key_problem = err["type"] in ("string_pattern_mismatch", "string_too_long") and "[key]" in err["loc"]
            at_key = err["type"] == "extra_forbidden" or key_problem
            problems.append(doc.problem(path, _message(err, path, model), at_key=at_key))
    return problems


def _data_path(loc: tuple[int | str, ...], data: Any) -> tuple[Path_, str | None]:
    """Drop pydantic's union tags from `loc`, keeping only steps that exist in the data."""
    path: list[str | int] = []
    branch = None
    node = data
    for step in loc:
        if step == "[key]":
            continue
        if isinstance(node, dict) and step in node:
            path.append(step)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            path.append(step)
            node = node[step]
        elif isinstance(step, str) and (
            not isinstance(node, (dict, list))
            or _is_type_name(step)
            or (isinstance(node, dict) and node.get("type") == step)
        ):
            branch = step
        elif isinstance(node, dict) and isinstance(step, str):
            path.append(step)  # a missing or unknown key: point at its parent, name it
            node = None
        else:
            path.append(step)
            node = None
    return tuple(path), branch


def _message(err: dict[str, Any], path: Path_, model: type[BaseModel]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(path[-1])
        allowed = sorted(_allowed_keys(model, err["loc"][:-1]))
        hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        msg = f"unknown key {key!r}"
        if hint:
            msg += f"; did you mean {hint[0]!r}?"
        return msg + (f" (expected one of: {', '.join(allowed)})" if allowed else "")
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        expected = err.get("ctx", {}).get("expected_tags", "")
        return f"expected type one of {expected}, got {_show(err['input'])}"
    if kind == "union_tag_not_found":
        return "required key 'type' is missing"
    if kind in ("too_long", "too_short"):  # lists and mappings (texts have their own kinds)
        ctx = err.get("ctx", {})
        bound = ("at most", ctx.get("max_length")) if kind == "too_long" else ("at least", ctx.get("min_length"))
        entries = "entry" if bound[1] == 1 else "entries"
        actual = ctx.get("actual_length")
        if actual is None and isinstance(err["input"], (list, dict)):
            actual = len(err["input"])  # pydantic >= 2.14 stops counting a mapping at the limit
        return f"expected {bound[0]} {bound[1]} {entries}, got {actual}"
    text = str(err["msg"])
    if text.startswith("Value error, "):
        return text.removeprefix("Value error, ")
    if text.startswith("Input should be "):
        text = "expected " + text.removeprefix("Input should be ")
    elif text.startswith("String should "):
        text = "expected text that should " + text.removeprefix("String should ")
    elif text.startswith("List should "):
        text = "expected a list that should " + text.removeprefix("List should ")
    if "pattern" in err.get("ctx", {}):
        text = f"expected text matching {err['ctx']['pattern']}"
    return f"{text}, got {_show(err['input'])}"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _allowed_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> set[str]:
    """The keys the model accepts at `loc` (pydantic's loc, union tags included)."""
    target: Any = model
    for step in loc:
        target = _step(target, step)
        if target is None:
            return set()
    target = _unwrap(target, None)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return {f.alias or name for name, f in target.model_fields.items()}
    return set()


def _step(target: Any, step: int | str) -> Any:
    target = _unwrap(target, step if isinstance(step, str) else None)
    if isinstance(target, type) and issubclass(target, BaseModel):
        if isinstance(step, str) and step in target.model_fields:
            return target.model_fields[step].annotation
        return target  # a union tag already resolved by _unwrap
    origin = typing.get_origin(target)
    if origin in (list, tuple):
        return typing.get_args(target)[0]
    if origin is dict:
        return typing.get_args(target)[1]
    return None


def _unwrap(target: Any, tag: str | None) -> Any:
    while True:
        origin = typing.get_origin(target)
        if origin is typing.Annotated:
            target = typing.get_args(target)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(target) if a is not type(None)]
            tagged = [a for a in args if tag is not None and typing.get_origin(a) is typing.Annotated
                      and any(isinstance(m, pydantic.Tag) and m.tag == tag for m in typing.get_args(a)[1:])]
            if tagged:  # a branch of a union with a callable discriminator (source, basis)
                target = tagged[0]
                continue
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            for m in models:
                field = m.model_fields.get("type")
                if tag is not None and field is not None and tag in typing.get_args(field.annotation):
                    return m
            target = models[0] if len(models) == 1 else (args[0] if len(args) == 1 else target)
            if typing.get_origin(target) in (typing.Union, types.UnionType):
                return target
            continue
        return target
