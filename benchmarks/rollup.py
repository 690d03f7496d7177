"""Roll-up benchmark (issue 22, not a test): the figures the issue asks for, measured in one run.

    python benchmarks/rollup.py            # about 7 minutes on 2 busy cores (10 at load 3)

1. A bare libyaml parse (yaml.CSafeLoader) of 3,000 generated jurisdiction-years (1,000 × 3).
2. Loading and scoring them for the roll-up (`ssdocs.pipeline.rollup.load_members`) cold (empty
   cache) and warm (unchanged files): ms per file, and the cold / bare-parse ratio (target <= 1.3);
   warm target <= 0.7 ms per file. Six cold runs, alternately with $SSDOCS_CACHE_KEY set (as a CI
   does: entries signed) and without (a developer's machine: unsigned entries), each in a fresh
   process that first parses the same files bare, with the collector tuned as the `ssdocs` command tunes it (both parts): the ratio compares
   two figures taken seconds apart, on a machine whose speed drifts by 10-15 % within an hour.
3. `ssdocs rollup` of the 3,000 jurisdiction-years as HTML, warm, as a fresh process (no
   jurisdiction PDFs: target seconds, not minutes).
4. `ssdocs rollup` of 300 jurisdictions × 3 years as PDF/A-3b, warm, as a fresh process (target <= 60 s).

Each in-process figure is the median of repeated runs where a run is short; every run is
wall-clock; the load average is printed with the figures (the machine is shared).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

LOAD = """
import json, os, sys, time
from pathlib import Path
import yaml
from ssdocs.core.process import tune_gc
tune_gc()  # as the `ssdocs` command runs (cli.main); the bare parse below runs under the same setting
from ssdocs.loading.checklists import load_checklists
from ssdocs.pipeline.rollup import load_members
catalog = load_checklists()
tree = Path(sys.argv[1])
out = {}
if sys.argv[2] == "with-parse":  # a bare libyaml parse of the same files, just before, in this process
    started, cpu = time.perf_counter(), time.process_time()
    for path in sorted(tree.rglob("*.yaml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    out.update(parse=time.perf_counter() - started, parse_cpu=time.process_time() - cpu)
started, cpu = time.perf_counter(), time.process_time()
members, excluded = load_members(tree, catalog)
out.update(seconds=time.perf_counter() - started, cpu=time.process_time() - cpu, members=len(members),
           excluded=len(excluded))
print(json.dumps(out))
"""


def load_run(tree: Path, env: dict[str, str], parse: bool = False) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", LOAD, str(tree), "with-parse" if parse else "-"], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def wall(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ssdocs", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _ratio(runs: list[dict[str, float]], key: str) -> str:
    """Median and range of `key` / the bare parse of the same process, over the runs."""
    values = sorted(r[key] / r["parse" if key == "seconds" else "parse_cpu"] for r in runs)
    return f"{statistics.median(values):.2f} ({values[0]:.2f}–{values[-1]:.2f})"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="ssdocs-rollup-bench-"))
    signed = {**os.environ, "SSDOCS_CACHE_KEY": "benchmark secret"}
    unsigned = {k: v for k, v in signed.items() if k != "SSDOCS_CACHE_KEY"}
    try:
        big = synth.write_tree(work / "t3000", 1000, distinct=60)
        synth.write_tree(work / "t300", 300, distinct=60)
        load_before = os.getloadavg()[0]
        # Cold, alternately signed and unsigned, each in a fresh cache and a fresh process that first
        # parses the same files bare: every ratio compares two things measured seconds apart.
        cold: dict[str, list[dict[str, float]]] = {"signed": [], "unsigned": []}
        for trial in range(6):
            kind, env = ("signed", signed) if trial % 2 == 0 else ("unsigned", unsigned)
            cold[kind].append(load_run(work / "t3000", {**env, "SSDOCS_CACHE": str(work / f"cache-{trial}")},
                                       parse=True))
        env = {**signed, "SSDOCS_CACHE": str(work / "cache-4")}  # filled by the last signed cold run
        warm = [load_run(work / "t3000", env)["seconds"] for _ in range(3)]
        warm_unsigned = [load_run(work / "t3000", {**unsigned, "SSDOCS_CACHE": str(work / "cache-5")})["seconds"]
                         for _ in range(3)]
        html = wall(["rollup", str(work / "t3000"), "-o", str(work / "o3000"), "--format", "html"], env)
        wall(["rollup", str(work / "t300"), "-o", str(work / "o300"), "--format", "html"], env)  # warms the cache
        pdf = wall(["rollup", str(work / "t300"), "-o", str(work / "o300")], env)
        pages = subprocess.run(["pdfinfo", str(work / "o300" / "rollup-latest.pdf")], capture_output=True,
                               text=True).stdout
        n = len(big)
        parse = statistics.median(r["parse"] for r in cold["signed"] + cold["unsigned"])
        rows = [
            ("bare libyaml parse, 3,000 files (median of the 6 cold runs' own)", f"{parse:.2f} s",
             f"{1000 * parse / n:.2f} ms/file", ""),
        ]
        for kind, runs in cold.items():
            seconds = statistics.median(r["seconds"] for r in runs)
            rows.append((f"roll-up loading cold, {kind} entries (parse, validate, score, write the cache), "
                         f"median of {len(runs)}", f"{seconds:.2f} s", f"{1000 * seconds / n:.2f} ms/file",
                         f"{_ratio(runs, 'seconds')} × bare parse, CPU {_ratio(runs, 'cpu')} × (target ≤ 1.3)"))
        for kind, times in (("signed entries", warm),
                            ("unsigned entries", warm_unsigned)):
            seconds = statistics.median(times)
            rows.append((f"roll-up loading warm, {kind}, median of 3", f"{seconds:.2f} s",
                         f"{1000 * seconds / n:.2f} ms/file",
                         f"{1000 * seconds / n / 0.7:.2f} × target (≤ 0.7 ms/file)"))
        rows += [
            ("ssdocs rollup 3,000 jurisdiction-years, HTML, warm", f"{html:.1f} s", "", "target: seconds"),
            ("ssdocs rollup 300 jurisdictions, PDF/A-3b, warm", f"{pdf:.1f} s",
             next((ln.split()[-1] + " pages" for ln in pages.splitlines() if ln.startswith("Pages")), ""),
             "target ≤ 60 s"),
        ]
        print(f"load average: {load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end "
              f"(cores: {os.cpu_count()})")
        print("| measure | time | per unit | against |")
        print("| --- | --- | --- | --- |")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print("cold runs:", json.dumps(cold))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
