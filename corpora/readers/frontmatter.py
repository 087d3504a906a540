"""YAML front matter (`---` … `---`) at the top of Markdown and news-site exports."""

from __future__ import annotations

import re

FRONT_MATTER_RE = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return (metadata, rest). Metadata values are flattened to strings; bad YAML means no metadata."""
    m = FRONT_MATTER_RE.match(text)
    if not m:
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, text[m.end() :]
    meta: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if value is None:
                continue
            if isinstance(value, list):
                value = "；".join(str(v) for v in value)
            meta[str(key)] = str(value)
    return meta, text[m.end() :]
