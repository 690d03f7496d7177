"""Shared model configuration and the bilingual text type."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Base of every input model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(Strict):
    """A user-facing text in Chinese (first) and English."""

    zh: str = Field(min_length=1, max_length=20_000)
    en: str = Field(min_length=1, max_length=20_000)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh
