"""The analysis cache is keyed by content: an edited corpus document is analysed again, never read stale."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from corpora_helpers import PAGES


def _verdicts(cli, folder: Path, out: Path) -> dict:  # type: ignore[no-untyped-def]
    r = cli("compare", "province", "central", "--corpus", str(folder), "--format", "json", "-o", str(out))
    assert r.code == 0, r.err
    return json.loads(out.read_text(encoding="utf-8"))


def test_an_edited_document_is_reanalysed(tmp_path: Path, cli, monkeypatch):
    # A cache of its own: the test counts the entries its own runs write.
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "c"
    for page, doc_id in (
        ("synthetic-central-policy.html", "central"),
        ("synthetic-province-disclosure.html", "province"),
    ):
        assert cli("corpus", "add", str(PAGES / page), "--id", doc_id, "--corpus", str(folder)).code == 0
    analysis = Path(os.environ["POLICYDIFF_CACHE_DIR"]) / "analysis"

    before = _verdicts(cli, folder, tmp_path / "before.json")
    labels = {v["target"][0]["heading"]: v["label"] for v in before["comparisons"][0]["verdicts"] if v["target"]}
    assert labels["推动数字化建设"] == "added"
    cached = set(analysis.glob("*.json"))
    assert _verdicts(cli, folder, tmp_path / "again.json") == before  # unchanged file: same result from the cache
    assert set(analysis.glob("*.json")) == cached

    # The researcher edits the province's clause （五） to say what the central one says.
    page = folder / "province.html"
    edited = (
        page.read_bytes()
        .decode("gb18030")
        .replace(
            "（五）推动数字化建设。建设全省统一的数字阅读平台，实现图书通借通还。",
            "（五）创新运营模式。鼓励社会力量参与运营，探索志愿服务与专业管理相结合的长效机制。",
        )
    )
    page.write_bytes(edited.encode("gb18030"))

    after = _verdicts(cli, folder, tmp_path / "after.json")
    assert after["target"]["sha256"] == hashlib.sha256(page.read_bytes()).hexdigest() != before["target"]["sha256"]
    labels = {v["target"][0]["heading"]: v["label"] for v in after["comparisons"][0]["verdicts"] if v["target"]}
    assert "推动数字化建设" not in labels and labels["创新运营模式"] == "retained"
    assert len(set(analysis.glob("*.json")) - cached) == 1  # the edited text got its own analysis entry
    # validate notices the edit too: the catalogue's sha256 no longer matches.
    r = cli("corpus", "validate", "--corpus", str(folder))
    assert r.code == 2 and r.out.startswith("province: province.html has changed")
