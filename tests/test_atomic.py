"""Atomic outputs: a failed or killed run leaves the old file or none, never a partial one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from conftest import MINI_ASSESSMENT, MINI_CHECKLIST
from ssdocs.cli import (
    cli,
    commands,  # noqa: F401  (registers every command)
)
from ssdocs.core import files
from ssdocs.core.files import write_bytes, write_text
from ssdocs.errors import OutputError, UnsafeResource

OLD = b"%PDF-1.7 the old, complete report\n"


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    target = tmp_path / "out" / "demo-2024.pdf"
    target.parent.mkdir()
    target.write_bytes(OLD)
    return target


def test_write_bytes_replaces_whole_file(old_file: Path) -> None:
    assert write_bytes(old_file, b"new") == old_file
    assert old_file.read_bytes() == b"new"
    assert listing(old_file.parent) == ["demo-2024.pdf"]
    assert oct(old_file.stat().st_mode & 0o777) == "0o644"


@pytest.mark.parametrize("step", ["fsync", "replace", "write"])
def test_failure_midway_keeps_the_old_file(old_file: Path, step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data is half written, or written but not renamed, when the writer fails."""
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if step == "write":
        real_fdopen = os.fdopen

        def half_writer(fd: int, mode: str = "r", *args: object) -> object:
            handle = real_fdopen(fd, mode)

            class Half:
                def __enter__(self) -> Half:
                    return self

                def __exit__(self, *exc: object) -> None:
                    handle.close()

                def write(self, data: bytes) -> None:
                    handle.write(data[: len(data) // 2])
                    handle.flush()
                    fail()

            return Half()

        monkeypatch.setattr(files.os, "fdopen", half_writer)
    else:
        monkeypatch.setattr(files.os, step, fail)
    with pytest.raises(OutputError) as info:
        write_bytes(old_file, b"x" * 100_000)
    assert str(info.value) == f"cannot write {old_file}: No space left on device"
    assert isinstance(info.value, OSError)  # callers catching OS errors still do
    assert old_file.read_bytes() == OLD
    assert listing(old_file.parent) == ["demo-2024.pdf"]


def test_failure_leaves_no_file_where_there_was_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files.os, "replace", lambda *a, **k: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(OutputError, match="I/O error"):
        write_text(tmp_path / "new" / "report.html", "<html>")
    assert listing(tmp_path / "new") == []


def test_unwritable_output_folder_is_a_user_error(tmp_path: Path) -> None:
    """`-o` under a file: a clear message and exit 2, not a traceback and exit 3."""
    (tmp_path / "afile").write_text("x")
    out = tmp_path / "afile" / "sub"
    result = CliRunner().invoke(cli, ["report", str(MINI_ASSESSMENT), "--checklists", str(MINI_CHECKLIST),
                                      "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: cannot write {out / 'demo-2024.pdf'}: Not a directory\n"
    schema = CliRunner().invoke(cli, ["schema", "-o", str(out)])
    assert (schema.exit_code, schema.stderr) == (
        2, f"Error: cannot write {out / 'checklist.schema.json'}: Not a directory\n")


def test_interrupt_cleans_up(old_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C (KeyboardInterrupt is a BaseException) during the write: the temporary file goes too."""
    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_bytes(old_file, b"new")
    assert listing(old_file.parent) == ["demo-2024.pdf"] and old_file.read_bytes() == OLD


def test_stale_parts_of_dead_writers_are_removed(old_file: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    stale = old_file.parent / f".demo-2024.pdf.{dead.stdout.strip()}.abc123.part"
    live = old_file.parent / f".demo-2024.pdf.{os.getpid()}.def456.part"  # a writer still at work
    other = old_file.parent / f".other.pdf.{dead.stdout.strip()}.abc123.part"  # not this target's
    for path in (stale, live, other):
        path.write_bytes(b"half")
    write_bytes(old_file, b"new")
    assert listing(old_file.parent) == sorted([live.name, other.name, "demo-2024.pdf"])


def test_report_that_fails_to_render_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A render refused midway (e.g. an unsafe resource): the old report and action plan stay as they were."""
    from ssdocs.render import pdf

    out = tmp_path / "out"
    out.mkdir()
    (out / "demo-2024.pdf").write_bytes(OLD)
    (out / "demo-2024-actions.csv").write_bytes(b"old,csv\n")

    def refuse(*args: object, **kwargs: object) -> bytes:
        raise UnsafeResource("refused to fetch file:///etc/passwd: outside ssdocs' own assets")

    monkeypatch.setattr(pdf, "render_pdf", refuse)
    result = CliRunner().invoke(cli, ["report", str(MINI_ASSESSMENT), "--checklists", str(MINI_CHECKLIST),
                                      "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == "Error: refused to fetch file:///etc/passwd: outside ssdocs' own assets\n"
    assert listing(out) == ["demo-2024-actions.csv", "demo-2024.pdf"]
    assert (out / "demo-2024.pdf").read_bytes() == OLD
    assert (out / "demo-2024-actions.csv").read_bytes() == b"old,csv\n"


CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path

    marker = Path(sys.argv[1])
    real_fsync = os.fsync

    def stall(fd):
        real_fsync(fd)
        marker.write_text(str(os.getpid()))  # the PDF is in its temporary file, not yet renamed
        time.sleep(600)

    os.fsync = stall
    from ssdocs.cli import main
    sys.argv = ["ssdocs", *sys.argv[2:]]
    main()
""")


def test_sigkill_during_report_leaves_old_files(tmp_path: Path) -> None:
    """`ssdocs report` killed with SIGKILL while writing: the old PDF is whole; the next run tidies up."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "demo-2024.pdf").write_bytes(OLD)
    (out / "demo-2024-actions.csv").write_bytes(b"old,csv\n")
    marker = tmp_path / "stalled"
    args = ["report", str(MINI_ASSESSMENT), "--checklists", str(MINI_CHECKLIST), "-o", str(out)]
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(marker), *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(1200):  # wait for the writer to stall (not a timing assertion: just a bound)
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), child.communicate(timeout=5)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert (out / "demo-2024.pdf").read_bytes() == OLD
    assert (out / "demo-2024-actions.csv").read_bytes() == b"old,csv\n"
    visible = [name for name in listing(out) if not name.startswith(".")]
    assert visible == ["demo-2024-actions.csv", "demo-2024.pdf"]
    leftovers = [name for name in listing(out) if name.startswith(".")]
    # SIGKILL cannot be cleaned up after: the hidden temporary file of the killed writer stays...
    assert len(leftovers) == 1 and leftovers[0].startswith(f".demo-2024.pdf.{child.pid}.")
    assert leftovers[0].endswith(".part")

    # ...until the next write of the same file removes it.
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert listing(out) == ["demo-2024-actions.csv", "demo-2024.pdf"]
    assert len(pypdf.PdfReader(out / "demo-2024.pdf").pages) > 1


def test_a_cache_entry_is_written_whole_without_searching_for_stale_parts(old_file: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache entries skip the fsync and the folder listing (a stray part in a cache is never read)."""
    monkeypatch.setattr(files.os, "fsync", lambda fd: pytest.fail("a cache entry is not synced"))
    stray = old_file.parent / ".entry.1.abc123.part"
    stray.write_bytes(b"half")
    write_bytes(old_file.parent / "entry", b"scored", cache_entry=True)
    assert (old_file.parent / "entry").read_bytes() == b"scored"
    assert stray.exists()
    assert sorted(listing(old_file.parent)) == sorted([stray.name, "demo-2024.pdf", "entry"])


def test_no_write_through_a_link_inside_the_output_root(tmp_path: Path) -> None:
    """Under `output_root(OUT)`, every folder below OUT is opened without following links; the file
    itself, if it is a link, is replaced (the link goes), never written through."""
    out, victim = tmp_path / "out", tmp_path / "victim"
    victim.mkdir()
    (victim / "secret").write_text("keep")
    (out / "a").mkdir(parents=True)
    (out / "a" / "b").symlink_to(victim)
    (out / "file.txt").symlink_to(victim / "secret")
    with files.output_root(out):
        with pytest.raises(files.PlantedLink) as info:
            write_text(out / "a" / "b" / "c" / "x.txt", "x")
        write_text(out / "file.txt", "new")
        write_text(out / "a" / "new" / "deeper" / "y.txt", "y")  # missing folders are created
    assert str(info.value) == (f"refused to write {out / 'a' / 'b' / 'c' / 'x.txt'}: {out / 'a' / 'b'} is a "
                               f"symbolic link or not a folder, inside the output folder {out}; remove it")
    assert sorted(p.name for p in victim.iterdir()) == ["secret"] and (victim / "secret").read_text() == "keep"
    assert not (out / "file.txt").is_symlink() and (out / "file.txt").read_text() == "new"
    assert (out / "a" / "new" / "deeper" / "y.txt").read_text() == "y"


def test_the_output_root_itself_may_be_a_link(tmp_path: Path) -> None:
    """The user names the output folder: a link there is their choice and is followed."""
    (tmp_path / "real").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "real")
    with files.output_root(tmp_path / "out"):
        write_text(tmp_path / "out" / "sub" / "x.txt", "x")
    assert (tmp_path / "real" / "sub" / "x.txt").read_text() == "x"
