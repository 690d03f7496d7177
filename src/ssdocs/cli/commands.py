"""Imports every command module so each registers its commands on the group."""

from ssdocs.cli import core  # noqa: F401
from ssdocs.cli import lint  # noqa: F401
from ssdocs.cli import history  # noqa: F401
from ssdocs.cli import report  # noqa: F401
from ssdocs.cli import questionnaire  # noqa: F401
from ssdocs.cli import batch  # noqa: F401
