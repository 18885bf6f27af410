"""Stage 4: whose words the post mainly presents.

Only the kinds that present one person's words have a speaker (``SPEAKER_KINDS``:
statement, comment, answer, interview, briefing, message, opinion); a body's words
("Comment by the Foreign Ministry", "Russian Embassy's Comment") have none. The
cascade, first step that finds a name wins (patterns in kind_patterns.py):

    1. header     a speaker header: "Russia's Foreign Ministry Spokeswoman Maria
                  Zakharova:" (stage 3's layout)
    2. title      the earliest genre word with a name attached: "Statement by ...
                  Vassily Nebenzia at", "Maria Zakharova's answer", "#Opinion by
                  Maria Zakharova, ...", "Interview by ... Mikhail Ulyanov to"; then
                  the same in a byline under the title ("Message by ...")
    3. subject    the first name before a verb of sending or speaking: "Vladimir
                  Putin sent greetings", "Sergey Lavrov and ... exchanged messages",
                  "Sergey Lavrov during his annual news conference"
    4. quote      the first "💬 Name:" cue
    5. excerpt    a closing note: "(Excerpt from ... Maria Zakharova's weekly
                  briefing ...)", "(From the briefing by ... Maria Zakharova, ...)"
    6. signature  a letter's closing "VLADIMIR PUTIN" (messages only)

A name is a run of capitalised words that are not role, body or place words
(``NON_NAME_WORDS``); of a longer run the last two words are the name ("... to
Norway Nikolay Korchunov"). A surname found alone ("💬 Lavrov:", "Lavrov's
greetings") takes the fuller form the post spells elsewhere ("Sergey Lavrov").
"""

from __future__ import annotations

import re

from communique.extract import kind_patterns as kp
from communique.extract.context import Context
from communique.extract.kind import Layout, RuleSet, layout

_TOKEN = re.compile(r"[^\s,;:()«»\"“”]+|[,;:()«»\"“”]")
_NAME_TOKEN = re.compile(r"(?:[A-Z]\.\s?)*[^\W\d_][^\W\d_]*(?:[-‑][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_PATRONYMIC = re.compile(kp.PATRONYMIC)
_ANCHORS = RuleSet(kp.SPEAKER_ANCHORS)
_VERBS = RuleSet(kp.SPEAKER_VERBS)
_QUOTE_CUE = re.compile(kp.QUOTE_CUE, re.MULTILINE)
_SIGNATURE = re.compile(kp.SIGNATURE_LINE)


def find(ctx: Context) -> str | None:
    """The full name of the post's speaker, or None (also for kinds without one)."""
    if ctx.kind not in kp.SPEAKER_KINDS or not ctx.lines:
        return None
    shape = layout(ctx.lines)
    name = (
        _from_header(shape)
        or _from_title(shape)
        or _from_quote(ctx.text)
        or _from_excerpt(ctx.lines)
        or (_from_signature(ctx.lines) if ctx.kind == "message" else None)
    )
    return _full(name, ctx.text) if name else None


def _from_header(shape: Layout) -> str | None:
    """Step 1: the name closing a speaker header."""
    if not (shape.speaker_header and shape.header):
        return None
    return name_before(shape.header)


def _from_title(shape: Layout) -> str | None:
    """Steps 2 and 3: the name attached to the title's (or byline's) genre word, or its subject.

    Only the earliest genre word counts: in "Statement by the Foreign Ministry on
    Donald Trump's remarks" the statement is the ministry's, and has no speaker.
    """
    if shape.quote or shape.speaker_header:
        return None
    title = shape.title.replace("#", "")
    for text in (title, shape.byline.replace("#", "") if shape.byline else ""):
        if anchor := _anchor(text):
            return _anchored(text, anchor)
    verb = _VERBS.hits(title)
    return name_after(title[: verb[0].match.start()]) if verb else None


def _anchored(text: str, anchor: tuple[str, int]) -> str | None:
    how, at = anchor
    return name_after(text[at:]) if how == "by" else name_before(text[:at])


def _anchor(text: str) -> tuple[str, int] | None:
    """The earliest "<genre> by" (and where its name starts) or "'s <genre>" (where it ends).

    A "-" rule ("a message of greetings") shadows the other rules at its place.
    """
    shadowed = -1
    for hit in _ANCHORS.hits(text):
        start = hit.match.start()
        if hit.kind == "-":
            shadowed = start
        elif start != shadowed:
            return hit.kind, hit.match.end() if hit.kind == "by" else start
    return None


def _from_quote(text: str) -> str | None:
    """Step 4: the first "💬 Name:" cue that holds a name."""
    for m in _QUOTE_CUE.finditer(text):
        who = m.group("who").replace("#", "").strip()
        tokens = who.split()
        if len(tokens) <= 4 and all(_is_name_token(t) for t in tokens):
            return _pick(tokens)
    return None


def _from_excerpt(lines: list[str]) -> str | None:
    """Step 5: a closing note "(Excerpt from <name>'s weekly briefing ...)"."""
    note = lines[-1].strip()
    if not note.startswith("("):
        return None
    note = note.strip("()")
    anchor = _anchor(note)
    return _anchored(note, anchor) if anchor else None


def _from_signature(lines: list[str]) -> str | None:
    """Step 6: a capitalised signature among a letter's last lines."""
    for line in reversed(lines[-3:]):
        if m := _SIGNATURE.match(line):
            tokens = m.group(1).title().split()
            if all(_is_name_token(t) for t in tokens):
                return " ".join(tokens)
    return None


# -- names ---------------------------------------------------------------------------


def name_after(text: str) -> str | None:
    """The first name in ``text``, read forward up to the clause it opens."""
    run: list[str] = []
    before = ""
    for token in _TOKEN.findall(text):
        word = _POSSESSIVE.sub("", token)
        if _is_name_token(word):
            run.append(word)
            if word != token:  # a possessive ends the name: "Lavrov's"
                break
            continue
        if (name := _accept(run, before)) is not None:
            return name
        if token.lower() in kp.NAME_SCAN_STOP:
            return None
        run, before = [], token
    return _accept(run, before)


def name_before(text: str) -> str | None:
    """The name that ends ``text`` (a possessive's owner, a header's person)."""
    tokens = _TOKEN.findall(text.rstrip(" :,"))
    run: list[str] = []
    while tokens and _is_name_token(tokens[-1]):
        run.insert(0, tokens.pop())
    return _accept(run, tokens[-1] if tokens else "", owner=True)


def _accept(run: list[str], before: str, owner: bool = False) -> str | None:
    """A run of name words as a name, or None when it is more likely a place.

    Two capitalised words after "in", "of", "to" ... are a place ("the Russian
    Embassy in South Africa"); a name follows a role word, a place or a comma.
    """
    if not run:
        return None
    if len(run) == 1:
        # One word is a name when spelled with an initial ("R.Golubovskiy"), after a
        # role ("Patriarch Kirill"), or owning a genre word ("Lavrov's greetings");
        # "Interview with Izvestia" names a paper, "in the Netherlands" a place.
        lone = "." in run[0] or before.lower() in kp.SPEAKER_ROLES
        return run[0] if lone or (owner and before.lower() not in kp.PLACE_CONNECTORS) else None
    if len(run) == 2 and before.lower() in kp.PLACE_CONNECTORS:
        return None
    return _pick(run)


def _pick(tokens: list[str]) -> str:
    """The name in a run: its last two words, with a patronymic its first name too."""
    if len(tokens) >= 3 and _PATRONYMIC.search(tokens[-2]):
        return " ".join(tokens[-3:])
    return " ".join(tokens[-2:])


def _is_name_token(token: str) -> bool:
    return (
        token[:1].isupper()
        and not token.isupper()
        and token.lower() not in kp.NON_NAME_WORDS
        and _NAME_TOKEN.fullmatch(token) is not None
    )


def _full(name: str, text: str) -> str:
    """``name`` as the post spells it in full: a lone surname gains its first name."""
    if " " in name:
        return name
    surname = name.rsplit(".", 1)[-1]
    pattern = re.compile(rf"\b([A-Z][^\W\d_]+) #?{re.escape(surname)}\b")
    for m in pattern.finditer(text):
        first = m.group(1)
        if first.lower() not in kp.NON_NAME_WORDS and first.lower() not in kp.SPEAKER_ROLES:
            return f"{first} {surname}"
    return name
