"""A codebook's examples: hand-coded sentences choose the primary instrument among the codes the keywords give,
code what no keyword reaches, leave stock formulae alone; the examples file is validated with line numbers and
is part of the codebook's fingerprint. A small synthetic scheme and our own sentences throughout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policydiff.compare.coding import BY_EXAMPLES, BY_KEYWORDS, code_text
from policydiff.compare.learned import first_clause, train
from policydiff.corpora.errors import ConfigError
from policydiff.rules.codebook import load_codebook

SCHEME = """name = "synthetic push–pull scheme"
min_score = 1
{examples}

[[type]]
id = "push"
label = "推动型"

[[type]]
id = "pull"
label = "拉动型"

[[subtype]]
id = "money"
type = "push"
label = "资金"
keywords = ["资金"]

[[subtype]]
id = "buying"
type = "pull"
label = "采购"
priority = 2
keywords = ["采购"]

[[stock]]
id = "carry_out"
about = "the duty to carry a policy out"
patterns = ["^抓好[^，。；]*落实"]
"""

# Money first in every sentence that names both, so the examples teach what the priorities do not.
EXAMPLES = """document,path,text,type,subtype
synthetic,1#0,安排专项资金用于采购检测设备。,push,money
synthetic,1#1,统筹资金采购应急物资。,push,money
synthetic,1#2,设立引导资金支持企业采购新产品。,push,money
synthetic,1#3,给予一次性补助。,push,money
synthetic,1#4,对新建项目给予补助。,push,money
synthetic,1#5,按投资额给予补助。,push,money
synthetic,2#0,政府优先采购本地产品。,pull,buying
synthetic,2#1,扩大首购订购规模。,pull,buying
synthetic,2#2,机关单位带头采购绿色产品。,pull,buying
synthetic,3#0,大力宣传先进典型。,none,
synthetic,3#1,广泛宣传政策成效。,none,
synthetic,3#2,营造良好社会氛围。,none,
"""


def scheme(tmp_path: Path, examples: str | None = EXAMPLES, line: str = 'examples = "examples.csv"') -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    book = tmp_path / "scheme.toml"
    book.write_text(SCHEME.format(examples=line if examples is not None else ""), encoding="utf-8")
    if examples is not None:
        (tmp_path / "examples.csv").write_text(examples, encoding="utf-8")
    return book


def test_examples_choose_the_primary_among_the_keyword_codes(tmp_path: Path):
    sentence = "安排资金用于采购办公设备。"
    keywords = load_codebook(scheme(tmp_path / "a", examples=None))
    assert [c.subtype for c in code_text(sentence, keywords)] == ["buying", "money"]  # by priority
    learned = load_codebook(scheme(tmp_path / "b"))
    codes = code_text(sentence, learned)
    assert [c.subtype for c in codes] == ["money", "buying"]
    assert all(c.by == BY_KEYWORDS and c.matched for c in codes)  # the keywords still say why each code is there


def test_examples_code_what_no_keyword_reaches_and_may_say_no_measure(tmp_path: Path):
    book = load_codebook(scheme(tmp_path))
    (code,) = code_text("对改造项目给予补助。", book)
    assert (code.type, code.subtype, code.by, code.matched, code.score) == ("push", "money", BY_EXAMPLES, (), 0.0)
    assert code_text("广泛宣传先进典型。", book) == ()


def test_a_stock_formula_stays_uncoded_whatever_the_examples_say(tmp_path: Path):
    book = load_codebook(scheme(tmp_path))
    assert code_text("给予补助。", book) != ()
    assert code_text("抓好补助政策落实。", book) == ()


def test_training_is_deterministic_and_reads_the_first_clause(tmp_path: Path):
    book = load_codebook(scheme(tmp_path))
    assert book.examples is not None
    texts = ["安排资金用于采购办公设备。", "对改造项目给予补助。"]
    assert train(book.examples).scores(texts) == train(book.examples).scores(texts)
    assert first_clause("对企业，给予补助；另行规定。") == "对企业"


def test_the_examples_are_part_of_the_codebooks_fingerprint(tmp_path: Path):
    first = load_codebook(scheme(tmp_path))
    (tmp_path / "examples.csv").write_text(EXAMPLES + "synthetic,4#0,鼓励采购。,pull,buying\n", encoding="utf-8")
    second = load_codebook(tmp_path / "scheme.toml")
    assert first.sha256 != second.sha256
    assert second.describe()["examples"]["count"] == first.describe()["examples"]["count"] + 1
    assert load_codebook(scheme(tmp_path / "c", examples=None)).describe()["examples"] is None


@pytest.mark.parametrize(
    ("examples", "line", "message"),
    [
        (EXAMPLES + "synthetic,9#0,某句。,pushh,money\n", None, ":14: unknown type 'pushh'"),
        (EXAMPLES + "synthetic,9#0,某句。,pull,money\n", None, ":14: 'money' is no subtype of 'pull'"),
        (EXAMPLES + "synthetic,9#0,,push,money\n", None, ":14: an example needs its text"),
        ("document,text,kind\nsynthetic,某句。,push\n", None, ":1: examples need the columns"),
        ("text,type,subtype\n某句。,push,money\n", None, "at least two different codes"),
        (EXAMPLES, 'examples = "missing.csv"', "scheme.toml:3: cannot read examples 'missing.csv'"),
        (EXAMPLES, "examples = 3", "scheme.toml:3: examples must be the name of a CSV file"),
    ],
    ids=["unknown-type", "subtype-of-another-type", "no-text", "no-columns", "one-code", "no-file", "not-a-name"],
)
def test_bad_examples_name_the_file_and_line(tmp_path: Path, examples: str, line: str | None, message: str):
    path = scheme(tmp_path, examples, line or 'examples = "examples.csv"')
    with pytest.raises(ConfigError) as caught:
        load_codebook(path)
    assert message in str(caught.value)


def test_code_cli_exports_how_each_code_was_found(cli, tmp_path: Path):
    import jsonschema

    from policydiff.compare.export.coding import coding_json_schema

    book = scheme(tmp_path)
    doc = tmp_path / "synthetic-notice.md"
    doc.write_text(
        "# 某县关于支持企业的通知（合成文本）\n\n## 一、支持措施\n\n"
        "（一）资金支持。安排资金用于采购办公设备。对改造项目给予补助。\n",
        encoding="utf-8",
    )
    r = cli("code", str(doc), "--codebook", str(book), "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    jsonschema.validate(data, coding_json_schema())
    codes = [[(c["subtype"], c["by"]) for c in u["codes"]] for u in data["documents"][0]["units"]]
    assert codes == [[("money", "keywords"), ("buying", "keywords")], [("money", "examples")]]
    assert data["codebook"]["examples"]["count"] == 12
    terminal = cli("code", str(doc), "--codebook", str(book))
    assert terminal.code == 0 and terminal.out.count("by examples") == 1  # the one code no keyword gave

    (tmp_path / "examples.csv").write_text(EXAMPLES + "synthetic,9#0,某句。,pushh,money\n", encoding="utf-8")
    bad = cli("code", str(doc), "--codebook", str(book))
    assert bad.code == 2 and len(bad.err.splitlines()) == 1
    assert bad.err.startswith("policydiff: error: ") and "examples.csv:14: unknown type 'pushh'" in bad.err


OVERRIDING = """document,path,text,type,subtype
synthetic,5#0,用财政资金订购检测设备。,pull,buying
synthetic,5#1,以专项资金订购应急物资。,pull,buying
synthetic,5#2,统一订购本地新产品。,pull,buying
synthetic,5#3,定向订购首台设备。,pull,buying
synthetic,5#4,安排资金支持企业改造。,push,money
synthetic,5#5,设立资金池支持创业。,push,money
synthetic,5#6,广泛宣传政策成效。,none,
"""


@pytest.mark.parametrize(("override", "primary"), [("", ("buying", BY_EXAMPLES)), ("100", ("money", BY_KEYWORDS))])
def test_the_examples_override_the_keywords_only_by_a_clear_margin(
    tmp_path: Path, override: str, primary: tuple[str, str]
):
    line = 'examples = "examples.csv"' + (f"\nexamples_override = {override}" if override else "")
    book = load_codebook(scheme(tmp_path, OVERRIDING, line))
    codes = code_text("用财政资金订购办公设备。", book)  # the keywords see money only
    assert (codes[0].subtype, codes[0].by) == primary
    assert "money" in [c.subtype for c in codes]  # the keyword code stays, second when overridden


def test_an_override_margin_out_of_range_names_its_line(tmp_path: Path):
    path = scheme(tmp_path, EXAMPLES, 'examples = "examples.csv"\nexamples_override = -1')
    with pytest.raises(ConfigError, match=r"scheme\.toml:4: examples_override must be a number"):
        load_codebook(path)


def test_the_sign_off_gets_no_code(tmp_path: Path):
    from policydiff.compare.api import load
    from policydiff.compare.coding import code_document

    examples = EXAMPLES + "".join(
        f"synthetic,6#{i},{t},push,money\n" for i, t in enumerate(["某县财政局", "某县人民政府"])
    )
    book = load_codebook(scheme(tmp_path, examples))
    assert code_text("某县人民政府", book) != ()  # the examples would code the bare agency name
    doc = tmp_path / "synthetic-notice.md"
    doc.write_text(
        "# 某县关于支持企业的通知（合成文本）\n\n## 一、支持措施\n\n（一）资金支持。对改造项目给予补助。\n\n"
        "某县人民政府\n\n2025年3月1日\n",
        encoding="utf-8",
    )
    coding = code_document(load(str(doc)), book)
    signed = [u for u in coding.units if u.provision == "落款"]
    assert [u.text for u in signed] == ["某县人民政府", "2025年3月1日"]
    assert all(u.codes == () for u in signed)
    assert any(u.codes for u in coding.units if u.provision != "落款")


def test_the_character_space_is_scikit_learns_tfidf(tmp_path: Path):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from policydiff.compare.learned import CharSpace

    texts = [e.text for e in load_codebook(scheme(tmp_path)).examples.items]  # type: ignore[union-attr]
    unseen = ["安排资金  用于 AB 采购。", "", "某"]
    for ngrams in ((1, 3), (1, 2)):
        theirs = TfidfVectorizer(analyzer="char", ngram_range=ngrams, sublinear_tf=True)
        theirs.fit(texts)
        ours, rows = CharSpace.fit_transform(texts, ngrams)
        assert ours.vocabulary == theirs.vocabulary_
        assert np.array_equal(rows.toarray(), theirs.transform(texts).toarray())
        for batch in (texts, unseen):
            assert np.array_equal(ours.transform(batch).toarray(), theirs.transform(batch).toarray())


def test_a_trained_chooser_is_kept_so_the_next_process_does_not_train_it_again(tmp_path: Path):
    import os
    import subprocess
    import sys

    book = scheme(tmp_path)
    doc = tmp_path / "synthetic-notice.md"
    doc.write_text("# 某县通知（合成文本）\n\n## 一、措施\n\n（一）补助。对改造项目给予补助。\n", encoding="utf-8")
    cache = tmp_path / "cache"
    env = {**os.environ, "POLICYDIFF_CACHE_DIR": str(cache)}
    program = (
        "import sys, policydiff; import policydiff.compare.learned as learned; trained = []; real = learned.train; "
        "learned.train = lambda examples: trained.append(1) or real(examples); "
        f"unit = policydiff.code({str(doc)!r}, codebook={str(book)!r}).report.documents[0].units[0]; "
        "print(unit.codes[0].subtype, unit.codes[0].by, len(trained), 'sklearn' in sys.modules)"
    )

    def run(*args: str) -> list[str]:
        done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=True)
        return done.stdout.split()

    no_cache = [sys.executable, "-m", "policydiff.cli.app", "code", str(doc), "--codebook", str(book), "--no-cache"]
    subprocess.run(no_cache, env=env, capture_output=True, check=True)
    assert not cache.exists()  # --no-cache: the user cache is not even created
    assert run("-c", program) == ["money", "examples", "1", "False"]  # trained (without scikit-learn), then kept
    assert list((cache / "examples").glob("*.pickle"))
    assert run("-c", program) == ["money", "examples", "0", "False"]  # read back


def test_a_study_worker_takes_the_classifier_from_the_user_cache_the_study_names(tmp_path: Path):
    import os
    import subprocess
    import sys

    cache = tmp_path / "cache"
    program = (
        "import sys\n"
        "from policydiff.compare import learned\n"
        "from policydiff.compare.config import AlignConfig\n"
        "from policydiff.compare.study import prepare_worker\n"
        "from policydiff.corpora.catalogue import Catalogue\n"
        "if sys.argv[1] == 'kept':\n"
        "    def refuse(examples): raise SystemExit('trained again')\n"
        "    learned.train = refuse\n"
        f"prepare_worker((Catalogue.default([]).load('central-2021'), AlignConfig(), (), {str(cache)!r}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "POLICYDIFF_CACHE_DIR"}
    first = subprocess.run([sys.executable, "-c", program, "fresh"], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert list((cache / "examples").glob("*.pickle"))  # trained on the worker, kept where the study said
    second = subprocess.run([sys.executable, "-c", program, "kept"], env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
