"""YAML front matter (`---` … `---`) at the top of Markdown and news-site exports."""

from __future__ import annotations

import datetime
import re

FRONT_MATTER_RE = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
# Front matter is a handful of lines; a bigger block is not metadata we need, and YAML is costly to parse.
MAX_FRONT_MATTER_CHARS = 64 * 1024
_SCALARS = (str, int, float, bool, datetime.date)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return (metadata, rest). Metadata values are flattened to strings; bad YAML means no metadata."""
    m = FRONT_MATTER_RE.match(text)
    if not m:
        return {}, text
    import yaml

    if len(m.group(1)) > MAX_FRONT_MATTER_CHARS:
        return {}, text[m.end() :]
    try:
        data = yaml.safe_load(m.group(1))
    except (yaml.YAMLError, RecursionError):  # deeply nested flow collections exhaust the parser's stack
        return {}, text[m.end() :]
    meta: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            # Only scalars and lists of scalars: a nested value is not a field we read, and printing one that
            # repeats an alias inside an alias (a YAML "billion laughs") would never end.
            if isinstance(value, list):
                items = [v for v in value if isinstance(v, _SCALARS)]
                value = "；".join(str(v) for v in items) if items else None
            if isinstance(value, _SCALARS) and isinstance(key, _SCALARS):
                meta[str(key)] = str(value)
    return meta, text[m.end() :]
