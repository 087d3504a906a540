"""Markdown, with or without YAML front matter: markup is removed, the text and its numbering kept."""

from __future__ import annotations

import re

from policydiff.corpora.readers.base import SourceText
from policydiff.corpora.readers.frontmatter import split_front_matter

_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# Each span stops at the next of its own delimiter character and a link's text at the next bracket, so a line
# of a thousand unclosed "*a " or "[" costs one pass, not a thousand (these patterns were quadratic before).
_EMPHASIS_RE = re.compile(
    r"\*\*(?=[^*\s])((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*|__(?=[^_\s])([^_]+?)(?<=\S)__"
    r"|\*(?=[^*\s])([^*]+?)(?<=\S)\*|~~(?=[^~\s])([^~]+?)(?<=\S)~~"
)
_LINK_RE = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_BULLET_RE = re.compile(r"^\s*[-*+]\s+")
_QUOTE_RE = re.compile(r"^\s*>\s?")
_RULE_RE = re.compile(r"^\s*([-*_]\s*){3,}$")


def _emphasised(m: re.Match[str]) -> str:
    return next(g for g in m.groups() if g is not None)


def read_markdown(text: str) -> SourceText:
    front, body = split_front_matter(text)
    meta = {f"front_matter.{k}": v for k, v in front.items()}
    lines: list[str] = []
    in_code = False
    for raw in body.split("\n"):
        if raw.strip().startswith("```"):
            in_code = not in_code
            continue
        line = raw
        if not in_code:
            if _RULE_RE.match(line):
                continue
            if m := _HEADING_RE.match(line):
                line = m.group(2)
                if len(m.group(1)) == 1 and "markdown.h1" not in meta:
                    meta["markdown.h1"] = line.strip()
            line = _QUOTE_RE.sub("", line)
            line = _BULLET_RE.sub("", line)
            line = _LINK_RE.sub(r"\1", line)
            line = _EMPHASIS_RE.sub(_emphasised, line)
        lines.append(line.rstrip())
    return SourceText("\n".join(lines).strip("\n") + "\n", meta, "markdown")
