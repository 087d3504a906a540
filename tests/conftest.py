"""Shared fixtures: an isolated cache folder, the bundled catalogue, and a way to run the real CLI."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # One cache per test session: tests never touch the user's cache, and later tests reuse the analysis.
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("POLICYDIFF_CORPUS", raising=False)
    # Each test gets its own user data folder, so the default corpus of `corpus add` starts empty.
    monkeypatch.setenv("POLICYDIFF_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("NO_COLOR", "1")
    yield


@pytest.fixture(scope="session")
def catalogue():  # type: ignore[no-untyped-def]
    from policydiff.corpora import Catalogue

    return Catalogue()


@pytest.fixture(scope="session")
def hunan(catalogue):  # type: ignore[no-untyped-def]
    return catalogue.load("hunan-2021")


@pytest.fixture(scope="session")
def central(catalogue):  # type: ignore[no-untyped-def]
    return catalogue.load("central-2021")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsysbinary: pytest.CaptureFixture[bytes]):  # type: ignore[no-untyped-def]
    """Run `policydiff ARGS…` in-process through the real entry point."""
    from policydiff.cli.app import main

    def invoke(*args: str) -> CliResult:
        capsysbinary.readouterr()
        code = main(list(args))
        captured = capsysbinary.readouterr()
        return CliResult(code, captured.out.decode("utf-8"), captured.err.decode("utf-8"))

    return invoke
