"""Questionnaires' rendering: a context -> standalone HTML (printable or fillable) -> PDF bytes.

Choosing the outputs and writing them is the pipeline's (`ssdocs.pipeline.questionnaire`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from markupsafe import Markup

from ssdocs import __version__
from ssdocs.context.questionnaire import (
    CELL_LABELS,
    LEVELS,
    PAPER_SECTIONS,
    YES_NO_LABELS,
    Lang,
    QuestionnaireContext,
)
from ssdocs.forms.names import cell_field, text_field, value_field
from ssdocs.forms.reading import MANIFEST_NAME, build_manifest
from ssdocs.forms.tips import field_tips
from ssdocs.models.base import Text
from ssdocs.render.environment import plain, render_template

Format = Literal["pdf", "html", "yaml", "xlsx", "all"]
FORMATS: tuple[str, ...] = ("pdf", "html", "yaml", "xlsx", "all")

LABELS: dict[str, Text] = {
    "kicker": Text(zh="社会保障基金安全规范 · 审计问卷", en="Social-security fund safety standards · audit questionnaire"),
    "cover_note": Text(zh="请由被审计单位填写，连同证据材料清单一并交回。",
                       en="To be completed by the audited body and returned with the list of evidence."),
    "jurisdiction": Text(zh="地区名称", en="Jurisdiction"),
    "name_zh": Text(zh="地区名称（中文）", en="Name (Chinese)"),
    "name_en": Text(zh="地区名称（英文）", en="Name (English)"),
    "code": Text(zh="地区代码", en="Code"),
    "level": Text(zh="行政层级", en="Level"),
    "parent": Text(zh="上级地区代码（可不填）", en="Parent jurisdiction (code, optional)"),
    "insured": Text(zh="参保人数（人，可不填）", en="Insured persons (optional)"),
    "population": Text(zh="常住人口（人，可不填）", en="Resident population (optional)"),
    "year": Text(zh="评估年度", en="Year assessed"),
    "respondent": Text(zh="填报人", en="Respondent"),
    "organisation": Text(zh="填报单位", en="Organisation"),
    "contact": Text(zh="联系方式", en="Contact"),
    "date": Text(zh="填报日期", en="Date"),
    "checklists": Text(zh="检查表", en="Checklists"),
    "items_label": Text(zh="项", en="items"),
    "instructions": Text(zh="填写说明", en="How to answer"),
    "scope": Text(zh="评估范围", en="Scope"),
    "scope_intro": Text(
        zh="论文图 3“基金大厦”列出七类社会保障基金。下表标明本问卷各检查表涉及的基金类别（✓）。",
        en="Fig. 3 of the paper (the “fund building”) names seven categories of social-security funds. "
           "The table marks (✓) those the checklists of this questionnaire speak about."),
    "fund": Text(zh="基金类别", en="Fund category"),
    "covered": Text(zh="涉及", en="Covered"),
    "question": Text(zh="问题", en="Question"),
    "guidance": Text(zh="填写指引", en="Guidance"),
    "answer": Text(zh="答案", en="Answer"),
    "evidence": Text(zh="证据", en="Evidence"),
    "evidence_hint": Text(zh="每行一项：[类别：]名称 | 文号 | 日期；类别为 文件（默认）、系统数据、现场查看、访谈",
                          en="one a line: [kind:] title | reference | date; kind is document (default), "
                             "system_data, observation or interview"),
    "note": Text(zh="备注", en="Notes"),
    "na": Text(zh="不适用（理由）", en="Not applicable (reason)"),
    "critical": Text(zh="红线项", en="Red line"),
    "evidence_required": Text(zh="须附证据", en="Evidence required"),
    "weight": Text(zh="权重", en="Weight"),
    "unit": Text(zh="单位", en="Unit"),
    "bands": Text(zh="评分区间", en="Scoring bands"),
    "level_col": Text(zh="等级", en="Level"),
    "description": Text(zh="说明", en="Description"),
    "row_header": Text(zh="事项", en="Item"),
    "matrix_legend": Text(zh="每格填写：✓ 是 · ✗ 否 · — 不适用", en="In each cell: ✓ yes · ✗ no · — N/A"),
    "matrix_legend_fillable": Text(zh="每格选择：是 · 否 · 不适用", en="In each cell choose: yes · no · N/A"),
    "source": Text(zh="出处", en="Source"),
    "basis": Text(zh="依据", en="Basis"),
    "paper_only": Text(zh="仅依据论文（无对应法规条文）", en="the paper alone (no instrument imposes it)"),
    "context": Text(zh="情况项（不计分）", en="Context (not scored)"),
    "level_evidence": Text(zh="最低证据：", en="Minimum evidence:"),
    "grid_legend": Text(zh="每行填写各列数字；本地不涉及的行写“不适用”。比率列由系统计算，无需填写。",
                        en="Give every number of a row; write “N/A” across a row that does not arise here. "
                           "The ratio columns are derived: leave them blank."),
    "grid_legend_fillable": Text(zh="每格填数字；本地不涉及的行在第一格填 na。比率列由系统计算。",
                                 en="Type a number in each box; type na in a row's first box when the row "
                                    "does not arise here. The ratios are derived."),
    "other_rows": Text(zh="其他", en="Other"),
    "run_title": Text(zh="社会保障基金安全规范审计问卷", en="Fund-supervision audit questionnaire"),
    "fillable_hint": Text(
        zh="**电子填写。** 本 PDF 可在阅读器中直接填写并保存；证据每行写一项：名称 | 文号 | 日期。"
           "填好后运行 `ssdocs import-pdf 文件.pdf -o 年度.yaml` 生成评估文件。",
        en="**Filling in on screen.** Fill this PDF in a PDF reader and save it; write one piece of "
           "evidence a line: title | reference | date. Then run `ssdocs import-pdf FILE.pdf -o YEAR.yaml` "
           "to turn it into an assessment file."),
    "end": Text(zh="— 问卷结束，谢谢填写 —", en="— End of the questionnaire. Thank you. —"),
}

INSTRUCTIONS: list[Text] = [
    Text(zh="**如何作答。** 每一项选择一个答案（在方框内打 ✓）。“部分”指已有制度或做法但不完整、未全面执行。"
            "数值项填写数字并注意单位；矩阵项逐格填写。",
         en="**How to answer.** Choose one answer per item (tick its box). *Partly* means a rule or practice "
            "exists but is incomplete or not applied everywhere. For numbers, write the figure in the unit "
            "shown; for a matrix, fill every cell."),
    Text(zh="**什么算证据。** 正式文件（名称、文号、日期）、信息系统导出的数据、现场查看记录或访谈记录。"
            "请列出证据的名称和出处，不要附原件；标有“须附证据”的项，没有证据的肯定答案不计分。",
         en="**What counts as evidence.** Official documents (title, reference number, date), data exported "
            "from an information system, records of an on-site observation or of an interview. List each "
            "piece by title and reference; do not attach originals. For items marked *evidence required*, "
            "a positive answer without evidence is not accepted."),
    Text(zh="**不适用（N/A）。** 仅当该项在本地区确实不存在适用对象时使用（例如本级未设该机构），并写明理由。"
            "不适用的项不计入分母；没有理由的“不适用”视为未作答。",
         en="**Not applicable (N/A).** Use only when the item has nothing to apply to in your jurisdiction "
            "(for example, no such body exists at this level), and give the reason. N/A items leave the "
            "denominator; an N/A without a reason counts as unanswered."),
    Text(zh="**豁免。** 经批准的豁免（理由、批准人、到期日）在到期前不计分；请在备注中注明批准文件。"
            "豁免到期后该项重新计分。",
         en="**Waivers.** An approved waiver (justification, approver, expiry date) takes the item out of "
            "the score until it expires; cite the approval in the notes. After expiry the item counts again."),
    Text(zh="**红线项。** 标有“红线项”的项得分过低时，整体等级最高只能评为检查表规定的封顶等级。",
         en="**Red lines.** If an item marked *red line* scores too low, the overall grade is capped at the "
            "level the checklist sets."),
]


def _html_lang(lang: Lang) -> str:
    return "en" if lang == "en" else "zh-CN"


def render_questionnaire_html(context: QuestionnaireContext) -> str:
    """The questionnaire as one standalone HTML document (CSS inlined, no external references)."""
    lang = context.lang
    css = render_template("questionnaire/questionnaire.css.j2", lang=lang, fillable=context.fillable)
    return render_template(
        "questionnaire/questionnaire.html.j2",
        c=context,
        L=LABELS,
        instructions=INSTRUCTIONS,
        levels=LEVELS,
        yes_no=YES_NO_LABELS,
        cells=CELL_LABELS,
        paper_sections=PAPER_SECTIONS,
        lang=lang,
        html_lang=_html_lang(lang),
        title=plain(context.title, lang),
        css=Markup(css),  # our own stylesheet, not user text: no escaping
        version=__version__,
        value_field=value_field,
        cell_field=cell_field,
        text_field=text_field,
        tips=_tips(context),
    )


def _tips(context: QuestionnaireContext) -> dict[str, str]:
    """Each fillable field's tooltip: its question (and row, column or part), the cover fields' labels."""
    if not context.fillable:
        return {}
    tips = field_tips([view.checklist for view in context.checklists], context.lang)
    for name, key in META_TIPS.items():
        tips[name] = plain(LABELS[key], context.lang)
    return tips


# The cover page's fields and the label each shows (its tooltip).
META_TIPS = {"meta.jurisdiction.code": "code", "meta.jurisdiction.name-zh": "name_zh",
             "meta.jurisdiction.name-en": "name_en", "meta.jurisdiction.name": "jurisdiction",
             "meta.jurisdiction.level": "level", "meta.jurisdiction.parent": "parent", "meta.jurisdiction.insured": "insured",
             "meta.jurisdiction.population": "population", "meta.year": "year", "meta.respondent": "respondent",
             "meta.organisation": "organisation", "meta.contact": "contact", "meta.date": "date"}


def _metadata_date(context: QuestionnaireContext) -> dt.datetime:
    return dt.datetime.combine(context.generated, dt.time(0, 0), tzinfo=dt.UTC)


def questionnaire_pdf(context: QuestionnaireContext) -> bytes:
    """The questionnaire as an A4 PDF: bookmarks per section, title and language metadata.

    A fillable questionnaire embeds a manifest naming the checklist versions it answers, which
    `import-pdf` reads back.
    """
    from ssdocs.render.pdf import PdfAttachment, PdfMetadata, render_pdf

    html = render_questionnaire_html(context)
    metadata = PdfMetadata(
        title=plain(context.title, context.lang),
        date=_metadata_date(context),
        lang=_html_lang(context.lang),
        keywords=[f"{cid} {version}" for cid, version in context.checklist_refs],
        description=plain(LABELS["kicker"], context.lang),
    )
    attachments = []
    if context.fillable:
        attachments.append(PdfAttachment(name=MANIFEST_NAME,
                                         data=build_manifest(context.checklist_refs, context.lang),
                                         description="ssdocs questionnaire manifest",
                                         relationship="Data"))
    if not context.fillable:
        return render_pdf(html, metadata=metadata, pdf_variant="pdf/a-3b")
    # PDF/A forbids forms that ask the viewer to draw their fields, so the fillable one is plain PDF.
    # Its radio buttons and check boxes are put right before WeasyPrint writes it (render.acroform).
    return render_pdf(html, attachments=attachments, metadata=metadata, pdf_variant=None, forms=True)


__all__ = ["FORMATS", "INSTRUCTIONS", "LABELS", "Format", "questionnaire_pdf", "render_questionnaire_html"]
