"""Evaluate the structure extractor against the hand-labelled posts (bench/labels).

    python bench/evaluate.py            per-field accuracy, precision and recall
    python bench/evaluate.py --check    also exit 1 if any figure is below the baseline
    python bench/evaluate.py --update   write the figures as the new baseline
    python bench/evaluate.py --errors countries   list the posts a field gets wrong

The labelled posts are read from ../shared exactly as ingest reads them (the dump
and CSV sources, normalise), so the figures measure what users get. The labels
follow docs/labelling.md. The CSV's February and March posts are held out: never
labelled, never used for tuning.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique.extract import extract
from communique.extract.when import year_hint
from communique.models import Post, RawPost, Structure
from communique.normalise import normalise
from communique.sources import dump, tabular

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("COMMUNIQUE_SHARED", ROOT.parent / "shared")).resolve()
LABELS = ROOT / "bench" / "labels"
BASELINE = ROOT / "bench" / "baseline.json"
CSV_NAME = "mfarussia_2025-12_2026-03.csv"

ACCURACY_FIELDS = ("kind", "speaker", "event_date", "place", "language")
SET_FIELDS = ("countries", "organizations", "people", "events")


@dataclass(slots=True)
class Case:
    label: dict[str, Any]
    post: Post
    year: int | None  # the year hint for an undated post (its dump's)


def load_cases() -> list[Case]:
    labels = [json.loads(line) for f in sorted(LABELS.glob("*.jsonl"))
              for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]  # fmt: skip
    dumps = {
        f.name: _posts(dump.read(f, channel="MFARussia")) for f in (SHARED / "seeds").glob("*.txt")
    }
    hints = {name: year_hint([p.text for p in posts]) for name, posts in dumps.items()}
    rows = {p.message_id: p for p in _posts(tabular.read_csv(SHARED / "data" / CSV_NAME))}
    cases = []
    for label in labels:
        ident = label["id"]
        if "message_id" in ident:
            cases.append(Case(label, rows[ident["message_id"]], None))
            continue
        found = [p for p in dumps[ident["dump"]] if p.title == ident["title"]
                 and ident.get("text_contains", "") in p.text]  # fmt: skip
        assert len(found) == 1, f"label matches {len(found)} posts: {ident}"
        cases.append(Case(label, found[0], hints[ident["dump"]]))
    return cases


def _posts(items: Iterable[object]) -> list[Post]:
    out = []
    for item in items:
        if isinstance(item, RawPost):
            post = normalise(item)
            if isinstance(post, Post):
                out.append(post)
    return out


# -- comparing one field -------------------------------------------------------------


def _norm(value: Any) -> Any:
    return " ".join(value.casefold().split()) if isinstance(value, str) else value


def _items(field: str, value: Any) -> set[Any]:
    """A set-valued field as comparable items."""
    if field == "people":
        return {_norm(p["name"] if isinstance(p, dict) else p.name) for p in value}
    if field == "events":
        return {_event_key(e) for e in value}
    return set(value)


def _event_key(event: Any) -> tuple[str, frozenset[str]]:
    if isinstance(event, dict):
        return event["type"], frozenset(event["countries"])
    return event.type, frozenset(event.countries)


def predicted(found: Structure, field: str) -> Any:
    return getattr(found, field)


@dataclass(slots=True)
class Score:
    right: int = 0
    total: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0


def evaluate(cases: list[Case], on_case: Callable[[Case, Structure], None] | None = None
             ) -> dict[str, dict[str, float]]:  # fmt: skip
    scores = {f: Score() for f in ACCURACY_FIELDS + SET_FIELDS}
    for case in cases:
        found = extract(case.post, year=case.year)
        if on_case:
            on_case(case, found)
        for f in ACCURACY_FIELDS:
            scores[f].total += 1
            scores[f].right += _norm(predicted(found, f)) == _norm(case.label[f])
        for f in SET_FIELDS:
            want, got = _items(f, case.label[f]), _items(f, predicted(found, f))
            scores[f].tp += len(want & got)
            scores[f].fp += len(got - want)
            scores[f].fn += len(want - got)
    return {f: _figures(f, s) for f, s in scores.items()}


def _figures(field: str, s: Score) -> dict[str, float]:
    if field in ACCURACY_FIELDS:
        return {"accuracy": round(s.right / s.total, 4) if s.total else 0.0}
    p = s.tp / (s.tp + s.fp) if s.tp + s.fp else 1.0
    r = s.tp / (s.tp + s.fn) if s.tp + s.fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def below_baseline(figures: dict[str, dict[str, float]], baseline: dict[str, dict[str, float]]
                   ) -> list[str]:  # fmt: skip
    return [f"{field}.{name}: {figures[field][name]} < baseline {value}"
            for field, names in baseline.items() for name, value in names.items()
            if figures.get(field, {}).get(name, 0.0) < value]  # fmt: skip


def print_errors(field: str) -> Callable[[Case, Structure], None]:
    def show(case: Case, found: Structure) -> None:
        want, got = case.label[field], predicted(found, field)
        if field in SET_FIELDS:
            want, got = _items(field, want), _items(field, got)
            if want != got:
                print(f"{case.label['id']}: missing {sorted(want - got, key=str)} "
                      f"extra {sorted(got - want, key=str)}")  # fmt: skip
        elif _norm(want) != _norm(got):
            print(f"{case.label['id']}: want {want!r} got {got!r}  | {case.post.title[:90]}")

    return show


def heldout_profile() -> None:
    """What the extractor finds on the held-out months, beside the tuned ones.

    No labels exist for February and March 2026 (on purpose): this only shows
    whether the output looks alike (kinds, how often each field is found), for a
    reviewer to judge; it is never used to change the rules.
    """
    rows = _posts(tabular.read_csv(SHARED / "data" / CSV_NAME))
    groups = {"Dec-Jan (tuned)": [p for p in rows if (p.date or "") < "2026-02"],
              "Feb-Mar (held out)": [p for p in rows if (p.date or "") >= "2026-02"]}  # fmt: skip
    for name, posts in groups.items():
        found = [extract(p) for p in posts if p.text]
        n = len(found)
        kinds = Counter(f.kind for f in found).most_common(6)
        fields = ("speaker", "event_date", "place", "countries", "people", "events")
        share = {field: sum(bool(getattr(f, field)) for f in found) / n for field in fields}
        print(f"{name}: {n} posts; kinds {kinds}")
        print("   found: " + ", ".join(f"{k} {v:.0%}" for k, v in share.items()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--errors", metavar="FIELD")
    parser.add_argument("--heldout", action="store_true", help="profile the held-out months")
    args = parser.parse_args(argv)
    if args.heldout:
        heldout_profile()
        return 0
    cases = load_cases()
    figures = evaluate(cases, print_errors(args.errors) if args.errors else None)
    kinds = Counter(c.label["kind"] for c in cases)
    print(f"{len(cases)} labelled posts ({', '.join(f'{k} {n}' for k, n in kinds.most_common())})")
    for field, names in figures.items():
        print(f"  {field:<14}" + "  ".join(f"{n} {v:.3f}" for n, v in names.items()))
    if args.update:
        BASELINE.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"baseline written: {BASELINE.relative_to(ROOT)}")
    if args.check:
        drops = below_baseline(figures, json.loads(BASELINE.read_text(encoding="utf-8")))
        for drop in drops:
            print(f"below baseline: {drop}", file=sys.stderr)
        return 1 if drops else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
