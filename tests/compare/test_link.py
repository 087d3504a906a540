"""policydiff link: stated links first (data card, 贯彻落实《…》), then retrieval among higher-level, earlier
documents; --save writes the links into the catalogue."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from study_helpers import perturbed

CENTRAL_TITLE = "中共中央 国务院关于新时代推动中部地区高质量发展的意见"
DOCS = (
    # id, title, level, date, implements
    ("synthetic-link-card", "示例省实施意见（合成）", "provincial", "2021-09-01", "central-2021"),
    (
        "synthetic-link-named",
        f"样本省关于贯彻落实《{CENTRAL_TITLE}》的实施意见（合成）",
        "provincial",
        "2021-10-01",
        "",
    ),
    ("synthetic-link-city", "示例市实施方案（合成）", "prefectural", "2022-02-01", ""),
    ("synthetic-link-early", "甲市实施方案（合成）", "prefectural", "2020-01-01", ""),
)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    tables = []
    for doc_id, title, level, date, implements in DOCS:
        # Close to hunan-2021, so retrieval has something to find, but not naming the document it implements.
        data = re.sub(r"《[^》]*》", "", perturbed("湖南", 6)).encode("utf-8")
        (tmp_path / f"{doc_id}.md").write_bytes(data)
        tables.append(
            f'[[document]]\nid = "{doc_id}"\ntitle = "{title}"\nfile = "{doc_id}.md"\nkind = "full"\n'
            f'level = "{level}"\ndate = "{date}"\nformat = "newspage"\nsha256 = "{hashlib.sha256(data).hexdigest()}"\n'
            + (f'implements = ["{implements}"]\n' if implements else "")
        )
    (tmp_path / "catalogue.toml").write_text("\n".join(tables), encoding="utf-8")
    return tmp_path


def _best(links) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    out: dict[str, tuple[str, str]] = {}
    for link in links:
        out.setdefault(link.document, (link.implements, link.method))
    return out


def test_stated_links_then_retrieval_within_level_and_date(corpus: Path) -> None:
    from policydiff.compare.link import link_corpus

    best = _best(link_corpus([corpus]).links)
    assert best["synthetic-link-card"] == ("central-2021", "metadata")
    assert best["synthetic-link-named"] == ("central-2021", "text")
    assert best["hunan-2021"] == ("central-2021", "metadata")
    # A city's text is closest to the provincial documents (same seed) dated before it: never to itself or a
    # lower level, and never to one dated after it.
    implemented, method = best["synthetic-link-city"]
    assert method == "retrieval" and implemented in {"hunan-2021", "synthetic-link-card", "synthetic-link-named"}
    # Dated before every higher-level document: nothing it can implement.
    assert "synthetic-link-early" not in best


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policydiff.cli.app", *args], capture_output=True, text=True)


def test_formats_and_save(corpus: Path) -> None:
    as_json = json.loads(_cli("link", "--corpus", str(corpus), "--format", "json").stdout)
    rows = list(
        csv.DictReader(io.StringIO(_cli("link", "--corpus", str(corpus), "--format", "csv").stdout.lstrip("\ufeff")))
    )
    assert [r["document"] for r in rows] == [r["document"] for r in as_json]
    assert {"document", "implements", "confidence", "method", "reason"} <= set(rows[0])
    done = _cli("link", "--corpus", str(corpus), "--save", "--format", "json")
    assert done.returncode == 0, done.stderr
    from policydiff.corpora.catalogue import read_catalogue

    entries = {e.id: e for e in read_catalogue(corpus)}
    assert entries["synthetic-link-named"].implements == ("central-2021",)
    assert entries["synthetic-link-city"].implements
    assert entries["synthetic-link-early"].implements == ()
    assert _cli("corpus", "validate", "--corpus", str(corpus)).returncode == 0
