"""'Did you mean' for an answer value that is not one of the allowed ones.

The usual mistakes: the right word in another case (`Yes`), a scale level or option answered with
its label (`基本覆盖`, `Mostly covered`) instead of its value, yes/no written in Chinese (`是`).
Values are compared exactly (a scale's `A` is not its `a`); spaces around a value are ignored
everywhere (the models strip them), so `"yes "` is `yes`.
"""

from __future__ import annotations

import difflib
from typing import Any

from ssdocs.models.checklist import AnyItem, ChoiceItem, ScaleItem

# yes/no answers and matrix cells written as words people use for them
_SYNONYMS = {"是": "yes", "否": "no", "部分": "partial", "部分符合": "partial", "partly": "partial",
             "不适用": "na", "n/a": "na", "y": "yes", "n": "no", "true": "yes", "false": "no"}


def value_hint(item: AnyItem, value: Any) -> str:
    """`; did you mean …?` (or `; … is the label of …`) for a refused scalar answer, or ''."""
    if isinstance(value, dict) or value is None:
        return ""
    text = str(value).strip()
    allowed = item.allowed_values()
    if isinstance(item, (ScaleItem, ChoiceItem)):
        entries = item.levels if isinstance(item, ScaleItem) else item.options
        kind = "level" if isinstance(item, ScaleItem) else "option"
        for entry in entries:
            if text.casefold() in (entry.label.zh.casefold(), entry.label.en.casefold()):
                return f"; {text!r} is the label of {kind} {str(entry.value)!r}: write {str(entry.value)!r}"
    return _choose(text, allowed)


def cell_hint(cell: Any, allowed: tuple[str, ...] = ("yes", "no", "na")) -> str:
    """The same for one matrix cell."""
    return "" if isinstance(cell, (dict, list)) or cell is None else _choose(str(cell).strip(), list(allowed))


def _choose(text: str, allowed: list[str]) -> str:
    folded = {a.casefold(): a for a in allowed}
    guess = folded.get(text.casefold()) or _SYNONYMS.get(text.casefold())
    if guess is None or guess not in allowed:
        close = difflib.get_close_matches(text, allowed, n=1, cutoff=0.6)
        guess = close[0] if close else None
    return f"; did you mean {guess!r}?" if guess else ""


__all__ = ["cell_hint", "value_hint"]
