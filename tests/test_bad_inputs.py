"""The bad-input corpus (tests/bad_inputs/): exact errors, exit 2, no output; safe rendering; safe names."""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click.testing
import pytest
import yaml
from click.testing import CliRunner

from conftest import MINI_ASSESSMENT, MINI_CHECKLIST, TESTS
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.core.names import output_path, safe_name
from ssdocs.errors import OutputError, ValidationFailed
from ssdocs.loading import yamlio
from ssdocs.loading.yamlio import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, parse_yaml

CORPUS = TESTS / "bad_inputs"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
BAD = sorted(name for name, case in CASES.items() if case["exit"] == 2)
RENDER = sorted(name for name in CASES if name.startswith("render-"))
COMMANDS = ("validate", "score", "report", "check", "trend")


def run(args: list[str]) -> click.testing.Result:
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def summary(n: int) -> str:
    return f"Aborted with {n} error{'s' if n != 1 else ''} in 1 file"


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")) if folder.exists() else []


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a copy of the checklist; the tests run inside it so messages name bare files."""
    work = tmp_path / "in"
    work.mkdir()
    shutil.copy(MINI_CHECKLIST, work / "mini-checklist.yaml")
    monkeypatch.chdir(work)
    return work


def command_line(command: str, name: str, out: Path) -> list[str]:
    args = [command, name, "--checklists", "mini-checklist.yaml"]
    return [*args, "-o", str(out)] if command == "report" else args


# --- the corpus itself


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in CORPUS.iterdir()} - {"cases.yaml"}
    assert on_disk == set(CASES)
    assert len(BAD) >= 40
    assert all(case["why"] and case["exit"] in (0, 2) for case in CASES.values())
    assert all(case.get("errors") for name, case in CASES.items() if name in BAD)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", BAD)
def test_bad_input(name: str, command: str, workdir: Path, tmp_path: Path) -> None:
    """Exact located errors, exit 2, nothing written, the input untouched, for every command."""
    shutil.copy(CORPUS / name, workdir / name)
    before = (workdir / name).read_bytes()
    out = tmp_path / "out"
    result = run(command_line(command, name, out))
    errors = CASES[name]["errors"]
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [*errors, summary(len(errors))]
    assert result.stdout == ""
    # Nothing from the input reaches the terminal raw (escape sequences, bidi overrides).
    assert not [c for c in result.stderr if not c.isprintable() and c != "\n"]
    assert files_under(out) == []
    assert (workdir / name).read_bytes() == before
    assert sorted(p.name for p in workdir.iterdir()) == sorted(["mini-checklist.yaml", name])


def test_errors_name_the_file_and_a_position() -> None:
    """Every expected line starts `file:line:column: ` (line 1 column 1 when it is the whole file)."""
    for name in BAD:
        for line in CASES[name]["errors"]:
            where = line.split(": ", 1)[0].split(":")
            assert where[0] == name and where[1].isdigit() and where[2].isdigit(), line
            assert int(where[1]) >= 1 and int(where[2]) >= 1, line


# --- limits checked on generated files (too big to commit)


def test_file_too_large(workdir: Path) -> None:
    text = MINI_ASSESSMENT.read_text(encoding="utf-8") + "# " + "x" * MAX_FILE_BYTES + "\n"
    (workdir / "huge.yaml").write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    result = run(["validate", "huge.yaml", "--checklists", "mini-checklist.yaml"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"huge.yaml: file is {size:,} bytes, expected at most 5,242,880", summary(1)]


def test_flat_list_of_too_many_values_is_refused(workdir: Path) -> None:
    """Just under 5 MB but 1.2 million values: refused by the pre-scan, not composed for a minute."""
    body = "a: [" + ", ".join(["1"] * 1_200_000) + "]\n"
    assert len(body) < MAX_FILE_BYTES
    (workdir / "flat.yaml").write_text(body, encoding="utf-8")
    result = run(["validate", "flat.yaml", "--checklists", "mini-checklist.yaml"])
    assert result.exit_code == 2
    # The root mapping and the list count too, so value 200,001 is the list's item 199,998.
    column = len("a: [") + 3 * 199_998 + 1
    assert result.stderr.splitlines() == [
        f"flat.yaml:1:{column}: a[199998]: document expands to more than {MAX_NODES:,} values "
        "(aliases/anchors expanding too much?)", summary(1)]


def test_limits_hold_when_libyaml_rejects_the_file(workdir: Path) -> None:
    """A tab in a block scalar: libyaml refuses the stream, PyYAML accepts it. The pre-scan then runs
    on PyYAML's events, so the limit still stops the document early (not after a minute)."""
    body = "a: |\n  \t\nb: [" + ",".join(["1"] * 1_500_000) + "]\n"
    assert len(body) < MAX_FILE_BYTES
    (workdir / "tab-then-flat.yaml").write_text(body, encoding="utf-8")
    result = run(["validate", "tab-then-flat.yaml", "--checklists", "mini-checklist.yaml"])
    assert result.exit_code == 2
    column = len("b: [") + 2 * 199_997 + 1
    assert result.stderr.splitlines() == [
        f"tab-then-flat.yaml:3:{column}: b[199997]: document expands to more than {MAX_NODES:,} values "
        "(aliases/anchors expanding too much?)", summary(1)]


def test_too_many_answers(workdir: Path) -> None:
    answers = "".join(f"  X-{i}: {{value: yes}}\n" for i in range(5_001))
    header = MINI_ASSESSMENT.read_text(encoding="utf-8").split("answers:")[0]
    (workdir / "many.yaml").write_text(header + "answers:\n" + answers, encoding="utf-8")
    result = run(["validate", "many.yaml", "--checklists", "mini-checklist.yaml"])
    assert result.exit_code == 2
    # The limit is reported once; the 5,001 answers are not each checked against the checklist.
    assert result.stderr.splitlines() == ["many.yaml:12:3: answers: expected at most 5000 entries, got 5001",
                                          summary(1)]


@pytest.mark.parametrize("without", ["libyaml", "pre-scan"])
@pytest.mark.parametrize("name", ["very-deep-nesting.yaml", "deep-nesting.yaml", "alias-bomb.yaml"])
def test_limits_hold_without_libyaml(name: str, without: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml the pre-scan reads PyYAML's events; without any pre-scan, the composer's depth
    guard and the value counter still stop the document (no RecursionError, no billion values)."""
    if without == "libyaml":
        monkeypatch.setattr(yamlio, "_LIBYAML", False)
    else:
        monkeypatch.setattr(yamlio, "_prescan", lambda text, file: False)
    with pytest.raises(ValidationFailed) as info:
        parse_yaml((CORPUS / name).read_text(encoding="utf-8"), name)
    (problem,) = info.value.problems
    expected = {"very-deep-nesting.yaml": f"nesting deeper than {MAX_DEPTH} levels",
                "deep-nesting.yaml": f"nesting deeper than {MAX_DEPTH} levels",
                "alias-bomb.yaml": f"document expands to more than {MAX_NODES:,} values "
                                   "(aliases/anchors expanding too much?)"}[name]
    assert problem.message == expected and problem.line >= 1 and problem.file == name


def test_which_files_skip_the_pre_scan() -> None:
    """The pre-scan is skipped only when it could not refuse the file: no anchor (so nothing
    expands), small, and libyaml bounding the nesting itself. Conservative on `&`."""
    plain = yamlio._plainly_bounded
    example = (TESTS.parent / "examples" / "assessments" / "example-city" / "2025.yaml").read_text(encoding="utf-8")
    assert plain(example) and plain("note: R&D, Q & A, **bold**, *alias-like text\n")
    assert not plain("a: &x [1]\nb: *x\n") and not plain("a: [&x 1, *x]\n") and not plain('{"a":&x 1}')
    assert not plain("a: 'see &quoted'\n")  # text that only looks like an anchor is pre-scanned too
    assert not plain("a: " + "x" * 300_000 + "\n")  # too big to be sure it has under MAX_NODES values


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 5_000])
def test_deep_nesting_without_anchors_is_refused_located(depth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_DEPTH but under libyaml's own limit (1,000), the fast path composes and _build
    refuses; past libyaml's limit, the slow path's pre-scan does. Same words either way."""
    calls: list[str] = []
    real = yamlio._prescan

    def spy(text: str, file: str) -> bool:
        calls.append(file)
        return real(text, file)

    monkeypatch.setattr(yamlio, "_prescan", spy)
    text = "a: " + "[" * depth + "1" + "]" * depth + "\n"
    with pytest.raises(ValidationFailed) as info:
        parse_yaml(text, "deep.yaml")
    (problem,) = info.value.problems
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert (problem.file, problem.line) == ("deep.yaml", 1) and problem.column > MAX_DEPTH
    assert calls == ([] if depth < 1000 else ["deep.yaml"])


def test_missing_file_and_folder(workdir: Path) -> None:
    result = run(["validate", "nope.yaml", "sub", "--checklists", "mini-checklist.yaml"])
    (workdir / "sub").mkdir()
    result = run(["validate", "nope.yaml", "sub", "--checklists", "mini-checklist.yaml"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "nope.yaml: file not found", "sub: is a folder, expected a YAML file", "Aborted with 2 errors in 2 files"]


# --- valid but hostile: reported, or rendered safely


def test_expired_waiver_is_reported(workdir: Path) -> None:
    shutil.copy(CORPUS / "expired-waiver.yaml", workdir)
    zh = run(["score", "expired-waiver.yaml", "--checklists", "mini-checklist.yaml"])
    en = run(["score", "expired-waiver.yaml", "--checklists", "mini-checklist.yaml", "--lang", "en"])
    as_json = run(["score", "expired-waiver.yaml", "--checklists", "mini-checklist.yaml", "--json"])
    assert (zh.exit_code, en.exit_code, as_json.exit_code) == (0, 0, 0)
    assert "已过期的豁免（不再计入）：MIN-04" in zh.stdout.splitlines()
    assert "expired waivers (not counted): MIN-04" in en.stdout.splitlines()
    data = json.loads(as_json.stdout)
    assert data["expired_waivers"] == ["MIN-04"]
    item = next(i for c in data["checklists"] for s in c["sections"] for i in s["items"] if i["id"] == "MIN-04")
    # The waiver no longer applies: the answer (none) counts, as unmet.
    assert (item["status"], item["score"], item["waiver_expired"]) == ("unmet", 0.0, True)


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way out to the network raises and is recorded."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args[1:] if what.startswith('socket.socket') else args}")
            raise NetworkAttempt(f"network access attempted: {what}")
        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urllib.request.urlopen"))
    yield attempts


def secret_lines() -> list[str]:
    """Lines of /etc/passwd that could not appear in a report by chance."""
    lines = [line for line in Path("/etc/passwd").read_text(encoding="utf-8").splitlines()
             if line.count(":") >= 6 and len(line) >= 20]
    assert lines
    return lines


def pdf_bytes_and_text(pdf: Path) -> tuple[bytes, str, list[str], list[str]]:
    """All bytes (raw and every decompressed stream), the text, the attachment names, the link URIs."""
    import pypdf

    reader = pypdf.PdfReader(pdf)
    chunks = [pdf.read_bytes()]
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # free or compressed-away entries
            continue
        if isinstance(obj, pypdf.generic.StreamObject):
            chunks.append(obj.get_data())
    text = "\n".join(page.extract_text() for page in reader.pages)
    names = sorted(reader.attachments)
    uris = [str(annot.get_object()["/A"].get("/URI"))
            for page in reader.pages for annot in page.get("/Annots", []) or []
            if "/A" in annot.get_object() and "/URI" in annot.get_object()["/A"]]
    return b"\n".join(chunks), text, names, uris


@pytest.mark.parametrize("name", RENDER)
def test_hostile_content_renders_safely(name: str, workdir: Path, tmp_path: Path,
                                        no_network: list[str]) -> None:
    """PDF and HTML: no byte of /etc/passwd, no network, no script, no foreign attachment or link."""
    shutil.copy(CORPUS / name, workdir / name)
    out = tmp_path / "out"
    result = run(["report", name, "--checklists", "mini-checklist.yaml", "-o", str(out)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [str(out / "demo-2024.pdf"), str(out / "demo-2024-actions.csv")]
    data, text, attachments, uris = pdf_bytes_and_text(out / "demo-2024.pdf")
    for line in secret_lines():
        assert line.encode("utf-8") not in data and line.encode("utf-16-be") not in data
        assert line not in text
    assert b"/JavaScript" not in data and b"/JS " not in data and b"/Launch" not in data
    assert attachments == ["checklist-mini-1.0.0.yaml", "demo-2024.yaml"]
    assert all(uri.startswith(("http://", "https://")) for uri in uris), uris
    assert no_network == []
    with open(out / "demo-2024-actions.csv", encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert cells and not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]

    html = run(["report", name, "--checklists", "mini-checklist.yaml", "-o", str(tmp_path / "html"),
                "--format", "html"])
    assert html.exit_code == 0
    tags = html_tags((tmp_path / "html" / "demo-2024.html").read_text(encoding="utf-8"))
    assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed", "img", "base", "form")]
    assert [a for t, a in tags if t == "link"] == []
    assert [(t, k) for t, a in tags for k in a if k.startswith("on") or k in ("srcset", "formaction")] == []
    urls = [(t, k, v) for t, a in tags for k, v in a.items() if k in ("href", "src", "data", "action")]
    assert all(v.startswith(("http://", "https://", "#", "demo-2024-actions.csv")) for _, _, v in urls), urls
    assert no_network == []


def html_tags(page: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag of an HTML page with its attributes, as a browser's tokenizer sees them."""
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, {k: v or "" for k, v in attrs}))

    Collect().feed(page)
    return found


def test_hostile_markdown_keeps_its_words(workdir: Path, tmp_path: Path, no_network: list[str]) -> None:
    """What was dropped (images, unsafe links) stays readable as text."""
    texts = {}
    for name in ("render-markdown-file-image.yaml", "render-javascript-links.yaml",
                 "render-image-inside-unsafe-link.yaml"):
        shutil.copy(CORPUS / name, workdir / name)
        out = tmp_path / name
        assert run(["report", name, "--checklists", "mini-checklist.yaml", "-o", str(out),
                    "--format", "html"]).exit_code == 0
        texts[name] = (out / "demo-2024.html").read_text(encoding="utf-8")
    assert "整改情况见附图：[passwd] 与 [rel]" in texts["render-markdown-file-image.yaml"]
    assert "<p>点此 two three</p>" in texts["render-javascript-links.yaml"]
    assert "<p>[passwd] <em>[x]</em></p>" in texts["render-image-inside-unsafe-link.yaml"]


# --- output names


@pytest.mark.parametrize(("text", "expected"), [
    ("example-city", "example-city"),
    ("../../etc", "etc"),
    ("/etc/passwd", "etc-passwd"),
    ("C:\\Windows\\System32", "C-Windows-System32"),
    ("示例市 2024", "示例市-2024"),
    ("ＤＥＭＯ２０２４", "DEMO2024"),  # NFKC: full-width to ASCII
    ("demo\n.pdf", "demo-pdf"),
    ("a\x00b\u202ec\x1b[31m", "a-b-c-31m"),
    ("..", "unnamed"),
    ("", "unnamed"),
    ("....pdf", "pdf"),
    ("a..b", "a.b"),
    (".hidden", "hidden"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("x" * 300, "x" * 120),
    ("示" * 100, "示" * 40),  # 120 bytes of UTF-8
])
def test_safe_name(text: str, expected: str) -> None:
    assert safe_name(text) == expected


def test_safe_name_never_escapes() -> None:
    for text in ("../", "..\\..", "/", "~", "a/../../b", "\u2024\u2024/x", "．．／"):
        name = safe_name(text)
        assert "/" not in name and "\\" not in name and ".." not in name and not name.startswith(".")


def test_safe_name_fallback_must_be_safe() -> None:
    assert safe_name("///", fallback="report") == "report"
    with pytest.raises(ValueError):
        safe_name("///", fallback="../x")


def test_output_path_inside(tmp_path: Path) -> None:
    assert output_path(tmp_path, "demo-2024.pdf") == tmp_path / "demo-2024.pdf"
    assert output_path(tmp_path, "demo/2024.pdf") == tmp_path / "demo" / "2024.pdf"


@pytest.mark.parametrize(("name", "reason"), [
    ("../x.pdf", "it has an empty, '.' or '..' part"),
    ("a/../../x.pdf", "it has an empty, '.' or '..' part"),
    ("/etc/passwd", "it is an absolute path"),
    ("a\\..\\x", "it contains '\\' or ':'"),
    ("C:x", "it contains '\\' or ':'"),
    ("a\nb", "it contains control characters"),
    ("", "it is empty"),
    ("a//b", "it has an empty, '.' or '..' part"),
])
def test_output_path_refuses(tmp_path: Path, name: str, reason: str) -> None:
    with pytest.raises(OutputError) as info:
        output_path(tmp_path, name)
    assert str(info.value) == f"refused output name {name!r}: {reason}"


def test_output_path_refuses_symlink_escape(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "out" / "link")
    with pytest.raises(OutputError) as info:
        output_path(tmp_path / "out", "link/x.pdf")
    assert str(info.value) == f"refused output name 'link/x.pdf': it would be written outside {tmp_path / 'out'}"


# --- the URL policy, at its edges (user content should never get this far; defence in depth)


@pytest.mark.parametrize("url", [
    "FILE:///etc/passwd", "file:/etc/passwd", "file:///etc/passwd#x", "file:///etc/passwd?x",
    "File://LOCALHOST/etc/passwd", "file:///proc/self/environ", " file:///etc/passwd",
    "ftp://example.org/a", "HTTPS://example.org/a.css", "//example.org/a.png",
])
def test_fetcher_refuses_edge_cases(url: str) -> None:
    from ssdocs.errors import UnsafeResource
    from ssdocs.render.fetcher import fetch_resource

    with pytest.raises(UnsafeResource, match="^refused to fetch "):
        fetch_resource(url)


@pytest.mark.parametrize("escape", ["/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                    "/..%2f..%2f..%2f..%2f..%2fetc/passwd",
                                    "/report/../../../../../../etc/passwd", ""])
def test_fetcher_refuses_escapes_from_the_templates(escape: str) -> None:
    from ssdocs.core.paths import templates_dir
    from ssdocs.errors import UnsafeResource
    from ssdocs.render.fetcher import fetch_resource

    with pytest.raises(UnsafeResource, match="^refused to fetch "):
        fetch_resource(templates_dir().resolve().as_uri() + escape)


@pytest.mark.parametrize("html", [
    '<img src="../../../../../../../../etc/passwd">',
    '<img src="//example.org/a.png">',
    '<style>@import url("../../../../../../../etc/passwd");</style><p>x</p>',
    '<p style="background: url(/etc/passwd)">x</p>',
])
def test_pdf_writer_refuses_and_writes_nothing(html: str, tmp_path: Path, no_network: list[str]) -> None:
    """Relative and scheme-relative URLs resolve against the templates folder and are still refused."""
    from ssdocs.errors import UnsafeResource
    from ssdocs.render.pdf import write_pdf

    with pytest.raises(UnsafeResource, match="^refused to fetch "):
        write_pdf(f"<!doctype html><html><body>{html}</body></html>", tmp_path / "x.pdf", pdf_variant=None)
    assert files_under(tmp_path) == [] and no_network == []


# --- links and special files: never followed, never read ------------------------------------------

def _validate(*paths: Path) -> click.testing.Result:
    return CliRunner().invoke(cli, ["validate", *map(str, paths), "--checklists", str(MINI_CHECKLIST)])


def test_a_symlinked_answer_file_is_refused_unread(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n")
    (tmp_path / "city").mkdir()
    link = tmp_path / "city" / "2025.yaml"
    link.symlink_to(secret)
    result = _validate(link)
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"{link}: is a symbolic link, expected a regular file: ssdocs does not follow links in answer "
        "and checklist files (one could point outside the repository); copy the file instead")
    assert "hunter2" not in result.output


def test_a_symlinked_year_beside_a_report_is_not_read(tmp_path: Path) -> None:
    # An earlier year is optional (the one rule for broken years): the link is not followed, the
    # year is left out with a located warning, and the report has no previous year.
    (tmp_path / "city").mkdir()
    shutil.copy(MINI_ASSESSMENT, tmp_path / "city" / "2024.yaml")  # it says year 2024
    (tmp_path / "city" / "2023.yaml").symlink_to(MINI_ASSESSMENT)
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "city" / "2024.yaml"), "--checklists",
                                      str(MINI_CHECKLIST), "-o", str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"warning: {tmp_path / 'city' / '2023.yaml'}: is a symbolic link, expected a "
                                    "regular file")
    assert result.stderr.endswith("; 2023.yaml is left out of the change and trend\n")


def test_a_report_of_a_file_named_after_another_year_stops(tmp_path: Path) -> None:
    (tmp_path / "city").mkdir()
    shutil.copy(MINI_ASSESSMENT, tmp_path / "city" / "2025.yaml")  # it says year 2024
    (tmp_path / "city" / "2024.yaml").symlink_to(MINI_ASSESSMENT)
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "city" / "2025.yaml"), "--checklists",
                                      str(MINI_CHECKLIST), "-o", str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 2
    assert f"{tmp_path / 'city' / '2025.yaml'}:5:7: year: the file is named 2025.yaml but says year 2024" \
        in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "2025.yaml"
    os.mkfifo(fifo)
    result = _validate(fifo)
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == f"{fifo}: is not a regular file, expected a YAML file"


def test_a_device_is_refused(tmp_path: Path) -> None:
    result = _validate(Path("/dev/zero"))
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == "/dev/zero: is not a regular file, expected a YAML file"
