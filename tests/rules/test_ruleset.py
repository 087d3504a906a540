"""Rule files: loading, a researcher's extra folder, validation errors that name file and line, `rules list`."""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff.corpora.errors import ConfigError
from policydiff.rules.ruleset import RULE_FILES, load_rules


def test_bundled_rules_hold_every_kind_of_rule():
    rules = load_rules()
    assert {f.name for f in rules.rule_files} == set(RULE_FILES)
    assert "长株潭" in rules.user_words and "三高四新" in rules.user_words and "揭榜挂帅" in rules.user_words
    assert any(g.canonical == "本地区" and "中部地区" in g.words and "我省" in g.words for g in rules.scope)
    assert any(t.name == "碳达峰碳中和" for t in rules.topics)
    assert rules.formulae and rules.targets and rules.places and rules.directives


def test_an_extra_folder_adds_rules_and_changes_the_fingerprint(tmp_path: Path):
    (tmp_path / "topics.toml").write_text('[[topic]]\nname = "低空经济"\nkeywords = ["低空", "通用航空"]\n', "utf-8")
    base, extra = load_rules(), load_rules([tmp_path])
    assert extra.topics[-1].name == "低空经济"
    assert extra.fingerprint != base.fingerprint
    assert extra.sources == ("bundled", str(tmp_path))


@pytest.mark.parametrize(
    ("name", "content", "line", "message"),
    [
        ("formulae.toml", 'weight = 0.1\n\n[[formula]]\nname = "x"\npattern = "以(为指导"\n', 5, "invalid regular"),
        ("places.toml", '[[places]]\nkind = "town"\nnames = ["甲市"]\n', 2, "kind must be"),
        ("directives.toml", '[[level]]\nstrength = 9\nwords = ["要"]\n', 2, "strength must be"),
        ("topics.toml", '[[topic]]\nname = "空"\nkeywords = []\n', 2, "non-empty list"),
        ("scope.toml", "[[scope]\n", 1, "invalid TOML"),
    ],
)
def test_invalid_rule_files_name_the_file_and_line(tmp_path: Path, name: str, content: str, line: int, message: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules([tmp_path])
    text = str(err.value)
    assert text.startswith(str(path))
    assert message in text
    assert f"{path}:{line}:" in text or f"line {line}" in text


def test_unknown_rule_file_is_refused(tmp_path: Path):
    (tmp_path / "misc.toml").write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown rule file"):
        load_rules([tmp_path])


def test_rules_list_shows_each_file(cli, tmp_path: Path):
    (tmp_path / "lexicon.toml").write_text('[userdict]\nwords = ["示例词"]\n[stopwords]\nwords = []\n', "utf-8")
    r = cli("rules", "list", "--rules", str(tmp_path))
    assert r.code == 0, r.err
    for name in RULE_FILES:
        assert name in r.out
    assert r.out.count("lexicon.toml") == 2  # the bundled one and the researcher's


def test_rules_list_reports_a_bad_folder_in_one_line(cli, tmp_path: Path):
    r = cli("rules", "list", "--rules", str(tmp_path / "nope"))
    assert r.code == 2 and r.err.count("\n") == 1 and "rules folder not found" in r.err
