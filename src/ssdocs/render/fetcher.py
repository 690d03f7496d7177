"""The resource policy for rendering: ssdocs' own assets, its cached font subsets, data: URLs; nothing else.

WeasyPrint calls `ssdocs.render.pdf.SafeURLFetcher`, which delegates every URL to `fetch_resource`
here (kept free of WeasyPrint so the policy can be tested and reused without it).
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from ssdocs.core.paths import templates_dir
from ssdocs.errors import UnsafeResource

MAX_RESOURCE = 20 * 1024 * 1024
_MIME = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2",
         ".ttf": "font/ttf", ".otf": "font/otf", ".icc": "application/vnd.iccprofile"}


@dataclass(frozen=True)
class Resource:
    """What a fetch returns: the final URL, the bytes and their MIME type."""

    url: str
    data: bytes
    mime_type: str


def asset_roots() -> list[Path]:
    """Folders the renderer may read from: the shipped templates (CSS, images, fonts)."""
    return [templates_dir().resolve()]


def font_roots() -> list[Path]:
    """Folders the renderer may read OpenType fonts from: the cached CJK subsets (`fontsubset`)."""
    from ssdocs.render.fontsubset import font_roots as roots

    return [root.resolve() for root in roots()]


def _allowed(path: Path) -> bool:
    if any(path.is_relative_to(root) for root in asset_roots()):
        return True
    return path.suffix == ".otf" and any(path.is_relative_to(root) for root in font_roots())


def fetch_resource(url: str) -> Resource:
    """Return an allowed resource, or raise UnsafeResource naming the URL that was refused."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return _data_url(url)
    if scheme == "file":
        return _package_file(url)
    raise UnsafeResource(
        f"refused to fetch {_shorten(url)}: reports may only use ssdocs' own assets "
        "(no network, no files outside the package)"
    )


def _package_file(url: str) -> Resource:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise UnsafeResource(f"refused to fetch {_shorten(url)}: remote file URL")
    path = Path(url2pathname(unquote(parts.path)))
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise UnsafeResource(f"refused to fetch {_shorten(url)}: not one of ssdocs' assets") from None
    if not _allowed(resolved) or not resolved.is_file():
        raise UnsafeResource(f"refused to fetch {_shorten(url)}: outside ssdocs' own assets")
    data = resolved.read_bytes()[: MAX_RESOURCE + 1]
    if len(data) > MAX_RESOURCE:
        raise UnsafeResource(f"refused to fetch {_shorten(url)}: larger than {MAX_RESOURCE} bytes")
    mime = _MIME.get(resolved.suffix.lower()) or mimetypes.guess_type(resolved.name)[0]
    return Resource(resolved.as_uri(), data, mime or "application/octet-stream")


def _data_url(url: str) -> Resource:
    header, sep, payload = url[5:].partition(",")
    if not sep:
        raise UnsafeResource(f"refused to fetch {_shorten(url)}: malformed data: URL")
    fields = header.split(";")
    mime = fields[0] or "text/plain"
    if len(payload) > MAX_RESOURCE * 2:
        raise UnsafeResource(f"refused to fetch {_shorten(url)}: data: URL too large")
    try:
        data = base64.b64decode(payload, validate=False) if "base64" in fields[1:] else unquote_to_bytes(payload)
    except ValueError:
        raise UnsafeResource(f"refused to fetch {_shorten(url)}: malformed data: URL") from None
    return Resource(url[:64], data, mime)


def _shorten(url: str) -> str:
    url = "".join(c if c.isprintable() else "?" for c in url)
    return url if len(url) <= 200 else url[:197] + "..."


__all__ = ["Resource", "asset_roots", "fetch_resource", "font_roots"]
