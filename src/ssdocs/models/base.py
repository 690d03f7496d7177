"""Shared model configuration and the bilingual text type."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class Strict(BaseModel):
    """Base of every input model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(Strict):
    """A user-facing text in Chinese (first) and English."""

    zh: str = Field(min_length=1, max_length=20_000)
    en: str = Field(min_length=1, max_length=20_000)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_input(value: Any) -> Any:
    """Only real calendar dates: no times, no numbers read as timestamps, no 2024-02-30."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date as YYYY-MM-DD without a time, got '{value.isoformat()}'")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"expected a real date as YYYY-MM-DD, got {value!r} ({exc})") from None
    got = "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else repr(value)
    raise ValueError(f"expected a date as YYYY-MM-DD, got {got}")


# A calendar date in an input file (`2025-03-01`, quoted or not), with a clear message otherwise.
Date = Annotated[dt.date, BeforeValidator(_date_input)]
