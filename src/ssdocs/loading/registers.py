"""Load the data files beside the checklists: the basis register and the paper map."""

from __future__ import annotations

from pathlib import Path

from ssdocs.core.paths import checklists_dir
from ssdocs.errors import ValidationFailed
from ssdocs.loading.problems import validate_document
from ssdocs.loading.yamlio import Document, load_yaml
from ssdocs.models.registers import BasisRegister, PaperMap

BASIS_FILE = "basis.yaml"
PAPER_MAP_FILE = "paper-map.yaml"


def parse_basis(doc: Document) -> BasisRegister:
    return validate_document(doc, BasisRegister, "a basis register")


def parse_paper_map(doc: Document) -> PaperMap:
    return validate_document(doc, PaperMap, "a paper map")


def load_basis(path: Path | str) -> BasisRegister:
    """Load and validate a register of legal instruments (checklists/basis.yaml)."""
    return parse_basis(load_yaml(Path(path)))


def load_paper_map(path: Path | str) -> PaperMap:
    """Load and validate a map of the paper's recommendations (checklists/paper-map.yaml)."""
    return parse_paper_map(load_yaml(Path(path)))


_SHIPPED: dict[str, BasisRegister | None] = {}


def shipped_register() -> BasisRegister | None:
    """The register shipped beside the checklists (read once), or None when absent or invalid
    (reports then show a basis by its ref; `ssdocs lint` reports what is wrong with the file)."""
    if "basis" not in _SHIPPED:
        path = checklists_dir() / BASIS_FILE
        try:
            _SHIPPED["basis"] = load_basis(path) if path.is_file() else None
        except ValidationFailed:
            _SHIPPED["basis"] = None
    return _SHIPPED["basis"]
