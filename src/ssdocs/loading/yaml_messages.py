"""What a YAML syntax error means for a person filling in a file, and what to do about it.

The YAML parser (libyaml) says where it stopped and what it missed (`did not find expected key`,
`did not find expected ',' or '}'`); this module keeps those words (they are searchable) and adds the fix for
the usual causes, looking at the offending line and the one before it. Kept apart from yamlio.py,
which only calls `yaml_error_message`.
"""

from __future__ import annotations

import re

_KEY_WITH_VALUE = re.compile(r"^(\s*)(?:- )?([^#\s][^:#]*):\s+(\S.*?)\s*(?:#.*)?$")


def yaml_error_message(problem: str, context: str | None, lines: list[str], line: int) -> str:
    """`invalid YAML: <PyYAML's words>; <what to do>` for the error at 1-based `line` of `lines`."""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    before = _previous(lines, line)
    advice = _advice(problem, context or "", here, before)
    return f"invalid YAML: {problem}" + (f"; {advice}" if advice else "")


def _previous(lines: list[str], line: int) -> str:
    """The nearest line above `line` that is not blank or a comment."""
    for text in reversed(lines[:max(0, line - 1)]):
        if text.strip() and not text.lstrip().startswith("#"):
            return text
    return ""


def _advice(problem: str, context: str, here: str, before: str) -> str:
    stripped = here.lstrip()
    if "\t" in problem or "tab" in problem or "\t" in here[: len(here) - len(here.lstrip())]:
        return "YAML forbids tabs for indentation; use spaces"
    # libyaml says "did not find expected key" where PyYAML names the block tokens.
    lost_key = "did not find expected key" in problem
    if ("<block sequence start>" in problem or "found '-'" in problem or lost_key) and stripped.startswith("-"):
        key = _KEY_WITH_VALUE.match(before)
        if key and key.group(3) in ("[]", "{}", "''", '""', "~", "null"):
            return (f"the list entry on this line follows '{key.group(2).strip()}: {key.group(3)}', which "
                    f"already gives the key its (empty) value: write '{key.group(2).strip()}:' alone on its "
                    "line, then the entries under it, each starting with '- ' and indented by two more spaces")
        if key:
            return (f"a list entry cannot follow '{key.group(2).strip()}: {key.group(3)}': a key holds either "
                    "a value on its own line or a list under it, not both")
        return "this list entry ('- ') is not under a key that can hold a list: check its indentation"
    if "<block mapping start>" in problem or "<block end>" in problem or lost_key:
        return ("this line's indentation does not match the lines around it: keys of one mapping must "
                "start in the same column (indent with spaces, two per level)")
    if problem.startswith("mapping values are not allowed"):
        return ("a second ':' on one line: put text that contains ': ' in quotes (note: \"办法: 试行\"), "
                "or, if this is a new key, start it on its own line at the right indentation")
    if problem.startswith("could not find expected ':'"):
        return ("a line here has no ':' after its key (every line of a mapping is 'key: value'), "
                "or a quote is not closed")
    for opening, closing, kind in (("{", "}", "mapping"), ("[", "]", "list")):
        if f"expected ',' or '{closing}'" not in problem:
            continue
        if opening not in here and before.count(opening) > before.count(closing):
            return f"the '{opening}' on the line before is never closed: end that line with '{closing}'"
        return (f"in a {opening}…{closing} {kind} separate the entries with commas and close it with "
                f"'{closing}' on the same line; put text that contains ',' ':' '{opening}' or '{closing}' "
                "in quotes")
    if "another document" in problem:
        return "'---' starts a second YAML document, and an ssdocs file holds one: remove the '---' line"
    if "quoted scalar" in context and "end of stream" in problem:
        return "a quote (\" or ') opened here is never closed: close it at the end of the text"
    if "found undefined alias" in problem or "found character '*'" in problem:
        return "'*' and '&' start YAML aliases and anchors: put text that starts with them in quotes"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "'@' and '`' cannot start a plain value: put the text in quotes"
    return ""


__all__ = ["yaml_error_message"]
