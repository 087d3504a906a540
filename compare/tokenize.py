"""Word segmentation: the only module that imports jieba.

jieba keeps a global tokenizer, logs to stderr at DEBUG level and writes its dictionary cache to the system
temp folder. We use a private `jieba.Tokenizer` with its log quietened, its cache in policydiff's cache
folder, and the rule set's user dictionary loaded explicitly, so that 长株潭 or 三高四新 stay one token.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import ChainMap, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from policydiff.corpora.model import WORD_CHAR

# Tokens worth comparing: runs holding a CJK character, a letter or a digit.
_CONTENT_RE = WORD_CHAR  # a token is content when it holds a word character
SENTENCES_KEPT = 32_768  # tokenised sentences a tokenizer remembers (a few tens of MB)


class WordTokenizer:
    """A jieba tokenizer with a user dictionary; created lazily so a cached run never loads jieba."""

    def __init__(self, user_words: Sequence[str] = (), stopwords: Iterable[str] = (), cache_dir: Path | None = None):
        self.user_words = tuple(user_words)
        self.stopwords = frozenset(stopwords)
        self.cache_dir = cache_dir
        self._jieba: Any = None
        # Sentences seen before, by text: a study's worker meets the same sentence in many targets (a province's
        # wording copied by its prefectures, the reference's retained word for word). Bounded, oldest dropped.
        self._seen: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            if self.cache_dir is not None:
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                tok.tmp_dir = str(self.cache_dir)
            _initialise(tok)
            _share_dictionary(tok.FREQ, self.user_words)
            for word in self.user_words:
                tok.add_word(word, freq=None)
            self._jieba = tok
        return self._jieba

    def tokens(self, text: str) -> list[str]:
        """Every token, punctuation included, so that the tokens joined give the text back (offsets)."""
        with self._lock:  # a Dask worker may run several pairs in threads
            seen = self._seen.get(text)
            if seen is not None:
                self._seen.move_to_end(text)
                return list(seen)
        tokens = tuple(self._load().lcut(text, HMM=True))
        with self._lock:
            self._seen[text] = tokens
            if len(self._seen) > SENTENCES_KEPT:
                self._seen.popitem(last=False)
        return list(tokens)

    def words(self, text: str) -> list[str]:
        return [w for w in self.tokens(text) if is_content(w) and w not in self.stopwords]


def _initialise(tok: Any) -> None:
    """`tok.initialize()`, with jieba's dictionary cache read in one piece: jieba unmarshals it from the open
    file, which takes 0.6 s, where unmarshalling the file's bytes takes 0.2 s, in every process that tokenises
    (each of a study's workers). Anything else (no cache yet, another dictionary, a damaged file) is left to
    jieba, which also writes the cache."""
    import marshal
    import tempfile

    import jieba

    if tok.dictionary == jieba.DEFAULT_DICT and not tok.cache_file:
        try:
            table, total = marshal.loads((Path(tok.tmp_dir or tempfile.gettempdir()) / "jieba.cache").read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            pass
        else:
            if isinstance(table, dict) and isinstance(total, int) and total > 0:
                with tok.lock:
                    tok.FREQ, tok.total, tok.initialized = table, total, True
                return
    tok.initialize()


@functools.lru_cache(maxsize=4)
def shared_tokenizer(
    fingerprint: str, user_words: tuple[str, ...], stopwords: frozenset[str], cache_dir: Path | None
) -> WordTokenizer:
    """One tokenizer per process and rule set (keyed by the rules' fingerprint), still created lazily.

    Loading jieba's dictionary costs about 0.6 s; a study's worker compares hundreds of pairs and must pay it
    once, not per pair.
    """
    return WordTokenizer(user_words, stopwords, cache_dir=cache_dir)


def is_content(token: str) -> bool:
    return bool(_CONTENT_RE.search(token))


def char_text(text: str) -> str:
    """The text the character n-grams are taken from: content characters only, punctuation dropped."""
    return "".join(_CONTENT_RE.findall(text))


# jieba's main dictionary, word → frequency: read from the first tokenizer loaded in this process, as it was
# before its user words (those keep their dictionary frequency here), else from the dictionary file.
_dictionary: Mapping[str, int] | None = None


def _share_dictionary(freq: dict[str, int], user_words: Sequence[str]) -> None:
    """Lend `freq` (a freshly loaded jieba tokenizer's table, from jieba's cache) to `dictionary_frequency`:
    reading the dictionary file again cost each study worker a quarter of a second. Adding a user word changes
    its own entry and adds its prefixes at frequency 0, which a word absent from the file also has, so only the
    user words' entries are kept as they were."""
    global _dictionary
    if _dictionary is None:
        _dictionary = ChainMap({w: freq.get(w, 0) for w in user_words}, freq)


def dictionary_frequency(word: str) -> int:
    """How often jieba's main dictionary says `word` occurs (0 when it is not there), read once.

    Tells a real word from a fragment jieba's HMM guessed (声谷 out of 中国声谷) or a rare dictionary oddity
    (承东启, frequency 2), so evidence lists show words a reader recognises.
    """
    global _dictionary
    if _dictionary is None:
        _dictionary = dictionary_file_frequencies()
    return _dictionary.get(word, 0)


def dictionary_file_frequencies() -> dict[str, int]:
    """jieba's main dictionary file as word → frequency."""
    import jieba

    table: dict[str, int] = {}
    fh = jieba.get_dict_file()
    try:
        for raw in fh:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                table[parts[0]] = int(parts[1])
    finally:
        fh.close()
    return table
