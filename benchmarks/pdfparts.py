"""What a PDF's bytes are made of: fonts, page content, ToUnicode maps, attachments, forms, the rest.

    python benchmarks/pdfparts.py output/example-city-2025.pdf

Each part is the stored (compressed) length of its streams; "the rest" is the file's size minus
them: dictionaries, object streams, the cross-reference table, metadata. `benchmarks/run.py`
records the demo report's parts beside its size.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

PARTS = ("fonts", "page content", "ToUnicode maps", "attachments", "chart labels (form XObjects)", "the rest")


def _stored(obj: object) -> int:
    stream = obj.get_object() if isinstance(obj, IndirectObject) else obj
    return len(stream._data or b"") if isinstance(stream, StreamObject) else 0


def pdf_parts(path: Path) -> dict[str, float]:
    """KB per part of the PDF at `path`, each stream counted once."""
    reader = PdfReader(path)
    seen: set[tuple[int, int]] = set()
    sizes = dict.fromkeys(PARTS, 0)

    def count(part: str, ref: object) -> None:
        if isinstance(ref, IndirectObject):
            if (ref.idnum, ref.generation) in seen:
                return
            seen.add((ref.idnum, ref.generation))
        sizes[part] += _stored(ref)

    for page in reader.pages:
        contents = page.get("/Contents")
        for ref in contents if isinstance(contents, ArrayObject) else [page.raw_get("/Contents")]:
            count("page content", ref)
        resources = page.get("/Resources", DictionaryObject())
        for ref in resources.get("/XObject", DictionaryObject()).values():
            if ref.get_object().get("/Subtype") == "/Form":
                count("chart labels (form XObjects)", ref)
        for font in resources.get("/Font", DictionaryObject()).values():
            font = font.get_object()
            if "/ToUnicode" in font:
                count("ToUnicode maps", font.raw_get("/ToUnicode"))
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        count("fonts", descriptor.raw_get(key))
    names = reader.trailer["/Root"].get("/Names", DictionaryObject()).get("/EmbeddedFiles")
    if names is not None:
        pairs = names.get_object().get("/Names", [])
        for spec in pairs[1::2]:
            count("attachments", spec.get_object()["/EF"].raw_get("/F"))
    sizes["the rest"] = path.stat().st_size - sum(sizes.values())
    return {part: size / 1024 for part, size in sizes.items()}


def main() -> None:
    for name in sys.argv[1:]:
        path = Path(name)
        parts = pdf_parts(path)
        print(f"{path.name}: {path.stat().st_size / 1024:.0f} KB = "
              + ", ".join(f"{part} {kb:.1f}" for part, kb in parts.items()))


if __name__ == "__main__":
    main()
