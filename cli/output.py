"""Where results go: rich consoles for the terminal, atomic file writes for exports."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console, RenderableType

DEFAULT_PAGER = "less -FRX"


def stdout_console() -> Console:
    # rich already honours NO_COLOR, COLUMNS and a non-TTY stdout (plain text, no escape codes).
    return Console(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def show(renderables: Sequence[RenderableType], pager: bool = True) -> None:
    """Print to the terminal; output taller than the screen goes through the user's pager (`PAGER`, default
    `less -FRX`) unless `pager` is off. Never pages when stdout is not a terminal."""
    console = stdout_console()
    if not pager or not console.is_terminal:
        for r in renderables:
            console.print(r)
        return
    with console.capture() as capture:
        for r in renderables:
            console.print(r)
    text = capture.get()
    command = os.environ.get("PAGER", "").strip() or DEFAULT_PAGER
    if text.count("\n") < console.height or command == "cat":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        subprocess.run(shlex.split(command), input=text.encode("utf-8"), check=False)
    except OSError:  # no such pager: print as if there were none
        sys.stdout.write(text)
        sys.stdout.flush()


def print_lines(lines: Sequence[str]) -> None:
    """Plain lines for a pipe: no colour, no wrapping, no box drawing, whatever COLUMNS says."""
    out = sys.stdout
    for line in lines:
        out.write(line + "\n")
    out.flush()


def write_output(data: bytes, output: Path | None) -> None:
    """Write an export to a file atomically, or to standard output."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from policydiff.corpora.atomic import atomic_write
    from policydiff.corpora.errors import InputError

    try:
        atomic_write(output, data)
    except OSError as exc:
        raise InputError(output, f"cannot write output ({exc.strerror or exc})") from None


class progress_on_stderr:
    """A progress bar on stderr for runs of several comparisons; nothing when stderr is not a terminal.

    Use as a context manager; the value it gives is the library's `progress` callback (called with the id of
    each document as its comparison starts).
    """

    def __init__(self, total: int, what: str) -> None:
        self.total = total
        self.what = what
        self._progress = None
        self._task = None
        self._started = 0

    def __enter__(self):  # type: ignore[no-untyped-def]
        console = stderr_console()
        if not console.is_terminal:
            return None
        if self.total < 2:
            self._status = console.status(f"{self.what}…", spinner="dots")
            self._status.__enter__()
            return self._name
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._progress.__enter__()
        self._task = self._progress.add_task(self.what, total=self.total)
        return self._advance

    def _name(self, doc_id: str) -> None:
        if getattr(self, "_status", None) is not None:
            self._status.update(f"{self.what} {doc_id}…")

    def _advance(self, doc_id: str) -> None:
        assert self._progress is not None and self._task is not None
        self._progress.update(self._task, completed=self._started, description=f"{self.what} {doc_id}")
        self._started += 1

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=self.total)  # type: ignore[arg-type]
            self._progress.__exit__(None, None, None)
        elif getattr(self, "_status", None) is not None:
            self._status.__exit__(None, None, None)
