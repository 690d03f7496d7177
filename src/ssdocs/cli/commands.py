"""Imports every command module at once (for tests and tools that walk all commands)."""

from ssdocs.cli import batch, core, history, lint, questionnaire, report, rollup  # noqa: F401
