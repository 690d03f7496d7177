"""Hand-written PDFs for the hostile-PDF tests: objects as bytes, a correct xref, nothing else."""

from __future__ import annotations

import zlib


def build_pdf(objects: dict[int, bytes], root: bytes = b"1 0 R") -> bytes:
    """A PDF whose object `n` is `objects[n]`; /Root is `root`."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %s >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    body = zlib.compress(data, 9) if compress else data
    flt = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s %s >>\nstream\n" % (len(body), flt, extra) + body + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s >>"
PAGES = {2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"}


def with_form(fields: dict[int, bytes], top: bytes) -> bytes:
    """A one-page PDF whose /AcroForm /Fields is `top`, with the field objects `fields`."""
    return build_pdf({1: CATALOG % (b"/AcroForm << /Fields " + top + b" >>"), **PAGES, **fields})


def with_attachments(files: list[tuple[bytes, bytes]], first: int = 10) -> bytes:
    """A one-page PDF embedding each (name, file-spec or stream object) of `files`.

    A value starting with `<<` and holding `stream` is the file's stream; anything else is used as
    the /EF /F entry as it is (to plant a dictionary where a stream belongs)."""
    objects: dict[int, bytes] = {**PAGES}
    names = bytearray()
    for index, (name, body) in enumerate(files):
        number = first + 2 * index
        objects[number] = b"<< /Type /Filespec /F (%s) /EF << /F %d 0 R >> >>" % (name, number + 1)
        objects[number + 1] = body
        names += b"(%s) %d 0 R " % (name, number)
    objects[1] = CATALOG % (b"/Names << /EmbeddedFiles << /Names [" + bytes(names) + b"] >> >>")
    return build_pdf(objects)
