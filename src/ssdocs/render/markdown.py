"""Safe markdown for notes written by users: raw HTML escaped, only http(s) links, no images."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown as _markdown  # type: ignore[import-untyped]  # no stubs shipped
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
MAX_NOTE = 20_000


def is_safe_link(href: str) -> bool:
    """True for absolute http(s) URLs with a host; everything else is shown as text."""
    href = href.strip()
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc) and not any(
        ord(c) < 32 for c in href
    )


class _Sanitiser(Treeprocessor):  # type: ignore[misc]
    """Drops images (their alt text stays) and links that are not http(s) (their text stays)."""

    def run(self, root: etree.Element) -> None:
        # Deepest first: an image inside a link is gone before the link is unwrapped into its parent.
        for parent in reversed(list(root.iter())):
            for child in list(parent):
                if child.tag == "img":
                    _replace_with_text(parent, child, _image_text(child))
                elif child.tag == "a":
                    href = child.get("href", "")
                    if not is_safe_link(href):
                        _unwrap(parent, child)
                    else:
                        child.attrib.clear()
                        child.set("href", href.strip())
                        child.set("rel", "nofollow noopener")
                else:
                    if child.tag in _HEADINGS:
                        # A heading in a note must not become a chapter of the report (TOC, bookmarks).
                        child.tag = "p"
                    # No element keeps an attribute a user could have injected.
                    for name in list(child.attrib):
                        if not (child.tag == "ol" and name == "start"):
                            del child.attrib[name]
        for element in root.iter():
            element.text, element.tail = breakable(element.text), breakable(element.tail)


# A run of characters with no break opportunity (no space, not CJK, which breaks anywhere): a
# 20,000-letter "word" took WeasyPrint 37 s to lay out, re-shaping what was left of it for every
# line. A zero-width space every _CHUNK characters gives it places to break (and costs 0.3 s).
_UNBROKEN = re.compile("[^\\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\x02\x03\u200b]{60,}")
_CHUNK = 30


def breakable(text: str | None) -> str | None:
    """`text` with a zero-width space every 30 characters of any run of 60 or more without a break."""
    if not text or len(text) < 60:
        return text
    return _UNBROKEN.sub(lambda m: "\u200b".join(m.group()[i:i + _CHUNK] for i in range(0, len(m.group()), _CHUNK)),
                         text)


def _image_text(img: etree.Element) -> str:
    alt = img.get("alt", "")
    return f"[{alt}]" if alt else "[image]"


def _replace_with_text(parent: etree.Element, child: etree.Element, text: str) -> None:
    index = list(parent).index(child)
    tail = child.tail or ""
    parent.remove(child)
    _insert_text(parent, index, text + tail)


def _insert_text(parent: etree.Element, index: int, text: str) -> None:
    """Put `text` where child `index` would start: the parent's text or the previous child's tail."""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + text


def _unwrap(parent: etree.Element, child: etree.Element) -> None:
    """Replace <a>…</a> by its content (children kept, attributes gone)."""
    index = list(parent).index(child)
    parent.remove(child)
    _insert_text(parent, index, child.text or "")
    grandchildren = list(child)
    for offset, grandchild in enumerate(grandchildren):
        parent.insert(index + offset, grandchild)
    if child.tail:
        _insert_text(parent, index + len(grandchildren), child.tail)


def _build() -> _markdown.Markdown:
    md = _markdown.Markdown(extensions=[], output_format="html")
    # Raw HTML is never passed through: without these two processors python-markdown escapes it.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_Sanitiser(md), "ssdocs_sanitise", 0)
    return md


def render_markdown(text: str | None) -> Markup:
    """Markdown -> safe HTML (a Markup string, so templates do not escape it twice)."""
    if not text:
        return Markup("")
    md = _build()
    html = md.convert(text[:MAX_NOTE])
    return Markup(html)


__all__ = ["is_safe_link", "render_markdown"]
