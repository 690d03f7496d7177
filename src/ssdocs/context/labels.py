"""The report's fixed bilingual wording (headings, column names, statuses), in one place."""

from __future__ import annotations

from ssdocs.models.base import Text


def _t(zh: str, en: str) -> Text:
    return Text(zh=zh, en=en)


REPORT_TITLE = _t("社会保障基金安全规范评估报告", "Social-Security Fund Safety Assessment Report")

LABELS: dict[str, Text] = {
    "report_title": REPORT_TITLE,
    "subtitle": _t("依据席恒《社会保障安全规范、协同高效与总体国家安全》",
                   "Based on Xi Heng, Social Security Safety Standards, Coordination and Efficiency, "
                   "and Holistic National Security"),
    "toc": _t("目录", "Contents"),
    "draft": _t("草稿", "DRAFT"),
    "draft_note": _t("草稿：仅 {done}% 的条目已作答（低于 {below}%），得分与结论不是最终结果。",
                     "Draft: only {done}% of the items are answered (below {below}%); scores and "
                     "conclusions are not final."),
    "no_strengths": _t("暂无达到合格等级的领域。", "No area reaches a passing grade yet."),
    "jurisdiction": _t("评估对象", "Jurisdiction"),
    "level": _t("行政级别", "Level"),
    "year": _t("评估年度", "Year"),
    "period": _t("评估期间", "Period"),
    "date": _t("评估日期", "Assessment date"),
    "assessors": _t("评估人", "Assessors"),
    "overall": _t("总分", "Overall score"),
    "grade": _t("等级", "Grade"),
    "completeness": _t("完整度", "Completeness"),
    "checklists": _t("检查表", "Checklists"),
    "version": _t("版本", "Version"),
    "page": _t("页", "page"),
    # chapters
    "summary": _t("一、执行摘要", "1. Executive summary"),
    "scores": _t("二、得分表", "2. Score table"),
    "charts": _t("三、图表", "3. Charts"),
    "matrix": _t("四、第一责任人矩阵（图5）：各主体的三定落实",
                 "4. First-responsible-person matrix (Fig. 5): the three determinations of each body"),
    "findings": _t("五、问题与建议", "5. Findings and recommendations"),
    "actions": _t("六、整改计划", "6. Action plan"),
    "waivers": _t("七、豁免", "7. Waivers"),
    "annex_answers": _t("附件一：全部答案与证据", "Annex A: Every answer with its evidence"),
    "annex_basis": _t("附件二：条目依据", "Annex B: Basis of every item"),
    "annex_method": _t("附件三：评分方法", "Annex C: Scoring method"),
    # summary
    "strongest": _t("最强的三个领域", "Three strongest areas"),
    "weakest": _t("最弱的三个领域", "Three weakest areas"),
    "red_lines": _t("未通过的红线条目", "Red lines failed"),
    "no_red_lines": _t("无红线条目未通过。", "No red line failed."),
    "change": _t("与上一年度相比", "Change since last year"),
    "no_history": _t("无上一年度评估，无法比较。", "No earlier assessment to compare with."),
    "previous": _t("上一年度", "Previous"),
    "this_year": _t("本年度", "This year"),
    "delta": _t("变化", "Change"),
    "new_red_lines": _t("新增红线问题", "New red-line failures"),
    "resolved_red_lines": _t("已解决的红线问题", "Red lines resolved"),
    "missing_answers": _t("未答条目", "Unanswered items"),
    "expired_waivers": _t("已过期的豁免（按实际答案计分）", "Expired waivers (scored on the answer)"),
    "capped": _t("因红线未通过，等级被限制为", "Grade capped by failed red lines at"),
    "findings_count": _t("问题条目", "Findings"),
    # table
    "area": _t("领域", "Area"),
    "score": _t("得分", "Score"),
    "weight": _t("权重", "Weight"),
    "met": _t("达标", "Met"),
    "partial": _t("部分", "Partial"),
    "unmet": _t("未达标", "Unmet"),
    "na": _t("不适用", "N/A"),
    "waived": _t("豁免", "Waived"),
    "missing": _t("未答", "Missing"),
    "context": _t("情况项", "Context"),
    # charts
    "bar_title": _t("各部分得分", "Section scores"),
    "radar_title": _t("领域得分轮廓", "Area profile"),
    "trend_title": _t("历年得分趋势", "Score trend over the years"),
    # matrix
    "matrix_intro": _t("按论文图5重绘：十三个责任主体分属四类责任，每格表示该主体是否按其实际履行的监督方式"
                       "明确了基金监管的职能、承担机构和编制（各行所问见条目说明；不适用的格不计分）。",
                       "Redrawn from the paper's Fig. 5: thirteen bodies in four types of responsibility; "
                       "each cell says whether the body has settled, in the form that fits the oversight it "
                       "really performs, its fund-supervision functions, the unit that carries them and the "
                       "posts for them (the item's guidance says what each row asks; N/A cells do not count)."),
    "department": _t("部门", "Department"),
    "legend": _t("图例", "Legend"),
    "cell_yes": _t("是", "Yes"),
    "cell_no": _t("否", "No"),
    "cell_na": _t("不适用", "N/A"),
    "cell_missing": _t("未答", "Unanswered"),
    "matrix_status": _t("本条目", "This item"),
    "no_matrix": _t("本次评估未包含第一责任人矩阵条目（标签 fig5-matrix）。",
                    "This assessment has no first-responsible-person matrix item (tag fig5-matrix)."),
    # findings
    "no_findings": _t("所有已答条目均达标。", "Every answered item is met."),
    "answer": _t("答案", "Answer"),
    "status": _t("状态", "Status"),
    "impact": _t("影响", "Impact"),
    "note": _t("说明", "Note"),
    "evidence": _t("证据", "Evidence"),
    "no_evidence": _t("未提供证据", "No evidence given"),
    "evidence_required": _t("（本条目要求提供证据）", "(this item requires evidence)"),
    "recommendation": _t("建议", "Recommendation"),
    "owner": _t("责任人", "Owner"),
    "due": _t("完成期限", "Due"),
    "priority": _t("优先级", "Priority"),
    "item": _t("条目", "Item"),
    "question": _t("问题", "Question"),
    "red_line": _t("红线", "Red line"),
    "high": _t("高", "High"),
    "medium": _t("中", "Medium"),
    "low": _t("低", "Low"),
    "csv_hint": _t("本表同时导出为 CSV 文件（与报告同目录）：", "This table is also exported as CSV, next to the report:"),
    # waivers
    "no_waivers": _t("无豁免。", "No waivers."),
    "justification": _t("理由", "Justification"),
    "approved_by": _t("批准人", "Approved by"),
    "expires": _t("有效期至", "Expires"),
    "expired": _t("已过期", "Expired"),
    "valid": _t("有效", "Valid"),
    # annexes
    "na_reason": _t("不适用理由", "Reason for N/A"),
    "paper_section": _t("论文部分", "Paper part"),
    "basis": _t("法规依据", "Legal basis"),
    "paper_only": _t("仅依据论文（无对应法规条文）", "The paper alone (no instrument imposes it)"),
    "context_mark": _t("情况项，不计分", "Context item, not scored"),
    "band": _t("评分区间", "Band"),
    "scored_by": _t("按此比率计分", "Scored on"),
    "grid_unanswered": _t("（未答）", "(no answer)"),
    "quote": _t("原文", "Quote"),
    "aggregation": _t("汇总方式", "Aggregation"),
    "aggregation_weighted_mean": _t("加权平均", "weighted mean"),
    "aggregation_weakest_link": _t("最弱项", "weakest link"),
    "partial_credit": _t("“部分”得分", "Credit for “partial”"),
    "critical_fail_below": _t("红线条目得分低于此值即为未通过", "A red-line item fails below"),
    "critical_cap": _t("红线未通过时等级上限", "Grade cap when a red line fails"),
    "grade_bands": _t("等级划分", "Grade bands"),
    "min_score": _t("最低分", "From"),
}

STATUS: dict[str, Text] = {
    "met": LABELS["met"],
    "partial": LABELS["partial"],
    "unmet": LABELS["unmet"],
    "na": LABELS["na"],
    "waived": LABELS["waived"],
    "missing": LABELS["missing"],
    "context": LABELS["context"],
}

YES_NO: dict[str, Text] = {"yes": _t("是", "Yes"), "partial": _t("部分", "Partly"), "no": _t("否", "No")}

LEVELS: dict[str, Text] = {
    "national": _t("全国", "National"),
    "province": _t("省级", "Province"),
    "city": _t("市级", "City"),
    "county": _t("县级", "County"),
}

EVIDENCE_KINDS: dict[str, Text] = {
    "document": _t("文件", "Document"),
    "system_data": _t("系统数据", "System data"),
    "observation": _t("现场观察", "Observation"),
    "interview": _t("访谈", "Interview"),
}

PAPER_SECTIONS: dict[str, Text] = {
    "摘要": _t("摘要", "Abstract"),
    "一": _t("一", "Part 1"),
    "二": _t("二", "Part 2"),
    "三": _t("三", "Part 3"),
}
