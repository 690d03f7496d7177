"""Fillable questionnaires: stable field names from item ids, and filled PDFs back into assessments."""

from ssdocs.forms.importer import ImportResult, Unmapped, import_pdf
from ssdocs.forms.names import FieldRef, form_fields, item_fields
from ssdocs.forms.reading import MANIFEST_NAME, FilledForm, build_manifest, read_form

__all__ = [
    "MANIFEST_NAME",
    "FieldRef",
    "FilledForm",
    "ImportResult",
    "Unmapped",
    "build_manifest",
    "form_fields",
    "import_pdf",
    "item_fields",
    "read_form",
]
