"""The layer order of pyproject.toml's import-linter contract holds (so CI enforces it)."""

from __future__ import annotations

import re
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_layers_contract_is_kept() -> None:
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert code == 0, "an import breaks the layer order: run `.venv/bin/lint-imports` for the chain"


def test_every_package_is_in_a_layer() -> None:
    # A new top-level module or package must be placed in the order, not slip past the contract.
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    named = {name.strip().removeprefix("ssdocs.") for layer in layers for name in re.split(r"[|:]", layer)}
    package = ROOT / "src" / "ssdocs"
    found = {p.stem for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")}
    found |= {p.parent.name for p in package.glob("*/__init__.py")}
    assert found - named == set()
