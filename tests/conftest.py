"""Shared fixtures: paths to the sample files and a catalog of the mini checklist."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssdocs.loading.checklists import Catalog, load_checklists

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
MINI_CHECKLIST = FIXTURES / "mini-checklist.yaml"
MINI_ASSESSMENT = FIXTURES / "mini-assessment.yaml"


@pytest.fixture(scope="session")
def mini_catalog() -> Catalog:
    return load_checklists([MINI_CHECKLIST])
