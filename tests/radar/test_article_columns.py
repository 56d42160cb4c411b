"""ArticleColumns (framework-free): story collapsing and facet counts equal a plain recount."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seoulhub.radar.search.columns import NO_MONTH, ArticleColumns, ArticleRows, month_code, month_label

LANGUAGES = ["ko", "en", "ja", ""]


def build(articles: dict[int, dict]) -> ArticleColumns:
    """Columns holding `articles` ({id: {"cluster", "source", "language", "month", "techs"}}),
    appended in a few batches as the catalogue would."""
    columns = ArticleColumns(capacity=4)
    ids = sorted(articles)
    for batch in (ids[: len(ids) // 3], ids[len(ids) // 3: len(ids) // 2], ids[len(ids) // 2:]):
        if not batch:
            continue
        links = [(i, t) for i in batch for t in articles[i]["techs"]]
        columns.append(ArticleRows.of(
            batch, [articles[i]["cluster"] for i in batch], [articles[i]["source"] for i in batch],
            [articles[i]["language"] for i in batch], [articles[i]["month"] for i in batch],
            [i for i, _ in links], [t for _, t in links]))
    return columns


article = st.fixed_dictionaries({
    "cluster": st.integers(0, 6), "source": st.integers(1, 5), "language": st.sampled_from(LANGUAGES),
    "month": st.sampled_from([NO_MONTH, month_code(2025, 12), month_code(2026, 1), month_code(2026, 2)]),
    "techs": st.lists(st.integers(1, 8), unique=True, max_size=4),
})
corpora = st.dictionaries(st.integers(1, 400), article, min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(corpora, st.data())
def test_collapse_keeps_the_first_article_of_each_story(articles, data):
    columns = build(articles)
    known = sorted(articles)
    ranked = data.draw(st.lists(st.sampled_from(known + [401, 402, 403]), unique=True))
    extra = {401: 3, 402: None}  # read from the database for this request; 403 was deleted
    keep = columns.collapse(ranked, extra)
    seen, expected = set(), []
    for doc_id in ranked:
        if doc_id == 403:
            expected.append(False)
            continue
        cluster = extra[doc_id] if doc_id in extra else articles[doc_id]["cluster"]
        if cluster:
            expected.append(cluster not in seen)
            seen.add(cluster)
        else:
            expected.append(True)
    assert keep == expected


@settings(max_examples=150, deadline=None)
@given(corpora, st.data())
def test_facet_counts_equal_a_recount(articles, data):
    columns = build(articles)
    ids = data.draw(st.lists(st.sampled_from(sorted(articles) + [999]), unique=True))
    counts = {kind: dict(pairs) for kind, pairs in columns.facet_counts(ids).items()}
    chosen = [articles[i] for i in ids if i in articles]
    assert counts["technology"] == dict(Counter(t for a in chosen for t in a["techs"]))
    assert counts["language"] == dict(Counter(a["language"] for a in chosen))
    assert counts["source"] == dict(Counter(a["source"] for a in chosen))
    assert counts["month"] == dict(Counter(a["month"] for a in chosen if a["month"] != NO_MONTH))


def test_technologies_survive_growth_and_gaps_in_ids():
    articles = {i: {"cluster": 0, "source": 1, "language": "en", "month": NO_MONTH, "techs": [i % 7 + 1, 9]}
                for i in range(1, 3000, 3)}
    columns = build(articles)
    assert columns.articles == len(articles) and columns.max_id == 2998
    for i in (1, 1498, 2998):
        assert sorted(columns.technologies_of(i).tolist()) == sorted([i % 7 + 1, 9])
    assert columns.technologies_of(2).tolist() == [] and columns.technologies_of(10_000).tolist() == []


def test_appends_must_come_in_id_order():
    columns = build({5: {"cluster": 0, "source": 1, "language": "en", "month": NO_MONTH, "techs": []}})
    rows = ArticleRows.of([4], [0], [1], ["en"], [NO_MONTH], [], [])
    with pytest.raises(ValueError, match="ascending"):
        columns.append(rows)


def test_a_story_joined_later_collapses_from_then_on():
    columns = build({i: {"cluster": 0, "source": 1, "language": "en", "month": NO_MONTH, "techs": []}
                     for i in (1, 2, 3)})
    assert columns.collapse([3, 1, 2]) == [True, True, True]
    columns.set_clusters([1, 3, 77], [5, 5, 5])  # 77 is unknown: ignored
    assert columns.collapse([3, 1, 2]) == [True, False, True]


def test_month_codes_read_back_as_labels():
    assert month_label(month_code(2026, 1)) == "2026-01"
    assert month_label(month_code(1999, 12)) == "1999-12"
