"""Fixtures the corpus tests share."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpora_helpers import CENTRAL


@pytest.fixture
def corpus(tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    """A corpus holding one document (the synthetic central policy as `synth-central`), made by a real add."""
    folder = tmp_path / "my-corpus"
    r = cli("corpus", "add", str(CENTRAL), "--id", "synth-central", "--corpus", str(folder))
    assert r.code == 0, r.err
    return folder
