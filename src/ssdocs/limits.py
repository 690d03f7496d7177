"""Every size limit on untrusted input in one place (YAML, PDF, workbooks, reports): the README lists them."""

from __future__ import annotations

# YAML files (answers, checklists, policies)
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000  # values after alias expansion: stops "billion laughs" documents
MAX_DEPTH = 64  # nesting levels

# PDF files (import-pdf, extract): read with pypdf under these limits, then walked by ssdocs with
# its own bounds on depth and count (a /Kids cycle, 10,000 attachments, a 74 MB attachment in 70 KB).
MAX_PDF_BYTES = 50 * 1024 * 1024  # the file itself
MAX_ATTACHMENTS = 64  # embedded files: a report has its assessment and one file per checklist
MAX_ATTACHMENT_BYTES = MAX_FILE_BYTES  # each, declared and decompressed (they are YAML or JSON files)
MAX_FORM_DEPTH = 16  # levels of /Kids in a form (ssdocs' own forms have 2)
MAX_FORM_FIELDS = 50_000  # fields and widgets visited

# ssdocs' cache (restored in CI from storage a pull request may influence): an entry decompresses
# to at most this many bytes, read with a bounded decompressor (a 1 MB zlib bomb is 1 GB unbounded).
MAX_CACHE_ENTRY_BYTES = 16 * 1024 * 1024

# Reports: WeasyPrint's time grows with the text it lays out. Past these, `ssdocs report` and
# `ssdocs batch` refuse an assessment up front (benchmarks/bounded_report.py: the largest accepted
# inputs render in under 60 s and 1 GB on 2 cores).
MAX_REPORT_ITEMS = 1_000  # items of the checklists a report covers (each is in the annex)
MAX_REPORT_TEXT = 150_000  # characters of notes, N/A reasons, evidence and waivers in one report
