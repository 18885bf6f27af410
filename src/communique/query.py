"""The search syntax: parsed here, then written out as a safe FTS5 expression or
as a tree (``parse``) that the ranking index (``communique.textindex``) builds from.

    word            posts with the word (any form FTS5's tokenizer folds to it)
    "two words"     the phrase
    pref*           a word starting with "pref"
    a b             both (AND is implied)
    a AND b         both
    a OR b          either
    a NOT b         a without b
    ( ... )         grouping

Operators are upper-case; lower-case "and", "or", "not" are ordinary words.
Everything else a user types is taken as words: each bare word is quoted before it
reaches FTS5, so "Russia-China", "US$1" or a stray colon never becomes FTS5 syntax
and never produces the database's own error. A query that cannot be understood
(an unclosed quote or bracket, an operator with nothing on one side) raises
``QueryError`` with the position and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from communique.errors import InputError

MAX_QUERY_CHARS = 1000
OPERATORS = ("AND", "OR", "NOT")
TOKEN_RE = re.compile(r'\s*(?:(?P<phrase>"[^"]*"?)|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+))')


class QueryError(InputError):
    """A search query that cannot be understood; says where and why."""


@dataclass(slots=True, frozen=True)
class Token:
    kind: str  # "term", "op", "open", "close"
    text: str  # for a term: its FTS5 form
    at: int  # 1-based position in the query, for messages


@dataclass(slots=True, frozen=True)
class Words:
    """A word or a phrase (the words in order), the last word a prefix if asked."""

    text: str
    prefix: bool = False


@dataclass(slots=True, frozen=True)
class Op:
    op: str  # "AND", "OR", "NOT" (left without right)
    left: Node
    right: Node


Node = Words | Op


def to_fts(query: str) -> str:
    """The FTS5 MATCH expression for ``query``, or QueryError."""
    return " ".join(_with_ands(_checked(query)))


def parse(query: str) -> Node:
    """The query as a tree, with FTS5's precedence: NOT, then AND, then OR."""
    tokens = _with_ands(_checked(query))
    node, rest = _parse_or(tokens)
    assert not rest, rest  # _check has ruled out anything left over
    return node


def _checked(query: str) -> list[Token]:
    query = query.strip()
    if not query:
        raise QueryError("empty query")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}")
    tokens = list(_tokens(query))
    _check(tokens)
    return tokens


def _parse_or(tokens: list[str]) -> tuple[Node, list[str]]:
    return _binary(tokens, "OR", _parse_and)


def _parse_and(tokens: list[str]) -> tuple[Node, list[str]]:
    return _binary(tokens, "AND", _parse_not)


def _parse_not(tokens: list[str]) -> tuple[Node, list[str]]:
    return _binary(tokens, "NOT", _parse_primary)


def _binary(tokens: list[str], op: str, lower: Any) -> tuple[Node, list[str]]:
    node, rest = lower(tokens)
    while rest and rest[0] == op:
        right, rest = lower(rest[1:])
        node = Op(op, node, right)
    return node, rest


def _parse_primary(tokens: list[str]) -> tuple[Node, list[str]]:
    head, rest = tokens[0], tokens[1:]
    if head == "(":
        node, rest = _parse_or(rest)
        return node, rest[1:]  # the ")"
    prefix = head.endswith("*")
    return Words(head.rstrip("*")[1:-1], prefix), rest  # a term is "text" or "text"*


def _with_ands(tokens: list[Token]) -> list[str]:
    """FTS5 implies AND only between phrases, not next to brackets: say it."""
    out: list[str] = []
    for before, token in zip([None, *tokens], tokens, strict=False):
        ends = before is not None and before.kind in ("term", "close")
        if ends and token.kind in ("term", "open"):
            out.append("AND")
        out.append(token.text)
    return out


def _tokens(query: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    while pos < len(query):
        match = TOKEN_RE.match(query, pos)
        if match is None or match.end() == pos:  # only trailing spaces are left
            break
        at = match.start(match.lastgroup or 0) + 1
        if match.group("phrase") is not None:
            out.append(_phrase(match.group("phrase"), at))
        elif match.group("open"):
            out.append(Token("open", "(", at))
        elif match.group("close"):
            out.append(Token("close", ")", at))
        else:
            out.append(_word(match.group("word"), at))
        pos = match.end()
    return [t for t in out if t.text]


def _phrase(raw: str, at: int) -> Token:
    if len(raw) < 2 or not raw.endswith('"'):
        raise QueryError(f'unclosed quote at position {at}: close the phrase with "')
    inner = raw[1:-1].strip()
    return Token("term", f'"{inner}"' if inner else "", at)


def _word(raw: str, at: int) -> Token:
    if raw in OPERATORS:
        return Token("op", raw, at)
    prefix = raw.endswith("*") and len(raw.rstrip("*")) > 0
    body = raw.rstrip("*")
    if not body:
        raise QueryError(f"'*' at position {at} must end a word, as in lavr*")
    return Token("term", f'"{body}"' + ("*" if prefix else ""), at)


def _check(tokens: list[Token]) -> None:
    """Operators need terms on both sides (NOT too: FTS5 has no unary NOT)."""
    depth = 0
    expect_term = True
    for t in tokens:
        if t.kind == "op":
            if expect_term:
                raise QueryError(_operator_message(t))
            expect_term = True
        elif t.kind == "open":
            depth += 1
            expect_term = True
        elif t.kind == "close":
            depth -= 1
            if depth < 0:
                raise QueryError(f"')' at position {t.at} closes nothing")
            if expect_term:
                raise QueryError(f"nothing to search for before ')' at position {t.at}")
            expect_term = False
        else:
            expect_term = False
    if depth > 0:
        raise QueryError("unclosed '(': add ')'")
    if expect_term and tokens:
        last = tokens[-1]
        raise QueryError(f"{last.text} at position {last.at} needs a word after it")
    if not tokens:
        raise QueryError("nothing to search for")


def _operator_message(t: Token) -> str:
    if t.text == "NOT":
        return (
            f"NOT at position {t.at} needs a word before it (a NOT b); "
            "to exclude alone, search for what to keep"
        )
    return f"{t.text} at position {t.at} needs a word before it"
