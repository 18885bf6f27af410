"""Searching the ranking index (``textindex``): a parsed query (``communique.query``)
as a tantivy query, filters that do not score, a page of the top posts, and facet
counts over the whole matching set, the country facet of a very common word
counted by complement (``facets``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import tantivy

from communique.query import Node, Words
from communique.textindex import ENTITY_FIELDS, Handle, analyzer, timestamp

_TOTALS_LOCK = threading.Lock()  # for Handle.totals, which threads share


def top(
    searcher: tantivy.Searcher, query: tantivy.Query, limit: int, offset: int, *, by_date: bool
) -> tuple[int, list[tuple[int, float]]]:
    """How many posts match, and one page of (post id, score), best or newest first."""
    if by_date:
        found = searcher.search(query, limit, count=True, order_by_field="ts", offset=offset)
    else:
        found = searcher.search(query, limit, count=True, offset=offset)
    page = [
        (int(searcher.doc(address)["id"][0]), 0.0 if by_date else float(score))
        for score, address in found.hits
    ]
    return int(getattr(found, "count", 0) or 0), page


# -- queries -------------------------------------------------------------------------


@dataclass(slots=True)
class Filters:
    """Filter values as search.py resolved them (codes, keys, ISO moments)."""

    channel: list[str]
    kind: list[str]
    since: str | None
    until: str | None
    entities: dict[str, list[str]]  # entity type -> values
    has_media: bool | None
    forwarded: bool | None


def to_query(node: Node, sch: tantivy.Schema, title_boost: float) -> tantivy.Query:
    """The tantivy query for a parsed search (communique.query.parse)."""
    if isinstance(node, Words):
        return _words(node, sch, title_boost)
    left = to_query(node.left, sch, title_boost)
    right = to_query(node.right, sch, title_boost)
    Occur = tantivy.Occur
    if node.op == "OR":
        return tantivy.Query.boolean_query([(Occur.Should, left), (Occur.Should, right)])
    second = Occur.MustNot if node.op == "NOT" else Occur.Must
    return tantivy.Query.boolean_query([(Occur.Must, left), (second, right)])


_ANALYZER = analyzer()


def _words(words: Words, sch: tantivy.Schema, title_boost: float) -> tantivy.Query:
    """A word or phrase in the title or the text, the title's match weighing more."""
    tokens: list[Any] = _ANALYZER.analyze(words.text)
    if not tokens:  # only punctuation: FTS5 matches nothing for it either
        return tantivy.Query.empty_query()
    per_field = []
    for name, boost in (("title", title_boost), ("text", 1.0)):
        if words.prefix and len(tokens) == 1:
            q = tantivy.Query.regex_query(sch, name, re.escape(tokens[0]) + ".*")
        elif words.prefix:
            q = tantivy.Query.phrase_prefix_query(sch, name, tokens)
        elif len(tokens) == 1:
            q = tantivy.Query.term_query(sch, name, tokens[0])
        else:
            q = tantivy.Query.phrase_query(sch, name, tokens)
        per_field.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost)))
    return tantivy.Query.boolean_query(per_field)


def with_filters(text: tantivy.Query | None, f: Filters, sch: tantivy.Schema) -> tantivy.Query:
    """The text query (or every post) narrowed by the filters, which do not score."""
    Q, Occur = tantivy.Query, tantivy.Occur
    must: list[tantivy.Query] = []

    def any_of(field: str, values: list[str]) -> None:
        if values:
            must.append(Q.term_set_query(sch, field, values))

    any_of("channel_key", [c.casefold() for c in f.channel])
    any_of("kind", f.kind)
    for type_, values in f.entities.items():
        any_of(ENTITY_FIELDS[type_], values)
    if f.since or f.until:
        must.append(
            Q.range_query(
                sch,
                "ts",
                tantivy.FieldType.Integer,
                timestamp(f.since) if f.since else None,
                timestamp(f.until) if f.until else None,
            )
        )
    if f.has_media is not None:
        must.append(Q.term_query(sch, "media", int(f.has_media)))
    if f.forwarded is not None:
        must.append(Q.term_query(sch, "forwarded", int(f.forwarded)))
    clauses = [(Occur.Must, text if text is not None else Q.all_query())]
    clauses += [(Occur.Must, Q.const_score_query(m, 0.0)) for m in must]
    return clauses[0][1] if len(clauses) == 1 else Q.boolean_query(clauses)


@dataclass(slots=True, frozen=True)
class Split:
    """A search as its words and its filters apart, for ``_by_complement``."""

    words: tantivy.Query
    scope: tantivy.Query  # the filters alone: every post if none
    key: str  # names the scope and the index state
    handle: Handle


def split_search(
    searcher: tantivy.Searcher, handle: Handle, mark: int | None, node: Node, f: Filters
) -> Split | None:
    """A ``Split`` of the search if its words likely match most posts of the index
    and the searcher's state is known (``snapshot``), else None."""
    if mark is None:
        return None
    if _share(searcher, node) <= MOST:
        return None
    words = to_query(node, handle.schema, 1.0)  # the scores are not used
    scope = with_filters(None, f, handle.schema)
    return Split(words, scope, f"{mark} {f!r}", handle)


def _share(searcher: tantivy.Searcher, node: Node) -> float:
    """Roughly which share of the posts ``node`` matches, from its words' document
    frequencies (an AND at most its rarer side's); 0 for phrases and prefixes."""
    if isinstance(node, Words):
        tokens = _ANALYZER.analyze(node.text)
        if node.prefix or len(tokens) != 1 or not searcher.num_docs:
            return 0.0
        found = max(searcher.doc_freq(name, tokens[0]) for name in ("title", "text"))
        return float(found) / searcher.num_docs
    left, right = _share(searcher, node.left), _share(searcher, node.right)
    return {"AND": min(left, right), "OR": max(left, right)}.get(node.op, left)


# A share of the posts above which the complement is counted (``_by_complement``).
MOST = 0.5


def facets(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    names: Iterable[str],
    size: int,
    split: Split | None = None,
) -> Counting:
    """Counts over the whole matching set, by terms aggregations, computed on other
    threads while the caller ranks (tantivy lets go of the GIL while it works).

    Countries, several to a post, cost as much as the other facets together, so
    they are counted apart, and by complement when the words match most posts
    (``split``, from ``split_search``). Months come newest first; other values by count, ties by
    value, as the SQL path sorts them."""
    names = list(names)
    parts = []
    if "country" in names:
        if split is None:
            parts.append(_POOL.submit(_aggregate, searcher, query, ["country"], size))
        else:
            parts.append(_POOL.submit(_by_complement, searcher, query, split, size))
    others = [n for n in names if n != "country"]
    if others:
        parts.append(_POOL.submit(_aggregate, searcher, query, others, size))
    return Counting(names, parts)


@dataclass(slots=True)
class Counting:
    names: list[str]
    parts: list[Future[dict[str, list[tuple[str, int]]]]]

    def result(self) -> dict[str, list[tuple[str, int]]]:
        out: dict[str, list[tuple[str, int]]] = {}
        for part in self.parts:
            out.update(part.result())
        return {name: out[name] for name in self.names}


def _aggregate(
    searcher: tantivy.Searcher, query: tantivy.Query, names: list[str], size: int
) -> dict[str, list[tuple[str, int]]]:
    spec: dict[str, Any] = {}
    for name in names:
        terms: dict[str, Any] = {"field": name, "size": FACET_DEPTH}
        if name == "month":
            terms.update(size=size, order={"_key": "desc"})
        spec[name] = {"terms": terms}
    result = searcher.aggregate(query, spec)
    out: dict[str, list[tuple[str, int]]] = {}
    for name in names:
        rows = [
            (str(b["key"]), int(b["doc_count"]))
            for b in result.get(name, {}).get("buckets", [])
            if b["key"] != ""
        ]
        if name != "month":
            rows.sort(key=lambda r: (-r[1], r[0]))
        out[name] = rows[:size]
    return out


def _by_complement(
    searcher: tantivy.Searcher, query: tantivy.Query, split: Split, size: int
) -> dict[str, list[tuple[str, int]]]:
    """The country facet of a search whose words match most posts ("Russia", in 83%
    of them): the counts of its scope (the filters alone), less those of the posts
    of the scope that the words leave out. Counting the few left out costs a third
    of counting the many matched, and a scope's counts serve every such search in it
    until the index changes (kept per state, a few scopes). Exact: both are counted
    in full."""
    cache = split.handle.totals
    whole = cache.get(split.key)
    if whole is None:
        whole = _complete(searcher, split.scope, "country")
        if whole is None:
            return _aggregate(searcher, query, ["country"], size)
        with _TOTALS_LOCK:
            while len(cache) >= TOTALS_KEPT:
                cache.pop(next(iter(cache)))
            cache[split.key] = whole
    Q, Occur = tantivy.Query, tantivy.Occur
    left_out = Q.boolean_query([(Occur.Must, split.scope), (Occur.MustNot, split.words)])
    rest = _complete(searcher, left_out, "country")
    if rest is None or any(n > whole.get(k, 0) for k, n in rest.items()):
        # (More left out than in the scope: counts of another state. Not seen, as
        # the key names the state, but then counting directly is still right.)
        return _aggregate(searcher, query, ["country"], size)
    rows = [(k, n - rest.get(k, 0)) for k, n in whole.items() if n > rest.get(k, 0)]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return {"country": rows[:size]}


def _complete(searcher: tantivy.Searcher, query: tantivy.Query, name: str) -> dict[str, int] | None:
    """Every value's count, or None if there may be more values than were returned."""
    spec = {name: {"terms": {"field": name, "size": COMPLETE, "segment_size": COMPLETE}}}
    buckets = searcher.aggregate(query, spec).get(name, {}).get("buckets", [])
    if len(buckets) >= COMPLETE:
        return None
    return {str(b["key"]): int(b["doc_count"]) for b in buckets if b["key"] != ""}


# More values than any facet counted by complement has (countries: some 250).
COMPLETE = 2_000
# Scopes whose counts are kept per index (``_by_complement``), the oldest dropped.
TOTALS_KEPT = 16

# Values a facet's aggregation returns, most frequent first, before they are sorted
# and cut to FACET_SIZE: room for ties at the cut. tantivy's counts of the values it
# returns are exact (each segment reports ten times as many candidates).
FACET_DEPTH = 100
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="facets")
