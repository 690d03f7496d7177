"""Fillable questionnaires: stable field names from item ids, and filled PDFs and workbooks back into assessments."""

from ssdocs.forms.importer import ImportResult, Unmapped, import_pdf
from ssdocs.forms.names import FieldRef, form_fields, item_fields
from ssdocs.forms.reading import MANIFEST_NAME, FilledForm, build_manifest, read_form
from ssdocs.forms.workbook import WorkbookInvalid, import_xlsx, read_workbook

__all__ = [
    "MANIFEST_NAME",
    "FieldRef",
    "FilledForm",
    "ImportResult",
    "Unmapped",
    "WorkbookInvalid",
    "build_manifest",
    "form_fields",
    "import_pdf",
    "import_xlsx",
    "item_fields",
    "read_form",
    "read_workbook",
]
