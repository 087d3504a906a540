"""The `policydiff` process ends without the interpreter's teardown, but with its output and exit handlers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import atexit, sys
from pathlib import Path
from policydiff.cli.app import main

log = Path(sys.argv[1])

class Witness:
    def __del__(self):  # runs when the interpreter tears the modules down
        with log.open("a") as f:
            f.write("teardown\\n")

witness = Witness()
atexit.register(lambda: log.open("a").write("exit handler\\n"))
sys.argv = ["policydiff", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize(
    ("args", "status", "stream", "expected"),
    [
        (["compare", "--help"], 0, "stdout", "REFERENCE"),
        (["compare", "no-such-document", "central-2021"], 2, "stderr", "policydiff: error:"),
    ],
)
def test_the_process_ends_with_its_output_and_exit_handlers_but_no_teardown(
    tmp_path: Path, args: list[str], status: int, stream: str, expected: str
) -> None:
    log = tmp_path / "log.txt"
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(log), *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == status, done.stderr
    assert expected in getattr(done, stream)
    assert log.read_text(encoding="utf-8") == "exit handler\n"
