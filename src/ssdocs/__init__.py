"""ssdocs: compliance checklists, questionnaires and scored reports for social-security fund supervision."""

from ssdocs.api import (
    load_assessment,
    load_checklist,
    load_checklists,
    score,
    validate,
)
from ssdocs.errors import Problem, SsdocsError, ValidationFailed

__version__ = "0.1.0"

# The library function behind each heavier command, imported on first use so that `import ssdocs`
# (and `ssdocs validate`) does not load WeasyPrint. `ssdocs.lint.lint` and `ssdocs.batch.batch` live
# in modules of those names.
_LAZY = {
    "check": "ssdocs.pipeline.check",
    "doctor": "ssdocs.render.doctor",
    "extract": "ssdocs.render.extract",
    "import_pdf": "ssdocs.forms",
    "import_xlsx": "ssdocs.forms.workbook",
    "questionnaire": "ssdocs.pipeline.questionnaire",
    "report": "ssdocs.pipeline.report",
    "rollup": "ssdocs.pipeline.rollup",
    "schema": "ssdocs.schemas",
    "trend": "ssdocs.pipeline.trend",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ssdocs' has no attribute {name!r}")

__all__ = [
    "Problem",
    "SsdocsError",
    "ValidationFailed",
    "__version__",
    "check",
    "doctor",
    "extract",
    "import_pdf",
    "import_xlsx",
    "load_assessment",
    "load_checklist",
    "load_checklists",
    "questionnaire",
    "report",
    "rollup",
    "schema",
    "score",
    "trend",
    "validate",
]
