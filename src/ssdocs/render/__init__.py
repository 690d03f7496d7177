"""Rendering: one Jinja environment, safe markdown, the URL policy, fonts and the PDF writer.

Only `ssdocs.render.pdf` imports WeasyPrint; importing this package does not.
"""
