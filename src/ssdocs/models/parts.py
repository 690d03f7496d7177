"""Parts every checklist item shares: paper sources, legal basis, scoring bands and the item base."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from ssdocs.models.base import Strict, Text

ITEM_ID = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"
SLUG = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
PAPER_ONLY = "paper-only"


class Source(Strict):
    """Where in the paper an item comes from: part (一/二/三) and a verbatim quote."""

    section: Literal["摘要", "一", "二", "三"]
    quote: str = Field(min_length=8, max_length=60)


class BasisRef(Strict):
    """A legal instrument an item enforces: an id of the register (checklists/basis.yaml), an article."""

    ref: str = Field(pattern=SLUG)
    article: str | None = Field(default=None, min_length=1, max_length=60)
    note: Text | None = None


def _one_or_list(value: Any) -> str:
    return "a-list" if isinstance(value, list) else "a-mapping"


def _list_or_word(value: Any) -> str:
    return "a-list" if isinstance(value, list) else "a-word"


# The tags contain '-' so that located errors skip them (see loading.problems._is_type_name).
Sources = Annotated[
    Annotated[Source, Tag("a-mapping")]
    | Annotated[list[Source], Field(min_length=1, max_length=5), Tag("a-list")],
    Discriminator(_one_or_list),
]
Basis = Annotated[
    Annotated[list[BasisRef], Field(min_length=1, max_length=6), Tag("a-list")]
    | Annotated[Literal["paper-only"], Tag("a-word")],
    Discriminator(_list_or_word),
]


class Band(Strict):
    """A half-open scoring band [min, max) for a number; an open end is omitted."""

    min: float | None = None
    max: float | None = None
    score: float = Field(ge=0, le=1)
    label: Text

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value < self.max)


class ItemBase(Strict):
    """Keys every item type has."""

    id: str = Field(pattern=ITEM_ID)
    question: Text
    guidance: Text
    weight: float = Field(default=1.0, gt=0, le=100)
    critical: bool = False
    context: bool = False  # answered and shown, never scored (what a jurisdiction cannot control)
    evidence_required: bool = False
    recommendation: Text
    tags: list[str] = Field(default_factory=list)
    # One mapping or a list of them; normalised to a list (read it through `sources`).
    source: Sources
    basis: Basis | None = None  # register refs, or "paper-only"; lint requires it for latest versions

    @field_validator("source", mode="after")
    @classmethod
    def _as_list(cls, value: Source | list[Source]) -> list[Source]:
        return [value] if isinstance(value, Source) else value

    @model_validator(mode="after")
    def _context_not_critical(self) -> ItemBase:
        if self.context and self.critical:
            raise ValueError("a context item cannot be critical (it is never scored)")
        return self

    @property
    def sources(self) -> list[Source]:
        """Every paper quote the item rests on, first one first."""
        return [self.source] if isinstance(self.source, Source) else list(self.source)

    @property
    def basis_refs(self) -> list[BasisRef]:
        """The instruments cited ([] for none or for "paper-only")."""
        return list(self.basis) if isinstance(self.basis, list) else []

    @property
    def paper_only(self) -> bool:
        return self.basis == PAPER_ONLY
