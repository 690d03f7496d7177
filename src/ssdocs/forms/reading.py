"""Read a filled PDF form with pypdf: every terminal field's value, and ssdocs' embedded manifest.

WeasyPrint lists each radio button both as a kid of its group and as a field of its own, with the
group's name; viewers set the group's /V, while pypdf's writer sets only the chosen kid's /AS. Both
are read, so a form filled with either gives the same answers.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pypdf
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from ssdocs.errors import SsdocsError
from ssdocs.limits import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_FORM_DEPTH, MAX_FORM_FIELDS, MAX_PDF_BYTES

# pypdf logs oddities of the file it reads; the library must not print, so they only reach handlers
# the caller installs (pytest's caplog, `--debug`).
logging.getLogger("pypdf").addHandler(logging.NullHandler())

MANIFEST_NAME = "ssdocs-questionnaire.json"
MANIFEST_FORMAT = "ssdocs-questionnaire"


@dataclass(frozen=True)
class FilledForm:
    """The fields of a filled form (name -> text; None when unset) and its manifest, if any."""

    file: str
    fields: dict[str, str | None]
    manifest: dict[str, Any] | None = None
    duplicates: list[str] = field(default_factory=list)


def build_manifest(checklists: list[tuple[str, str]], lang: str) -> bytes:
    """The JSON embedded in a fillable questionnaire: which checklist versions its fields answer."""
    body = {"format": MANIFEST_FORMAT, "version": 1, "lang": lang,
            "checklists": [{"id": cid, "version": version} for cid, version in checklists]}
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, NameObject):
        return None if value == "/Off" else str(value)[1:]
    if isinstance(value, ArrayObject):
        return "\n".join(str(v) for v in value)
    return str(value)


def _radio(group: DictionaryObject) -> str | None:
    """A radio group's export value: /V (a kid index or the value itself), else the kid shown on."""
    options = [str(o) for o in group.get("/Opt", [])]
    state = _text(group.get("/V"))
    if state is None:
        for kid in group.get("/Kids", []):
            kid = kid.get_object()
            state = _text(kid.get("/V")) or _text(kid.get("/AS"))
            if state is not None:
                break
    if state is not None:
        state = state.removeprefix("/")  # some writers store the state name as a text string
        if state == "Off":
            return None
    if state is not None and state.isdigit() and int(state) < len(options):
        return options[int(state)]
    return state


class _Walk:
    """Bounds on a walk through a PDF's object graph: depth, nodes visited, no object twice."""

    def __init__(self, file: str, what: str, max_depth: int, max_nodes: int) -> None:
        self.file, self.what, self.max_depth, self.max_nodes = file, what, max_depth, max_nodes
        self.seen: set[tuple[int, int]] = set()

    def enter(self, ref: Any, depth: int) -> DictionaryObject | None:
        """The dictionary `ref` points at; None when it was visited already (a cycle or a shared node)."""
        if depth > self.max_depth:
            raise SsdocsError(f"{self.file}: {self.what} nested deeper than {self.max_depth} levels")
        if isinstance(ref, IndirectObject):
            key = (ref.idnum, ref.generation)
            if key in self.seen:
                return None
            self.seen.add(key)
            if len(self.seen) > self.max_nodes:
                raise SsdocsError(f"{self.file}: {self.what} has more than {self.max_nodes:,} entries")
        node = ref.get_object()
        if not isinstance(node, DictionaryObject):
            raise SsdocsError(f"{self.file}: not a readable PDF ({self.what}: expected a dictionary, "
                              f"got {type(node).__name__})")
        return node


def _kids(node: DictionaryObject, key: str = "/Kids") -> list[Any]:
    kids = node.get(key, [])
    kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
    return list(kids) if isinstance(kids, ArrayObject) else []


def _collect(ref: Any, prefix: str, out: dict[str, str | None], seen: list[str], walk: _Walk,
             depth: int = 0) -> None:
    node = walk.enter(ref, depth)
    if node is None:
        return
    name = str(node.get("/T", ""))
    full = f"{prefix}.{name}" if prefix and name else (name or prefix)
    kids = [k for k in _kids(node) if isinstance(k.get_object(), DictionaryObject)]
    field_type = node.get("/FT")
    if field_type == "/Btn" and kids and all("/AP" in k.get_object() for k in kids):
        value = _radio(node)
    elif kids and any("/T" in k.get_object() and str(k.get_object()["/T"]) != name for k in kids):
        for kid in kids:
            _collect(kid, full, out, seen, walk, depth + 1)
        return
    elif field_type == "/Btn":
        value = _text(node.get("/V")) or _text(node.get("/AS"))
    else:
        value = _text(node.get("/V"))
        value = value if value else None
    if full in out:
        seen.append(full)
        if out[full] is not None:
            return
    out[full] = value


T = TypeVar("T")


@contextmanager
def _bounded_pdf(path: Path | str) -> Iterator[PdfReader]:
    """A PdfReader for an untrusted file, under ssdocs' limits; every failure is an SsdocsError.

    pypdf raises many kinds of exception on crafted files (RecursionError for nested arrays,
    LimitReachedError, AttributeError, ...): inside this block every exception is a malformed PDF,
    reported as one (exit 2), never a traceback.
    """
    name = str(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
            size = handle.seek(0, 2)
    except FileNotFoundError:
        raise SsdocsError(f"{name}: file not found") from None
    except IsADirectoryError:
        raise SsdocsError(f"{name}: is a folder, expected a PDF file") from None
    except OSError as exc:
        raise SsdocsError(f"{name}: cannot read: {exc.strerror}") from None
    if b"%PDF-" not in head:
        raise SsdocsError(f"{name}: not a PDF file (it does not start with %PDF-)")
    if size > MAX_PDF_BYTES:
        raise SsdocsError(f"{name}: the PDF is {size:,} bytes, expected at most {MAX_PDF_BYTES:,}")
    try:
        with pypdf.apply_configuration(zlib_maximum_output_length=MAX_ATTACHMENT_BYTES,
                                       maximum_declared_stream_length=MAX_PDF_BYTES,
                                       form_fields_maximum_depth=MAX_FORM_DEPTH,
                                       form_fields_maximum_entries=MAX_FORM_FIELDS):
            reader = PdfReader(name)
            if reader.is_encrypted:
                raise SsdocsError(f"{name}: the PDF is encrypted; save an unencrypted copy and import that")
            yield reader
    except SsdocsError:
        raise
    except Exception as exc:  # noqa: BLE001 - see the docstring: a crafted file, not a bug of ssdocs
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__
        reason = re.sub(r"(IndirectObject\(\d+, \d+), \d+\)", r"\1)", reason)  # no memory addresses
        raise SsdocsError(f"{name}: not a readable PDF ({reason[:200]})") from None


def _root(reader: PdfReader, name: str) -> DictionaryObject:
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else None
    if not isinstance(root, DictionaryObject):
        raise SsdocsError(f"{name}: not a readable PDF (its /Root is not a dictionary)")
    return root


def embedded_files(reader: PdfReader, name: str) -> list[tuple[str, StreamObject]]:
    """The (name, stream) of every file embedded in the PDF, from its /EmbeddedFiles name tree,
    without decompressing any: at most MAX_ATTACHMENTS, each declared within MAX_ATTACHMENT_BYTES."""
    names = _root(reader, name).get("/Names")
    names = names.get_object() if names is not None else None
    tree = names.get("/EmbeddedFiles") if isinstance(names, DictionaryObject) else None
    found: list[tuple[str, StreamObject]] = []
    if tree is None:
        return found
    walk = _Walk(name, "the list of embedded files", 8, 4 * MAX_ATTACHMENTS)
    pending: list[tuple[Any, int]] = [(tree, 0)]
    while pending:
        ref, depth = pending.pop()
        node = walk.enter(ref, depth)
        if node is None:
            continue
        pending.extend((kid, depth + 1) for kid in reversed(_kids(node)))
        pairs = _kids(node, "/Names")
        for key, spec in zip(pairs[::2], pairs[1::2], strict=False):
            if len(found) == MAX_ATTACHMENTS:
                raise SsdocsError(f"{name}: more than {MAX_ATTACHMENTS} embedded files; a PDF made by "
                                  "ssdocs has one for the assessment and one for each checklist")
            found.append((str(key), _embedded_stream(str(key), spec.get_object(), name)))
    return found


def _embedded_stream(key: str, spec: Any, name: str) -> StreamObject:
    ef = spec.get("/EF") if isinstance(spec, DictionaryObject) else None
    ef = ef.get_object() if ef is not None else None
    stream = ef.get("/F") if isinstance(ef, DictionaryObject) else None
    stream = stream.get_object() if stream is not None else None
    if not isinstance(stream, StreamObject):
        raise SsdocsError(f"{name}: embedded file {key!r} has no file stream (/EF /F)")
    params = stream.get("/Params")
    params = params.get_object() if params is not None else None
    declared = params.get("/Size") if isinstance(params, DictionaryObject) else None
    length = stream.get("/Length")
    for size in (declared, length.get_object() if length is not None else None):
        if isinstance(size, int) and size > MAX_ATTACHMENT_BYTES:
            raise SsdocsError(f"{name}: embedded file {key!r} is {size:,} bytes, expected at most "
                              f"{MAX_ATTACHMENT_BYTES:,}")
    filters = stream.get("/Filter")
    if filters is not None and filters.get_object() not in ("/FlateDecode", ["/FlateDecode"]):
        raise SsdocsError(f"{name}: embedded file {key!r} uses the filter {filters.get_object()}; ssdocs "
                          "reads only /FlateDecode")
    return stream


def embedded_data(stream: StreamObject, key: str, name: str) -> bytes:
    """The decompressed bytes of an embedded file: pypdf stops decompressing at MAX_ATTACHMENT_BYTES."""
    try:
        data = stream.get_data()
    except pypdf.errors.LimitReachedError:
        raise SsdocsError(f"{name}: embedded file {key!r} decompresses to more than "
                          f"{MAX_ATTACHMENT_BYTES:,} bytes") from None
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise SsdocsError(f"{name}: embedded file {key!r} is more than {MAX_ATTACHMENT_BYTES:,} bytes")
    return data


def read_pdf(path: Path | str, read: Callable[[PdfReader], T]) -> T:
    """`read(reader)` on the PDF at `path`, under the limits; any failure is a clear SsdocsError."""
    with _bounded_pdf(path) as reader:
        return read(reader)


def read_form(path: Path | str) -> FilledForm:
    """Every field of a filled PDF form; SsdocsError if the file is not a readable PDF form."""
    name = str(path)

    def read(reader: PdfReader) -> FilledForm:
        acroform = _root(reader, name).get("/AcroForm")
        fields: dict[str, str | None] = {}
        duplicates: list[str] = []
        walk = _Walk(name, "the form", MAX_FORM_DEPTH, MAX_FORM_FIELDS)
        acroform = acroform.get_object() if acroform is not None else None
        if isinstance(acroform, DictionaryObject):
            for ref in _kids(acroform, "/Fields"):
                if "/Parent" in ref.get_object():
                    continue  # a radio button, read through its group
                _collect(ref, "", fields, duplicates, walk)
        manifest = None
        for key, stream in embedded_files(reader, name):
            if key == MANIFEST_NAME:
                try:
                    manifest = json.loads(embedded_data(stream, key, name).decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    manifest = None
        return FilledForm(file=name, fields=fields, manifest=manifest, duplicates=sorted(set(duplicates)))

    form = read_pdf(path, read)
    if not form.fields:
        raise SsdocsError(f"{name}: the PDF has no form fields; expected a questionnaire made with "
                          "`ssdocs questionnaire --fillable`")
    if not isinstance(form.manifest, dict) or form.manifest.get("format") != MANIFEST_FORMAT:
        return FilledForm(file=name, fields=form.fields, manifest=None, duplicates=form.duplicates)
    return form


__all__ = ["MANIFEST_FORMAT", "MANIFEST_NAME", "FilledForm", "build_manifest", "embedded_data",
           "embedded_files", "read_form", "read_pdf"]
