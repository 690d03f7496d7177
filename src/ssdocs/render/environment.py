"""The one Jinja environment: templates_dir(), autoescape for every template, bilingual filters."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ssdocs.core.paths import cache_dir, templates_dir
from ssdocs.render.fontsubset import CJK_STACK
from ssdocs.render.markdown import render_markdown

LANGS = ("zh", "en", "both")


def _parts(text: Any) -> tuple[str, str]:
    """(zh, en) of a Text model, a {zh, en} mapping, or a plain string (same in both)."""
    if text is None:
        return "", ""
    if isinstance(text, Mapping):
        return str(text.get("zh", "")), str(text.get("en", text.get("zh", "")))
    zh, en = getattr(text, "zh", None), getattr(text, "en", None)
    if zh is not None and en is not None:
        return str(zh), str(en)
    return str(text), str(text)


def translate(text: Any, lang: str) -> Markup:
    """A bilingual text in `lang`; with `both`, Chinese with the English beneath (span.en)."""
    zh, en = _parts(text)
    if lang == "en":
        return escape(en)
    if lang == "both" and en and en != zh:
        return Markup('{}<span class="en">{}</span>').format(zh, en)
    return escape(zh)


def translate_inline(text: Any, lang: str, sep: str = " / ") -> Markup:
    """Like `translate`, but `both` stays on one line: 中文 / English (for headers, metadata)."""
    zh, en = _parts(text)
    if lang == "en":
        return escape(en)
    if lang == "both" and en and en != zh:
        return escape(f"{zh}{sep}{en}")
    return escape(zh)


def plain(text: Any, lang: str, sep: str = " / ") -> str:
    """The inline text as a plain str (PDF metadata, CSV, file names)."""
    return str(translate_inline(text, lang, sep).unescape())


def format_score(value: float | None, digits: int = 1) -> str:
    """A 0–100 score as shown everywhere: one decimal, an em dash when not scored."""
    return "—" if value is None else f"{value:.{digits}f}"


def format_number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def format_impact(value: float | None) -> str:
    """A finding's impact (weight × shortfall) as shown in the report and the CSV: two decimals."""
    return "—" if value is None else f"{value:.2f}"


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared environment (created once). Autoescape is on for every template, whatever its
    name: `select_autoescape` would miss `.html.j2`, and user text reaches every template."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        t=translate,
        ti=translate_inline,
        plain=plain,
        md=render_markdown,
        score=format_score,
        num=format_number,
        impact=format_impact,
    )
    # The Chinese font stack of stylesheets and SVG charts (single-quoted: fits in an SVG attribute).
    env.globals.update(LANGS=LANGS, cjk_fonts=Markup(CJK_STACK))
    return env


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs (keyed by each template's source checksum): compiling
    the report's templates costs more than rendering them."""
    folder = cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home: compile every time
    return FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def render_template(name: str, **context: Any) -> str:
    """Render one template of templates_dir() with `context`."""
    return environment().get_template(name).render(**context)


__all__ = [
    "LANGS",
    "environment",
    "format_number",
    "format_score",
    "plain",
    "render_template",
    "translate",
    "translate_inline",
]
