"""The errors ssdocs raises; imports nothing from the rest of the package."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file: where, what was expected, what arrived."""

    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    path: str  # dotted location inside the document, e.g. "answers.REC-03.value"
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class SsdocsError(Exception):
    """Base class of every error a user can cause; the CLI turns it into a message and exit 2."""

    exit_code = 2


class ValidationFailed(SsdocsError):
    """One or more input files are invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.path))
        files = {p.file for p in self.problems}
        n = len(self.problems)
        super().__init__(
            f"{n} error{'s' if n != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}"
        )

    def __str__(self) -> str:
        return "\n".join([*(str(p) for p in self.problems), self.summary])

    @property
    def summary(self) -> str:
        return f"Aborted with {self.args[0]}"


class UnsafeResource(SsdocsError):
    """Rendering tried to reach a resource outside the package's own assets."""


class MissingFonts(SsdocsError):
    """No CJK font is installed, so Chinese would render as boxes."""


class OutputError(SsdocsError):
    """An output path is unusable: outside the output folder, already there without --force, …"""
