"""Full-text search on the real posts: syntax, filters, facets, ranking, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.cli import main
from communique.ingest import ingest
from communique.query import QueryError, to_fts
from communique.search import Query, search
from communique.store import Store, open_store
from conftest import DUMP_000


@pytest.fixture(scope="module")
def archive(samples_db: Path) -> Path:
    return samples_db


@pytest.fixture(params=["tantivy", "fts5"])
def store(archive: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Store:
    """Every test runs on both indexes: they must find the same posts."""
    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", request.param)
    return open_store(archive)


def keys(store: Store, text: str, **filters: object) -> set[str]:
    """Every matching key, page by page."""
    found: list[str] = []
    while True:
        query = Query(text=text, limit=500, offset=len(found), facets=False)
        for name, value in filters.items():
            setattr(query, name, value)
        results = search(store, query)
        found += [h.key for h in results.hits]
        if len(found) >= results.total or not results.hits:
            assert len(found) == results.total == len(set(found))
            return set(found)


def texts(store: Store) -> dict[str, str]:
    return {p.key: p.title + "\n" + p.text for p in store.posts()}


def test_a_phrase_finds_exactly_the_posts_that_have_it(store: Store) -> None:
    pattern = re.compile(r"\bkiev\W+regime\b", re.IGNORECASE)
    expected = {k for k, t in texts(store).items() if pattern.search(t)}
    assert len(expected) > 10
    assert keys(store, '"Kiev regime"') == expected


@pytest.mark.parametrize(("a", "b"), [("Lavrov", "Zakharova"), ("China", "Vietnam")])
def test_operators_are_set_algebra(store: Store, a: str, b: str) -> None:
    left, right = keys(store, a), keys(store, b)
    assert left and right
    assert keys(store, f"{a} OR {b}") == left | right
    assert keys(store, f"{a} AND {b}") == left & right == keys(store, f"{a} {b}")
    assert keys(store, f"{a} NOT {b}") == left - right
    assert keys(store, f"({a} OR {b}) NOT Putin") == (left | right) - keys(store, "Putin")


def test_prefix_matches_word_beginnings(store: Store) -> None:
    assert keys(store, "Lavr*") >= keys(store, "Lavrov")
    assert keys(store, "consult*") > keys(store, "consultations")


def test_lower_case_operators_are_words(store: Store) -> None:
    assert keys(store, "Russia and China") == keys(store, '"Russia" "and" "China"')


@pytest.mark.parametrize(
    ("question", "title_words"),
    [
        ("telephone conversation Vietnam", "had a telephone conversation with General Secretary"),
        ("Marinera tanker crew", "Marinera"),
        ("condolences Fedorchenko", "condolences to the family and friends of Vladislav"),
        ("Nebenzia Security Council reform", "Intergovernmental Negotiations"),
        ("Rudenko Sun Weidong", "Sun Weidong"),
        ("Witkoff Kremlin Kushner", "Steven Witkoff welcomed"),
        ("Tanya Savicheva diary", "Tanya Savicheva"),
        ("Pushkin Medal Montreal", "solemn ceremony"),
    ],
)
def test_the_obviously_relevant_post_ranks_first(
    store: Store, question: str, title_words: str
) -> None:
    results = search(store, Query(text=question, limit=3))
    assert title_words in results.hits[0].title, [h.title[:60] for h in results.hits]
    scores = [h.score for h in results.hits]
    assert scores == sorted(scores, reverse=True)


def test_date_filters_and_sort(store: Store) -> None:
    results = search(store, Query(text="Lavrov", since="2026-01-01", until="2026-01-31",
                                  sort="date", limit=500))  # fmt: skip
    dates = [h.date or "" for h in results.hits]
    assert dates == sorted(dates, reverse=True)
    posts = {p.key: p for p in store.posts()}
    january = {k for k in keys(store, "Lavrov") if (posts[k].date or "")[:7] == "2026-01"}
    assert january and {h.key for h in results.hits} == january


def test_entity_and_flag_filters(store: Store) -> None:
    posts = {p.key: p for p in store.posts()}
    tagged = keys(store, "", hashtag=["RussiaChina"])
    assert tagged == {k for k, p in posts.items() if "RussiaChina" in p.hashtags}
    forwarded = keys(store, "", forwarded=True)
    assert forwarded == {k for k, p in posts.items() if p.forwarded_from}
    media = keys(store, "Lavrov", has_media=False)
    assert media == {k for k in keys(store, "Lavrov") if not posts[k].media}
    assert keys(store, "", channel=["@mfarussia"]) == set(posts)
    assert keys(store, "", channel=["nosuch"]) == set()


def test_facets_count_the_whole_matching_set(store: Store) -> None:
    results = search(store, Query(text="Russia", limit=5))
    assert results.total > 5 and len(results.hits) == 5
    assert sum(n for _, n in results.facets["kind"]) <= results.total
    assert dict(results.facets["channel"]) == {"MFARussia": results.total}
    months = dict(results.facets["month"])
    dated = [p for p in store.posts() if p.key in keys(store, "Russia") and p.date]
    assert sum(months.values()) == len(dated) or len(months) == 10


def test_pages_follow_each_other(store: Store) -> None:
    first = search(store, Query(text="Russia", limit=10, facets=False))
    second = search(store, Query(text="Russia", limit=10, offset=10, facets=False))
    assert not {h.key for h in first.hits} & {h.key for h in second.hits}
    assert first.total == second.total


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unclosed phrase', "unclosed quote at position 1"),
        ("NOT China", "NOT at position 1 needs a word before it"),
        ("China OR", "OR at position 7 needs a word after it"),
        ("(China OR Vietnam", "unclosed '('"),
        ("China)", "')' at position 6 closes nothing"),
        ("*", "'*' at position 1 must end a word"),
        ("x" * 1001, "limit is 1000"),
    ],
)
def test_invalid_queries_get_a_clear_message(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        to_fts(query)


def test_user_syntax_never_reaches_fts5(store: Store) -> None:
    # Characters that are FTS5 syntax are taken as words, not errors.
    for text in ["Russia-China", "US$1", "title:Lavrov", "Lavrov^", "NEAR(a b)", "a + b"]:
        search(store, Query(text=text))


def test_snippets_are_escaped_and_marked(tmp_path: Path) -> None:
    lines = DUMP_000.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3] + " <script>alert('marinera')</script>"
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("\n".join(lines[:9]), encoding="utf-8")
    store = open_store(tmp_path / "h.db")
    ingest(store, [hostile])
    [hit] = search(store, Query(text="alert")).hits
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "<mark>alert</mark>" in hit.snippet


def test_cli_json_shape_and_errors(archive: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["search", "Vietnam", "--db", str(archive), "--json",
                                  "--limit", "2"])  # fmt: skip
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"total", "results", "facets"}
    assert set(data["results"][0]) == {"key", "channel", "message_id", "date", "title",
                                       "snippet", "score"}  # fmt: skip
    assert set(data["facets"]) == {"kind", "channel", "country", "speaker", "month"}
    bad = runner.invoke(main, ["search", '"open', "--db", str(archive)])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: unclosed quote") and "fts5" not in bad.stderr
    table = runner.invoke(main, ["search", "Marinera", "--db", str(archive)])
    assert table.exit_code == 0 and "Marinera" in table.stdout
