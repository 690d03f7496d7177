"""YAML reading against a bare libyaml parse (issue 22; not a test), in one run, best of 3.

    python benchmarks/yaml_speed.py [--before PYTHON] [--jurisdictions 100]

On a synthetic tree (`synth.write_tree(dir, N, distinct=60)`: 3 years each, 35 KB files): a bare
`yaml.load(data, Loader=yaml.CSafeLoader)`, `ssdocs.loading.yamlio.parse_yaml`, and the cold roll-up
load (`ssdocs.pipeline.rollup.load_members` with an empty cache), in ms per file. With `--before`,
the same two ssdocs figures with another interpreter (e.g. one whose PYTHONPATH is an older
checkout's src/) for comparison. Each figure is a fresh process's CPU time (`time.process_time`),
so that other work on a shared machine counts less than it would in wall-clock time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

PARSE = r"""
import sys, time, yaml
from pathlib import Path
from ssdocs.loading.yamlio import parse_yaml
files = sorted(Path(sys.argv[1]).rglob("*.yaml"))
texts = [(f.read_bytes(), f.read_text(encoding="utf-8"), str(f)) for f in files]
started = time.process_time()
if sys.argv[2] == "bare":
    for data, _, _ in texts:
        yaml.load(data, Loader=yaml.CSafeLoader)
else:
    for _, text, name in texts:
        parse_yaml(text, name)
print((time.process_time() - started) * 1000 / len(files))
"""
LOAD = r"""
import sys, time
from pathlib import Path
from ssdocs.loading.checklists import load_checklists
from ssdocs.pipeline.rollup import load_members
catalog = load_checklists()
files = len(list(Path(sys.argv[1]).rglob("*.yaml")))
started = time.process_time()
members, excluded = load_members(Path(sys.argv[1]), catalog)
assert members and not excluded
print((time.process_time() - started) * 1000 / files)
"""


def run(python: str, code: str, *args: str) -> float:
    with tempfile.TemporaryDirectory(prefix="ssdocs-yaml-speed-cache-") as cache:
        out = subprocess.run([python, "-c", code, *args], env={**os.environ, "SSDOCS_CACHE": cache},
                             capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="another Python whose ssdocs to measure too")
    parser.add_argument("--jurisdictions", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ssdocs-yaml-speed-") as work:
        tree = Path(work) / "tree"
        files = synth.write_tree(tree, args.jurisdictions, distinct=60)
        runs: dict[str, list[float]] = {}
        for _ in range(3):
            runs.setdefault("bare libyaml parse", []).append(run(sys.executable, PARSE, str(tree), "bare"))
            for label, python in (("before", args.before), ("now", sys.executable)):
                if python:
                    runs.setdefault(f"parse_yaml, {label}", []).append(run(python, PARSE, str(tree), "ours"))
                    runs.setdefault(f"cold load_members, {label}", []).append(run(python, LOAD, str(tree)))
    bare = min(runs["bare libyaml parse"])
    print(f"{len(files)} files; load average {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
    print("| measure | ms/file (CPU, best of 3) | × bare parse | runs |")
    print("| --- | --- | --- | --- |")
    for name, times in runs.items():
        print(f"| {name} | {min(times):.2f} | {min(times) / bare:.2f} | {', '.join(f'{t:.2f}' for t in times)} |")


if __name__ == "__main__":
    main()
