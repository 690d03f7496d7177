"""Fillable questionnaires: field names, filling with pypdf, `import-pdf` back to a valid assessment."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest
import yaml
from click.testing import CliRunner, Result
from fontTools.ttLib import TTFont

from conftest import MINI_ASSESSMENT, MINI_CHECKLIST
from ssdocs import api
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401
)
from ssdocs.forms import form_fields, import_pdf, read_form
from ssdocs.forms.importer import parse_date, parse_evidence
from ssdocs.forms.tips import field_tips
from ssdocs.loading import load_checklist
from ssdocs.loading.checklists import Catalog

MINI = ["--checklists", str(MINI_CHECKLIST)]
HEADER = ["--jurisdiction", "demo", "--name-zh", "示例市", "--name-en", "Example City",
          "--level", "city", "--year", "2024"]
ANSWERS = {
    "meta.respondent": "张三",
    "meta.date": "2025-03-01",
    "MIN-01.value": "partial",
    "MIN-01.evidence": "追缴办法（试行） | 示人社发〔2024〕3号 | 2024-03-01",
    "MIN-02.value": "B",
    "MIN-03.value": "75",
    "MIN-04.value": "manual",
    "MIN-05.value.audit.functions": "yes",
    "MIN-05.value.audit.staffing": "no",
    "MIN-05.value.tax.functions": "yes",
    "MIN-05.value.tax.staffing": "na",
}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def blank_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("form")
    result = invoke("questionnaire", "-o", str(folder), "--format", "pdf", "--fillable", *HEADER, *MINI)
    assert result.exit_code == 0, result.output
    return folder / "questionnaire-mini-fillable.pdf"


def fill(source: Path, target: Path, values: dict[str, str]) -> Path:
    """Fill fields the way a script would, with pypdf's writer; radio values by their export value."""
    reader = pypdf.PdfReader(source)
    fields = reader.get_fields() or {}
    states = {}
    for name, value in values.items():
        options = fields[name].get("/Opt") if name in fields else None
        states[name] = f"/{[str(o) for o in options].index(value)}" if options else value
    writer = pypdf.PdfWriter(clone_from=reader)
    for page in writer.pages:
        writer.update_page_form_field_values(page, states, auto_regenerate=False)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def test_field_names_are_stable_unique_ascii() -> None:
    names = list(form_fields([load_checklist(MINI_CHECKLIST)]))
    assert names[:4] == ["MIN-01.value", "MIN-01.na", "MIN-01.evidence", "MIN-01.note"]
    assert "MIN-05.value.audit.functions" in names
    assert "MIN-05.value.tax.staffing" in names
    assert "MIN-05.value" not in names
    assert len(names) == len(set(names)) == 4 * 4 + 2 * 2 + 3
    assert all(name.isascii() for name in names)


def test_blank_form_has_exactly_the_expected_fields(blank_form: Path) -> None:
    form = read_form(blank_form)
    expected = set(form_fields([load_checklist(MINI_CHECKLIST)]))
    meta = {name for name in form.fields if name.startswith("meta.")}
    assert set(form.fields) - meta == expected
    assert form.fields["meta.jurisdiction.code"] == "demo"
    assert form.fields["meta.jurisdiction.name-zh"] == "示例市"
    assert form.fields["meta.jurisdiction.level"] == "city"
    assert form.fields["meta.year"] == "2024"
    assert form.fields["MIN-01.value"] is None
    assert form.manifest is not None
    assert form.manifest["checklists"] == [{"id": "mini", "version": "1.0.0"}]


def test_radio_buttons_are_kids_of_their_group_only(blank_form: Path) -> None:
    reader = pypdf.PdfReader(blank_form)
    top = [ref.get_object() for ref in reader.trailer["/Root"]["/AcroForm"]["/Fields"]]
    assert [node for node in top if "/Parent" in node] == []
    group = next(node for node in top if node.get("/T") == "MIN-02.value")
    kids = [kid.get_object() for kid in group["/Kids"]]
    assert len(kids) == 4 and all("/T" not in kid for kid in kids)
    # Each button's "on" state is named by the answer it exports (not WeasyPrint's index), no /Opt.
    assert "/Opt" not in group
    # ... and its "off" state has an (empty) appearance too, which strict readers need (issue #16).
    assert [sorted(str(k) for k in kid["/AP"]["/N"]) for kid in kids] == [
        ["/D", "/Off"], ["/C", "/Off"], ["/B", "/Off"], ["/A", "/Off"]]
    assert group["/TU"] == "MIN-02 成熟度？"  # the tooltip is the question, not the field name
    assert sorted(reader.get_fields() or {}) == sorted(read_form(blank_form).fields)


def test_fillable_pdf_round_trips_to_the_expected_assessment(blank_form: Path, tmp_path: Path,
                                                             mini_catalog: Catalog) -> None:
    filled = fill(blank_form, tmp_path / "filled.pdf",
                  {**ANSWERS, "MIN-05.note": "税务部门未设编制，由市局统一承担。"})
    target = tmp_path / "2024.yaml"
    result = invoke("import-pdf", str(filled), "-o", str(target), *MINI)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {target} (5 answers)\n"
    imported = yaml.safe_load(target.read_text(encoding="utf-8"))
    expected = yaml.safe_load(MINI_ASSESSMENT.read_text(encoding="utf-8").replace(": yes", ": 'yes'")
                              .replace(": no}", ": 'no'}"))
    expected["answers"]["MIN-05"]["note"] = "税务部门未设编制，由市局统一承担。"
    assert imported["answers"] == expected["answers"]
    assert imported["jurisdiction"] == expected["jurisdiction"]
    assert (imported["year"], str(imported["date"])) == (2024, "2025-03-01")
    assert imported["assessors"] == [{"name": "张三", "role": "填报人 / respondent"}]
    assert api.score(target, mini_catalog).score == api.score(MINI_ASSESSMENT, mini_catalog).score == 53.7


def test_a_form_filled_by_a_viewer_setting_the_group_value_reads_the_same(blank_form: Path,
                                                                          tmp_path: Path) -> None:
    # Viewers set the radio group's /V to the chosen kid's state name instead of the kid's /AS.
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(blank_form))
    for ref in writer._root_object["/AcroForm"]["/Fields"]:
        node = ref.get_object()
        if node.get("/T") == "MIN-02.value" and "/Kids" in node:
            node[pypdf.generic.NameObject("/V")] = pypdf.generic.NameObject("/B")
    target = tmp_path / "viewer.pdf"
    with target.open("wb") as handle:
        writer.write(handle)
    assert read_form(target).fields["MIN-02.value"] == "B"


def test_import_refuses_to_overwrite_without_force(blank_form: Path, tmp_path: Path) -> None:
    target = tmp_path / "2024.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    result = invoke("import-pdf", str(blank_form), "-o", str(target), *MINI)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {target} already exists; pass --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "keep me\n"
    filled = fill(blank_form, tmp_path / "filled.pdf", ANSWERS)
    result = invoke("import-pdf", str(filled), "-o", str(target), "--force", *MINI)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("# imported by `ssdocs import-pdf` from filled.pdf\n")


def test_import_reports_fields_it_cannot_map(blank_form: Path, tmp_path: Path) -> None:
    # A form from an older checklist version: one field no item has any more.
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(blank_form))
    extra = pypdf.generic.DictionaryObject({
        pypdf.generic.NameObject("/FT"): pypdf.generic.NameObject("/Tx"),
        pypdf.generic.NameObject("/T"): pypdf.generic.TextStringObject("MIN-99.note"),
        pypdf.generic.NameObject("/V"): pypdf.generic.TextStringObject("旧版问题的备注"),
    })
    writer._root_object["/AcroForm"]["/Fields"].append(writer._add_object(extra))
    source = tmp_path / "extra.pdf"
    with source.open("wb") as handle:
        writer.write(handle)
    filled = fill(source, tmp_path / "filled.pdf", ANSWERS)
    target = tmp_path / "out.yaml"
    result = invoke("import-pdf", str(filled), "-o", str(target), *MINI)
    assert result.exit_code == 0, result.output
    assert result.stderr == ("warning: field not imported: MIN-99.note = '旧版问题的备注': "
                             "no item of the chosen checklists has this field\n")
    assert result.stdout == f"wrote {target} (5 answers, 1 field not imported)\n"


def test_insured_and_population_come_back_from_the_pdf(blank_form: Path, tmp_path: Path) -> None:
    fields = read_form(blank_form).fields
    assert "meta.jurisdiction.insured" in fields and "meta.jurisdiction.population" in fields
    filled = fill(blank_form, tmp_path / "filled.pdf", {**ANSWERS, "meta.jurisdiction.insured": "1,234,567",
                                                        "meta.jurisdiction.population": " 2 500 000 "})
    target = tmp_path / "2024.yaml"
    result = invoke("import-pdf", str(filled), "-o", str(target), *MINI)
    assert result.exit_code == 0, result.output
    jurisdiction = yaml.safe_load(target.read_text(encoding="utf-8"))["jurisdiction"]
    assert (jurisdiction["insured"], jurisdiction["population"]) == (1234567, 2500000)
    bad = fill(blank_form, tmp_path / "bad.pdf", {**ANSWERS, "meta.jurisdiction.insured": "120万"})
    result = invoke("import-pdf", str(bad), "-o", str(tmp_path / "bad.yaml"), *MINI)
    assert result.exit_code == 2
    line = (tmp_path / "bad.yaml").read_text(encoding="utf-8").splitlines().index("  insured: 120万") + 1
    assert result.stderr.splitlines()[0] == (
        f"{tmp_path / 'bad.yaml'}:{line}:12: jurisdiction.insured: expected a whole number of persons from 1 to "
        "2,000,000,000 (digits only), got '120万'")


def test_parent_comes_back_from_the_pdf(blank_form: Path, tmp_path: Path) -> None:
    reader = pypdf.PdfReader(blank_form)
    field = (reader.get_fields() or {})["meta.jurisdiction.parent"]
    assert (field["/FT"], field.get("/V", "")) == ("/Tx", "")
    assert field["/TU"] == "上级地区代码（可不填）"  # the label is the tooltip (Chinese by default)
    filled = fill(blank_form, tmp_path / "filled.pdf", {**ANSWERS, "meta.jurisdiction.parent": " example-province "})
    target = tmp_path / "2024.yaml"
    result = invoke("import-pdf", str(filled), "-o", str(target), *MINI)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["jurisdiction"]["parent"] == "example-province"
    # a code of digits stays text in the YAML written
    digits = fill(blank_form, tmp_path / "digits.pdf", {**ANSWERS, "meta.jurisdiction.parent": "4401"})
    result = invoke("import-pdf", str(digits), "-o", str(tmp_path / "digits.yaml"), *MINI)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((tmp_path / "digits.yaml").read_text(encoding="utf-8"))["jurisdiction"]["parent"] == "4401"
    result = invoke("import-pdf", str(fill(blank_form, tmp_path / "none.pdf", ANSWERS)), "-o",
                    str(tmp_path / "none.yaml"), *MINI)
    assert result.exit_code == 0, result.output
    assert "parent" not in yaml.safe_load((tmp_path / "none.yaml").read_text(encoding="utf-8"))["jurisdiction"]
    bad = fill(blank_form, tmp_path / "bad.pdf", {**ANSWERS, "meta.jurisdiction.parent": "示例 省"})
    result = invoke("import-pdf", str(bad), "-o", str(tmp_path / "bad.yaml"), *MINI)
    assert result.exit_code == 2
    lines = (tmp_path / "bad.yaml").read_text(encoding="utf-8").splitlines()
    assert result.stderr.splitlines()[0] == (
        f"{tmp_path / 'bad.yaml'}:{lines.index('  parent: 示例 省') + 1}:11: jurisdiction.parent: "
        "expected text matching ^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$, got '示例 省'")


def test_import_reports_problems_located_in_the_written_yaml(blank_form: Path, tmp_path: Path) -> None:
    values = {**ANSWERS, "MIN-03.value": "120", "meta.year": ""}
    values.pop("MIN-01.evidence")  # MIN-01 requires evidence for a positive answer
    filled = fill(blank_form, tmp_path / "filled.pdf", values)
    target = tmp_path / "bad.yaml"
    result = invoke("import-pdf", str(filled), "-o", str(target), *MINI)
    assert result.exit_code == 2
    lines = target.read_text(encoding="utf-8").splitlines()
    year_line = lines.index("year: ''") + 1
    number_line = lines.index("    value: 120") + 1
    assert result.stdout == f"wrote {target} (5 answers)\n"
    minimum_line = lines.index("  MIN-01:") + 1
    assert result.stderr.splitlines() == [
        f"{target}:{year_line}:7: year: expected a valid integer, got ''",
        f"{target}:{minimum_line}:3: answers.MIN-01: item MIN-01 requires evidence for this answer: "
        "add at least one entry under evidence",
        f"{target}:{number_line}:12: answers.MIN-03.value: expected at most 100, got 120",
        "Aborted with 3 errors in 1 file",
    ]


def test_import_of_a_pdf_without_fields_is_a_clear_error(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    source = tmp_path / "plain.pdf"
    with source.open("wb") as handle:
        writer.write(handle)
    result = invoke("import-pdf", str(source), "-o", str(tmp_path / "x.yaml"), *MINI)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {source}: the PDF has no form fields; expected a questionnaire "
                             "made with `ssdocs questionnaire --fillable`\n")
    assert not (tmp_path / "x.yaml").exists()


def test_import_of_a_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    source = tmp_path / "notes.pdf"
    source.write_text("not a pdf", encoding="utf-8")
    result = invoke("import-pdf", str(source), "-o", str(tmp_path / "x.yaml"), *MINI)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {source}: not a PDF file (it does not start with %PDF-)\n"
    assert not (tmp_path / "x.yaml").exists()


def test_without_manifest_the_checklists_are_found_from_field_names(blank_form: Path, tmp_path: Path,
                                                                   mini_catalog: Catalog) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(blank_form))
    del writer._root_object["/Names"]  # drops the embedded manifest
    stripped = tmp_path / "stripped.pdf"
    with stripped.open("wb") as handle:
        writer.write(handle)
    filled = fill(stripped, tmp_path / "filled.pdf", {**ANSWERS, "MIN-01.evidence": "追缴办法"})
    assert read_form(filled).manifest is None
    result = import_pdf(filled, tmp_path / "out.yaml", mini_catalog)
    assert (result.answered, result.problems, result.unmapped) == (5, [], [])


def _field_font(pdf: Path) -> tuple[str, TTFont]:
    reader = pypdf.PdfReader(pdf)
    for ref in reader.trailer["/Root"]["/AcroForm"]["/Fields"]:
        node = ref.get_object()
        if node.get("/FT") == "/Tx":
            resource = str(node["/DA"]).split()[-3]
            break
    font = reader.trailer["/Root"]["/AcroForm"]["/DR"]["/Font"][resource].get_object()
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    stream = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
    return str(font["/BaseFont"]), TTFont(io.BytesIO(stream.get_object().get_data()))


def test_text_fields_use_a_font_that_can_show_chinese(blank_form: Path) -> None:
    name, font = _field_font(blank_form)
    assert name.endswith("+ssdocs-CJK-Fields")  # the cached GB 2312 subset, in one face
    cmap = font.getBestCmap()
    for char in "税务部门未设编制，由市局统一承担。张三示例市2024abc":
        assert ord(char) in cmap, char
    assert len(cmap) > 7000  # every GB 2312 hanzi, not only those printed on the page


def test_fillable_pdf_stays_small(blank_form: Path) -> None:
    assert blank_form.stat().st_size < 2_500_000


def test_parse_helpers() -> None:
    assert str(parse_date("2025年3月1日")) == "2025-03-01"
    assert str(parse_date("2025/3/1")) == "2025-03-01"
    assert parse_date("next week") == "next week"
    assert parse_evidence("A | 1号 | 2024-01-02\n\nB") == [
        {"kind": "document", "title": "A", "number": "1号", "date": parse_date("2024-01-02")},
        {"kind": "document", "title": "B"},
    ]


def test_shipped_three_definitions_matrix_round_trips(tmp_path: Path) -> None:
    """The Fig. 5 matrix of the real checklist: 13 bodies × 3 columns of yes/no/N/A radio groups."""
    result = invoke("questionnaire", "three-definitions", "-o", str(tmp_path), "--format", "pdf",
                    "--fillable", "--jurisdiction", "example-city", "--name-zh", "示例市",
                    "--name-en", "Example City", "--level", "city", "--year", "2025")
    assert result.exit_code == 0, result.output
    blank = tmp_path / "questionnaire-three-definitions-fillable.pdf"
    form = read_form(blank)
    cells = [name for name in form.fields if name.startswith("TD-01.value.")]
    assert len(cells) == 13 * 3
    assert "TD-01.value.audit.functions" in cells and "TD-01.value.fund-operator.staffing" in cells
    filled = fill(blank, tmp_path / "filled.pdf", {
        "meta.respondent": "李四",
        "TD-01.value.social-security-admin.functions": "yes",
        "TD-01.value.social-security-admin.staffing": "no",
        "TD-01.value.people-congress.staffing": "na",
        "TD-01.evidence": "示例市人社局三定方案 | 示编〔2019〕12号 | 2019-06-30",
        "TD-03.na": "本级未设基金监管部门。",
    })
    target = tmp_path / "2025.yaml"
    result = invoke("import-pdf", str(filled), "-o", str(target))
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load(target.read_text(encoding="utf-8"))["answers"]
    assert answers["TD-01"]["value"] == {
        "social-security-admin": {"functions": "yes", "staffing": "no"},
        "people-congress": {"staffing": "na"},
    }
    assert answers["TD-01"]["evidence"][0]["number"] == "示编〔2019〕12号"
    assert answers["TD-03"] == {"na": "本级未设基金监管部门。"}


def test_an_unticked_level_is_reported_not_guessed(tmp_path: Path, mini_catalog: Catalog) -> None:
    result = invoke("questionnaire", "-o", str(tmp_path), "--format", "pdf", "--fillable", "--year", "2024",
                    "--jurisdiction", "demo", "--name-zh", "示例市", "--name-en", "Example City", *MINI)
    assert result.exit_code == 0, result.output
    filled = fill(tmp_path / "questionnaire-mini-fillable.pdf", tmp_path / "filled.pdf",
                  {"meta.respondent": "张三", "MIN-02.value": "A"})
    outcome = import_pdf(filled, tmp_path / "out.yaml", mini_catalog)
    assert [(p.line, p.path) for p in outcome.problems] == [(7, "jurisdiction.level")]
    assert (tmp_path / "out.yaml").read_text(encoding="utf-8").splitlines()[6] == "  level: ''"


def test_an_evidence_kind_is_chosen_with_its_word(blank_form: Path, tmp_path: Path) -> None:
    lines = ("系统数据：省级集中系统数据目录 | | 2026-02-24\n[interview] 基金监督科科长访谈\n"
             "追缴办法 | 示人社发〔2024〕3号")
    filled = fill(blank_form, tmp_path / "filled.pdf", {**ANSWERS, "MIN-01.evidence": lines})
    target = tmp_path / "2024.yaml"
    result = invoke("import-pdf", str(filled), "-o", str(target), *MINI)
    assert result.exit_code == 0, result.output
    evidence = yaml.safe_load(target.read_text(encoding="utf-8"))["answers"]["MIN-01"]["evidence"]
    assert evidence == [
        {"kind": "system_data", "title": "省级集中系统数据目录", "date": dt.date(2026, 2, 24)},
        {"kind": "interview", "title": "基金监督科科长访谈"},
        {"kind": "document", "title": "追缴办法", "number": "示人社发〔2024〕3号"},
    ]


def test_parse_evidence_kinds() -> None:
    assert [e["kind"] for e in parse_evidence(
        "文件：a\nsystem_data: b\nSystem data：c\n现场查看：d\n访谈: e\nobservation: f\n办法：试行 | 文号")] == [
        "document", "system_data", "system_data", "observation", "interview", "observation", "document"]
    assert parse_evidence("办法：试行 | 文号")[0]["title"] == "办法：试行"  # not a kind word: part of the title


def test_tooltips_say_the_question() -> None:
    checklist = load_checklist(MINI_CHECKLIST)
    tips = field_tips([checklist], "en")
    assert tips["MIN-01.value"] == "MIN-01 Is there a recovery measure?"
    assert tips["MIN-05.value.audit.staffing"] == "MIN-05 Three-definitions plan? — Audit · Staffing"
    assert tips["MIN-01.evidence"].startswith("MIN-01 Is there a recovery measure? — evidence, one a line: [kind:]")
    assert field_tips([checklist], "zh")["MIN-01.value"] == "MIN-01 是否制定社保基金追缴办法？"


@pytest.mark.parametrize(("year", "shown"), [("²", "'²'"), ("9" * 5000, "'" + "9" * 56 + "...'"),
                                             ("２０２４", "'２０２４'")])
def test_a_year_that_is_not_ascii_digits_is_a_located_error(year: str, shown: str, blank_form: Path,
                                                             tmp_path: Path) -> None:
    """`²`.isdigit() is true and int() refuses 5,000 digits: both stay text, reported in the YAML."""
    filled = fill(blank_form, tmp_path / "filled.pdf", {**ANSWERS, "meta.year": year})
    target = tmp_path / "a.yaml"
    result = invoke("import-pdf", str(filled), "-o", str(target), *MINI)
    assert result.exit_code == 2
    line = next(n for n, text in enumerate(target.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("year:"))
    assert result.stderr.splitlines() == [f"{target}:{line}:7: year: expected a valid integer, got {shown}",
                                          "Aborted with 1 error in 1 file"]


def test_a_line_break_in_the_pdf_name_stays_in_the_comment(blank_form: Path, tmp_path: Path) -> None:
    filled = fill(blank_form, tmp_path / "x\nyear: 1999\r\u2028.pdf", ANSWERS)
    target = tmp_path / "a.yaml"
    assert invoke("import-pdf", str(filled), "-o", str(target), *MINI).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# imported by `ssdocs import-pdf` from x\\nyear: 1999\\r\\u2028.pdf"
    assert yaml.safe_load(text)["year"] == 2024
