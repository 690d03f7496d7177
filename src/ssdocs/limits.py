"""Every size limit on untrusted input in one place (YAML, PDF, workbooks, reports): the README lists them."""

from __future__ import annotations

# YAML files (answers, checklists, policies)
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000  # values after alias expansion: stops "billion laughs" documents
MAX_DEPTH = 64  # nesting levels
