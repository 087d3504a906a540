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

# Near-synonym verb swaps (our own list): what a province's drafting office changes without changing sense.
VERBS = (("加快", "加速"), ("加强", "强化"), ("推进", "推动"), ("支持", "扶持"), ("完善", "健全"), ("提升", "提高"))
# Invented place names, clearly not real provinces.
PROVINCES = ("示例", "样本", "甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸")
REGIONS = ("华中", "华东", "华北", "西南", "西北", "东北")
LEVELS = ("provincial", "prefectural", "county")
NUMERALS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 75 → 七十五, 120 → 一百二十 (section and clause labels)."""
    if n < 10:
        return NUMERALS[n]
    if n < 20:
        return "十" + (NUMERALS[n % 10] if n % 10 else "")
    if n < 100:
        return NUMERALS[n // 10] + "十" + (NUMERALS[n % 10] if n % 10 else "")
    rest = n % 100
    if not rest:
        tail = ""
    elif rest < 10:
        tail = "零" + NUMERALS[rest]
    elif rest < 20:
        tail = "一" + chinese_number(rest)
    else:
        tail = chinese_number(rest)
    return NUMERALS[n // 100] + "百" + tail


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


def perturb(text: str, rng: random.Random, province: str) -> str:
    text = text.replace("湖南省", f"{province}省").replace("湖南", province)
    for a, b in VERBS:
        if rng.random() < 0.5:
            text = text.replace(a, b)
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
        lines += [f"{chinese_number(si)}、第{chinese_number(si)}部分", ""]
        for c in section:
            number += 1
            lines += [f"（{chinese_number(number)}）{perturb(c.body, rng, province)}", ""]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clauses", type=int, default=0)
    args = parser.parse_args()
    ids = write_corpus(args.out, args.count, args.seed, args.clauses)
    print(f"{len(ids)} documents in {args.out}")


if __name__ == "__main__":
    main()
