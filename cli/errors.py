"""The one error funnel: every user error becomes `policydiff: error: …` on stderr and an exit status."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Sequence

from policydiff.corpora.errors import PolicydiffError


class ExitStatus(enum.IntEnum):
    OK = 0
    ERROR = 1  # an unexpected failure (a bug): traceback shown
    USAGE = 2  # bad arguments, bad input files, unknown ids: one line, no traceback
    INTERRUPTED = 130


def error_line(message: str) -> None:
    first = " ".join(str(message).split("\n")[0].split())
    sys.stderr.write(f"policydiff: error: {first}\n")


def warning_line(message: str) -> None:
    """A problem the run works around (it still succeeds): one line on stderr."""
    first = " ".join(str(message).split("\n")[0].split())
    sys.stderr.write(f"policydiff: warning: {first}\n")


def note_line(message: str) -> None:
    """What a report says about a comparison when its rows go to a pipe: one line on stderr."""
    first = " ".join(str(message).split("\n")[0].split())
    sys.stderr.write(f"policydiff: note: {first}\n")


def run(invoke: Callable[[Sequence[str] | None], object], argv: Sequence[str] | None) -> int:
    """Call the command line; usage errors are typer's (exit 2), input errors ours (exit 2)."""
    try:
        invoke(argv)
    except SystemExit as exc:  # typer's standalone mode ends every run this way
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else ExitStatus.USAGE)
    except PolicydiffError as exc:
        error_line(str(exc))
        return ExitStatus.USAGE
    except KeyboardInterrupt:
        sys.stderr.write("policydiff: interrupted\n")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        return ExitStatus.OK
    return ExitStatus.OK
