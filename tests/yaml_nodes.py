"""The Node-based YAML builder that parse_yaml used before it built from events: the test oracle.

Kept only so that tests/test_yamlbuild.py can compare the two on the same texts: libyaml composes
every node (calling the resolver per node), then `_build` walks them recursively.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from ssdocs.errors import Problem, ValidationFailed
from ssdocs.loading import yamlio, yamlschema
from ssdocs.loading.yamlio import MAX_DEPTH, MAX_NODES, Document, Path_, dotted

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_CONSTRUCTOR = yamlio._Loader("")


def parse_yaml_by_nodes(text: str, file: str) -> Document:
    """parse_yaml as it was: compose, then build."""
    yamlio._check_characters(text, file)
    scanned = not yamlio._plainly_bounded(text)
    if scanned:
        yamlio._scan(text, file)
    loader = yamlio._Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        if not scanned:
            yamlio._scan(text, file)
        raise yamlio._syntax_error(exc, text, file) from None
    finally:
        loader.dispose()
    doc = Document(file=file, data=None)
    if root is None:
        raise ValidationFailed([Problem(file, 1, 1, "", "file is empty, expected a YAML mapping")])
    clean = "\\" not in text and not yamlio.NOT_IN_TEXT.search(text)
    doc.data = _build(root, (), doc, doc.problems, [0], clean)
    return doc


def _build(node: Any, path: Path_, doc: Document, problems: list[Problem], counter: list[int],
           clean: bool) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise ValidationFailed([_at(doc, node, path, f"document expands to more than {MAX_NODES:,} values "
                                    "(aliases/anchors expanding too much?)")])
    if len(path) > MAX_DEPTH:
        raise ValidationFailed([_at(doc, node, path, f"nesting deeper than {MAX_DEPTH} levels")])
    mark = node.start_mark
    doc.marks[path] = (mark.line + 1, mark.column + 1)
    if type(node) is yaml.ScalarNode and node.tag == _STR:
        return node.value if clean else _check_text(node.value, node, doc, path, problems)
    if node.tag not in (_MAP, _SEQ) and not isinstance(node, yaml.ScalarNode):
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
                key = key_node.value
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
                    key = str(key_node.value)
                if not isinstance(key, str):
                    problems.append(_at(doc, key_node, path, f"keys must be text, got {key!r}"))
                    continue
            sub = (*path, key)
            if key in result:
                first = doc.key_marks.get(sub, (0, 0))
                problems.append(_at(doc, key_node, sub, f"duplicate key {key!r} (first defined at line "
                                    f"{first[0]}); YAML keeps only the last one, so remove or rename one"))
                continue
            key_mark = key_node.start_mark
            doc.key_marks[sub] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = _build(value_node, sub, doc, problems, counter, clean)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, (*path, i), doc, problems, counter, clean) for i, child in enumerate(node.value)]
    try:
        return _check_text(_scalar(node), node, doc, path, problems)
    except yaml.constructor.ConstructorError as exc:
        problems.append(_at(doc, node, path, f"unsupported value: {exc.problem}"))
        return None


def _check_text(value: Any, node: Any, doc: Document, path: Path_, problems: list[Problem]) -> Any:
    if isinstance(value, str):
        bad = yamlio.NOT_IN_TEXT.search(value)
        if bad:
            char = bad.group()
            kind = "bidirectional control" if char >= "\u2000" else "control"
            problems.append(_at(doc, node, path, f"{kind} character U+{ord(char):04X} is not allowed in text; "
                                "remove it"))
    elif isinstance(value, float) and not math.isfinite(value):
        problems.append(_at(doc, node, path, f"expected a finite number, got {node.value}"))
    return value


def _scalar(node: Any) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a plain value", node.start_mark)
    if node.tag == _STR:
        return node.value
    construct = yamlio._Loader.yaml_constructors.get(node.tag)
    if construct is None or node.tag in (_MAP, _SEQ):
        raise yaml.constructor.ConstructorError(
            None, None, f"could not determine a constructor for the tag {node.tag!r}", node.start_mark)
    if node.tag not in yamlschema.SCALAR_TAGS:  # refused since (bytes from !!binary, generators from !!omap)
        raise yaml.constructor.ConstructorError(
            None, None, f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed", node.start_mark)
    try:
        return construct(_CONSTRUCTOR, node)
    except (ValueError, KeyError):  # KeyError (`!!bool maybe`) was a traceback before: now the text, as both do
        return str(node.value)


def _at(doc: Document, node: Any, path: Path_, message: str) -> Problem:
    return Problem(doc.file, node.start_mark.line + 1, node.start_mark.column + 1, dotted(path), message)
