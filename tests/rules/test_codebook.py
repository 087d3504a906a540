"""Codebooks and strength tables as data: the bundled ones load, a broken one names the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff.corpora.errors import ConfigError
from policydiff.corpora.model import DocumentInfo
from policydiff.rules.codebook import CODEBOOKS, load_codebook, load_strength_table
from policydiff.rules.strength import policy_strength

GOOD = """\
name = "synthetic scheme"

[[type]]
id = "push"
label = "推"

[[subtype]]
id = "money"
type = "push"
label = "钱"
keywords = ["资金"]
"""


def test_bundled_codebook_is_rothwell_zegveld():
    book = load_codebook()
    assert [t.id for t in book.types] == ["supply", "environment", "demand"]
    assert [t.label for t in book.types] == ["供给型", "环境型", "需求型"]
    assert len(book.subtypes) == 17
    assert {s.type for s in book.subtypes} == {"supply", "environment", "demand"}
    assert book.file == "bundled/codebooks/rothwell-zegveld.toml"


def test_the_example_codebook_loads_with_its_own_types():
    book = load_codebook(CODEBOOKS / "mcdonnell-elmore.toml")
    assert [t.id for t in book.types] == ["mandate", "inducement", "capacity", "system_change"]


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (('type = "push"\nlabel = "钱"', 'type = "pull"\nlabel = "钱"'), 9, "unknown type 'pull'"),
        (('keywords = ["资金"]', 'keywords = ["资金"]\npatterns = ["(资金"]'), 12, "invalid regular expression"),
        (('keywords = ["资金"]', 'keyword = ["资金"]'), 11, "unknown key 'keyword'"),
        (('keywords = ["资金"]', "keywords = []"), 8, "needs keywords or patterns"),
        (('label = "钱"', 'label = "钱"\npriority = 12'), 8, "priority"),
        (('name = "synthetic scheme"', 'name = "synthetic scheme'), 1, "invalid TOML"),
    ],
)
def test_a_broken_codebook_names_the_file_and_line(tmp_path: Path, change: tuple[str, str], line: int, message: str):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_codebook(path)
    text = str(info.value)
    assert str(path) in text and message in text
    assert f":{line}:" in text or f"line {line}" in text


STOCK = '\n[[stock]]\nid = "boiler"\npatterns = ["为指导"]\n'


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (GOOD + STOCK.replace('["为指导"]', "[]"), 14, "stock formula 'boiler' needs patterns"),
        (GOOD + STOCK.replace("为指导", "(为指导"), 15, "invalid regular expression in 'boiler'"),
        (GOOD + STOCK.replace("patterns =", "pattern ="), 15, "unknown key 'pattern' in [[stock]]"),
        (GOOD + STOCK.replace('"boiler"', '"Boiler X"'), 14, "stock id 'Boiler X' must be lower-case"),
        (GOOD + STOCK + STOCK, 14, "stock 'boiler' is defined twice"),
        (GOOD.replace('name = "synthetic scheme"', 'name = "synthetic scheme"\nignore = ["(委"]'), 2, "in ignore"),
        (GOOD.replace('name = "synthetic scheme"', 'name = "synthetic scheme"\nignore = "委"'), 2, "ignore must be"),
    ],
    ids=["no-patterns", "bad-regex", "unknown-key", "bad-id", "twice", "bad-ignore", "ignore-not-a-list"],
)
def test_a_broken_stock_formula_or_ignore_list_names_the_line(tmp_path: Path, text: str, line: int, message: str):
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_codebook(path)
    assert str(info.value).startswith(f"{path}:{line}: ") and message in str(info.value)


def test_a_researchers_own_stock_formulae_and_ignore_list_are_used(tmp_path: Path):
    from policydiff.compare.coding import code_text, stock_formula

    path = tmp_path / "mine.toml"
    text = GOOD.replace('name = "synthetic scheme"', 'name = "synthetic scheme"\nignore = ["资金科"]') + STOCK
    path.write_text(text, encoding="utf-8")
    book = load_codebook(path)
    assert [s.id for s in book.stock] == ["boiler"] and book.ignore == ("资金科",)
    assert stock_formula("以某思想为指导，安排资金。", book) == "boiler"
    assert code_text("以某思想为指导，安排资金。", book) == ()
    assert code_text("由资金科负责。", book) == ()  # the name of an office is masked
    assert [c.subtype for c in code_text("安排资金。", book)] == ["money"]


def test_a_codebook_without_strength_rows_uses_the_bundled_table(tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_codebook(path).strength.file == "bundled/codebooks/strength.toml"
    path.write_text(GOOD + '\n[[strength]]\nscore = 7\nlabel = "mine"\ndoc_types = ["通知"]\n', encoding="utf-8")
    table = load_codebook(path).strength
    info = DocumentInfo(id="synthetic-notice", title="关于做好某项工作的通知", level="county")
    assert policy_strength(info, table).score == 7


@pytest.mark.parametrize(
    ("title", "doc_type", "level", "score"),
    [
        ("某某法", "法", "central", 5),
        ("某某条例", "条例", "central", 4),
        ("某某意见", "意见", "central", 2),
        ("关于做好某项工作的通知", "", "central", 1),
        ("某省某某条例", "", "provincial", 3),
        ("关于某事的实施意见", "", "provincial", 1),
    ],
)
def test_policy_strength_from_type_and_level(title: str, doc_type: str, level: str, score: int):
    info = DocumentInfo(id="synthetic", title=title, doc_type=doc_type, level=level)
    strength = policy_strength(info)
    assert strength.score == score
    assert "彭纪生" in strength.source


def test_a_document_of_unknown_type_is_unscored_not_guessed():
    assert policy_strength(DocumentInfo(id="x", title="某某讲话", level="central")).score is None


def test_the_strength_table_documents_its_source():
    table = load_strength_table()
    assert table.rules[0].score == 5 and "2008" in table.source
