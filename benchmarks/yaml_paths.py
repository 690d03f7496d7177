"""What each part of the YAML reader buys (not a test): parse_yaml on realistic and hostile text.

    python benchmarks/yaml_paths.py [path/to/yamlio.py]   # default: the installed ssdocs.loading.yamlio

Pass an older copy of yamlio.py to compare (e.g. `git show REV:src/ssdocs/loading/yamlio.py > /tmp/y.py`).
"""

from __future__ import annotations

import importlib
import importlib.util
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def load(path: str | None) -> Any:
    if path is None:
        return importlib.import_module("ssdocs.loading.yamlio")
    spec = importlib.util.spec_from_file_location("yamlio_under_test", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["yamlio_under_test"] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    y = load(sys.argv[1] if len(sys.argv) > 1 else None)
    example = (ROOT / "examples/assessments/example-city/2025.yaml").read_text(encoding="utf-8")
    big = example.split("answers:")[0] + "answers:\n" + "".join(
        f"  X-{i}: {{value: yes, note: '{'说明' * 400}'}}\n" for i in range(5000))
    cases = {
        "example-city/2025.yaml, 33 KB (x200)": (example, 200),
        "5,000 answers with notes, 4 MB (x3)": (big, 3),
        "alias bomb (corpus)": ((ROOT / "tests/bad_inputs/alias-bomb.yaml").read_text(encoding="utf-8"), 3),
        "flat list, 5 MB": ("a: [" + "1," * (5 * 1024 * 1024 // 2 - 10) + "1]\n", 1),
        "5,000 nested [": ("a: " + "[" * 5000 + "1" + "]" * 5000 + "\n", 3),
    }
    for name, (text, reps) in cases.items():
        start = time.perf_counter()
        for _ in range(reps):
            try:
                y.parse_yaml(text, "f.yaml")
            except y.ValidationFailed:
                pass
        print(f"| {name} | {(time.perf_counter() - start) / reps * 1000:.1f} ms |")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
