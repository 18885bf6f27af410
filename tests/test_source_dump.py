"""The text-dump source and copy merging, pinned on every post of both seed dumps.

The expectations come from reading the dumps by hand (see shared/README.md for the
format). Each post's text is pinned as the dump line numbers it is made of, in
order, so the expected text is exact without copying the samples here: e.g. the
Tanya Savicheva post of dump 000 is its first copy's lines with the nine diary
lines only its second copy has (117-125) put back in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from communique.models import RawPost
from communique.sources import dump
from conftest import DUMP_000, DUMP_002, dump_posts


def r(first: int, last: int) -> list[int]:
    return list(range(first, last + 1))


@dataclass
class Expected:
    title: str  # the first words of the title
    span: tuple[int, int]  # the post's lines in the dump, headers and widgets included
    text: list[int]  # the dump lines that make the post's text, in order
    forwarded_from: str | None = None
    reply_line: int | None = None  # the line of the reply preview
    media: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


MFA = "Russian MFA 🇷🇺"

EXPECTED = {
    DUMP_000: [
        Expected("🎙 Russian Foreign Ministry Spokeswoman", (1, 9), r(1, 5)),
        Expected(
            "Steven Witkoff welcomed",
            (10, 17),
            r(13, 15),
            forwarded_from="Kremlin. News",
            media=["unsupported"],
        ),
        Expected("#Outcomes2025", (18, 50), r(20, 35), reply_line=19, hashtags=["Outcomes2025"]),
        Expected(
            "⚡️ Comment by Aide to the President", (51, 91), r(51, 71), hashtags=["RussiaUSA"]
        ),
        Expected(
            "🇷🇺🇨🇳 On January 22, In Beijing", (92, 102), r(92, 97), hashtags=["SCO", "RussiaChina"]
        ),
        Expected(
            "🗓 On January 23, 1930, Tanya Savicheva",
            (103, 132),
            r(103, 106) + r(117, 125) + r(107, 113),
            hashtags=["WeRemember", "NoStatuteOfLimitations"],
        ),
        Expected("🎙 Statement by Permanent Representative", (133, 157), r(133, 145)),
        Expected(
            "📅 On January 21, 2026, a solemn ceremony",
            (158, 172),
            r(159, 164),
            forwarded_from="Russia in Canada",
            media=["needs_app"],
        ),
        Expected("📆 On January 23, Director", (173, 179), r(173, 176)),
        Expected(
            "✍️ Russia's Foreign Minister Sergey Lavrov’s condolences", (180, 194), r(180, 187)
        ),
        Expected(
            "📆January 24 is the International Day",
            (195, 202),
            r(196, 199),
            forwarded_from="Russian Delegation to UNESCO",
            hashtags=["UNESCO"],
        ),
        Expected(
            "🇷🇺🇻🇳 On January 24 Russia's President",
            (203, 213),
            r(203, 208),
            hashtags=["RussiaVietnam"],
        ),
        Expected(
            "#Outcomes2025",
            (214, 238),
            r(216, 227),
            reply_line=215,
            hashtags=["Outcomes2025", "NATO", "EU", "OSCE"],
        ),
        Expected("⚡ Comment by Foreign Ministry", (239, 259), r(239, 249)),
        Expected(
            "🇷🇺🇨🇳 On January 23, Russia's Deputy",
            (260, 272),
            r(260, 266),
            hashtags=["APR", "ASEAN", "RussiaChina"],
        ),
    ],
    DUMP_002: [
        Expected(
            "🎙 Foreign Minister Sergey Lavrov’s address",
            (1, 25),
            r(1, 13),
            hashtags=["EAEU", "BRICS"],
        ),
        Expected(
            "🎙 Foreign Minister Sergey Lavrov’s remarks",
            (26, 54),
            r(26, 40),
            hashtags=["Eurasia", "ASEAN", "CSTO", "CIS", "GCC", "SAARC"],
        ),
        Expected(
            "#Opinion by Maria Zakharova",
            (55, 67),
            r(55, 61),
            hashtags=["Opinion"],
            links=["https://xn--r1a.website/MariaVladimirovnaZakharova/10675"],
        ),
        Expected(
            "📆 On May 29, 2025, Consul General",
            (68, 92),
            r(69, 79),
            forwarded_from="Russia in Canada",
            media=["needs_app"],
            hashtags=["Victory80", "WeRemember"],
        ),
        Expected(
            "🇷🇺 Interview by Permanent Representative",
            (93, 106),
            r(94, 100),
            forwarded_from="Russian Mission Vienna",
        ),
        Expected(
            "❗️Russian Embassy's Comment",
            (107, 124),
            r(108, 112) + r(120, 121) + r(113, 115),
            forwarded_from="Russian Embassy in Australia",
        ),
        Expected(
            "✉️ Russia's Foreign Minister Sergey Lavrov’s greetings",
            (125, 143),
            r(125, 134),
            hashtags=["RussiaChina"],
        ),
        Expected(
            "🎙 Statement by Permanent Representative", (144, 172), r(146, 159), media=["too_big"]
        ),
        Expected(
            "🇷🇺🇻🇳 On May 29, Russian-Vietnamese",
            (173, 179),
            r(173, 176),
            hashtags=["BTWC", "RussiaVietnam"],
        ),
        Expected(
            "📻 Interview of Russia’s Ambassador to Norway",
            (180, 195),
            r(181, 188),
            forwarded_from="Посольство России в Норвегии - Russlands Ambassade i Norge",
        ),
        Expected(
            "🔴 #LIVE: UN Security Council",
            (196, 200),
            r(196, 198),
            media=["needs_app"],
            hashtags=["LIVE"],
        ),
        Expected(
            "🎙 Foreign Ministry Spokeswoman Maria Zakharova’s answer", (201, 215), r(201, 208)
        ),
        Expected(
            "🇷🇺 The Security Council of the Russian Federation",
            (216, 229),
            r(216, 221) + [228, 222],
            hashtags=["BRICS", "SCO", "ASEAN", "CIS", "CELAC", "CSTO"],
        ),
    ],
}

WIDGET_TEXTS = [
    "VIEW IN TELEGRAM",
    "Please open Telegram to view this post",
    "Media is too big",
    "This media is not supported in your browser",
]


def dump_lines(path: Path) -> list[str]:
    return ["", *path.read_text(encoding="utf-8").split("\n")]  # 1-based


CASES = [(path, i, exp) for path, exps in EXPECTED.items() for i, exp in enumerate(exps)]


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: p.name[:3])
def test_each_dump_yields_exactly_its_posts(path: Path) -> None:
    posts = dump_posts(path)
    assert len(posts) == len(EXPECTED[path])
    assert [p.title[:20] for p in posts] == [e.title[:20] for e in EXPECTED[path]]


@pytest.mark.parametrize(
    ("path", "index", "exp"), CASES, ids=[f"{p.name[:3]}-{i + 1}" for p, i, _ in CASES]
)
def test_post_fields(path: Path, index: int, exp: Expected) -> None:
    post = dump_posts(path)[index]
    lines = dump_lines(path)
    assert post.title.startswith(exp.title)
    assert post.text == "\n".join(lines[n] for n in exp.text)
    assert post.title == lines[exp.text[0]]
    assert post.source.lines == exp.span
    assert post.source.path == str(path)
    assert post.forwarded_from == exp.forwarded_from
    if exp.reply_line is None:
        assert post.reply_to is None
    else:
        assert post.reply_to is not None
        assert post.reply_to.channel == MFA
        assert post.reply_to.text == lines[exp.reply_line]
    assert post.media == exp.media
    assert post.hashtags == exp.hashtags
    assert post.links == exp.links
    assert post.channel == "MFARussia"


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: p.name[:3])
def test_no_widget_text_and_no_duplicated_line(path: Path) -> None:
    for post in dump_posts(path):
        text_lines = post.text.split("\n")
        for widget in WIDGET_TEXTS:
            assert widget not in text_lines
            assert not post.text.startswith("Forwarded from")
        # "<...>" (the author's cut marker) may stand several times; nothing else may.
        repeated = {x for x in text_lines if text_lines.count(x) > 1} - {"<...>"}
        assert not repeated, post.title


def test_own_link_labels_and_cut_markers_are_kept() -> None:
    texts = [p.text.split("\n") for p in dump_posts(DUMP_000) + dump_posts(DUMP_002)]
    assert sum("Read in full" in t for t in texts) == 4
    assert sum("📺 Watch the news conference in full" in t for t in texts) == 2
    assert sum("Listen to the interview" in t for t in texts) == 1
    assert sum(t.count("<...>") for t in texts) == 3


def test_the_two_replies_with_one_title_are_two_posts() -> None:
    replies = [p for p in dump_posts(DUMP_000) if p.reply_to is not None]
    assert [p.title for p in replies] == ["#Outcomes2025", "#Outcomes2025"]
    assert replies[0].text != replies[1].text
    assert "restore relations with the EU" in replies[0].text
    assert "Eurasian security" in replies[1].text


def test_sniff_accepts_text_and_refuses_markup(tmp_path: Path) -> None:
    head = DUMP_000.read_text(encoding="utf-8")[:500]
    assert dump.sniff(DUMP_000, head)
    assert not dump.sniff(tmp_path / "x.html", "<!DOCTYPE html><html>")
    assert not dump.sniff(tmp_path / "x.json", '{"messages": []}')


def test_a_truncated_second_copy_still_gives_the_whole_first_copy(tmp_path: Path) -> None:
    # The dumps end mid-post: cut dump 000 inside the last post's second copy.
    lines = dump_lines(DUMP_000)[1:]
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(lines[:268]), encoding="utf-8")
    posts = dump_posts(cut)
    assert len(posts) == 15
    full = dump_lines(DUMP_000)
    assert posts[-1].text == "\n".join(full[n] for n in r(260, 266))
    assert posts[-1].source.lines == (260, 268)


def test_header_lines_without_a_post_are_skipped_with_a_reason(tmp_path: Path) -> None:
    lines = dump_lines(DUMP_000)[1:]
    path = tmp_path / "tail.txt"
    path.write_text("\n".join([*lines[:9], "Forwarded from Russia in Canada"]), encoding="utf-8")
    items = list(dump.read(path))
    assert isinstance(items[0], RawPost)
    assert items[-1].__class__.__name__ == "Skipped"
    assert "no post" in items[-1].reason  # type: ignore[union-attr]
