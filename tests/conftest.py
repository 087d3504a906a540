"""Shared fixtures: an isolated cache folder, the bundled catalogue, and a way to run the real CLI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache per test run: tests never touch the user's cache, and later tests reuse the analyses.

    Under pytest-xdist each worker has its own temp folder below the run's; the cache sits in the run's, so the
    bundled documents are analysed and compared once per run rather than once per worker (entries are written
    atomically, so workers filling it at once are safe).
    """
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "cache"


@pytest.fixture(scope="session", autouse=True)
def _session_isolated(session_cache_dir: Path) -> Iterator[None]:
    # Set before any module- or session-scoped fixture runs the engine, so none of them uses the user's cache.
    with pytest.MonkeyPatch.context() as m:
        m.setenv("POLICYDIFF_CACHE_DIR", str(session_cache_dir))
        m.delenv("POLICYDIFF_CORPUS", raising=False)
        yield


@pytest.fixture(autouse=True)
def _isolated(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, session_cache_dir: Path
) -> Iterator[None]:
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(session_cache_dir))
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


@pytest.fixture(scope="session")
def hunan_report(hunan, central, catalogue, session_cache_dir: Path):  # type: ignore[no-untyped-def]
    """Hunan compared with the central digest and Anhui, once per run (the CLI's runs then read the cache)."""
    from policydiff.compare import compare_documents
    from policydiff.compare.cache import Cache

    return compare_documents(hunan, [central, catalogue.load("anhui-2022")], cache=Cache(session_cache_dir))


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
