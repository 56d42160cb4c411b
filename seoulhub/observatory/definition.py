"""The digital-industry definition as KSIC codes, and its translation between KSIC rev. 10 and
rev. 9 through the KOSTAT concordance (no Django import).

A definition lists code prefixes in one revision (groups such as "582"). To read statistics
published under the other revision, every 5-digit code under those prefixes is carried across
the concordance. A code on the other side is *in* the sector only when all of its concordance
partners are in the sector; codes that are only partly in it (a split or merge across the
sector's border) are listed apart and not counted, so no establishment is counted twice.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SectorDefinition:
    slug: str
    name_ko: str
    name_en: str
    codes: list[str]
    note: str = ""


@dataclass
class Translation:
    full: list[str] = field(default_factory=list)  # 5-digit codes wholly in the sector
    partial: list[str] = field(default_factory=list)  # 5-digit codes only partly in it (not counted)
    compact: list[str] = field(default_factory=list)  # `full` with complete groups folded to prefixes


def read_definition(path: Path) -> tuple[str, list[SectorDefinition]]:
    """(revision, sectors) from the JSON file; raises ValueError on a malformed file."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    revision = str(document.get("revision", ""))
    if revision not in {"9", "10"}:
        raise ValueError(f"{path}: revision must be 9 or 10, not {revision!r}")
    sectors, seen_codes = [], {}
    for entry in document["sectors"]:
        codes = [str(c) for c in entry["codes"]]
        for code in codes:
            if not code.isdigit() or not 2 <= len(code) <= 5:
                raise ValueError(f"{path}: sector {entry['slug']}: {code!r} is not a 2..5-digit KSIC code")
            for other, owner in seen_codes.items():
                if code.startswith(other) or other.startswith(code):
                    raise ValueError(f"{path}: {code} ({entry['slug']}) overlaps {other} ({owner})")
            seen_codes[code] = entry["slug"]
        sectors.append(
            SectorDefinition(entry["slug"], entry["name_ko"], entry["name_en"], codes, entry.get("note", ""))
        )
    return revision, sectors


def read_concordance(path: Path) -> list[tuple[str, str]]:
    """Pairs (from_code, to_code) of 5-digit codes from ksic_9_to_10.csv or ksic_10_to_9.csv."""
    with Path(path).open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [
            (row[0].strip(), row[2].strip()) for row in reader if len(row) > 2 and row[0].strip() and row[2].strip()
        ]


def matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)


def translate(
    prefixes: Iterable[str], pairs: Iterable[tuple[str, str]], target_codes: Iterable[str] = ()
) -> Translation:
    """Carry a sector's prefixes across a concordance given as (source, target) pairs.

    `target_codes` are all 5-digit codes of the target revision, used to fold complete groups
    back into prefixes (e.g. every 582xx -> "582").
    """
    prefixes = list(prefixes)
    partners: dict[str, set[str]] = defaultdict(set)
    for source, target in pairs:
        partners[target].add(source)
    full, partial = [], []
    for target, sources in sorted(partners.items()):
        inside = [s for s in sources if matches(s, prefixes)]
        if not inside:
            continue
        (full if len(inside) == len(sources) else partial).append(target)
    return Translation(full=full, partial=partial, compact=fold_prefixes(full, target_codes))


def fold_prefixes(codes: Iterable[str], all_codes: Iterable[str]) -> list[str]:
    """Replace complete 3- and 2-digit families of 5-digit codes by their prefix."""
    chosen = set(codes)
    universe = set(all_codes) | chosen
    for length in (4, 3, 2):
        families: dict[str, set[str]] = defaultdict(set)
        for code in universe:
            if len(code) == 5:
                families[code[:length]].add(code)
        for prefix, members in families.items():
            covered = {c for c in members if matches(c, chosen)}
            if covered == members:
                chosen = {c for c in chosen if not c.startswith(prefix)} | {prefix}
    return sorted(chosen)


def aggregate_by_prefixes(values: dict[str, int | None], prefixes: Iterable[str]) -> tuple[int | None, bool]:
    """Sum the statistics of a sector from rows keyed by KSIC code, without double counting
    when a file has several levels (e.g. "582" and "5821"): per prefix, the row with exactly
    that code if present, else the coarsest rows below it. Returns (sum, complete) — `complete`
    is False when a needed value is missing (suppressed); (None, False) when no row is fine
    enough to tell (e.g. the file only has KSIC sections)."""
    total, complete, found = 0, True, False
    for prefix in prefixes:
        if prefix in values:
            picked = [values[prefix]]
        else:
            below = [code for code in values if code.startswith(prefix) and code != prefix]
            if not below:
                continue
            shortest = min(len(code) for code in below)
            picked = [values[code] for code in below if len(code) == shortest]
        found = True
        for value in picked:
            if value is None:
                complete = False
            else:
                total += value
    return (total, complete) if found else (None, False)
