"""Undoing what other scrapers did to a post's text: pure functions on strings.

``repair_text``, for scrapers that flattened Telegram's HTML by
joining its text nodes with spaces, runs in this order on each line:

1. strip the spaces the scraper put around line breaks (blank lines, which mark
   paragraphs, stay);
2. ``INLINE_REPAIRS``: no space before closing punctuation or after opening
   brackets, inside "'s", after "#" or a currency sign;
3. no space inside a pair of straight double quotes;
4. ``EMOJI_GAPS``: no space between two flags ("🇷🇺 🇨🇳") or two keycap digits;
5. a lone letter left by a link that started or ended mid-word ("e xpressed") is
   joined to the side that makes a word of the post's own vocabulary.

Then ``split_reply_preview`` moves into ``reply_to`` the preview of the replied
post that the scraper put in front of a reply's text (or took for all of it).
Lost for good, and left as the scraper wrote it: whether an emoji was followed by
a space ("📆 January" may have been "📆January"), spaces between other emoji, and
words split elsewhere than one letter from an end. On the 15 posts that the seed
dump 000 shares with the MFA CSV, 10 of the 13 non-replies come out exactly as the
dump has them; the rest differ only by those emoji spaces and by no-break spaces
the CSV kept and the dump lost.
"""

from __future__ import annotations

import re
from collections import Counter

_CLOSING = ".,:;!?…)]}»”"
INLINE_REPAIRS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Zakharova :", "Anchorage .", "( #APR )", "Miroshnik ,"
    (re.compile(rf"(?<=\S) +(?=[{re.escape(_CLOSING)}](?:\s|$|[{re.escape(_CLOSING)}\"'’]))"), ""),
    (re.compile(r"(?<=[(\[{«“]) +"), ""),
    # "Lavrov 's", "Ambarov’ s"
    (re.compile(r"(?<=\w) ?([’']) ?(?=s\b)"), r"\1"),
    # "aka # DiplomatsDay" (a hashtag link whose "#" stood outside it)
    (re.compile(r"(?<!\S)# (?=[^\W\d_])"), "#"),
    # "$ 2.2 billion"
    (re.compile(r"(?<![\w$€£₽])([$€£₽]) (?=\d)"), r"\1"),
)

# Two flags or two keycap digits the scraper set apart. Other emoji keep their
# spaces: the seed dumps show "🔴 🔴" written so by the author.
_FLAG = "[\U0001f1e6-\U0001f1ff]{2}"
_KEYCAP = "[0-9#*]\ufe0f?\u20e3"
EMOJI_GAPS = (
    re.compile(rf"({_FLAG}) +(?={_FLAG})"),
    re.compile(rf"({_KEYCAP}) +(?={_KEYCAP})"),
)

# A letter standing alone is a fragment of a word ("a", "A" and "I" are words).
LONE_LETTERS = frozenset("bcdefghjklmnopqrstuvwxyzBCDEFGHJKLMNOPQRSTUVWXYZ")
WORD = re.compile(r"[^\W\d_]+")
# Short words so common that even a post using them once is not taken to have
# them as the tail of a cut word ("held o in").
COMMON_WORDS = frozenset(
    "an and are as at be but by do for he his in is it its no not of on or our so "
    "that the this to up us was we".split()
)
STRAIGHT_QUOTED = re.compile(r'"([^"\n]*)"')

# Telegram cuts a reply's preview of the replied post near 256 characters and ends
# it with "…" (the nine replies in the MFA sample: 254-262 characters). A shorter
# line ending in "…" is taken for the author's own; a preview Telegram did not
# need to cut cannot be told from text at all.
PREVIEW_ENDING = "…"
MIN_PREVIEW_CHARS = 200
ONLY_PREVIEW_NOTE = (
    "the text is only the preview of the post this one replies to: the reply's own "
    "text is not in the file (another source must supply it)"
)


def repair_text(text: str) -> tuple[str, list[str]]:
    """The text as the author wrote it, as far as it can be told, and notes on the rest."""
    notes: list[str] = []
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    vocabulary = Counter(word.casefold() for word in WORD.findall(text))
    repaired = []
    for number, line in enumerate(lines, 1):
        for pattern, replacement in INLINE_REPAIRS:
            line = pattern.sub(replacement, line)
        line = _repair_quotes(line, number, notes)
        for gap in EMOJI_GAPS:
            line = gap.sub(r"\1", line)
        line = _join_lone_letters(line, vocabulary, notes)
        repaired.append(line)
    return "\n".join(repaired).strip("\n"), notes


def _repair_quotes(line: str, number: int, notes: list[str]) -> str:
    count = line.count('"')
    if count % 2:
        notes.append(f"line {number}: unpaired straight quote; spaces next to quotes kept")
        return line
    return STRAIGHT_QUOTED.sub(lambda m: f'"{m.group(1).strip()}"', line) if count else line


def _join_lone_letters(line: str, vocabulary: Counter[str], notes: list[str]) -> str:
    """Join each lone letter to the neighbour it was cut from, when that can be told."""
    out: list[str] = []
    words = line.split(" ")
    i = 0
    while i < len(words):
        word, right = words[i], words[i + 1] if i + 1 < len(words) else ""
        left = out[-1] if out else ""
        side = _side(left, word, right, vocabulary) if word in LONE_LETTERS else "none"
        if side == "right":
            out.append(word + right)
            i += 2
            continue
        if side == "left":
            out[-1] = left + word
        else:
            if side is None:
                notes.append(f"lone letter {word!r} in {f'{left} {word} {right}'.strip()!r} kept")
            out.append(word)
        i += 1
    return " ".join(out)


def _side(left: str, letter: str, right: str, vocabulary: Counter[str]) -> str | None:
    """The side a lone letter was cut from ("left", "right"), "none", or None if unknown."""
    if any(c.isdigit() for c in left):
        return "none"  # a unit after a number: "5 m long"
    stem = right.rstrip(_CLOSING + "\"'’")
    can_right = stem.isalpha() and stem.islower()
    if letter.isupper():  # "F ebruary"; but "Plan B was" is whole
        return "right" if can_right and vocabulary[(letter + stem).casefold()] else "none"
    if not (can_right or left.isalpha()):
        return "none"
    if can_right and vocabulary[letter + stem]:
        return "right"
    if left.isalpha() and vocabulary[(left + letter).casefold()]:
        return "left"
    # A word cut after its first letter leaves a tail that is no word of the post
    # ("e xpressed"). A tail cut off a word's end ("howeve r") cannot be told from
    # a real word ("held o in") without a dictionary, so it is only noted.
    if can_right and vocabulary[stem] <= 1 and stem not in COMMON_WORDS:
        return "right"
    return None if can_right or left.islower() else "none"


def split_reply_preview(text: str) -> tuple[str | None, str, list[str]]:
    """(the replied post's preview or None, the reply's own text, notes).

    Some scrapers took a reply's preview of the replied post for its text: a first
    line cut with "…" by Telegram. When that line is all there is, the reply's own
    text is not in the file at all.
    """
    first, _, rest = text.partition("\n")
    preview = first.strip()
    if not (preview.endswith(PREVIEW_ENDING) and len(preview) >= MIN_PREVIEW_CHARS):
        return None, text, []
    rest = rest.strip("\n")
    if not rest.strip():
        return preview, "", [ONLY_PREVIEW_NOTE]
    return preview, rest, ["a reply preview opened the text; moved to reply_to"]
