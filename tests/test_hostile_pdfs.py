"""Hostile PDFs into `import-pdf` and `extract`: exit 2, one clear message, nothing written, bounded."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MINI_CHECKLIST
from hostile_pdf import build_pdf, stream, with_attachments, with_form
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)

_DEEP = {4 + i: b"<< /T (f%d) /Kids [%d 0 R] >>" % (i, 5 + i) for i in range(40)} | {44: b"<< /T (x) /V (1) >>"}
NO_FIELDS = "the PDF has no form fields; expected a questionnaire made with `ssdocs questionnaire --fillable`"
NOT_OURS = "is not one ssdocs embeds (expected the assessment and checklist .yaml files of `ssdocs report`)"
BOMB = b"\0" * 74_000_000
# name -> (the PDF, the message of import-pdf, the message of extract), after "Error: <file>: ".
CASES: dict[str, tuple[bytes, str, str]] = {
    "kids-cycle": (with_form({4: b"<< /T (a) /Kids [5 0 R] >>", 5: b"<< /T (b) /Kids [4 0 R] >>"}, b"[4 0 R]"),
                   NO_FIELDS, "has no embedded files (was it made by `ssdocs report`?)"),
    "kids-too-deep": (with_form(_DEEP, b"[4 0 R]"), "the form nested deeper than 16 levels",
                      "has no embedded files (was it made by `ssdocs report`?)"),
    "root-is-an-array": (build_pdf({1: b"[1 2 3]"}), "not a readable PDF (its /Root is not a dictionary)",
                         "not a readable PDF (its /Root is not a dictionary)"),
    "length-refers-to-itself": (
        with_attachments([(b"a.yaml", b"<< /Length 11 0 R >>\nstream\nabc\nendstream")]),
        "not a readable PDF (Detected loop with self reference for IndirectObject(11, 0).)",
        "not a readable PDF (Detected loop with self reference for IndirectObject(11, 0).)"),
    "ef-f-is-a-dictionary": (with_attachments([(b"a.yaml", b"<< /Type /Whatever >>")]),
                             "embedded file 'a.yaml' has no file stream (/EF /F)",
                             "embedded file 'a.yaml' has no file stream (/EF /F)"),
    "declared-size-too-big": (with_attachments([(b"a.yaml", stream(b"x", b"/Params << /Size 74000000 >>"))]),
                              "embedded file 'a.yaml' is 74,000,000 bytes, expected at most 5,242,880",
                              "embedded file 'a.yaml' is 74,000,000 bytes, expected at most 5,242,880"),
    "ten-thousand-attachments": (
        with_attachments([(b"f%d.yaml" % i, stream(b"x")) for i in range(10_000)]),
        "more than 64 embedded files; a PDF made by ssdocs has one for the assessment and one for each checklist",
        "more than 64 embedded files; a PDF made by ssdocs has one for the assessment and one for each checklist"),
    "zip-bomb-attachments": (
        with_attachments([(b"ssdocs-questionnaire.json", stream(BOMB))] + [(b"b%d.yaml" % i, stream(BOMB))
                                                                          for i in range(3)]),
        "embedded file 'ssdocs-questionnaire.json' decompresses to more than 5,242,880 bytes",
        "embedded file 'ssdocs-questionnaire.json' " + NOT_OURS),
    "bomb-named-like-ours": (with_attachments([(b"a.yaml", stream(BOMB))]), NO_FIELDS,
                             "embedded file 'a.yaml' decompresses to more than 5,242,880 bytes"),
    "attachment-named-with-a-path": (with_attachments([(b"../../x.yaml", stream(b"x"))]), NO_FIELDS,
                                     "embedded file '../../x.yaml' " + NOT_OURS),
    "attachment-not-yaml": (with_attachments([(b"run.sh", stream(b"x"))]), NO_FIELDS,
                            "embedded file 'run.sh' " + NOT_OURS),
    "stream-filter-not-flate": (
        with_attachments([(b"a.yaml", b"<< /Length 3 /Filter /LZWDecode >>\nstream\nabc\nendstream")]),
        "embedded file 'a.yaml' uses the filter /LZWDecode; ssdocs reads only /FlateDecode",
        "embedded file 'a.yaml' uses the filter /LZWDecode; ssdocs reads only /FlateDecode"),
    "not-a-pdf": (b"GIF89a", "not a PDF file (it does not start with %PDF-)",
                  "not a PDF file (it does not start with %PDF-)"),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (data, _, _) in CASES.items():
        (folder / f"{name}.pdf").write_bytes(data)
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("command", ["import-pdf", "extract"])
def test_hostile_pdf_is_refused(name: str, command: str, pdfs: Path, tmp_path: Path) -> None:
    pdf = pdfs / f"{name}.pdf"
    out = tmp_path / "out"
    args = (["import-pdf", str(pdf), "-o", str(out / "a.yaml"), "--checklists", str(MINI_CHECKLIST)]
            if command == "import-pdf" else ["extract", str(pdf), "-o", str(out)])
    result = CliRunner().invoke(cli, args)
    expected = CASES[name][1 if command == "import-pdf" else 2]
    assert (result.exit_code, result.stderr) == (2, f"Error: {pdf}: {expected}\n")
    assert not out.exists() or not any(out.iterdir())


def test_a_pdf_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ssdocs.forms import reading

    monkeypatch.setattr(reading, "MAX_PDF_BYTES", 1000)
    pdf = tmp_path / "big.pdf"
    pdf.write_bytes(with_attachments([(b"a.yaml", stream(b"x" * 2000, compress=False))]))
    result = CliRunner().invoke(cli, ["extract", str(pdf), "-o", str(tmp_path / "out")])
    size = pdf.stat().st_size
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {pdf}: the PDF is {size:,} bytes, expected at most 1,000\n")
