"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def checklists_option(func: F) -> F:
    """--checklists: use these checklist files or folders instead of the shipped ones."""
    return click.option(
        "--checklists",
        "checklist_sources",
        multiple=True,
        type=click.Path(exists=True, path_type=Path),
        help="Checklist file or folder to use instead of the shipped checklists (repeatable).",
    )(func)


def lang_option(default: str = "zh", both: bool = True) -> Callable[[F], F]:
    choices = ["zh", "en", "both"] if both else ["zh", "en"]
    return click.option(
        "--lang",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Language: Chinese, English" + (", or both (English under Chinese)." if both else "."),
    )


def echo_notes(notes: Iterable[str]) -> None:
    """The located warnings of a command (the years left out of a history), on stderr, the same way
    in every command."""
    for note in notes:
        click.echo(f"warning: {note}", err=True)
