"""The CI gate's policy: thresholds from ssdocs.toml / [tool.ssdocs] / options, and the one-line reasons."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ssdocs.errors import Problem, ValidationFailed

CONFIG_FILE = "ssdocs.toml"
# The policy's keys as written in the config file (the CLI options of the same names override them).
KEYS = {
    "fail-under": "fail_under",
    "max-drop": "max_drop",
    "no-new-critical": "no_new_critical",
    "min-completeness": "min_completeness",
}
# Rules that always apply (issue 18: a gate that cannot be dodged), with keys to tune them.
SAFETY_KEYS = {
    "max-waiver-months": "max_waiver_months",
    "allow-red-line-waiver": "allow_red_line_waiver",
    "allow-red-line-na": "allow_red_line_na",
}
DEFAULT_MAX_WAIVER_MONTHS = 12


@dataclass(frozen=True)
class Policy:
    """What makes `ssdocs check` fail; a threshold of None is not applied."""

    fail_under: float | None = None  # the overall score must reach this (0-100)
    max_drop: float | None = None  # points the overall score may fall since the previous year
    no_new_critical: bool = False  # no red line may fail that did not fail the previous year
    min_completeness: float | None = None  # percent of items answered (value, N/A or waiver)
    # A waiver may run at most this many months past the assessment date.
    max_waiver_months: int = DEFAULT_MAX_WAIVER_MONTHS
    allow_red_line_waiver: bool = False  # a waiver on a red line (critical item) fails unless true
    allow_red_line_na: bool = False  # N/A on a red line fails unless true
    source: str | None = None  # the config file it came from, if any

    def merged(self, **overrides: Any) -> Policy:
        """This policy with every override that is not None (CLI options win over the file)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def rules(self) -> list[str]:
        """The active rules, as their config-file names."""
        return [key for key, attr in KEYS.items() if getattr(self, attr) not in (None, False)]

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, attr) for key, attr in KEYS.items()}


def find_config(folder: Path) -> tuple[Path, tuple[str, ...]] | None:
    """ssdocs.toml, else a pyproject.toml with a [tool.ssdocs] table, in `folder`."""
    own = folder / CONFIG_FILE
    if own.is_file():
        return own, ()
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            return None  # not ours to judge; a broken pyproject without [tool.ssdocs] is ignored
        if isinstance(data.get("tool"), dict) and "ssdocs" in data["tool"]:
            return pyproject, ("tool", "ssdocs")
    return None


def load_policy(config: Path | None = None, folder: Path | None = None) -> Policy:
    """The policy from `config` (ssdocs.toml, or pyproject.toml's [tool.ssdocs]) or found in `folder`.

    In ssdocs.toml the keys sit in a [check] table; in pyproject.toml in [tool.ssdocs.check].
    No config file gives the empty policy (nothing fails but invalid input).
    """
    if config is not None:
        if not config.is_file():
            raise ValidationFailed([Problem(str(config), 0, 0, "", "config file not found")])
        table: tuple[str, ...] = ("tool", "ssdocs") if config.name == "pyproject.toml" else ()
        return _read(config, table)
    found = find_config(folder if folder is not None else Path())
    return _read(*found) if found else Policy()


def _read(path: Path, table: tuple[str, ...]) -> Policy:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed([Problem(name, 0, 0, "", "expected UTF-8 text")]) from None
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11-3.13 give the position only inside the message: "... (at line 2, column 12)".
        at = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(at.group(1)), int(at.group(2))) if at else (0, 0)
        message = str(exc).split(" (at line")[0].split(" (at end of document)")[0]
        raise ValidationFailed([Problem(name, line, column, "", f"invalid TOML: {message}")]) from None
    prefix = ".".join(table)
    for key in table:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    problems: list[Problem] = []
    where = (prefix + "." if prefix else "")
    for key in data:
        if key != "check":
            problems.append(_problem(name, text, key, f"{where}{key}", f"unknown key {key!r} (expected: check)"))
    check = data.get("check", {})
    if not isinstance(check, dict):
        problems.append(_problem(name, text, "check", f"{where}check", "expected a table: [check]"))
        check = {}
    values: dict[str, Any] = {}
    known = {**KEYS, **SAFETY_KEYS}
    for key, value in check.items():
        dotted = f"{where}check.{key}"
        attr = known.get(key)
        if attr is None:
            hint = difflib.get_close_matches(key.replace("_", "-"), list(known), n=1, cutoff=0.6)
            problems.append(_problem(name, text, key, dotted, f"unknown key {key!r}"
                                     + (f"; did you mean {hint[0]!r}?" if hint else "")
                                     + f" (expected one of: {', '.join(known)})"))
        elif attr == "max_waiver_months":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
                problems.append(_problem(name, text, key, dotted,
                                         f"expected a whole number of months from 0 to 120, got {value!r}"))
            else:
                values[attr] = value
        elif attr in ("no_new_critical", "allow_red_line_waiver", "allow_red_line_na"):
            if not isinstance(value, bool):
                problems.append(_problem(name, text, key, dotted, f"expected true or false, got {value!r}"))
            values[attr] = value
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(_problem(name, text, key, dotted, f"expected a number, got {value!r}"))
        elif not 0 <= value <= 100:
            problems.append(_problem(name, text, key, dotted, f"expected a number from 0 to 100, got {value!r}"))
        else:
            values[attr] = float(value)
    if problems:
        raise ValidationFailed(problems)
    return Policy(source=name, **values)


def _problem(file: str, text: str, key: str, dotted: str, message: str) -> Problem:
    """A problem located at the line where `key` is assigned (tomllib gives no positions)."""
    pattern = re.compile(rf"^\s*(\"?{re.escape(key)}\"?)\s*=|^\s*\[+\s*[\w.\"]*{re.escape(key)}\"?\s*\]+")
    for number, line in enumerate(text.splitlines(), start=1):
        match = pattern.search(line)
        if match:
            return Problem(file, number, len(line) - len(line.lstrip()) + 1, dotted, message)
    return Problem(file, 0, 0, dotted, message)


def policy_fields() -> list[str]:
    return [f.name for f in fields(Policy) if f.name != "source"]
