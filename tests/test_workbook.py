"""xlsx questionnaires: the workbook written, read back by an independent reader, filled, imported, refused."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from conftest import MINI_CHECKLIST, REPO
from ssdocs import api
from ssdocs.cli import cli
from ssdocs.context.questionnaire import Header, questionnaire_context
from ssdocs.forms import sheets as L
from ssdocs.forms.workbook import MAX_ROWS, WorkbookInvalid, import_xlsx, read_workbook
from ssdocs.loading.assessments import checklists_of, load_assessment
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.pipeline.questionnaire import write_questionnaire_xlsx
from ssdocs.render.workbook import render_workbook
from xlsx_fill import fill_workbook

MINI = ["--checklists", str(MINI_CHECKLIST)]
EXAMPLE = REPO / "examples" / "assessments" / "example-city" / "2025.yaml"
V2 = REPO / "tests" / "fixtures" / "v2"
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                   "apt-get install libreoffice-calc-nogui (scripts/install-system-deps.sh --test)")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return api.load_checklists_from(())


@pytest.fixture(scope="module")
def blank_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mini")
    result = invoke("questionnaire", "-o", str(folder), "--format", "xlsx", *MINI, "--jurisdiction", "demo",
                    "--name-zh", "示例市", "--name-en", "Example City", "--level", "city", "--year", "2024",
                    "--assessor", "张三", "--date", "2025-03-01")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote xlsx: {folder / 'questionnaire-mini.xlsx'} (")
    return folder / "questionnaire-mini.xlsx"


def filled_mini(blank: Path, target: Path, cells: dict[str, object]) -> Path:
    """The mini questionnaire with `cells` ("Sheet!A1" -> value) typed in, saved as `target`."""
    book = load_workbook(blank)
    for where, value in cells.items():
        sheet, cell = where.split("!")
        book[sheet][cell] = value
    book.save(target)
    return target


GOOD = {"迷你检查表!G5": "部分", "迷你检查表!I5": "文件", "迷你检查表!J5": "追缴办法（试行）",
        "迷你检查表!K5": "示人社发〔2024〕3号", "迷你检查表!L5": dt.date(2024, 3, 1), "迷你检查表!G6": "B 较好",
        "迷你检查表!G8": 75, "迷你检查表!G9": "人工", "MIN-05!C5": "是", "MIN-05!D5": "否", "MIN-05!C6": "是",
        "MIN-05!D6": "不适用"}


def mini_catalog_() -> Catalog:
    return load_checklists([MINI_CHECKLIST])


# ---------------------------------------------------------------------------------------------- writing


def test_workbook_sheets_protection_validation_and_print_setup(blank_mini: Path) -> None:
    book = load_workbook(blank_mini)
    assert book.sheetnames == ["封面", "迷你检查表", "MIN-05", "更多证据", "_ssdocs", "_lists"]
    assert [book[n].sheet_state for n in book.sheetnames] == ["visible"] * 4 + ["hidden"] * 2
    assert book.security is not None and book.security.lockStructure is True
    sheet = book["迷你检查表"]
    assert [c.value for c in sheet[L.HEADER_ROW]][:8] == ["编号", "问题", "填写指引", "依据与论文原文", "权重", "标记",
                                                          "答案", "不适用理由"]
    assert sheet["A5"].value == "MIN-01" and sheet["B5"].value == "是否制定社保基金追缴办法？"
    assert sheet["F5"].value == "★ 红线项\n须附证据"
    assert sheet["D5"].value.endswith("论文（二）：「制定社保基金追缴办法」")
    assert sheet.protection.sheet is True
    assert sheet["B5"].protection.locked is True and sheet["G5"].protection.locked is False
    assert sheet["G10"].value == "→ 见工作表 MIN-05" and sheet["G10"].protection.locked is True
    assert sheet.freeze_panes == "C4"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$3"
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    answer = next(dv for ref, dv in rules.items() if "G5" in ref.split())
    assert answer.type == "list" and answer.formula1.startswith("'_lists'!$")
    column = answer.formula1.split("!$")[1].split("$")[0]
    assert [book["_lists"][f"{column}{r}"].value for r in (1, 2, 3)] == ["是", "部分", "否"]
    number = next(dv for ref, dv in rules.items() if "G8" in ref.split())
    assert (number.type, number.operator, number.formula1, number.formula2) == ("decimal", "between", "0", "100")
    assert any(dv.type == "date" for dv in rules.values())
    cover = book["封面"]
    assert [cover[f"B{r}"].value for r in range(4, 9)] == ["demo", "示例市", "Example City", "市级", 2024]
    assert cover["B11"].value == dt.datetime(2025, 3, 1)
    meta = [r for r in book["_ssdocs"].iter_rows(values_only=True)]
    assert meta[0] == ("format", "ssdocs-questionnaire-xlsx", None)
    assert ("checklist", "mini", "1.0.0") in meta


def test_calamine_reads_the_workbook_as_written(blank_mini: Path) -> None:
    book = CalamineWorkbook.from_path(str(blank_mini))
    assert book.sheet_names == ["封面", "迷你检查表", "MIN-05", "更多证据", "_ssdocs", "_lists"]
    rows = book.get_sheet_by_name("迷你检查表").to_python()
    assert rows[2][:7] == ["编号", "问题", "填写指引", "依据与论文原文", "权重", "标记", "答案"]
    assert rows[4][0] == "MIN-01" and rows[4][4] == 2.0
    grid = book.get_sheet_by_name("MIN-05").to_python()
    assert grid[2][:2] == ["ID", "事项"]


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_languages_name_sheets_headings_and_choices(lang: L.Lang) -> None:
    catalog = mini_catalog_()
    context = questionnaire_context(list(catalog.values()), Header(), lang)
    book = load_workbook(__import__("io").BytesIO(render_workbook(context)))
    expected = {"zh": ("封面", "答案", ["是", "部分", "否"]), "en": ("Cover", "Answer", ["Yes", "Partly", "No"]),
                "both": ("封面 Cover", "答案\nAnswer", ["是 / Yes", "部分 / Partly", "否 / No"])}[lang]
    assert book.sheetnames[0] == expected[0]
    assert book.worksheets[1]["G3"].value == expected[1]
    assert [c.shown for c in L.item_choices(catalog[("mini", "1.0.0")].sections[0].items[0], lang) or []] == expected[2]


# ------------------------------------------------------------------------------------- filling and import


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_example_city_round_trips_through_a_filled_workbook(tmp_path: Path, shipped: Catalog, lang: L.Lang) -> None:
    original = load_assessment(EXAMPLE, shipped)
    checklists = checklists_of(original, shipped)
    blank = write_questionnaire_xlsx(questionnaire_context(checklists, Header(), lang), tmp_path / "blank.xlsx")
    filled = fill_workbook(blank, tmp_path / "answers.xlsx", original, checklists, lang)
    result = import_xlsx(filled, tmp_path / "2025.yaml", shipped)
    assert result.answered == len(original.answers)
    back = load_assessment(result.target, shipped)
    # Waivers have no cells in the workbook; everything else comes back unchanged.
    assert back == original.model_copy(update={"answers": {
        k: a.model_copy(update={"waiver": None}) for k, a in original.answers.items()}})
    text = result.target.read_text(encoding="utf-8")
    assert text.startswith("# imported by `ssdocs import-xlsx` from answers.xlsx\njurisdiction:\n")
    assert "  name: {zh: 示例市, en: Example City}\n" in text
    import_xlsx(filled, tmp_path / "again.yaml", shipped)
    assert (tmp_path / "again.yaml").read_bytes() == result.target.read_bytes()
    scored = invoke("score", str(result.target), "--json")
    assert scored.exit_code == 0 and '"grade"' in scored.output


def test_grid_items_and_basis_of_checklists_2(tmp_path: Path) -> None:
    catalog = load_checklists([V2 / "checklists"])
    original = load_assessment(V2 / "assessments" / "pilot-2025.yaml", catalog)
    checklists = checklists_of(original, catalog)
    blank = write_questionnaire_xlsx(questionnaire_context(checklists, Header(), "zh"), tmp_path / "blank.xlsx")
    book = load_workbook(blank)
    assert "PIL-05" in book.sheetnames
    assert [c.value for c in book["PIL-05"][3]] == ["ID", "专项治理重点", "疑点线索数（条）", "已核查数（条）",
                                                     "查实数（条）", "追回金额（万元）", "本行不适用"]
    sheet = book[book.sheetnames[1]]
    basis = next(sheet[f"D{r}"].value for r in range(4, 20) if sheet[f"A{r}"].value == "PIL-01")
    assert basis.startswith("依据：") and "第八十八条" in basis and "「建立有效的追缴手段」" in basis
    assert next(sheet[f"F{r}"].value for r in range(4, 20) if sheet[f"A{r}"].value == "PIL-06") == "情况项（不计分）"
    filled = fill_workbook(blank, tmp_path / "pilot.xlsx", original, checklists, "zh")
    result = import_xlsx(filled, tmp_path / "pilot.yaml", catalog)
    assert load_assessment(result.target, catalog) == original
    assert "  PIL-05:\n    value:\n      death-benefits: {leads: 120, checked: 118, confirmed: 15, recovered: 36.5}\n" \
        in result.target.read_text(encoding="utf-8")


def test_grid_problems_are_located_at_their_cells(tmp_path: Path) -> None:
    catalog = load_checklists([V2 / "checklists"])
    original = load_assessment(V2 / "assessments" / "pilot-2025.yaml", catalog)
    checklists = checklists_of(original, catalog)
    blank = write_questionnaire_xlsx(questionnaire_context(checklists, Header(), "zh"), tmp_path / "blank.xlsx")
    book = load_workbook(fill_workbook(blank, tmp_path / "pilot.xlsx", original, checklists, "zh"))
    book["PIL-05"]["D4"] = 130  # checked > leads
    book["PIL-05"]["E5"] = 2.5  # a whole number expected
    book["PIL-05"]["G5"] = "不适用"  # numbers and N/A
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(WorkbookInvalid) as info:
        import_xlsx(tmp_path / "bad.xlsx", tmp_path / "out.yaml", catalog)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'bad.xlsx'}:PIL-05!E5: expected a whole number from 0 to inf, got '2.5'",
        f"{tmp_path / 'bad.xlsx'}:PIL-05!G5: give the row's numbers or mark it N/A, not both",
    ]
    book["PIL-05"]["E5"] = 4
    book["PIL-05"]["G5"] = None
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(WorkbookInvalid) as info:
        import_xlsx(tmp_path / "bad.xlsx", tmp_path / "out.yaml", catalog)
    assert len(info.value.problems) == 1
    assert str(info.value.problems[0]).startswith(f"{tmp_path / 'bad.xlsx'}:PIL-05!D4: answers.PIL-05.value.death-")
    assert not (tmp_path / "out.yaml").exists()


def test_import_xlsx_cli_then_validate_score_and_report(tmp_path: Path, blank_mini: Path) -> None:
    filled = filled_mini(blank_mini, tmp_path / "answers.xlsx", GOOD)
    target = tmp_path / "demo" / "2024.yaml"
    result = invoke("import-xlsx", str(filled), "-o", str(target), *MINI)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {target} (5 answers)\n"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    evidence = {"kind": "document", "title": "追缴办法（试行）", "number": "示人社发〔2024〕3号",
                "date": dt.date(2024, 3, 1)}
    assert data["answers"]["MIN-01"] == {"value": "partial", "evidence": [evidence]}
    assert data["answers"]["MIN-02"] == {"value": "B"} and data["answers"]["MIN-03"] == {"value": 75}
    assert data["answers"]["MIN-05"] == {"value": {"audit": {"functions": "yes", "staffing": "no"},
                                                   "tax": {"functions": "yes", "staffing": "na"}}}
    assert "  # 是否制定社保基金追缴办法？\n  MIN-01:\n" in target.read_text(encoding="utf-8")
    assert invoke("validate", str(target), *MINI).exit_code == 0
    assert invoke("score", str(target), *MINI).exit_code == 0
    report = invoke("report", str(target), "-o", str(tmp_path / "out"), "--format", "html", *MINI)
    assert report.exit_code == 0, report.output
    again = invoke("import-xlsx", str(filled), "-o", str(target), *MINI)
    assert again.exit_code == 2 and "already exists; pass --force to overwrite it" in again.output


def test_labels_and_values_are_both_accepted(tmp_path: Path, blank_mini: Path) -> None:
    cells = {**GOOD, "迷你检查表!G5": "Partly", "迷你检查表!G6": "b", "迷你检查表!G9": "manual",
             "迷你检查表!G8": "75 %", "MIN-05!C5": "yes", "MIN-05!D5": "No", "MIN-05!D6": "N/A"}
    data = read_workbook(filled_mini(blank_mini, tmp_path / "a.xlsx", cells), mini_catalog_()).data
    assert {k: v["value"] for k, v in data["answers"].items() if k != "MIN-05"} == {
        "MIN-01": "partial", "MIN-02": "B", "MIN-03": 75, "MIN-04": "manual"}
    assert data["answers"]["MIN-05"]["value"]["tax"] == {"functions": "yes", "staffing": "na"}


# ----------------------------------------------------------------------------------------- bad workbooks


def problems_of(path: Path) -> list[str]:
    with pytest.raises(WorkbookInvalid) as info:
        read_workbook(path, mini_catalog_())
    return [str(p) for p in info.value.problems]


def test_every_bad_cell_is_located_all_at_once_and_nothing_is_written(tmp_path: Path, blank_mini: Path) -> None:
    cells = {**GOOD, "封面!B4": None, "封面!B11": "next week", "迷你检查表!G5": "是的", "迷你检查表!G8": 150,
             "迷你检查表!H9": "本地没有", "迷你检查表!L5": "soon", "迷你检查表!K6": "文号无标题", "MIN-05!C5": "可能",
             "更多证据!A4": "MIN-99", "迷你检查表!G6": "=1+1"}
    bad = filled_mini(blank_mini, tmp_path / "answers.xlsx", cells)
    target = tmp_path / "2024.yaml"
    result = invoke("import-xlsx", str(bad), "-o", str(target), *MINI)
    assert result.exit_code == 2
    f = str(bad)
    assert result.output.splitlines() == [
        f"{f}:封面!B4: required: 地区代码 is empty",
        f"{f}:封面!B11: expected a date such as 2025-03-31, got 'next week'",
        f"{f}:迷你检查表!G5: expected one of yes/partial/no, got '是的'",
        f"{f}:迷你检查表!L5: expected a date such as 2025-03-31, got 'soon'",
        f"{f}:迷你检查表!G6: a formula ('=1+1'); formulas are never evaluated: type the answer itself",
        f"{f}:迷你检查表!J6: evidence needs a title (the name of the document or record)",
        f"{f}:迷你检查表!G8: expected a number from 0 to 100 (%), got '150'",
        f"{f}:迷你检查表!H9: give either an answer or an N/A reason, not both",
        f"{f}:MIN-05!C5: expected one of yes/no/na, got '可能'",
        f"{f}:更多证据!A4: expected the ID of an item of this questionnaire, got 'MIN-99'",
        "Aborted with 10 errors in 1 file",
    ]
    assert not target.exists()


def test_extra_sheet_renamed_column_and_missing_row(tmp_path: Path, blank_mini: Path) -> None:
    book = load_workbook(blank_mini)
    book.create_sheet("草稿")
    book.save(tmp_path / "extra.xlsx")
    assert problems_of(tmp_path / "extra.xlsx") == [
        f"{tmp_path / 'extra.xlsx'}:草稿: unexpected sheet; a questionnaire has only 封面, 迷你检查表, MIN-05, "
        "更多证据 (delete it, or copy its content into the questionnaire's sheets)"]
    book = load_workbook(blank_mini)
    book["迷你检查表"]["G3"] = "回答"
    book["迷你检查表"]["A9"] = None
    book.save(tmp_path / "renamed.xlsx")
    assert problems_of(tmp_path / "renamed.xlsx") == [
        f"{tmp_path / 'renamed.xlsx'}:迷你检查表!G3: expected the column heading '答案', got '回答'; "
        "the columns must stay as ssdocs wrote them"]
    book["迷你检查表"]["G3"] = "答案"
    book.save(tmp_path / "missing.xlsx")
    assert problems_of(tmp_path / "missing.xlsx") == [
        f"{tmp_path / 'missing.xlsx'}:迷你检查表: the row of item MIN-04 is missing; use a fresh questionnaire"]


def test_insured_and_population_come_back_from_the_cover(tmp_path: Path, blank_mini: Path) -> None:
    cover = L.tab(L.COVER, "zh")
    assert [f.key for f in L.COVER_FIELDS[-2:]] == ["insured", "population"]
    assert load_workbook(blank_mini)[cover]["A13"].value == "参保人数（人）"
    filled = filled_mini(blank_mini, tmp_path / "answers.xlsx",
                         {**GOOD, f"{cover}!B13": 286000, f"{cover}!B14": "512,000"})
    data = read_workbook(filled, mini_catalog_()).data
    assert (data["jurisdiction"]["insured"], data["jurisdiction"]["population"]) == (286000, 512000)
    blank = read_workbook(filled_mini(blank_mini, tmp_path / "none.xlsx", GOOD), mini_catalog_()).data
    assert "insured" not in blank["jurisdiction"] and "population" not in blank["jurisdiction"]
    bad = filled_mini(blank_mini, tmp_path / "bad.xlsx", {**GOOD, f"{cover}!B13": 0, f"{cover}!B14": "51万"})
    assert problems_of(bad) == [
        f"{bad}:{cover}!B13: expected a whole number of persons from 1 to 2,000,000,000, got '0'",
        f"{bad}:{cover}!B14: expected a whole number of persons from 1 to 2,000,000,000, got '51万'"]


def test_parent_comes_back_from_the_cover(tmp_path: Path, blank_mini: Path) -> None:
    cover = L.tab(L.COVER, "zh")
    sheet = load_workbook(blank_mini)[cover]
    assert (sheet["A11"].value, sheet["A12"].value, sheet["B12"].value) == ("评估日期 *", "上级地区代码", None)
    filled = filled_mini(blank_mini, tmp_path / "answers.xlsx", {**GOOD, f"{cover}!B12": " example-province "})
    assert read_workbook(filled, mini_catalog_()).data["jurisdiction"]["parent"] == "example-province"
    # a code of digits typed as a number stays the code (text), and the YAML written reads back as text
    digits = filled_mini(blank_mini, tmp_path / "digits.xlsx", {**GOOD, f"{cover}!B12": 4401})
    result = invoke("import-xlsx", str(digits), "-o", str(tmp_path / "2024.yaml"), *MINI)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((tmp_path / "2024.yaml").read_text(encoding="utf-8"))["jurisdiction"]["parent"] == "4401"
    blank = read_workbook(filled_mini(blank_mini, tmp_path / "none.xlsx", GOOD), mini_catalog_()).data
    assert "parent" not in blank["jurisdiction"]
    bad = filled_mini(blank_mini, tmp_path / "bad.xlsx", {**GOOD, f"{cover}!B12": "示例 省"})
    assert problems_of(bad) == [
        f"{bad}:{cover}!B12: expected a code of letters, digits, '-' or '_' (at most 32), got '示例 省'"]
    result = invoke("import-xlsx", str(bad), "-o", str(tmp_path / "bad.yaml"), *MINI)
    assert (result.exit_code, (tmp_path / "bad.yaml").exists()) == (2, False)


def test_the_parent_given_to_the_questionnaire_is_prefilled(tmp_path: Path) -> None:
    result = invoke("questionnaire", "-o", str(tmp_path), "--format", "xlsx", "--lang", "en", "--parent", "demo-1",
                    *MINI)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "questionnaire-mini-en.xlsx")["Cover"]
    assert (sheet["A12"].value, sheet["B12"].value) == ("Parent jurisdiction (code)", "demo-1")


def test_a_workbook_of_format_1_still_imports(tmp_path: Path, blank_mini: Path) -> None:
    """Workbooks sent out before the cover asked for parent, insured persons and population (no rows 12-14)."""
    book = load_workbook(filled_mini(blank_mini, tmp_path / "v2.xlsx", GOOD))
    book[L.tab(L.COVER, "zh")].delete_rows(12, 3)
    meta = book[L.META_SHEET]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(row=r, column=1).value == "format_version")
    meta.cell(row=row, column=2, value=1)
    book.save(tmp_path / "v1.xlsx")
    data = read_workbook(tmp_path / "v1.xlsx", mini_catalog_()).data
    assert data["jurisdiction"] == {"code": "demo", "name": {"zh": "示例市", "en": "Example City"}, "level": "city"}
    assert data["assessors"] == [{"name": "张三"}]


def test_example_county_round_trips_its_insured_and_population(tmp_path: Path, shipped: Catalog) -> None:
    original = load_assessment(REPO / "examples" / "assessments" / "example-county" / "2025.yaml", shipped)
    assert (original.jurisdiction.insured, original.jurisdiction.population) == (286000, 512000)
    checklists = checklists_of(original, shipped)
    blank = write_questionnaire_xlsx(questionnaire_context(checklists, Header(), "en"), tmp_path / "blank.xlsx")
    filled = fill_workbook(blank, tmp_path / "answers.xlsx", original, checklists, "en")
    back = load_assessment(import_xlsx(filled, tmp_path / "2025.yaml", shipped).target, shipped)
    assert original.jurisdiction.parent == "example-city"
    assert back.jurisdiction == original.jurisdiction  # the parent too (cover row 12)


def test_blank_workbook_reports_required_cover_cells(tmp_path: Path) -> None:
    catalog = mini_catalog_()
    blank = write_questionnaire_xlsx(questionnaire_context(list(catalog.values()), Header(), "en"),
                                     tmp_path / "blank.xlsx")
    f = str(blank)
    assert problems_of(blank) == [
        f"{f}:Cover!B4: required: Jurisdiction code is empty",
        f"{f}:Cover!B5: required: Name (Chinese) is empty",
        f"{f}:Cover!B6: required: Name (English) is empty",
        f"{f}:Cover!B7: required: Level is empty",
        f"{f}:Cover!B8: required: Year assessed is empty",
        f"{f}:Cover!B11: required: Date of the assessment is empty",
        f"{f}:Cover!A17: required: at least one assessor (the first row) is empty",
    ]


def test_macro_workbooks_are_refused_by_extension_and_by_content_type(tmp_path: Path, blank_mini: Path) -> None:
    shutil.copy(blank_mini, tmp_path / "answers.xlsm")
    result = invoke("import-xlsx", str(tmp_path / "answers.xlsm"), "-o", str(tmp_path / "a.yaml"), *MINI)
    assert result.exit_code == 2
    assert result.output == (f"Error: {tmp_path / 'answers.xlsm'}: a macro-enabled workbook (.xlsm) is refused; "
                             "save it as an Excel Workbook (.xlsx) and import that\n")
    disguised = tmp_path / "answers.xlsx"
    with zipfile.ZipFile(blank_mini) as source, zipfile.ZipFile(disguised, "w") as out:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"../vnd.ms-excel.sheet.macroEnabled.main+xml")
                data = data.replace(b"application/vnd.openxmlformats-officedocument.../vnd.ms-excel",
                                    b"application/vnd.ms-excel")
            out.writestr(member, data)
        out.writestr("xl/vbaProject.bin", b"\0" * 64)
    result = invoke("import-xlsx", str(disguised), "-o", str(tmp_path / "a.yaml"), *MINI)
    assert result.exit_code == 2
    assert "the workbook contains macros (it is an .xlsm inside)" in result.output
    assert not (tmp_path / "a.yaml").exists()


def test_zip_bomb_is_refused_before_openpyxl_opens_it(tmp_path: Path, blank_mini: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(blank_mini) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            out.writestr(member, source.read(member))
        out.writestr("xl/media/padding.xml", b" " * (64 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    result = invoke("import-xlsx", str(bomb), "-o", str(tmp_path / "a.yaml"), *MINI)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {bomb}: xl/media/padding.xml unpacks to 67,108,864 bytes from ")
    assert result.output.endswith("refused as a possible zip bomb\n")


def test_a_hundred_thousand_rows_are_refused(tmp_path: Path, blank_mini: Path) -> None:
    book = load_workbook(blank_mini)
    sheet = book["更多证据"]
    for row in range(4, 100_004):
        sheet.cell(row=row, column=3, value="x")
    book.save(tmp_path / "rows.xlsx")
    assert problems_of(tmp_path / "rows.xlsx") == [
        f"{tmp_path / 'rows.xlsx'}:更多证据: the sheet has 100,003 rows, more than the {MAX_ROWS:,} a questionnaire "
        "sheet may have; delete the extra rows and import again"]


def test_external_links_and_non_workbooks_are_refused(tmp_path: Path, blank_mini: Path) -> None:
    linked = tmp_path / "linked.xlsx"
    with zipfile.ZipFile(blank_mini) as source, zipfile.ZipFile(linked, "w") as out:
        for member in source.infolist():
            out.writestr(member, source.read(member))
        out.writestr("xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    result = invoke("import-xlsx", str(linked), "-o", str(tmp_path / "a.yaml"), *MINI)
    assert result.exit_code == 2 and "the workbook links to other files (xl/externalLinks/externalLink1.xml)" \
        in result.output
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0 an old binary .xls")
    result = invoke("import-xlsx", str(tmp_path / "old.xlsx"), "-o", str(tmp_path / "a.yaml"), *MINI)
    assert result.output == (f"Error: {tmp_path / 'old.xlsx'}: not an xlsx workbook (not a zip package; "
                             "an old .xls or .et? save it as .xlsx)\n")
    result = invoke("import-xlsx", str(tmp_path / "none.xlsx"), "-o", str(tmp_path / "a.yaml"), *MINI)
    assert result.output == f"Error: {tmp_path / 'none.xlsx'}: file not found\n"


def test_damaged_sheet_xml_is_an_error_not_a_crash(tmp_path: Path, blank_mini: Path) -> None:
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(blank_mini) as source, zipfile.ZipFile(damaged, "w") as out:
        for member in source.infolist():
            data = source.read(member)
            out.writestr(member, b"<worksheet><sheetData><row r='1'><c" if member.filename == "xl/worksheets/sheet2.xml"
                         else data)
    result = invoke("import-xlsx", str(damaged), "-o", str(tmp_path / "a.yaml"), *MINI)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {damaged}: not a readable xlsx workbook (")


def test_batch_writes_xlsx_questionnaires(tmp_path: Path) -> None:
    tree = tmp_path / "assessments"
    shutil.copytree(REPO / "examples" / "assessments" / "example-county", tree / "example-county")
    result = invoke("batch", str(tree), "-o", str(tmp_path / "out"), "-j", "1", "-q", "--format", "html",
                    "--latest", "--questionnaires", "--questionnaire-format", "xlsx")
    assert result.exit_code == 0, result.output
    workbook = tmp_path / "out" / "example-county" / "example-county-2025-questionnaire.xlsx"
    cover = load_workbook(workbook)["封面"]
    assert cover["B4"].value == "example-county" and cover["B8"].value == 2025
    assert (cover["B12"].value, cover["B13"].value, cover["B14"].value) == ("example-city", 286000, 512000)


# ------------------------------------------------------------------------------------------- LibreOffice


def soffice(*args: str, cwd: Path) -> None:
    done = subprocess.run([str(SOFFICE), "--headless", f"-env:UserInstallation=file://{cwd}/lo-profile", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr


@needs_soffice
@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_libreoffice_resaved_workbook_imports_to_the_same_assessment(tmp_path: Path, shipped: Catalog,
                                                                      lang: L.Lang) -> None:
    original = load_assessment(EXAMPLE, shipped)
    checklists = checklists_of(original, shipped)
    blank = write_questionnaire_xlsx(questionnaire_context(checklists, Header(), lang), tmp_path / "blank.xlsx")
    (tmp_path / "lo").mkdir()
    filled = fill_workbook(blank, tmp_path / "answers.xlsx", original, checklists, lang)
    soffice("--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"), str(filled), cwd=tmp_path)
    resaved = tmp_path / "lo" / "answers.xlsx"
    assert resaved.read_bytes() != filled.read_bytes()
    direct = import_xlsx(filled, tmp_path / "direct.yaml", shipped).target.read_bytes()
    via_lo = import_xlsx(resaved, tmp_path / "lo.yaml", shipped).target.read_bytes()
    assert via_lo == direct
    book = load_workbook(resaved)  # LibreOffice kept the locks and the drop-downs
    sheet = book[L.checklist_sheets(checklists, lang)["recovery"]]
    assert sheet.protection.sheet is True and sheet["G5"].protection.locked is False
    assert any(dv.type == "list" for dv in sheet.data_validations.dataValidation)
    assert book["_ssdocs"].sheet_state == "hidden"  # (its structure lock, without a password, it drops)


@needs_soffice
def test_libreoffice_prints_the_workbook_as_a_form(tmp_path: Path, blank_mini: Path) -> None:
    shutil.copy(blank_mini, tmp_path / "q.xlsx")
    soffice("--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "q.xlsx"), cwd=tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "q.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    squeezed = "".join(text.split())
    assert "MIN-01" in squeezed and "是否制定社保基金" in squeezed and "不适用理由" in squeezed
    assert "第1页/共4页" in squeezed and "第4页/共4页" in squeezed  # cover, checklist, matrix, more evidence
    assert "_lists" not in text and "ssdocs-questionnaire-xlsx" not in text  # hidden sheets do not print
