"""The PDF writer: the only module that imports WeasyPrint.

One shared FontConfiguration and image cache; every resource goes through SafeURLFetcher (the
policy in `ssdocs.render.fetcher`); presentational hints stay off; output is written atomically.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# WeasyPrint ships no type information.
from weasyprint import CSS, HTML, Attachment  # type: ignore[import-untyped]
from weasyprint import __version__ as WEASYPRINT_VERSION
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]
from weasyprint.urls import (  # type: ignore[import-untyped]
    FatalURLFetchingError,
    URLFetcher,
    URLFetcherResponse,
)

from ssdocs.core.files import write_bytes
from ssdocs.core.paths import templates_dir
from ssdocs.core.process import quiet_gc
from ssdocs.errors import UnsafeResource
from ssdocs.render.acroform import finish_form
from ssdocs.render.fetcher import fetch_resource
from ssdocs.render.fontsubset import font_face_css

PDF_VARIANTS = ("pdf/a-3b", "pdf/a-3u", "pdf/a-2b")
DEFAULT_VARIANT = "pdf/a-3b"

# WeasyPrint logs CSS/font warnings; the library must not print, so they only reach handlers the
# caller installs (pytest's caplog, `--debug`).
logging.getLogger("weasyprint").addHandler(logging.NullHandler())
logging.getLogger("fontTools").addHandler(logging.NullHandler())

FONT_CONFIG = FontConfiguration()
_IMAGE_CACHE: dict[Any, Any] = {}


class _Refused(FatalURLFetchingError):  # type: ignore[misc]
    """Carries UnsafeResource through WeasyPrint, which swallows every ordinary Exception."""

    def __init__(self, error: UnsafeResource) -> None:
        super().__init__(str(error))
        self.error = error


class SafeURLFetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint URL fetcher that allows only ssdocs' own assets and data: URLs."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False,
                         fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            resource = fetch_resource(url)
        except UnsafeResource as exc:
            raise _Refused(exc) from None
        return URLFetcherResponse(resource.url, resource.data, {"Content-Type": resource.mime_type})


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (PDF/A-3 associated file)."""

    name: str
    data: bytes
    description: str | None = None
    relationship: str = "Source"


@dataclass(frozen=True)
class PdfMetadata:
    """Document information; `date` fixes every timestamp so that output is reproducible."""

    title: str
    date: dt.datetime
    authors: list[str] = field(default_factory=list)
    lang: str = "zh-CN"
    keywords: list[str] = field(default_factory=list)
    description: str | None = None
    generator: str = "ssdocs"


def render_pdf(
    html: str,
    *,
    attachments: Sequence[PdfAttachment] = (),
    metadata: PdfMetadata | None = None,
    pdf_variant: str | None = DEFAULT_VARIANT,
    forms: bool = False,
    stylesheets: Sequence[str] = (),
    tagged: bool = False,
) -> bytes:
    """HTML (referring only to package assets) -> PDF bytes; UnsafeResource if it reaches out."""
    fetcher = SafeURLFetcher()
    base_url = templates_dir().resolve().as_uri() + "/"
    # The CJK subsets first, so that the families of the templates' font stack exist (see fontsubset).
    stylesheets = [font_face_css(fields=forms), *stylesheets]
    # Peak memory of the demo report with the tuning: 170 MB (167 MB without); ~15 % faster.
    try:
        with quiet_gc():
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                font_config=FONT_CONFIG,
                stylesheets=[CSS(string=s, base_url=base_url, url_fetcher=fetcher, font_config=FONT_CONFIG)
                             for s in stylesheets],
                presentational_hints=False,
                cache=_IMAGE_CACHE,
                pdf_forms=forms or None,
            )
            when = None
            if metadata is not None:
                when = metadata.date.replace(tzinfo=None)
                stamp = metadata.date.strftime("%Y-%m-%dT%H:%M:%SZ")
                info = document.metadata
                info.title = metadata.title
                # One entry, the names joined as the Info dictionary's /Author has them: PDF/A wants
                # Author equal to dc:creator, whose first (and only) entry veraPDF compares.
                info.authors = [", ".join(metadata.authors)] if metadata.authors else []
                info.lang = metadata.lang
                info.keywords = list(metadata.keywords)
                info.description = metadata.description
                info.generator = metadata.generator
                info.created = stamp
                info.modified = stamp
            pdf_attachments = [
                Attachment(string=a.data, name=a.name, description=a.description, url_fetcher=fetcher,
                           created=when or _EPOCH, modified=when or _EPOCH, relationship=a.relationship)
                for a in attachments
            ]
            data: bytes = document.write_pdf(
                finisher=_finish,
                attachments=pdf_attachments,
                pdf_variant=pdf_variant,
                pdf_forms=forms or None,
                pdf_tags=tagged,
                presentational_hints=False,
                uncompressed_pdf=False,
            )
    except _Refused as exc:
        raise exc.error from None
    return data


_EPOCH = dt.datetime(2000, 1, 1)


def _finish(document: Any, pdf: Any) -> None:
    """Before WeasyPrint writes the file: its form put right (`ssdocs.render.acroform`: radio
    buttons only kids of their group, states named by export value, "Off" appearances), and each
    PDF/A-3 associated file listed once in the catalog's /AF (WeasyPrint 70 lists each twice)."""
    finish_form(pdf)
    files = pdf.catalog.get("AF") if hasattr(pdf.catalog, "get") else None
    if files:
        unique = list(dict.fromkeys(files))
        files.clear()
        files.extend(unique)


def write_pdf(
    html: str,
    target: Path | str,
    *,
    attachments: Sequence[PdfAttachment] = (),
    metadata: PdfMetadata | None = None,
    pdf_variant: str | None = DEFAULT_VARIANT,
    forms: bool = False,
    stylesheets: Sequence[str] = (),
    tagged: bool = False,
) -> Path:
    """Render and write the PDF atomically (nothing is written if rendering fails)."""
    data = render_pdf(html, attachments=attachments, metadata=metadata, pdf_variant=pdf_variant,
                      forms=forms, stylesheets=stylesheets, tagged=tagged)
    return write_bytes(target, data)


def versions() -> dict[str, str]:
    """WeasyPrint and Pango versions (for `ssdocs doctor`)."""
    from weasyprint.text.ffi import pango  # type: ignore[import-untyped]

    number = int(pango.pango_version())
    return {"weasyprint": str(WEASYPRINT_VERSION),
            "pango": f"{number // 10000}.{number // 100 % 100}.{number % 100}"}


__all__ = [
    "DEFAULT_VARIANT",
    "FONT_CONFIG",
    "PDF_VARIANTS",
    "PdfAttachment",
    "PdfMetadata",
    "SafeURLFetcher",
    "render_pdf",
    "versions",
    "write_pdf",
]
