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

__all__ = [
    "Problem",
    "SsdocsError",
    "ValidationFailed",
    "__version__",
    "load_assessment",
    "load_checklist",
    "load_checklists",
    "score",
    "validate",
]
