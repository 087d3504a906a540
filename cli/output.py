"""Where results go: rich consoles for the terminal, atomic file writes for exports."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console


def stdout_console() -> Console:
    # rich already honours NO_COLOR, COLUMNS and a non-TTY stdout (plain text, no escape codes).
    return Console(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def write_output(data: bytes, output: Path | None) -> None:
    """Write an export to a file atomically, or to standard output."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from policydiff.compare.cache import atomic_write
    from policydiff.compare.errors import InputError

    try:
        atomic_write(output, data)
    except OSError as exc:
        raise InputError(output, f"cannot write output ({exc.strerror or exc})") from None
