"""Per-document analysis: the jieba tokens of every unit, cached by content hash.

Tokenising is the one step that needs jieba's dictionary (about a second to load); a document seen before
is read from the cache and jieba is never imported.
"""

from __future__ import annotations

from policydiff.compare.cache import Cache, engine_fingerprint, key
from policydiff.compare.config import ANALYSER_VERSION
from policydiff.compare.tokenize import WordTokenizer
from policydiff.corpora.model import Document
from policydiff.rules.ruleset import RuleSet

Tokens = dict[str, list[str]]  # unit analysis text → all its tokens (joined, they give the text back)


def unit_texts(doc: Document) -> list[str]:
    return sorted({u.text for clause in doc.all_clauses for u in clause.units})


def analyse(doc: Document, rules: RuleSet, tokenizer: WordTokenizer, cache: Cache) -> Tokens:
    k = key("tokens", ANALYSER_VERSION, engine_fingerprint(), rules.fingerprint, doc.analysis_text)
    texts = unit_texts(doc)
    cached = cache.get_json("analysis", k, valid=lambda value: _tokens_of(value, texts))
    if cached is not None:
        return dict(cached)
    tokens = {text: tokenizer.tokens(text) for text in texts}
    cache.put_json("analysis", k, tokens)
    return tokens


def _tokens_of(value: object, texts: list[str]) -> bool:
    """A cached analysis is used only if it has every unit's tokens, and the tokens give each text back."""
    return (
        isinstance(value, dict)
        and len(value) == len(texts)
        and all(
            isinstance(tokens := value.get(text), list)
            and all(isinstance(t, str) for t in tokens)
            and "".join(tokens) == text
            for text in texts
        )
    )
