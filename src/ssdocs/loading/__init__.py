"""YAML -> validated models, with every problem located (file:line:column) and reported together."""

from ssdocs.loading.assessments import load_assessment, parse_assessment
from ssdocs.loading.checklists import (
    find_checklists,
    load_checklist,
    load_checklists,
    parse_checklist,
)
from ssdocs.loading.yamlio import Document, load_yaml, parse_yaml

__all__ = [
    "Document",
    "find_checklists",
    "load_assessment",
    "load_checklist",
    "load_checklists",
    "load_yaml",
    "parse_assessment",
    "parse_checklist",
    "parse_yaml",
]
