"""Roll-up benchmark (issue 22, not a test): the figures the issue asks for, measured in one run.

    python benchmarks/rollup.py            # about 7 minutes on 2 busy cores (10 at load 3)

1. A bare libyaml parse (yaml.CSafeLoader) of 3,000 generated jurisdiction-years (1,000 × 3).
2. Loading and scoring them for the roll-up (`ssdocs.pipeline.rollup.load_members`) cold (empty
   cache) and warm (unchanged files): ms per file, and the cold / bare-parse ratio (target <= 1.3);
   warm target <= 0.7 ms per file. The runs set $SSDOCS_CACHE_KEY (as a CI does), so warm entries
   are signed and taken as is; one more cold + warm pair without a key (a developer's machine:
   unsigned entries, validated when read) uses a cache of its own.
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
import json, sys, time
from pathlib import Path
from ssdocs.loading.checklists import load_checklists
from ssdocs.pipeline.rollup import load_members
catalog = load_checklists()
started = time.perf_counter()
members, excluded = load_members(Path(sys.argv[1]), catalog)
print(json.dumps({"seconds": time.perf_counter() - started, "members": len(members), "excluded": len(excluded)}))
"""


def bare_parse(files: list[Path]) -> float:
    import yaml

    started = time.perf_counter()
    for path in files:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - started


def load_run(tree: Path, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", LOAD, str(tree)], env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def wall(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ssdocs", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="ssdocs-rollup-bench-"))
    env = {**os.environ, "SSDOCS_CACHE": str(work / "cache"), "SSDOCS_CACHE_KEY": "benchmark secret"}
    unsigned = {**env, "SSDOCS_CACHE": str(work / "cache-unsigned")}
    unsigned.pop("SSDOCS_CACHE_KEY")
    try:
        big = synth.write_tree(work / "t3000", 1000, distinct=60)
        synth.write_tree(work / "t300", 300, distinct=60)
        parse = statistics.median(bare_parse(big) for _ in range(3))
        cold = load_run(work / "t3000", env)
        warm = [load_run(work / "t3000", env)["seconds"] for _ in range(3)]
        cold_unsigned = load_run(work / "t3000", unsigned)
        warm_unsigned = [load_run(work / "t3000", unsigned)["seconds"] for _ in range(3)]
        html = wall(["rollup", str(work / "t3000"), "-o", str(work / "o3000"), "--format", "html"], env)
        wall(["rollup", str(work / "t300"), "-o", str(work / "o300"), "--format", "html"], env)  # warms the cache
        pdf = wall(["rollup", str(work / "t300"), "-o", str(work / "o300")], env)
        pages = subprocess.run(["pdfinfo", str(work / "o300" / "rollup-latest.pdf")], capture_output=True,
                               text=True).stdout
        n = len(big)
        rows = [
            ("bare libyaml parse, 3,000 files", f"{parse:.2f} s", f"{1000 * parse / n:.2f} ms/file", ""),
            ("roll-up loading cold (parse, validate, score, cache)", f"{cold['seconds']:.2f} s",
             f"{1000 * cold['seconds'] / n:.2f} ms/file", f"{cold['seconds'] / parse:.1f} × bare parse (target ≤ 1.3)"),
            ("roll-up loading warm (cache, signed entries)", f"{statistics.median(warm):.2f} s",
             f"{1000 * statistics.median(warm) / n:.2f} ms/file",
             f"{1000 * statistics.median(warm) / n / 0.7:.2f} × target (≤ 0.7 ms/file); "
             f"{statistics.median(warm) / parse:.2f} × bare parse"),
            ("roll-up loading cold, no key", f"{cold_unsigned['seconds']:.2f} s",
             f"{1000 * cold_unsigned['seconds'] / n:.2f} ms/file",
             f"{cold_unsigned['seconds'] / parse:.1f} × bare parse (target ≤ 1.3)"),
            ("roll-up loading warm, no key (unsigned entries, validated)", f"{statistics.median(warm_unsigned):.2f} s",
             f"{1000 * statistics.median(warm_unsigned) / n:.2f} ms/file",
             f"{1000 * statistics.median(warm_unsigned) / n / 0.7:.2f} × target (≤ 0.7 ms/file)"),
            ("ssdocs rollup 3,000 jurisdiction-years, HTML, warm", f"{html:.1f} s", "", "target: seconds"),
            ("ssdocs rollup 300 jurisdictions, PDF/A-3b, warm", f"{pdf:.1f} s",
             next((ln.split()[-1] + " pages" for ln in pages.splitlines() if ln.startswith("Pages")), ""),
             "target ≤ 60 s"),
        ]
        print(f"load average before the last run: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
        print("| measure | time | per unit | against |")
        print("| --- | --- | --- | --- |")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
