"""The command line: click commands only; the one place that prints and exits."""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import Any

import click

from ssdocs import __version__
from ssdocs.core.process import tune_gc
from ssdocs.errors import SsdocsError, ValidationFailed

EXIT_CODES = """\b
Exit codes:
  0  success
  1  policy failed (check: score too low, fell too far, new red line, incomplete)
  2  invalid input or usage (every problem is printed with file:line:column)
  3  internal error (a bug: please report it with the --debug output)
  141  the reader of stdout went away first (`ssdocs … | head -1`): stopped quietly"""


# Which module defines each command: only the invoked command's module is imported, so that
# `ssdocs validate` does not pay for WeasyPrint, pypdf and the report code.
COMMAND_MODULES = {
    "batch": "ssdocs.cli.batch",
    "check": "ssdocs.cli.history",
    "doctor": "ssdocs.cli.report",
    "extract": "ssdocs.cli.report",
    "import-pdf": "ssdocs.cli.questionnaire",
    "import-xlsx": "ssdocs.cli.questionnaire",
    "lint": "ssdocs.cli.lint",
    "questionnaire": "ssdocs.cli.questionnaire",
    "report": "ssdocs.cli.report",
    "rollup": "ssdocs.cli.rollup",
    "schema": "ssdocs.cli.core",
    "score": "ssdocs.cli.core",
    "trend": "ssdocs.cli.history",
    "validate": "ssdocs.cli.core",
}


class Group(click.Group):
    """Loads commands lazily; turns every SsdocsError into a located message and its exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(COMMAND_MODULES[cmd_name])  # registers it with @cli.command()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.secho(exc.summary, fg="red", err=True)
            _debug_trace(ctx)
            sys.exit(exc.exit_code)
        except SsdocsError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            _debug_trace(ctx)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # `ssdocs … | head -1`: the reader has gone; stop quietly
            _silence_stdout()
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(traceback.format_exc(), err=True)
            click.secho("Internal error: this is a bug in ssdocs; please report it with the output above.",
                        fg="red", err=True)
            sys.exit(3)


EXIT_BROKEN_PIPE = 141  # what a shell reports for a tool that SIGPIPE ended (128 + 13)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit cannot raise BrokenPipeError again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _debug_trace(ctx: click.Context) -> None:
    if ctx.obj and ctx.obj.get("debug"):
        click.echo(traceback.format_exc(), err=True)


@click.group(cls=Group, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="ssdocs")
@click.option("--debug", is_flag=True, help="Show the traceback behind an error.")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write ssdocs' cache of validated checklists and scored "
                   "assessments (also: SSDOCS_NO_CACHE=1).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, no_cache: bool) -> None:
    """ssdocs: 社会保障基金安全规范检查表、问卷与评分报告 / social-security fund supervision
    checklists, questionnaires and scored reports."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    from ssdocs.loading import cache

    if no_cache:
        # The switch for this process, the environment for the worker processes it spawns (batch);
        # both undone when the command ends, so a library caller's next call is cached again.
        cache.set_enabled(False)
        previous = os.environ.get("SSDOCS_NO_CACHE")
        os.environ["SSDOCS_NO_CACHE"] = "1"
        ctx.call_on_close(lambda: _restore_no_cache(previous))


def _restore_no_cache(previous: str | None) -> None:
    from ssdocs.loading import cache

    cache.set_enabled(True)
    if previous is None:
        os.environ.pop("SSDOCS_NO_CACHE", None)
    else:
        os.environ["SSDOCS_NO_CACHE"] = previous


def main() -> None:
    """Console-script entry point."""
    tune_gc()
    try:
        cli(prog_name="ssdocs")
    finally:
        # The command has finished and chosen its exit code; output still buffered for a reader
        # that has gone (`ssdocs check | head -1`) is dropped without a traceback, code unchanged.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
