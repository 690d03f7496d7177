"""The largest inputs `ssdocs report` accepts, rendered end to end (issue 18 §4; not a test).

    python benchmarks/bounded_report.py [--only NAME]

Writes generated checklists and assessments to /tmp/ssdocs-bounded/, runs `ssdocs report` on each
under `/usr/bin/time -v`, prints wall time, peak memory (max RSS) and pages as a Markdown table.
Target: every accepted input in <= 60 s and <= 1 GB on the 2-core machine; the inputs just past
the limits are refused up front (exit 2, the limit named).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from ssdocs.limits import MAX_REPORT_ITEMS, MAX_REPORT_TEXT

WORK = Path("/tmp/ssdocs-bounded")
SSDOCS = str(Path(sys.executable).parent / "ssdocs")
ZH = "社会保险基金监督管理办法规定，经办机构应当按月核对缴费与待遇数据，发现异常及时处理。"
EN = "The fund was audited in March and the findings were followed up by the agency in April. "


def checklist(items: int) -> dict[str, object]:
    per = 500
    sections = []
    for s in range(0, items, per):
        part = s // per + 1
        sections.append({"id": f"BIG-S{part:02d}", "title": {"zh": f"第{part}部分", "en": f"Part {part}"},
                         "items": [{"id": f"BIG-{i:04d}", "type": "yes_no",
                                    "question": {"zh": f"第{i}项：是否按规定开展基金监督检查？",
                                                 "en": f"Item {i}: is the fund inspected as required?"},
                                    "guidance": {"zh": "查看文件。", "en": "Check the documents."},
                                    "recommendation": {"zh": "按规定开展检查。", "en": "Inspect as required."},
                                    "source": {"section": "二", "quote": "制定社保基金追缴办法"}}
                                   for i in range(s, min(items, s + per))]})
    return {"id": "big", "version": "1.0.0", "title": {"zh": "大检查表", "en": "Big checklist"},
            "description": {"zh": "基准测试用。", "en": "For benchmarks."}, "scoring": {"partial_credit": 0.5},
            "sections": sections}


def assessment(items: int, notes: list[str]) -> dict[str, object]:
    answers: dict[str, object] = {}
    for i in range(items):
        answer: dict[str, object] = {"value": ["yes", "partial", "no"][i % 3]}
        if i < len(notes):
            answer["note"] = notes[i]
        answers[f"BIG-{i:04d}"] = answer
    return {"jurisdiction": {"code": "big", "name": {"zh": "基准市", "en": "Bench City"}, "level": "city"},
            "year": 2025, "date": "2026-03-01", "assessors": [{"name": "张三"}],
            "checklists": [{"id": "big", "version": "1.0.0"}], "answers": answers}


def fill(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size]


CASES = {
    # name: (items, notes)
    "max items, max text in short notes": (MAX_REPORT_ITEMS,
                                           [fill(ZH, MAX_REPORT_TEXT // MAX_REPORT_ITEMS)] * MAX_REPORT_ITEMS),
    "max text in 7 long notes (Chinese)": (10, [fill(ZH, 20_000)] * 7 + [fill(ZH, MAX_REPORT_TEXT - 140_000)]),
    "max text in 7 long notes (English)": (10, [fill(EN, 20_000)] * 7 + [fill(EN, MAX_REPORT_TEXT - 140_000)]),
    "max text as unbroken 20,000-letter words": (10, ["A" * 20_000] * 7 + ["B" * (MAX_REPORT_TEXT - 140_000)]),
    "one note over the text limit (refused)": (10, [fill(ZH, 20_000)] * 7 + [fill(ZH, MAX_REPORT_TEXT - 139_999)]),
    "one item over the item limit (refused)": (MAX_REPORT_ITEMS + 1, []),
}


def run(name: str, items: int, notes: list[str]) -> str:
    folder = WORK / re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "big.yaml").write_text(yaml.safe_dump(checklist(items), allow_unicode=True), encoding="utf-8")
    (folder / "2025.yaml").write_text(yaml.safe_dump(assessment(items, notes), allow_unicode=True, width=10**9),
                                      encoding="utf-8")
    env = {**os.environ, "SSDOCS_CACHE": str(WORK / "cache")}
    done = subprocess.run(["/usr/bin/time", "-v", SSDOCS, "report", str(folder / "2025.yaml"), "--checklists",
                           str(folder / "big.yaml"), "-o", str(folder / "out")], capture_output=True, text=True,
                          env=env)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    assert wall is not None, done.stderr
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) // 1024  # type: ignore
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", done.stderr).group(1))  # type: ignore
              for kind in ("User", "System"))
    pages = "—"
    pdfs = list((folder / "out").glob("*.pdf"))
    if pdfs:
        info = subprocess.run(["pdfinfo", str(pdfs[0])], capture_output=True, text=True).stdout
        pages = re.search(r"Pages:\s+(\d+)", info).group(1)  # type: ignore[union-attr]
    first = done.stderr.splitlines()[0] if done.returncode else ""
    return f"| {name} | {done.returncode} | {seconds:.1f} s | {cpu:.1f} s | {rss} MB | {pages} | {first[:160]} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only")
    args = parser.parse_args()
    print("| input | exit | wall | CPU | peak RSS | pages | message |\n|---|---|---|---|---|---|---|")
    for name, (items, notes) in CASES.items():
        if args.only and args.only not in name:
            continue
        print(run(name, items, notes), flush=True)


if __name__ == "__main__":
    main()
