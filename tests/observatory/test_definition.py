"""The digital-industry definition and its KSIC 9 <-> 10 translation."""

import json

import pytest
from django.conf import settings

from seoulhub.observatory.definition import (
    aggregate_by_prefixes,
    fold_prefixes,
    read_concordance,
    read_definition,
    translate,
)

DATA = settings.DATA_DIR


def test_shipped_definition_covers_the_issue_sectors_without_overlap():
    revision, sectors = read_definition(DATA / "observatory" / "digital_industry.json")
    assert revision == "10"
    slugs = {s.slug for s in sectors}
    assert {"software", "it-services", "telecommunications", "digital-content", "ict-manufacturing"} <= slugs


def test_overlapping_codes_are_refused(tmp_path):
    path = tmp_path / "definition.json"
    path.write_text(
        json.dumps(
            {
                "revision": "10",
                "sectors": [
                    {"slug": "a", "name_ko": "가", "name_en": "A", "codes": ["58"]},
                    {"slug": "b", "name_ko": "나", "name_en": "B", "codes": ["582"]},
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="overlaps"):
        read_definition(path)


def test_rev10_game_software_is_carried_to_rev9_through_the_concordance():
    pairs = read_concordance(DATA / "ksic" / "ksic_10_to_9.csv")
    result = translate(["58211", "58212"], pairs)
    # Both rev. 10 online and mobile game codes come from rev. 9 58211 (online/mobile games).
    assert result.full == ["58211"]


def test_a_code_only_partly_in_the_sector_is_set_apart():
    pairs = read_concordance(DATA / "ksic" / "ksic_10_to_9.csv")
    result = translate(["261", "262", "263", "264", "265", "266"], pairs)
    # rev. 9 73302 (commercial photography) feeds rev. 10 26299 only in part.
    assert "73302" in result.partial and "73302" not in result.full
    assert "26110" in result.full


def test_fold_prefixes_only_folds_complete_families():
    universe = ["58211", "58219", "58221", "58222", "58111"]
    assert fold_prefixes(["58211", "58219", "58221", "58222"], universe) == ["582"]
    assert fold_prefixes(["58211", "58221"], universe) == ["58211", "58221"]


def test_aggregation_never_counts_a_level_twice():
    values = {"582": 25, "5821": 10, "5822": 15, "620": 20, "J": 60}
    assert aggregate_by_prefixes(values, ["582", "620"]) == (45, True)
    assert aggregate_by_prefixes({"5821": 10, "5822": None}, ["582"]) == (10, False)
    assert aggregate_by_prefixes({"J": 60}, ["582"]) == (None, False)
