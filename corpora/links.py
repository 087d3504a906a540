"""How catalogued documents relate: the document one implements (found by its title), and the other texts of
the same work (versions: the same title of the same issuer, amended or revised).

Titles are compared by a key that ignores what texts vary in when they cite each other: spaces, the
中华人民共和国 of a law's full name, the 中共中央 / 国务院 before 关于 in a joint title, 《》 and trailing remarks
such as （2012年修正）.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from policydiff.corpora.catalogue import Catalogue, Entry
from policydiff.corpora.textmeta import clean_title

_PREFIXES = re.compile(r"^(中华人民共和国|中共中央|国务院|中央)")


def title_key(title: str) -> str:
    key = re.sub(r"[\s\u3000《》〈〉]+", "", clean_title(title))
    while (shorter := _PREFIXES.sub("", key)) != key and shorter:
        key = shorter
    return key


def find_by_title(entries: Iterable[Entry], title: str) -> list[Entry]:
    """The entries whose title has the same key, latest first (a law's current text before its older ones)."""
    key = title_key(title)
    found = [e for e in entries if title_key(e.title) == key]
    return sorted(found, key=lambda e: e.date, reverse=True)


def link_implements(entries: Sequence[Entry], titles: Iterable[str], exclude: str = "") -> tuple[str, ...]:
    """Titles a text says it implements → ids where a catalogued document has that title, else the title."""
    out: list[str] = []
    for title in titles:
        found = [e for e in find_by_title(entries, title) if e.id != exclude]
        value = found[0].id if found else title
        if value not in out:
            out.append(value)
    return tuple(out)


def implemented_entries(catalogue: Catalogue, entry: Entry) -> list[Entry]:
    """The catalogued documents `entry` implements: its `implements` ids, or titles found in the catalogue now."""
    out: list[Entry] = []
    for value in entry.implements:
        if value in catalogue.ids:
            found = [catalogue.get(value)]
        else:
            found = [e for e in find_by_title(catalogue.entries, value) if e.id != entry.id][:1]
        out.extend(e for e in found if e not in out)
    return out


def versions(entries: Sequence[Entry]) -> dict[str, tuple[str, ...]]:
    """id → the ids of the other texts of the same work (same title key, level and region), ordered by date."""
    groups: dict[tuple[str, str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        groups[(title_key(e.title), e.level, e.region)].append(e)
    out: dict[str, tuple[str, ...]] = {}
    for group in groups.values():
        ordered = sorted(group, key=lambda e: (e.date, e.id))
        for e in group:
            out[e.id] = tuple(o.id for o in ordered if o.id != e.id)
    return out
