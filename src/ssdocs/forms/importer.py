"""A filled questionnaire PDF -> assessment YAML: map fields back to items, write atomically, validate."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ssdocs.core.files import write_text
from ssdocs.errors import OutputError, Problem, SsdocsError, ValidationFailed
from ssdocs.forms.names import META_FIELDS, FieldRef, form_fields, item_id_of
from ssdocs.forms.reading import FilledForm, read_form
from ssdocs.loading.assessments import parse_assessment
from ssdocs.loading.checklists import Catalog, latest
from ssdocs.loading.yamlio import parse_yaml
from ssdocs.models.assessment import persons_typed
from ssdocs.models.base import Text
from ssdocs.models.checklist import Checklist, GridItem, MatrixItem, NumberItem, ScaleItem

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


@dataclass(frozen=True)
class Unmapped:
    """A field that could not become part of the assessment, and why."""

    name: str
    value: str | None
    reason: str

    def __str__(self) -> str:
        shown = "" if self.value is None else f" = {self.value!r}"
        return f"{self.name}{shown}: {self.reason}"


@dataclass(frozen=True)
class ImportResult:
    """What `import_pdf` did: the file written, fields left out, problems found in the written YAML."""

    target: Path
    answered: int
    unmapped: list[Unmapped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_date(text: str) -> dt.date | str:
    """2025-03-01, 2025/3/1 or 2025年3月1日 -> a date; anything else stays text (and fails validation)."""
    match = _DATE.match(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    return text.strip()


# What a respondent may type in a grid cell to say the whole row does not arise here.
NA_WORDS = frozenset({"na", "n/a", "不适用", "—", "-"})


def parse_number(item: NumberItem, text: str) -> int | float | str:
    """A typed number without thousands separators or the item's unit; text that is no number stays text."""
    return _as_number(item.unit, text)


def _as_number(unit_text: Text | None, text: str) -> int | float | str:
    cleaned = text.strip().replace(",", "").replace("，", "")
    for unit in (unit_text.zh, unit_text.en) if unit_text is not None else ():
        if unit and cleaned.endswith(unit):
            cleaned = cleaned[: -len(unit)].strip()
    try:
        number = float(cleaned)
    except ValueError:
        return text.strip()
    return int(number) if number.is_integer() else number


# The words a line of the evidence field may start with to say its kind (`系统数据：…`, `interview: …`);
# without one, an entry is a document.
EVIDENCE_KINDS: dict[str, str] = {
    "document": "document", "文件": "document", "文书": "document",
    "system_data": "system_data", "system data": "system_data", "data": "system_data", "系统数据": "system_data",
    "observation": "observation", "现场查看": "observation", "现场": "observation", "查看": "observation",
    "interview": "interview", "访谈": "interview",
}
_KIND_PREFIX = re.compile(r"^\s*(?:\[([^\]]+)\]|([^:：|]{1,20})\s*[:：])\s*")


def parse_evidence(text: str) -> list[dict[str, Any]]:
    """One evidence entry a line: `[kind:] title | number | date` (kind, number and date optional).

    The kind is one of EVIDENCE_KINDS' words (文件, 系统数据, 现场查看, 访谈, or document, system_data,
    observation, interview) followed by a colon, or in brackets; a line without one is a document.
    """
    entries: list[dict[str, Any]] = []
    for line in text.splitlines():
        kind = "document"
        prefix = _KIND_PREFIX.match(line)
        if prefix:
            word = (prefix.group(1) or prefix.group(2)).strip().casefold()
            if word in EVIDENCE_KINDS:
                kind = EVIDENCE_KINDS[word]
                line = line[prefix.end():]
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        entry: dict[str, Any] = {"kind": kind, "title": parts[0]}
        if len(parts) > 1 and parts[1]:
            entry["number"] = parts[1]
        if len(parts) > 2 and parts[2]:
            entry["date"] = parse_date(parts[2])
        entries.append(entry)
    return entries


def checklists_for(form: FilledForm, catalog: Catalog) -> list[Checklist]:
    """The checklist versions the form answers: from its manifest, else guessed from its field names."""
    if form.manifest is not None:
        chosen = []
        for ref in form.manifest.get("checklists", []):
            key = (str(ref.get("id")), str(ref.get("version")))
            if key not in catalog:
                raise SsdocsError(f"{form.file}: the questionnaire answers checklist {key[0]} {key[1]}, "
                                  "which is not among the loaded checklists (use --checklists)")
            chosen.append(catalog[key])
        if chosen:
            return chosen
    ids = {item_id_of(name) for name in form.fields}
    chosen = []
    for cid in sorted({cid for cid, _ in catalog}):
        checklist = latest(catalog, cid)
        if checklist is not None and ids & set(checklist.item_ids()):
            chosen.append(checklist)
    if not chosen:
        raise SsdocsError(f"{form.file}: no field answers an item of the loaded checklists; "
                          "expected a questionnaire made with `ssdocs questionnaire --fillable`")
    return chosen


def _header(fields: dict[str, str | None], today: dt.date) -> dict[str, Any]:
    def get(name: str) -> str:
        return (fields.get(name) or "").strip()

    year_text = get("meta.year")
    contact = get("meta.contact")
    assessor: dict[str, Any] = {"name": get("meta.respondent")}
    if get("meta.organisation"):
        assessor["organisation"] = get("meta.organisation")
    # The assessment format has no contact field; the respondent's role carries it.
    assessor["role"] = "填报人 / respondent" + (f"; 联系方式 / contact: {contact}" if contact else "")
    return {
        "jurisdiction": {
            "code": get("meta.jurisdiction.code"),
            "name": {"zh": get("meta.jurisdiction.name-zh"), "en": get("meta.jurisdiction.name-en")},
            "level": get("meta.jurisdiction.level"),  # unticked: reported, not guessed
            **({"parent": parent} if (parent := get("meta.jurisdiction.parent")) else {}),
            **{key: persons_typed(text) for key in ("insured", "population")
               if (text := get(f"meta.jurisdiction.{key}"))},
        },
        # ASCII digits only ("²".isdigit() is true), and few: int() refuses 4,300 digits and more.
        "year": int(year_text) if re.fullmatch(r"[0-9]{1,9}", year_text) else year_text,
        "date": parse_date(get("meta.date")) if get("meta.date") else today,
        "assessors": [assessor],
    }


def _value(ref: FieldRef, text: str) -> Any:
    item = ref.item
    if isinstance(item, NumberItem):
        return parse_number(item, text)
    if isinstance(item, ScaleItem):
        return next((level.value for level in item.levels if str(level.value) == text), text)
    return text


def assessment_data(form: FilledForm, checklists: list[Checklist],
                    today: dt.date) -> tuple[dict[str, Any], list[Unmapped], int]:
    """The assessment as plain data, the fields left out, and how many items got an answer."""
    expected = form_fields(checklists)
    answers: dict[str, dict[str, Any]] = {}
    unmapped: list[Unmapped] = []
    for name, text in form.fields.items():
        if name in META_FIELDS:
            continue
        ref = expected.get(name)
        if ref is None:
            if text is not None:
                unmapped.append(Unmapped(name, text, "no item of the chosen checklists has this field"))
            continue
        if text is None or not text.strip():
            continue
        choices = ref.choices()
        if choices is not None and text not in choices:
            unmapped.append(Unmapped(name, text, f"expected one of {'/'.join(choices)}"))
            continue
        answer = answers.setdefault(ref.item.id, {})
        if ref.part in ("cell", "grid"):
            assert ref.row is not None and ref.column is not None
            answer.setdefault("value", {}).setdefault(ref.row, {})[ref.column] = text
        elif ref.part == "value":
            answer["value"] = _value(ref, text.strip())
        elif ref.part == "evidence":
            entries = parse_evidence(text)
            if entries:
                answer["evidence"] = entries
        else:
            answer[ref.part] = text.strip()
    ordered: dict[str, dict[str, Any]] = {}
    for checklist in checklists:
        for _, item in checklist.items():
            found = answers.get(item.id)
            if not found:
                continue
            answer = found
            if isinstance(item, MatrixItem) and "value" in answer:
                cells = answer["value"]
                answer["value"] = {row.id: {c.id: cells[row.id][c.id] for c in item.columns
                                            if c.id in cells.get(row.id, {})}
                                   for row in item.rows if row.id in cells}
            if isinstance(item, GridItem) and "value" in answer:
                answer["value"] = _grid_value(item, answer["value"])
            ordered[item.id] = {k: answer[k] for k in ("value", "na", "evidence", "note") if k in answer}
    data = {
        **_header(form.fields, today),
        "checklists": [{"id": c.id, "version": c.version} for c in checklists],
        "answers": ordered,
    }
    return data, unmapped, len(ordered)


def _grid_value(item: GridItem, cells: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Grid rows in the checklist's order: `na` when a cell says so, else the numbers (text that is no
    number stays text, and validation names it)."""
    value: dict[str, Any] = {}
    for row in item.rows:
        given = cells.get(row.id)
        if not given:
            continue
        if any(text.strip().lower() in NA_WORDS for text in given.values()):
            value[row.id] = "na"
            continue
        value[row.id] = {c.id: _as_number(c.unit, given[c.id]) for c in item.columns if c.id in given}
    return value


_ANSWER_KEY = re.compile(r"^  ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+):( |$)")
_FLOW_WIDTH = 90


class _CompactDumper(yaml.SafeDumper):
    """Small mappings of plain values on one line (`name: {zh: 示例市, en: Example City}`), as by hand."""

    def represent_mapping(self, tag: str, mapping: Any, flow_style: bool | None = None) -> yaml.MappingNode:
        values = list(mapping.values()) if isinstance(mapping, dict) else []
        small = bool(values) and all(isinstance(v, str | int | float | dt.date) for v in values) \
            and sum(len(str(k)) + len(str(v)) + 4 for k, v in mapping.items()) <= _FLOW_WIDTH
        return super().represent_mapping(tag, mapping, flow_style=True if small else flow_style)


_CompactDumper.add_representer(dict, lambda d, m: d.represent_mapping("tag:yaml.org,2002:map", m))
# Notes of several lines as literal blocks (`note: |`), the way they are typed.
_CompactDumper.add_representer(str, lambda d, s: d.represent_scalar(
    "tag:yaml.org,2002:str", s, style="|" if "\n" in s else None))


def dump_assessment(data: dict[str, Any], command: str, source: str,
                    comments: dict[str, str] | None = None, compact: bool = False) -> str:
    """The imported assessment as YAML, headed by where it came from; `comments` (item id -> text,
    e.g. the question) go above each answer and `compact` puts small mappings on one line, as one
    would write them by hand."""
    body = yaml.dump(data, Dumper=_CompactDumper if compact else yaml.SafeDumper, allow_unicode=True,
                     sort_keys=False, width=120 if compact else 100, default_flow_style=False)
    if comments:
        lines: list[str] = []
        in_answers = False
        for line in body.splitlines():
            in_answers = in_answers or line == "answers:"
            match = _ANSWER_KEY.match(line) if in_answers else None
            if match and match.group(1) in comments:
                lines += ["", *(f"  # {part}".rstrip() for part in comments[match.group(1)].splitlines())]
            lines.append(line)
        body = "\n".join(lines) + "\n"
    # A file name may hold a line break, which would end the comment and start YAML: escaped.
    name = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in Path(source).name)
    return f"# imported by `ssdocs {command}` from {name}\n{body}"


def check_target(target: Path | str, force: bool) -> Path:
    """The YAML file an import writes: refused if it exists (unless `force`) or is a folder."""
    target = Path(target)
    if target.exists() and not force:
        raise OutputError(f"{target} already exists; pass --force to overwrite it")
    if target.exists() and target.is_dir():
        raise OutputError(f"{target} is a folder; expected the path of the YAML file to write")
    return target


def validation_problems(text: str, target: Path, catalog: Catalog) -> list[Problem]:
    """The problems of an imported assessment's YAML, located in the file it is written to."""
    try:
        parse_assessment(parse_yaml(text, str(target)), catalog)
    except ValidationFailed as exc:
        return exc.problems
    return []


def import_pdf(pdf: Path | str, target: Path | str, catalog: Catalog, *, force: bool = False,
               today: dt.date | None = None) -> ImportResult:
    """Read a filled questionnaire, write the assessment YAML to `target`, validate what was written.

    Refuses to overwrite `target` unless `force`. The YAML is written even when it is invalid
    (an empty year, an answer out of range) so that the problems, located in it, can be fixed there.
    """
    target = check_target(target, force)
    form = read_form(pdf)
    checklists = checklists_for(form, catalog)
    data, unmapped, answered = assessment_data(form, checklists, today or dt.date.today())
    text = dump_assessment(data, "import-pdf", str(pdf))
    write_text(target, text)
    problems = validation_problems(text, target, catalog)
    return ImportResult(target=target, answered=answered, unmapped=unmapped, problems=problems)


__all__ = ["ImportResult", "Unmapped", "assessment_data", "check_target", "checklists_for", "dump_assessment",
           "import_pdf", "parse_date", "parse_evidence", "parse_number", "validation_problems"]
