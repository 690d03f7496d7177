"""The tooltip of each fillable form field: the question a person answers there, not its field name.

A viewer shows it when the pointer rests on a field (the PDF field's /TU); the field name itself
(`TD-02.value`) stays what `ssdocs import-pdf` reads.
"""

from __future__ import annotations

from ssdocs.forms.names import FieldRef, form_fields
from ssdocs.models.base import Text
from ssdocs.models.checklist import Checklist, GridItem, MatrixItem

_PARTS: dict[str, Text] = {
    "na": Text(zh="不适用的理由", en="why the item does not apply"),
    "evidence": Text(zh="证据，每行一项：[类别：]名称 | 文号 | 日期（类别：文件、系统数据、现场查看、访谈）",
                     en="evidence, one a line: [kind:] title | reference | date (kind: document, system_data, "
                        "observation, interview)"),
    "note": Text(zh="说明", en="note"),
}


def _say(text: Text, lang: str) -> str:
    if lang == "both" and text.en and text.en != text.zh:
        return f"{text.zh} / {text.en}"
    return text.en if lang == "en" else text.zh


def field_tip(ref: FieldRef, lang: str) -> str:
    """`ID question`, with the row and column of a cell or the part (N/A, evidence, note) it asks for."""
    item = ref.item
    head = f"{item.id} {_say(item.question, lang)}"
    if ref.part in ("cell", "grid") and isinstance(item, (MatrixItem, GridItem)):
        row = next((r.label for r in item.rows if r.id == ref.row), Text(zh=str(ref.row), en=str(ref.row)))
        column = next((c.label for c in item.columns if c.id == ref.column),
                      Text(zh=str(ref.column), en=str(ref.column)))
        return f"{head} — {_say(row, lang)} · {_say(column, lang)}"
    if ref.part in _PARTS:
        return f"{head} — {_say(_PARTS[ref.part], lang)}"
    return head


def field_tips(checklists: list[Checklist], lang: str) -> dict[str, str]:
    """The tooltip of every answer field of `checklists`, by field name."""
    return {name: field_tip(ref, lang) for name, ref in form_fields(checklists).items()}


__all__ = ["field_tip", "field_tips"]
