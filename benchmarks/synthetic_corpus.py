"""A seeded synthetic corpus: N implementation documents made by perturbing the Hunan seed.

Each document takes the seed's clauses and, driven by `random.Random(seed)`, reorders them within their
sections, drops some, duplicates some, inserts clauses from elsewhere in the seed, changes numbers, renames
the province and swaps verbs for near-synonyms. The documents are written at run time into a corpus folder
(catalogue.toml + synthetic-*.txt, each `implements = ["central-2021"]`) and never stored in the repository.

    python3 benchmarks/synthetic_corpus.py OUT_DIR --count 64 [--seed 1] [--clauses 0] [--links]

`--clauses N` makes each document N clauses long (the seed's clauses repeated, perturbed), for the memory
benchmark; `--links` writes a corpus with known links for `policydiff link` (several central documents, each
with its own implementations).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

from policydiff.corpora.numbering import cn_numeral

# Near-synonym verb swaps (our own list): what a province's drafting office changes without changing sense.
VERBS = (("加快", "加速"), ("加强", "强化"), ("推进", "推动"), ("支持", "扶持"), ("完善", "健全"), ("提升", "提高"))
# Invented place names, clearly not real provinces.
PROVINCES = ("示例", "样本", "甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸")
REGIONS = ("华中", "华东", "华北", "西南", "西北", "东北")
LEVELS = ("provincial", "prefectural", "county")


@dataclass(frozen=True)
class SeedClause:
    heading: str
    body: str


def seed_clauses() -> list[SeedClause]:
    """The Hunan seed's clauses (heading and body text), read through policydiff's own reader."""
    from policydiff.corpora import Catalogue

    doc = Catalogue.default().load("hunan-2021")
    out = []
    for clause in doc.clauses:
        text = doc.text[clause.start : clause.end]
        text = re.sub(r"^\s*（[一二三四五六七八九十百]+）", "", text).strip()
        if text:
            out.append(SeedClause(clause.heading, " ".join(text.split())))
    return out


# A city's own rewording of its province's text (it keeps the province's numbers).
CITY_VERBS = (("着力", "大力"), ("积极", "主动"), ("深化", "深入推进"), ("建设", "打造"))


def perturb(text: str, rng: random.Random, province: str, verbs=VERBS, numbers: bool = True) -> str:  # type: ignore[no-untyped-def]
    # A central text says 本地区 where the seed names Hunan; an implementing province puts its own name there.
    place = "本地区" if province == "全国" else f"{province}省"
    text = text.replace("湖南省", place).replace("湖南", place).replace("本地区", place)
    for a, b in verbs:
        if rng.random() < 0.5:
            text = text.replace(a, b)
    if not numbers:
        return text
    return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.choice((0, 0, 1, 2, 5))), text)


def make_document(seed: int, clauses: list[SeedClause], n_clauses: int = 0, per_section: int = 8) -> str:
    rng = random.Random(seed)
    province = PROVINCES[seed % len(PROVINCES)] + (str(seed // len(PROVINCES)) if seed >= len(PROVINCES) else "")
    chosen: list[SeedClause] = []
    if n_clauses:
        while len(chosen) < n_clauses:
            chosen.append(rng.choice(clauses))
    else:
        for c in clauses:
            r = rng.random()
            if r < 0.12:
                continue  # dropped
            chosen.append(c)
            if r > 0.95:
                chosen.append(c)  # duplicated
            if r > 0.9:
                chosen.append(rng.choice(clauses))  # inserted from elsewhere
    # Reordered within sections of `per_section` clauses.
    sections = [chosen[i : i + per_section] for i in range(0, len(chosen), per_section)]
    lines = [f"synthetic {province}省关于贯彻落实中部地区高质量发展意见的实施意见（合成测试文档 {seed}）", ""]
    number = 0
    for si, section in enumerate(sections, 1):
        section = section[:]
        if rng.random() < 0.3 and len(section) > 2:
            i, j = rng.sample(range(len(section)), 2)
            section[i], section[j] = section[j], section[i]
        lines += [f"{cn_numeral(si)}、第{cn_numeral(si)}部分", ""]
        if number >= 900:
            number = 0  # past 九百九十九 a long document restarts its clause numbers in each section
        for c in section:
            number += 1
            lines += [f"（{cn_numeral(number)}）{perturb(c.body, rng, province)}", ""]
    return "\n".join(lines)


def write_corpus(
    out: Path, count: int, seed: int = 1, n_clauses: int = 0, implements: str = "central-2021"
) -> list[str]:
    """Write `count` documents and their catalogue into `out`; returns their ids."""
    out.mkdir(parents=True, exist_ok=True)
    clauses = seed_clauses()
    ids: list[str] = []
    tables: list[str] = []
    for k in range(count):
        doc_seed = seed * 100_003 + k
        rng = random.Random(doc_seed)
        text = make_document(doc_seed, clauses, n_clauses)
        doc_id = f"synthetic-{seed}-{k:05d}"
        name = f"{doc_id}.txt"
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        level = LEVELS[k % len(LEVELS)]
        date = f"{2021 + k % 3}-{1 + k % 12:02d}-{1 + k % 28:02d}"
        tables.append(
            "[[document]]\n"
            f'id = "{doc_id}"\ntitle = "{text.splitlines()[0]}"\nfile = "{name}"\nkind = "full"\n'
            f'level = "{level}"\nregion = "{rng.choice(REGIONS)}"\ndate = "{date}"\n'
            f'sha256 = "{hashlib.sha256(data).hexdigest()}"\nformat = "text"\ntype = "实施意见"\n'
            + (f'implements = ["{implements}"]\n' if implements else "")
        )
        ids.append(doc_id)
    (out / "catalogue.toml").write_text("\n".join(tables), encoding="utf-8")
    return ids


def _entry(doc_id: str, title: str, level: str, date: str, data: bytes, implements: str = "") -> str:
    return (
        f'[[document]]\nid = "{doc_id}"\ntitle = "{title}"\nfile = "{doc_id}.txt"\nkind = "full"\n'
        f'level = "{level}"\ndate = "{date}"\nsha256 = "{hashlib.sha256(data).hexdigest()}"\nformat = "text"\n'
        + (f'implements = ["{implements}"]\n' if implements else "")
    )


def _text(title: str, bodies: list[str]) -> str:
    lines = [title, ""]
    for k, body in enumerate(bodies, 1):
        if k % 4 == 1:
            lines += [f"{cn_numeral(k // 4 + 1)}、第{cn_numeral(k // 4 + 1)}部分", ""]
        lines += [f"（{cn_numeral(k)}）{body}", ""]
    return "\n".join(lines)


def write_link_corpus(out: Path, parents: int = 4, children: int = 5, grandchildren: int = 2, seed: int = 1):
    """A corpus with known links: `parents` central documents (disjoint slices of the seed), each implemented by
    `children` provincial documents (its clauses perturbed, some dropped, one inserted from elsewhere), each of
    those by `grandchildren` prefectural ones. A third of the documents state their link (data card or
    贯彻落实《…》 in the title); the rest must be found by retrieval. Returns {document id: implemented id}."""
    out.mkdir(parents=True, exist_ok=True)
    clauses = seed_clauses()
    rng = random.Random(seed)
    size = len(clauses) // parents
    tables: list[str] = []
    truth: dict[str, str] = {}

    def add(doc_id: str, title: str, level: str, date: str, text: str, parent: str, stated: str) -> None:
        data = text.encode("utf-8")
        (out / f"{doc_id}.txt").write_bytes(data)
        tables.append(_entry(doc_id, title, level, date, data, stated))
        if parent:
            truth[doc_id] = parent

    n = 0
    for p in range(parents):
        own = clauses[p * size : (p + 1) * size]
        p_id, p_title = f"synthetic-central-{p}", f"synthetic 关于第{cn_numeral(p + 1)}项工作的意见（合成）"
        p_bodies = [perturb(c.body, rng, "全国") for c in own]
        add(p_id, p_title, "central", f"2020-0{p + 1}-01", _text(p_title, p_bodies), "", "")
        for c in range(children):
            n += 1
            province = PROVINCES[n % len(PROVINCES)] + PROVINCES[(n // len(PROVINCES)) % len(PROVINCES)] + "地"
            # A province carries out most of its parent's clauses, reworded, and adds one of its own.
            # (Each clause says who carries it out, as provincial texts do: 我省 / the province's name.)
            kept = [f"{province}省{perturb(b, rng, province)}" for b in p_bodies if rng.random() > 0.2]
            kept.append(perturb(rng.choice(clauses).body, rng, province))
            c_id = f"synthetic-province-{p}-{c}"
            named = n % 3 == 0
            c_title = f"synthetic {province}省" + (f"贯彻落实《{p_title}》的实施意见" if named else "实施意见（合成）")
            c_text = _text(c_title, kept)
            add(c_id, c_title, "provincial", f"2021-0{1 + c % 9}-01", c_text, p_id, p_id if n % 3 == 1 else "")
            for g in range(grandchildren):
                n += 1
                g_id = f"synthetic-city-{p}-{c}-{g}"
                g_title = f"synthetic {province}省第{g + 1}市实施方案（合成）"
                # A city follows its province's text: some clauses dropped, verbs swapped again.
                g_kept = [perturb(b, rng, province, CITY_VERBS, False) for b in kept if rng.random() > 0.25]
                g_kept = g_kept or kept[:1]
                g_text = _text(g_title, g_kept)
                add(g_id, g_title, "prefectural", f"2022-0{1 + g}-01", g_text, c_id, c_id if n % 3 == 1 else "")
    (out / "catalogue.toml").write_text("\n".join(tables), encoding="utf-8")
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clauses", type=int, default=0)
    parser.add_argument("--links", action="store_true", help="a corpus with known links (for `link`)")
    args = parser.parse_args()
    if args.links:
        truth = write_link_corpus(args.out, seed=args.seed)
        print(f"{len(truth)} known links in {args.out}")
        return
    ids = write_corpus(args.out, args.count, args.seed, args.clauses)
    print(f"{len(ids)} documents in {args.out}")


if __name__ == "__main__":
    main()
