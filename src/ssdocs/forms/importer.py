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
from ssdocs.models.checklist import Checklist, MatrixItem, NumberItem, ScaleItem

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


def _number(item: NumberItem, text: str) -> int | float | str:
    cleaned = text.strip().replace(",", "").replace("，", "")
    for unit in (item.unit.zh, item.unit.en):
        if unit and cleaned.endswith(unit):
            cleaned = cleaned[: -len(unit)].strip()
    try:
        number = float(cleaned)
    except ValueError:
        return text.strip()
    return int(number) if number.is_integer() else number


def parse_evidence(text: str) -> list[dict[str, Any]]:
    """One evidence entry a line: `title | number | date` (number and date optional)."""
    entries: list[dict[str, Any]] = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        entry: dict[str, Any] = {"kind": "document", "title": parts[0]}
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
        },
        "year": int(year_text) if year_text.isdigit() else year_text,
        "date": parse_date(get("meta.date")) if get("meta.date") else today,
        "assessors": [assessor],
    }


def _value(ref: FieldRef, text: str) -> Any:
    item = ref.item
    if isinstance(item, NumberItem):
        return _number(item, text)
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
        if ref.part == "cell":
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
            ordered[item.id] = {k: answer[k] for k in ("value", "na", "evidence", "note") if k in answer}
    data = {
        **_header(form.fields, today),
        "checklists": [{"id": c.id, "version": c.version} for c in checklists],
        "answers": ordered,
    }
    return data, unmapped, len(ordered)


def _dump(data: dict[str, Any], source: str) -> str:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return f"# imported by `ssdocs import-pdf` from {Path(source).name}\n{body}"


def import_pdf(pdf: Path | str, target: Path | str, catalog: Catalog, *, force: bool = False,
               today: dt.date | None = None) -> ImportResult:
    """Read a filled questionnaire, write the assessment YAML to `target`, validate what was written.

    Refuses to overwrite `target` unless `force`. The YAML is written even when it is invalid
    (an empty year, an answer out of range) so that the problems, located in it, can be fixed there.
    """
    target = Path(target)
    if target.exists() and not force:
        raise OutputError(f"{target} already exists; pass --force to overwrite it")
    if target.exists() and target.is_dir():
        raise OutputError(f"{target} is a folder; expected the path of the YAML file to write")
    form = read_form(pdf)
    checklists = checklists_for(form, catalog)
    data, unmapped, answered = assessment_data(form, checklists, today or dt.date.today())
    text = _dump(data, str(pdf))
    write_text(target, text)
    problems: list[Problem] = []
    try:
        parse_assessment(parse_yaml(text, str(target)), catalog)
    except ValidationFailed as exc:
        problems = exc.problems
    return ImportResult(target=target, answered=answered, unmapped=unmapped, problems=problems)


__all__ = ["ImportResult", "Unmapped", "assessment_data", "checklists_for", "import_pdf",
           "parse_date", "parse_evidence"]
