"""Data files beside the checklists: the register of legal instruments and the map of the paper."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ssdocs.models.base import Date, Strict, Text
from ssdocs.models.parts import ITEM_ID, SLUG

PAPER_ENTRY_ID = r"^P[023]-\d{2,3}$"


class Instrument(Strict):
    """A law, regulation, rule or normative document that items cite (`basis: [{ref: <id>}]`)."""

    id: str = Field(pattern=SLUG)
    kind: Literal["law", "administrative-regulation", "rule", "normative-document", "standard"]
    title: Text
    issuer: Text
    number: str | None = Field(default=None, min_length=1, max_length=200)
    issued: Date | None = None
    effective: Date | None = None


class BasisRegister(Strict):
    """checklists/basis.yaml: every instrument the checklists cite."""

    schema_: str | None = Field(default=None, alias="$schema")
    instruments: list[Instrument] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _unique(self) -> BasisRegister:
        ids = [i.id for i in self.instruments]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"instrument ids must be unique, got {twice} more than once")
        return self

    def get(self, ident: str) -> Instrument | None:
        return next((i for i in self.instruments if i.id == ident), None)

    def ids(self) -> list[str]:
        return [i.id for i in self.instruments]


class PaperEntry(Strict):
    """One checkable recommendation of the paper: the items that check it, or why none can."""

    id: str = Field(pattern=PAPER_ENTRY_ID)
    section: Literal["摘要", "一", "二", "三"]
    quote: str = Field(min_length=8, max_length=120)
    items: list[Annotated[str, Field(pattern=ITEM_ID)]] = Field(default_factory=list, max_length=30)
    out_of_scope: Text | None = None
    note: Text | None = None

    @property
    def status(self) -> Literal["mapped", "out-of-scope", "unmapped", "both"]:
        if self.items and self.out_of_scope is not None:
            return "both"
        if self.items:
            return "mapped"
        return "out-of-scope" if self.out_of_scope is not None else "unmapped"


class PaperMap(Strict):
    """checklists/paper-map.yaml: every checkable recommendation of parts 二 and 三 (and the 摘要)."""

    schema_: str | None = Field(default=None, alias="$schema")
    entries: list[PaperEntry] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _unique(self) -> PaperMap:
        ids = [e.id for e in self.entries]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"entry ids must be unique, got {twice} more than once")
        return self
