"""The render foundation: environment, safe markdown, URL policy, fonts, the PDF writer."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest
from markupsafe import Markup

from ssdocs.core.paths import templates_dir
from ssdocs.errors import MissingFonts, UnsafeResource
from ssdocs.models.base import Text
from ssdocs.render import fonts
from ssdocs.render.environment import environment, translate, translate_inline
from ssdocs.render.fetcher import fetch_resource
from ssdocs.render.markdown import render_markdown
from ssdocs.render.pdf import PdfAttachment, PdfMetadata, SafeURLFetcher, render_pdf, write_pdf

TEXT = Text(zh="基金监管", en="Fund supervision")


def test_translate_each_language() -> None:
    assert translate(TEXT, "zh") == "基金监管"
    assert translate(TEXT, "en") == "Fund supervision"
    assert translate(TEXT, "both") == '基金监管<span class="en">Fund supervision</span>'
    assert translate_inline(TEXT, "both") == "基金监管 / Fund supervision"
    assert translate(Text(zh="<b>", en="&"), "both") == '&lt;b&gt;<span class="en">&amp;</span>'


def test_environment_autoescapes_every_template_name() -> None:
    env = environment()
    for name in ("x.html.j2", "x.html", "x.svg.j2", "x.txt"):
        assert env.autoescape is True or env.autoescape(name), name
    assert env.from_string("{{ v }}").render(v="<script>") == "&lt;script&gt;"
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ missing }}").render()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("<img src=file:///etc/passwd>", "<p>&lt;img src=file:///etc/passwd&gt;</p>"),
        ('<link rel="attachment" href="file:///etc/passwd">',
         '<p>&lt;link rel="attachment" href="file:///etc/passwd"&gt;</p>'),
        ("[x](javascript:alert(1))", "<p>x</p>"),
        ("![](file:///etc/passwd)", "<p>[image]</p>"),
        ("![map](https://example.org/m.png)", "<p>[map]</p>"),
        ("[x](file:///etc/passwd) *y*", "<p>x <em>y</em></p>"),
        ("[site](https://example.org)",
         '<p><a href="https://example.org" rel="nofollow noopener">site</a></p>'),
        ("# 标题", "<p>标题</p>"),
        ("a ![](file:///x) b ![y](z) c [q](javascript:1) d", "<p>a [image] b [y] c q d</p>"),
        ("[**b** x](javascript:1) t *e*", "<p><strong>b</strong> x t <em>e</em></p>"),
        ("a **b** & c", "<p>a <strong>b</strong> &amp; c</p>"),
    ],
)
def test_markdown_is_safe(source: str, expected: str) -> None:
    html = render_markdown(source)
    assert isinstance(html, Markup)
    assert str(html) == expected


def test_markdown_empty() -> None:
    assert render_markdown(None) == "" and render_markdown("") == ""


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.com/a.css",
                                 "https://example.com/a.png", "ftp://example.com/x",
                                 "file://evil.example/etc/passwd", "gopher://x"])
def test_fetcher_refuses(url: str) -> None:
    with pytest.raises(UnsafeResource, match="refused to fetch"):
        fetch_resource(url)


def test_fetcher_refuses_traversal_out_of_templates() -> None:
    url = (templates_dir().resolve() / ".." / ".." / ".." / "etc" / "passwd").as_uri()
    with pytest.raises(UnsafeResource, match="refused to fetch"):
        fetch_resource(url)


def test_fetcher_allows_data_and_package_assets(tmp_path: Path) -> None:
    assert fetch_resource("data:text/plain;base64,aGk=").data == b"hi"
    asset = templates_dir() / "report" / "report.css.j2"
    resource = fetch_resource(asset.resolve().as_uri())
    assert resource.data == asset.read_bytes()
    assert resource.url == asset.resolve().as_uri()


def test_weasyprint_fetcher_raises_unsafe_resource() -> None:
    fetcher = SafeURLFetcher()
    with pytest.raises(BaseException) as info:
        fetcher.fetch("file:///etc/passwd")
    assert isinstance(getattr(info.value, "error", None), UnsafeResource)


@pytest.mark.parametrize("html", [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<p style="background: url(file:///etc/passwd)">x</p>',
])
def test_render_stops_on_unsafe_resource(html: str, tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    with pytest.raises(UnsafeResource, match="refused to fetch"):
        write_pdf(html, target)
    assert list(tmp_path.iterdir()) == []


def test_missing_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "find_cjk_fonts", lambda: [])
    with pytest.raises(MissingFonts, match="fonts-noto-cjk"):
        fonts.check_cjk_font()
    assert fonts.check_cjk_font(allow_missing=True) is None


def test_pdf_metadata_attachments_reproducible() -> None:
    html = ('<html lang="zh-CN"><body style="font-family: \'Noto Sans CJK SC\'">'
            "<h1>第一责任人</h1></body></html>")
    meta = PdfMetadata(title="报告", date=dt.datetime(2025, 3, 1), authors=["张三"], keywords=["社保"])
    files = [PdfAttachment("a.yaml", "k: 值\n".encode())]
    first = render_pdf(html, attachments=files, metadata=meta)
    assert first == render_pdf(html, attachments=files, metadata=meta)
    reader = pypdf.PdfReader(io.BytesIO(first))
    assert reader.metadata is not None
    assert reader.metadata["/Title"] == "报告"
    assert reader.metadata["/CreationDate"] == "D:20250301000000Z"
    assert "第一责任人" in reader.pages[0].extract_text()
    assert reader.attachments["a.yaml"] == ["k: 值\n".encode()]
    assert "/OutputIntents" in reader.trailer["/Root"]
