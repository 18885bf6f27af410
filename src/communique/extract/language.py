"""Stage 1: the language of a post's text, as an ISO 639-1 code.

    1. script    the letters' script by counting runs of each (a few regex scans, no
                 per-character Python loop): Cyrillic, Latin, Arabic, Hebrew, Greek,
                 Armenian, Georgian, Devanagari, Thai, Hangul, kana, Han
    2. letters   within Cyrillic, letters only some languages use (Ukrainian "ї",
                 Belarusian "ў", Serbian "ђ", Kazakh "ә"); within Arabic script,
                 Persian letters
    3. words     within Latin, the function words most frequent in each language

The channels are mostly English and Russian; the rest is there so that a forwarded
post in another language is not called English.
"""

from __future__ import annotations

import re

from communique.extract.context import Context

__all__ = ["detect", "detect_text"]

# Runs of letters of each script; counting runs' lengths is fast in C.
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f]+")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]+")),
    ("ar", re.compile(r"[\u0600-\u06ff]+")),
    ("he", re.compile(r"[\u0590-\u05ff]+")),
    ("el", re.compile(r"[\u0370-\u03ff]+")),
    ("hy", re.compile(r"[\u0530-\u058f]+")),
    ("ka", re.compile(r"[\u10a0-\u10ff]+")),
    ("hi", re.compile(r"[\u0900-\u097f]+")),
    ("th", re.compile(r"[\u0e00-\u0e7f]+")),
    ("ko", re.compile(r"[\uac00-\ud7af]+")),
    ("ja", re.compile(r"[\u3040-\u30ff]+")),
    ("zh", re.compile(r"[\u4e00-\u9fff]+")),
)

# Letters that, within Cyrillic text, only these languages use (checked in order).
_CYRILLIC_MARKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("kk", re.compile("[әғқңөұүһ]")),
    ("sr", re.compile("[ђћџљњј]")),
    ("be", re.compile("ў")),
    ("uk", re.compile("[їєґ]")),
)
_BELARUSIAN = re.compile("[ыэў]")
_PERSIAN = re.compile("[پچژگ]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_SAMPLE = 600

# Function words (padded with spaces) that tell the Latin-script languages apart,
# as bytes: they are counted in the text's ASCII bytes, where search is fastest.
_FUNCTION_WORDS: dict[str, tuple[bytes, ...]] = {
    "en": (b" the ", b" and ", b" of ", b" to ", b" is ", b" with "),
    "fr": (b" le ", b" la ", b" les ", b" et ", b" des ", b" est "),
    "de": (b" der ", b" die ", b" und ", b" das ", b" nicht ", b" ist "),
    "es": (b" el ", b" los ", b" las ", b" y ", b" del ", b" para "),
    "pt": (b" os ", b" do ", b" da ", b" uma ", b" para ", b" que "),
    "it": (b" il ", b" della ", b" che ", b" di ", b" per ", b" sono "),
}


def detect(ctx: Context) -> str | None:
    """The language of the post's text, or None when it has no letters."""
    return detect_text(ctx.text)


def detect_text(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when it has no letters."""
    ascii_bytes = text.encode("ascii", "ignore")
    # Mostly ASCII (emoji and typographic quotes aside): a Latin-script text. This
    # spares an English post the script scans.
    if len(ascii_bytes) > 4 * (len(text) - len(ascii_bytes)) and _ASCII_LETTER.search(text):
        return _latin(ascii_bytes)
    counts = {name: sum(map(len, pattern.findall(text))) for name, pattern in _SCRIPTS}
    script = max(counts, key=counts.__getitem__)
    if not counts[script]:
        return None
    if script == "cyrillic":
        return _cyrillic(text)
    if script == "latin":
        return _latin(text.encode("ascii", "ignore"))
    if script == "ar":
        return "fa" if len(_PERSIAN.findall(text)) > counts["ar"] / 200 else "ar"
    if script == "zh" and counts["ja"]:
        return "ja"  # Japanese mixes kanji with kana; Chinese has no kana
    return script


def _cyrillic(text: str) -> str:
    for code, marks in _CYRILLIC_MARKS:
        if len(marks.findall(text)) >= 3:
            return code
    # "і" is Ukrainian's and Belarusian's, not Russian's; Belarusian also has "ы".
    if text.count("і") >= 3:
        return "be" if _BELARUSIAN.search(text) else "uk"
    return "ru"


def _latin(ascii_bytes: bytes) -> str:
    # The first few hundred letters say it as well as the whole text, at a fraction
    # of the cost of counting a dozen words through all of it.
    lowered = ascii_bytes[:_SAMPLE].lower()
    english = sum(map(lowered.count, _FUNCTION_WORDS["en"]))
    # One English function word in twelve words settles it without the other counts.
    if english * 12 >= lowered.count(b" "):
        return "en"
    scores = {code: sum(map(lowered.count, words)) for code, words in _FUNCTION_WORDS.items()}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] > english else "en"
