"""The package as a newcomer gets it: the wheel's contents, README's promises, CI's command."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_COMMAND = "python3 -m pip install '.[test]' && python3 -m pytest"


def test_readme_opens_with_the_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block is not None and readme.index("```sh") < readme.index("\n## ")
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["python3 -m pip install . && policydiff compare hunan-2021 central-2021", TEST_COMMAND]
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _readme_subcommands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found: list[list[str]] = []
    for line in readme.splitlines():
        m = re.match(r"^\s*policydiff ((?:corpus|rules) [a-z]+|[a-z]+)\b", line)
        if m and m.group(1).split() not in found:
            found.append(m.group(1).split())
    return found


@pytest.mark.parametrize("words", _readme_subcommands(), ids=" ".join)
def test_every_command_readme_shows_exists(cli, words):
    r = cli(*words, "--help")
    assert r.code == 0, r.err


def test_wheel_installs_only_the_policydiff_package_with_its_data(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("policydiff-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"policydiff"}
    for needed in (
        "policydiff/corpora/bundled/catalogue.toml",
        "policydiff/corpora/bundled/hunan-2021-sina.md",
        "policydiff/corpora/bundled/central-2021.digest.txt",
        "policydiff/corpora/bundled/anhui-2022.meta.toml",
        "policydiff/rules/data/lexicon.toml",
        "policydiff/cli/app.py",
        "policydiff/compare/py.typed",
    ):
        assert needed in names
