"""Imports every command module so each registers its commands on the group."""

from ssdocs.cli import batch, core, history, lint, questionnaire, report  # noqa: F401
