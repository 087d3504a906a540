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
    cached = cache.get_json("analysis", k)
    if isinstance(cached, dict):
        return cached
    tokens = {text: tokenizer.tokens(text) for text in unit_texts(doc)}
    cache.put_json("analysis", k, tokens)
    return tokens
