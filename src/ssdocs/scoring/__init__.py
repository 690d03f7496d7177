"""Pure functions from models to results; no I/O, no templates."""

from ssdocs.scoring.aggregate import score_assessment, score_checklist
from ssdocs.scoring.items import score_item

__all__ = ["score_assessment", "score_checklist", "score_item"]
