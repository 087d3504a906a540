"""What a study's worker loads before its first pair is the least that gives the same results: the idf without
scikit-learn's text module, jieba's dictionary frequencies from the tokenizer already loaded, the examples'
classifier from the user cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from policydiff.compare import tokenize
from policydiff.compare.vectorise import _Part, smoothed_idf
from policydiff.rules.ruleset import load_rules


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_smoothed_idf_is_scikit_learns_bit_for_bit(seed: int) -> None:
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(seed)
    dense = rng.random((40, 300)) * (rng.random((40, 300)) < 0.05)
    dense[:, 7] = 0.0  # a term no row holds
    counts = sparse.csr_matrix(dense)
    expected = TfidfTransformer(norm=None, smooth_idf=True).fit(counts).idf_
    assert smoothed_idf(counts).tobytes() == expected.tobytes()


def test_a_fitted_space_weighs_terms_as_scikit_learn_would() -> None:
    from sklearn.feature_extraction.text import TfidfTransformer

    rows = [(("乙", 0.5), ("甲", 1.0)), (("甲", 1.0),), (("丙", 0.25), ("甲", 0.5))]
    part = _Part().fit(rows)
    counts = part.transform(rows)  # weighted now, so rebuild the raw counts to hand scikit-learn
    raw = sparse.csr_matrix((counts.data / part.idf_[counts.indices], counts.indices, counts.indptr), counts.shape)
    expected = TfidfTransformer(norm=None, smooth_idf=True).fit(raw)
    assert part.idf_.tobytes() == expected.idf_.tobytes()
    assert np.array_equal(counts.toarray(), expected.transform(raw).toarray())


def test_dictionary_frequencies_from_the_loaded_tokenizer_are_the_dictionary_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules = load_rules()
    monkeypatch.setattr(tokenize, "_dictionary", None)
    tokenizer = tokenize.WordTokenizer(rules.user_words, rules.stopwords)
    tokenizer.tokens("加快推进长株潭都市圈建设。")  # loads jieba and adds the user words
    from_file = tokenize.dictionary_file_frequencies()
    words = [*from_file, *rules.user_words, "长株", "不在词典里的词"]
    # a user word's own entry and its prefixes change when it is added: they must read as in the file
    assert any(tokenizer._jieba.FREQ.get(w, 0) != from_file.get(w, 0) for w in rules.user_words)
    assert [tokenize.dictionary_frequency(w) for w in words] == [from_file.get(w, 0) for w in words]


def test_a_study_worker_warms_up_without_scikit_learn(tmp_path: Path) -> None:
    # In a fresh interpreter, as a worker process starts: importing scikit-learn's text module cost 0.9 s. The
    # codebook's examples classifier comes from the user cache the study names (trained there by an earlier run).
    # Arrow is loaded before the first pair (each pair's coded sentences leave the worker as an Arrow part); pandas,
    # which Arrow would import to build a column from Python values, is not.
    from policydiff.compare.cache import Cache
    from policydiff.compare.coding import default_codebook
    from policydiff.compare.learned import _choosers, chooser

    _choosers.clear()  # train into this cache, not from what an earlier test left in this process
    chooser(default_codebook(), Cache.open(tmp_path))
    code = (
        "import sys\n"
        "from policydiff.compare.config import AlignConfig\n"
        "from policydiff.compare.study import prepare_worker\n"
        "from policydiff.corpora.catalogue import Catalogue\n"
        f"prepare_worker((Catalogue.default([]).load('central-2021'), AlignConfig(), (), {str(tmp_path)!r}))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'pandas', 'pyarrow'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['pyarrow']"


def test_jiebas_cache_read_in_one_piece_is_the_table_jieba_reads(tmp_path: Path) -> None:
    import jieba

    built = jieba.Tokenizer()
    built.tmp_dir = str(tmp_path)
    built.initialize()  # no cache in tmp_path yet: jieba builds the table and writes jieba.cache there
    assert (tmp_path / "jieba.cache").is_file()
    read = jieba.Tokenizer()
    read.tmp_dir = str(tmp_path)
    calls: list[object] = []
    read.initialize = lambda *a: calls.append(a)  # type: ignore[method-assign]
    tokenize._initialise(read)
    assert calls == []  # read by us, not left to jieba
    assert read.initialized and read.total == built.total and read.FREQ == built.FREQ
    assert read.lcut("加快推进长株潭都市圈建设") == built.lcut("加快推进长株潭都市圈建设")


@pytest.mark.parametrize("damage", [b"", b"not marshal data", b"\xe9\x00\x00\x00"])
def test_a_damaged_jieba_cache_is_left_to_jieba(tmp_path: Path, damage: bytes) -> None:
    import jieba

    (tmp_path / "jieba.cache").write_bytes(damage)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(tmp_path)
    tokenize._initialise(tok)  # jieba fails to read it too, builds the table from its dictionary and rewrites it
    assert tok.initialized and tok.total > 0 and tok.FREQ["长沙"] > 0
    assert (tmp_path / "jieba.cache").stat().st_size > 1_000_000


@pytest.mark.parametrize("preload", [(), ("policydiff.compare.preload",)], ids=["spawned", "forked"])
def test_local_workers_start_without_the_callers_main_module(tmp_path: Path, preload: tuple[str, ...]) -> None:
    # A spawned worker used to import its parent's main module first: for the command line, typer, rich and
    # every command. The marker file is written only if the script runs again as a worker's __mp_main__.
    marker = tmp_path / "imported-by-a-worker"
    script = tmp_path / "caller.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "import typer  # as the command line's main module does\n"
        f"if __name__ == '__mp_main__':\n    Path({str(marker)!r}).write_text('imported')\n"
        "if __name__ == '__main__':\n"
        "    from policydiff.compare.distributed import open_pool\n"
        "    main = sys.modules['__main__']\n"
        "    before = (main.__spec__, main.__file__)\n"
        "    from contextlib import closing\n"
        f"    with closing(open_pool(1, None, 100, preload={preload!r})) as pool:\n"
        "        print(pool.client.run(lambda: 'typer' in sys.modules))\n"
        "    print((main.__spec__, main.__file__) == before)\n",
        encoding="utf-8",
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=120)
    lines = out.stdout.strip().splitlines()
    assert "False}" in lines[0]  # the worker has not loaded the command line
    assert lines[1] == "True"  # the caller's main module is as it was
    assert not marker.exists()


def test_local_workers_are_forked_with_what_every_pair_needs_loaded(tmp_path: Path) -> None:
    # Each spawned worker loaded jieba's dictionary, numpy and scipy for itself: on two cores, the second one's
    # second of loading took the first one's core. Forked from a server that has loaded them, none does.
    script = tmp_path / "caller.py"
    script.write_text(
        "from policydiff.compare.distributed import open_pool\n"
        "from policydiff.compare.study import PRELOAD\n"
        "def loaded():\n"
        "    import sys\n"
        "    from policydiff.compare import tokenize\n"
        "    from policydiff.compare.cache import Cache\n"
        "    from policydiff.compare.run import rules_tokenizer\n"
        "    from policydiff.compare.study import _worker_rules\n"
        "    jieba = rules_tokenizer(_worker_rules(()), Cache(enabled=False))._jieba\n"
        "    return 'scipy.sparse' in sys.modules and tokenize._dictionary is not None and jieba is not None\n"
        "if __name__ == '__main__':\n"
        "    from contextlib import closing\n"
        "    for preload in ((), (PRELOAD,)):\n"
        "        with closing(open_pool(2, None, 100, preload=preload)) as pool:\n"
        "            print(sorted(pool.client.run(loaded).values()))\n",
        encoding="utf-8",
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split() == ["[False,", "False]", "[True,", "True]"]
