"""ssdocs benchmark (not a test): measures, in one run on this machine, the figures issue 8 asks for.

    python benchmarks/run.py                 # everything; about 15 minutes on 2 cores
    python benchmarks/run.py --quick         # smaller counts, to try the script

1. `ssdocs report` end to end on the demo vs WeasyPrint alone on the same final HTML (overhead
   ratio, target <= 1.10), seconds per page, and what the demo PDF's bytes are made of
   (`benchmarks/pdfparts.py`).
2. `ssdocs batch` of 100 generated jurisdiction-years: serial (-j 1) vs -j 2 (target >= 1.8x on
   2 cores), an unchanged re-run vs the full run (target <= 5 %), PDF size per report (target
   <= 400 KB), peak memory of any process (target <= 400 MB).
3. Validation + scoring + trend of 30,000 generated assessments, no PDFs (target <= 30 s): `ssdocs
   check --all-years` cold (empty cache) and warm (unchanged tree), -j 2 and -j 1, with CPU
   seconds, peak memory and the load average of each run; the per-assessment cost of each step.

Every command runs as a fresh process, as a user would run it; wall-clock times; the medians of
repeated runs where a run is short. Prints a Markdown table and writes output/benchmark.json.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from pdfparts import pdf_parts  # noqa: E402

SSDOCS = [sys.executable, "-m", "ssdocs"]


CPU: dict[str, float] = {}  # label -> median CPU seconds (user + system) of the same runs


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], repeat: int = 1, label: str = "") -> float:
    """Median wall-clock seconds of `command` (fails loudly if it fails); its CPU seconds (every
    process it started included) go to CPU[label]: unlike wall time, they hardly change when
    other work shares the cores."""
    times, cpus = [], []
    for _ in range(repeat):
        cpu, start = _cpu(), time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    if label:
        CPU[label] = statistics.median(cpus)
    return statistics.median(times)


def peak_child_mb() -> float:
    """The largest resident set of any finished child or grandchild process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def machine() -> dict[str, str]:
    import weasyprint

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    harfbuzz = "unknown"
    found = ctypes.util.find_library("harfbuzz")
    if found:
        lib = ctypes.CDLL(found)
        lib.hb_version_string.restype = ctypes.c_char_p
        harfbuzz = lib.hb_version_string().decode()
    subset = ctypes.util.find_library("harfbuzz-subset")
    import ssdocs

    git = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                         text=True)
    return {
        "ssdocs": f"{ssdocs.__version__} from {Path(ssdocs.__file__).parent}"
                  + (f" at commit {git.stdout.strip()}" if git.returncode == 0 else
                     f" ({os.environ.get('SSDOCS_COMMIT', 'commit unknown')})"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "weasyprint": weasyprint.__version__,
        "harfbuzz": harfbuzz + (" (with libharfbuzz-subset)" if subset else " (no libharfbuzz-subset)"),
        "system": platform.platform(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def demo_assessment(work: Path) -> tuple[Path, list[str]]:
    """The demo (`make demo`'s example) or, until the example lands, a generated one."""
    examples = sorted(synth.EXAMPLES.glob("*.yaml"))
    if (synth.EXAMPLES / "2025.yaml").exists():
        return synth.EXAMPLES / "2025.yaml", []
    if examples:
        return examples[-1], []
    synth.write_tree(work / "demo-tree", 1, years=(2024, 2025))
    return next((work / "demo-tree").rglob("2025.yaml")), []


def bench_report(work: Path, repeat: int) -> dict[str, Any]:
    from pypdf import PdfReader

    demo, extra = demo_assessment(work)
    out = work / "report"
    e2e = timed([*SSDOCS, "report", str(demo), "-o", str(out), *extra], repeat=repeat, label="report")
    pdf = next(out.glob("*.pdf"))
    pages = len(PdfReader(pdf).pages)
    html_out = work / "report-html"
    subprocess.run([*SSDOCS, "report", str(demo), "-o", str(html_out), "--format", "html", *extra],
                   check=True, capture_output=True)
    html = next(html_out.glob("*.html"))
    from ssdocs.core.paths import templates_dir
    from ssdocs.render.fontsubset import font_face_css

    # The same fonts as ssdocs: the stylesheet naming the cached CJK subsets, added at PDF time.
    fonts = work / "fonts.css"
    fonts.write_text(font_face_css(), encoding="utf-8")
    alone = timed([sys.executable, "-c",
                   "import sys; from weasyprint import HTML; "
                   "HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf("
                   "sys.argv[3], pdf_variant='pdf/a-3b', stylesheets=[sys.argv[4]])",
                   str(html), templates_dir().as_uri() + "/", str(work / "alone.pdf"), str(fonts)],
                  repeat=repeat, label="weasyprint")
    # ssdocs tunes the garbage collector around each render (render/pdf.py `_quiet_gc`), which makes
    # WeasyPrint itself faster; the same tuning applied to WeasyPrint alone isolates what ssdocs adds.
    tuned = timed([sys.executable, "-c",
                   "import gc, sys; from weasyprint import HTML; gc.collect(); gc.freeze(); "
                   "gc.set_threshold(10_000, 50, 100); "
                   "HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf("
                   "sys.argv[3], pdf_variant='pdf/a-3b', stylesheets=[sys.argv[4]])",
                   str(html), templates_dir().as_uri() + "/", str(work / "tuned.pdf"), str(fonts)],
                  repeat=repeat, label="weasyprint_tuned")
    return {"demo": str(demo.relative_to(REPO) if demo.is_relative_to(REPO) else demo.name),
            "report_seconds": e2e, "weasyprint_seconds": alone, "overhead_ratio": e2e / alone,
            "report_cpu": CPU["report"], "weasyprint_cpu": CPU["weasyprint"],
            "overhead_ratio_cpu": CPU["report"] / CPU["weasyprint"],
            "weasyprint_tuned_seconds": tuned, "overhead_ratio_vs_tuned": e2e / tuned,
            "weasyprint_tuned_cpu": CPU["weasyprint_tuned"],
            "pages": pages, "seconds_per_page": e2e / pages, "demo_pdf_kb": pdf.stat().st_size / 1024,
            "demo_pdf_parts_kb": pdf_parts(pdf)}


def bench_batch(work: Path, jurisdictions: int, years: tuple[int, ...]) -> dict[str, Any]:
    tree = work / "batch-tree"
    files = synth.write_tree(tree, jurisdictions, years=years, seed=8)
    serial_out, parallel_out = work / "batch-j1", work / "batch-j2"
    serial = timed([*SSDOCS, "batch", str(tree), "-o", str(serial_out), "-j", "1", "-q"], label="serial")
    parallel = timed([*SSDOCS, "batch", str(tree), "-o", str(parallel_out), "-j", "2", "-q"], label="parallel")
    rerun = timed([*SSDOCS, "batch", str(tree), "-o", str(parallel_out), "-j", "2", "-q"], label="rerun")
    sizes = [p.stat().st_size / 1024 for p in parallel_out.rglob("*.pdf")]
    return {
        "jurisdiction_years": len(files), "serial_seconds": serial, "parallel_seconds": parallel,
        "speedup_j2": serial / parallel, "rerun_seconds": rerun, "rerun_share": rerun / parallel,
        "serial_cpu": CPU["serial"], "parallel_cpu": CPU["parallel"], "rerun_cpu": CPU["rerun"],
        "seconds_per_report_serial": serial / len(files),
        "pdf_kb_mean": statistics.mean(sizes), "pdf_kb_max": max(sizes), "pdfs": len(sizes),
        "peak_rss_mb": peak_child_mb(),
    }


PROFILE = """
import sys, tempfile, time
from pathlib import Path
from ssdocs.loading import load_yaml
from ssdocs.loading.assessments import parse_assessment, checklists_of
from ssdocs.loading.cache import ResultCache, Store, catalog_digest
from ssdocs.loading.checklists import load_checklists
from ssdocs.scoring import score_assessment
catalog = load_checklists(cache=False)
cache = ResultCache(Store(Path(tempfile.mkdtemp())), catalog_digest(list(catalog.values())))
files = sorted(Path(sys.argv[1]).rglob("*.yaml"))[:300]
t = [0.0] * 5
for f in files:
    a = time.perf_counter(); doc = load_yaml(f)
    b = time.perf_counter(); assessment = parse_assessment(doc, catalog)
    c = time.perf_counter(); result = score_assessment(assessment, checklists_of(assessment, catalog))
    d = time.perf_counter(); content = f.read_bytes(); cache.put(content, result)
    e = time.perf_counter(); hit = cache.get(f.read_bytes())
    g = time.perf_counter(); assert hit == result
    for i, x in enumerate((b - a, c - b, d - c, e - d, g - e)):
        t[i] += x
size = sum(f.stat().st_size for f in files) / len(files) / 1024
stored = sum(p.stat().st_size for p in cache.where.folder.rglob("*") if p.is_file()) / len(files) / 1024
print(" ".join(f"{1000 * x / len(files):.2f}" for x in t), size, stored)
"""

# Runs a command and reports the largest resident set of it and its descendants (the benchmark's
# own RUSAGE_CHILDREN maximum also covers the earlier sections' processes).
PEAK = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
sys.exit(done.returncode)
"""


def timed_peak(command: list[str], env: dict[str, str], label: str) -> dict[str, Any]:
    """Wall and CPU seconds (workers included), peak memory and load average of one fresh run."""
    before = _load()
    cpu, start = _cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *command], capture_output=True, text=True, env=env)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    figures = {"seconds": seconds, "cpu": cpu, "peak_mb": float(done.stdout.split()[-1]),
               "load_average": f"{before} -> {_load()}"}
    print(f"  {label}: {json.dumps(figures)}", flush=True)
    return figures


def bench_validation(work: Path, jurisdictions: int) -> dict[str, Any]:
    """`ssdocs check TREE --all-years` (validate and score every year, compare each with the year
    before, apply the policy: the trend's deltas of every year) on a fresh, empty cache (cold: a
    first CI run), then again on the unchanged tree (warm: a re-run), with -j 2 and -j 1; and
    `ssdocs trend TREE --csv -` warm. Every run is a fresh process with its own cache folder."""
    tree = work / "validate-tree"
    started = time.perf_counter()
    files = synth.write_tree(tree, jurisdictions, seed=30, distinct=300)
    generated = time.perf_counter() - started
    runs: dict[str, dict[str, Any]] = {}
    for jobs in ("2", "1"):
        cache = work / f"cache-j{jobs}"
        shutil.rmtree(cache, ignore_errors=True)
        env = {**os.environ, "SSDOCS_CACHE": str(cache)}
        env.pop("SSDOCS_NO_CACHE", None)
        check = [*SSDOCS, "check", str(tree), "--all-years", "-j", jobs]
        runs[f"cold_j{jobs}"] = timed_peak(check, env, f"cold -j {jobs}")
        runs[f"warm_j{jobs}"] = timed_peak(check, env, f"warm -j {jobs}")
        if jobs == "2":
            runs["trend_warm_j2"] = timed_peak([*SSDOCS, "trend", str(tree), "--csv", "-", "-j", "2"], env,
                                               "trend --csv warm -j 2")
            cache_mb = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) / 2**20
    profile = subprocess.run([sys.executable, "-c", PROFILE, str(tree)], capture_output=True, text=True,
                             check=True).stdout.split()
    ms = [float(x) for x in profile[:5]]
    return {"assessments": len(files), "jurisdictions": jurisdictions, "generate_seconds": generated,
            **{f"{name}_{key}": value for name, run in runs.items() for key, value in run.items()},
            "ms_yaml": ms[0], "ms_validate": ms[1], "ms_score": ms[2], "ms_cache_write": ms[3],
            "ms_cache_read": ms[4], "kb_per_file": float(profile[5]), "kb_cached_per_file": float(profile[6]),
            "cache_mb": cache_mb}


def _ok(good: bool) -> str:
    return "met" if good else "**not met**"


def table(results: dict[str, Any]) -> str:
    """The Markdown table of whatever sections were measured."""
    rows: list[tuple[str, str, str, str]] = []
    notes: list[str] = []
    if "report" in results:
        r = results["report"]
        rows += [
            ("`ssdocs report` end to end / WeasyPrint alone (same HTML)",
             f"{r['report_seconds']:.2f} s / {r['weasyprint_seconds']:.2f} s = **{r['overhead_ratio']:.2f}** "
             f"(CPU {r['report_cpu']:.2f} s / {r['weasyprint_cpu']:.2f} s = {r['overhead_ratio_cpu']:.2f})",
             "≤ 1.10", _ok(r["overhead_ratio"] <= 1.10)),
            ("… / WeasyPrint alone with ssdocs' garbage-collector tuning (what ssdocs adds)",
             f"{r['report_seconds']:.2f} s / {r['weasyprint_tuned_seconds']:.2f} s = "
             f"{r['overhead_ratio_vs_tuned']:.2f} (CPU {r['report_cpu']:.2f} s / "
             f"{r['weasyprint_tuned_cpu']:.2f} s = {r['report_cpu'] / r['weasyprint_tuned_cpu']:.2f})", "—", "—"),
            ("seconds per page (demo report)", f"{r['seconds_per_page']:.3f} s ({r['pages']} pages)", "—", "—"),
        ]
        notes.append(f"Demo PDF: {r['demo_pdf_kb']:.0f} KB = "
                     + ", ".join(f"{part} {kb:.1f}" for part, kb in r["demo_pdf_parts_kb"].items()) + " KB.")
    if "batch" in results:
        b = results["batch"]
        rows += [
            (f"batch of {b['jurisdiction_years']}: -j 1 / -j 2",
             f"{b['serial_seconds']:.1f} s / {b['parallel_seconds']:.1f} s = **{b['speedup_j2']:.2f}×** "
             f"(CPU {b['serial_cpu']:.1f} s / {b['parallel_cpu']:.1f} s)", "≥ 1.8×", _ok(b["speedup_j2"] >= 1.8)),
            ("unchanged re-run / full run (-j 2)",
             f"{b['rerun_seconds']:.2f} s / {b['parallel_seconds']:.1f} s = **{100 * b['rerun_share']:.1f} %**",
             "≤ 5 %", _ok(b["rerun_share"] <= 0.05)),
            ("PDF size per report (mean / max)", f"{b['pdf_kb_mean']:.0f} KB / {b['pdf_kb_max']:.0f} KB",
             "≤ 400 KB", _ok(b["pdf_kb_max"] <= 400)),
            ("peak memory of any process (batch runs)", f"{b['peak_rss_mb']:.0f} MB", "≤ 400 MB",
             _ok(b["peak_rss_mb"] <= 400)),
        ]
    if "validation" in results:
        v = results["validation"]
        n = v["assessments"]
        for state, what in (("cold", "empty cache (a first run)"), ("warm", "unchanged tree, cache filled")):
            two, one = v[f"{state}_j2_seconds"], v[f"{state}_j1_seconds"]
            rows.append((
                f"validation + scoring + trend of {n:,} assessments, {what}: -j 2 / -j 1",
                f"**{two:.1f} s** / {one:.1f} s ({1000 * one / n:.2f} ms each in one process; CPU "
                f"{v[f'{state}_j2_cpu']:.1f} s / {v[f'{state}_j1_cpu']:.1f} s; peak "
                f"{v[f'{state}_j2_peak_mb']:.0f} MB / {v[f'{state}_j1_peak_mb']:.0f} MB)", "≤ 30 s",
                _ok(two <= 30) if n >= 30_000 else "— (target is for 30,000)"))
        notes.append(f"Per assessment ({v['kb_per_file']:.0f} KB of YAML, {v['kb_cached_per_file']:.0f} KB cached): "
                     f"YAML {v['ms_yaml']:.2f} ms, validation {v['ms_validate']:.2f} ms, scoring "
                     f"{v['ms_score']:.2f} ms, cache write {v['ms_cache_write']:.2f} ms, cache read (a hit: the scores "
                     f"validated again) {v['ms_cache_read']:.2f} ms. `ssdocs trend --csv -` warm, -j 2: "
                     f"{v['trend_warm_j2_seconds']:.1f} s. Cache: {v['cache_mb']:.0f} MB.")
    lines = ["| measure | figure | target | |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b_} | {c} | {d} |" for a, b_, c, d in rows]
    lines += ["", *notes, ""]
    lines += [f"- {k}: {val}" for k, val in results["machine"].items()]
    return "\n".join(lines)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 reports and 3,000 assessments")
    parser.add_argument("--workdir", type=Path, help="keep the generated files here (default: a temp folder)")
    parser.add_argument("--skip", action="append", default=[], choices=["report", "batch", "validation"])
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="ssdocs-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    m = machine()
    print("machine:", json.dumps(m, ensure_ascii=False), flush=True)
    results: dict[str, Any] = {"machine": m}
    sections = (("report", lambda: bench_report(work, repeat=1 if args.quick else 3)),
                ("batch", lambda: bench_batch(work, 5 if args.quick else 50, (2024, 2025))),
                ("validation", lambda: bench_validation(work, 1_000 if args.quick else 10_000)))
    for name, run_section in sections:
        if name in args.skip:
            continue
        before = _load()
        results[name] = run_section()
        results[name]["load_average"] = f"{before} -> {_load()}"
        print(f"{name}:", json.dumps(results[name]), flush=True)
    m["load average at end"] = _load()
    (REPO / "output").mkdir(exist_ok=True)
    (REPO / "output" / "benchmark.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    print(table(results))
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
