"""Generate a large archive-like corpus from the real posts, as JSONL.

    python bench/corpus.py --posts 1000000 --output build/corpus-1m.jsonl

Copying 505 posts 2,000 times makes every term match thousands of identical posts,
which no real archive does. Instead each generated post is recombined:

1. a title: a real title, with its names, countries and dates replaced;
2. a body of 2-8 paragraphs, each of 1-3 sentences drawn from the sentence pool
   of all real posts, with the same replacements;
3. replacements from pools gathered from the real posts and pycountry: countries
   (and their adjectives), person names, dates and numbers;
4. metadata: one of 40 channels, fresh sequential message ids per channel, dates
   spread over ten years, rounded view counts, the hashtags the text carries.

The output is JSONL that ``communique ingest`` reads (``--format jsonl``). The same
seed gives the same corpus. ``--after N --seed S`` makes posts to add to an archive
of the first N (message ids past theirs, dates in the ten years after):

    python bench/corpus.py --posts 20000 --after 1000000 --seed 7 --output build/more.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pycountry
from evaluate import CSV_NAME, SHARED, _posts

from communique.sources import dump, tabular

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-Z«“\"🇦-🇿💬❗☝👉📞🤝])")
DATE_RE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December) (\d{1,2})(, (\d{4}))?"
)
NAME_RE = re.compile(r"\b([A-Z][a-z]+ [A-Z][a-z]{2,}(?:ov|ev|in|ova|eva|ina|enko|sky|ich)?)\b")
NUMBER_RE = re.compile(r"\b\d{2,4}\b")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
CHANNELS = ["MFARussia", "mid_russia", "RusEmbUSA", "RusEmbCanada", "RusEmbUK", "RusEmbIndia",
            "RusEmbChina", "RusEmbJapan", "RusEmbSA", "RusEmbEgypt", "RusEmbBrazil", "RusEmbTurkey",
            "RusEmbIran", "RusEmbVietnam", "RusEmbIndonesia", "RusEmbKenya", "RusEmbNigeria",
            "RusEmbMexico", "RusEmbArgentina", "RusEmbGermany", "RusEmbFrance", "RusEmbItaly",
            "RusEmbSpain", "RusEmbPoland", "RusEmbSerbia", "RusEmbHungary", "RusMissionUN",
            "RusMissionGeneva", "RusMissionVienna", "RusEmbNorway", "RusEmbSweden",
            "RusEmbFinland", "RusEmbAustralia", "RusEmbNZ", "RusEmbKorea", "RusEmbMongolia",
            "RusEmbKazakhstan", "RusEmbBelarus", "RusEmbArmenia", "RusEmbAzerbaijan"]  # fmt: skip


class Generator:
    def __init__(self, seed: int, after: int = 0):
        self.rng = random.Random(seed)
        posts = _posts(tabular.read_csv(SHARED / "data" / CSV_NAME))
        for path in sorted((SHARED / "seeds").glob("*.txt")):
            posts += _posts(dump.read(path))
        posts = [p for p in posts if p.text]
        self.titles = [p.title for p in posts]
        self.sentences = [s for p in posts for line in p.text.split("\n")[1:]
                          for s in SENTENCE_END.split(line) if len(s) > 20]  # fmt: skip
        self.names = sorted({m for p in posts for m in NAME_RE.findall(p.text)})
        self.countries = sorted(c.name for c in pycountry.countries if len(c.name) < 20)
        self.country_re = re.compile(r"\b(" + "|".join(map(re.escape, self.countries)) + r")\b")
        # Posts to add to a corpus of ``after`` posts: ids past its, the ten years after.
        self.start = datetime(2016 + (10 if after else 0), 1, 1, tzinfo=UTC)
        self.ids = dict.fromkeys(CHANNELS, 1000 + after)

    def vary(self, text: str, when: datetime) -> str:
        rng = self.rng
        text = self.country_re.sub(lambda _: rng.choice(self.countries), text)
        text = NAME_RE.sub(lambda m: rng.choice(self.names) if rng.random() < 0.5 else m[0], text)
        text = DATE_RE.sub(lambda m: self._date(m, when), text)
        return NUMBER_RE.sub(lambda m: str(rng.randint(10, 999)) if rng.random() < 0.3 else m[0],
                             text)  # fmt: skip

    def _date(self, match: re.Match[str], when: datetime) -> str:
        day = when - timedelta(days=self.rng.randint(0, 3))
        year = f", {day.year}" if match.group(3) else ""
        return f"{MONTHS[day.month - 1]} {day.day}{year}"

    def post(self, n: int, total: int) -> dict[str, object]:
        rng = self.rng
        # Dates rise with n over ten years, as a real archive grows.
        when = self.start + timedelta(
            seconds=int(n / total * 10 * 365 * 86400) + rng.randint(0, 3600)
        )
        channel = CHANNELS[0] if rng.random() < 0.4 else rng.choice(CHANNELS)
        self.ids[channel] += 1
        paragraphs = [
            " ".join(rng.choice(self.sentences) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(2, 8))
        ]
        text = "\n".join([rng.choice(self.titles), *paragraphs])
        views = rng.randint(300, 90000)
        return {
            "channel": channel,
            "message_id": self.ids[channel],
            "date": when.isoformat(timespec="seconds"),
            "text": self.vary(text, when),
            "views": f"{views / 1000:.2f}K" if views >= 1000 else str(views),
        }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument(
        "--after", type=int, default=0,
        help="posts new to an archive of a corpus of AFTER posts: later ids and dates "
        "(with another --seed, for other texts)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    generator = Generator(args.seed, args.after)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        for n in range(args.posts):
            out.write(json.dumps(generator.post(n, args.posts), ensure_ascii=False) + "\n")
    print(f"{args.posts} posts written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
