"""How an item's legal basis and paper quotes read: the register's title and number beside each ref."""

from __future__ import annotations

from dataclasses import dataclass

from ssdocs.models.base import Text
from ssdocs.models.checklist import AnyItem
from ssdocs.models.registers import BasisRegister

PAPER_SECTIONS: dict[str, Text] = {
    "摘要": Text(zh="摘要", en="Abstract"),
    "一": Text(zh="一", en="Part 1"),
    "二": Text(zh="二", en="Part 2"),
    "三": Text(zh="三", en="Part 3"),
}


@dataclass(frozen=True)
class BasisView:
    """One instrument an item cites: its title (from the register, else the ref), number and article."""

    ref: str
    title: Text
    number: str | None = None
    article: str | None = None
    note: Text | None = None
    known: bool = True


def basis_views(item: AnyItem, register: BasisRegister | None) -> list[BasisView]:
    views = []
    for cited in item.basis_refs:
        found = register.get(cited.ref) if register is not None else None
        if found is None:
            views.append(BasisView(cited.ref, Text(zh=cited.ref, en=cited.ref), None, cited.article,
                                   cited.note, known=False))
        else:
            views.append(BasisView(cited.ref, found.title, found.number, cited.article, cited.note))
    return views
