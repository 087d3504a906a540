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
from dataclasses import replace
from functools import lru_cache

from policydiff.corpora.catalogue import Catalogue, Entry
from policydiff.corpora.errors import CorpusError
from policydiff.corpora.metadata import card_fields
from policydiff.corpora.readers import read_file
from policydiff.corpora.textmeta import clean_title, text_facts, title_issuers
from policydiff.corpora.wrapper import issued_titles

_PREFIXES = re.compile(r"^(中华人民共和国|中共中央|国务院|中央)")


@lru_cache(maxsize=65536)  # a listing compares every implemented title with every catalogued one
def title_key(title: str) -> str:
    key = re.sub(r"[\s\u3000《》〈〉]+", "", clean_title(title))
    while (shorter := _PREFIXES.sub("", key)) != key and shorter:
        key = shorter
    return key


def find_by_title(entries: Iterable[Entry], title: str) -> list[Entry]:
    """The entries whose title has the same key, latest first (a law's current text before its older ones),
    then the notices that issue a document of that title (关于印发《title》的通知), latest first."""
    key = title_key(title)
    entries = list(entries)
    found = sorted((e for e in entries if title_key(e.title) == key), key=lambda e: e.date, reverse=True)
    issuing = [e for e in entries if e not in found and key in map(title_key, issued_titles(e.title))]
    return found + sorted(issuing, key=lambda e: e.date, reverse=True)


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


def work_key(entry: Entry) -> tuple[str, str, str]:
    """What texts of one work share: the title without its issuers before 关于 (a reprint may drop them),
    and the level and region of its issuer."""
    title = clean_title(entry.title)
    if title_issuers(title):
        title = title[title.index("关于") :]
    return title_key(title), entry.level, entry.region


def versions(entries: Sequence[Entry]) -> dict[str, tuple[str, ...]]:
    """id → the ids of the other texts of the same work (same title of the same issuer), ordered by date."""
    groups: dict[tuple[str, str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        groups[work_key(e)].append(e)
    out: dict[str, tuple[str, ...]] = {}
    for group in groups.values():
        ordered = sorted(group, key=lambda e: (e.date, e.id))
        for e in group:
            out[e.id] = tuple(o.id for o in ordered if o.id != e.id)
    return out


def linked_references(catalogue: Catalogue, ref: str) -> list[Entry]:
    """The documents `ref` (an id or a file) says it implements, for a compare given no reference.

    A file read ad hoc is asked what it implements from its own text. Raises CorpusError when it names none,
    or none that is in the corpora.
    """
    entry = catalogue.resolve(ref)
    if entry.origin == "file" and not entry.implements:
        source = read_file(entry.path, entry.format)
        title = card_fields(source.meta).title or entry.title
        entry = replace(entry, implements=text_facts(title, source.text).implements)
    found = implemented_entries(catalogue, entry)
    if found:
        return found
    if entry.implements:
        named = "、".join(f"《{t}》" if t not in catalogue.ids else t for t in entry.implements)
        raise CorpusError(
            f"{ref}: implements {named}, which is in none of the corpora; add it (policydiff corpus add) "
            "or name a reference to compare with"
        )
    raise CorpusError(f"{ref}: names no document it implements; name a reference to compare with")


# The fields of one row of `corpus list`, in column order.
LIST_FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "level",
    "region",
    "date",
    "type",
    "strength",
    "kind",
    "implements",
    "corpus",
    "versions",
)


def listing(catalogue: Catalogue) -> list[dict[str, str | list[str]]]:
    """One row per catalogued document: its data card's main fields, what it implements (ids where catalogued)
    and the ids of the other texts of the same work, ordered by date."""
    others = versions(catalogue.entries)
    rows: list[dict[str, str | list[str]]] = []
    for e in catalogue.entries:
        implements = [x.id for x in implemented_entries(catalogue, e)] or list(e.implements)
        rows.append(
            {
                "id": e.id,
                "title": e.title,
                "level": e.level,
                "region": e.region,
                "date": e.date,
                "type": e.doc_type,
                "strength": "",  # scored by the rules' strength table (policydiff.compare.api.Corpus.rows)
                "kind": e.kind,
                "implements": implements,
                "corpus": e.origin,
                "versions": list(others[e.id]),
            }
        )
    return rows
