"""Data for stages 3 and 4 (kind.py, speaker.py): title patterns, markers, cue words.

The channel's posts follow a house style (docs/labelling.md shows it): a title line
that names the genre ("Statement by ...", "...'s answer to a media question",
"On January 24, X and Y had a telephone conversation"), emoji that mark it (📞,
✉️, 🔴 #LIVE), and structured cues in the body ("❓ Question:", "💬 Name:"). The
rules below are that style written down, kept apart from the cascade that applies
them so that a new pattern is a one-line change.

A rule is ``(kind, pattern)``; a table of rules is matched in one pass (kind.py's
``RuleSet``). The rule that matches *earliest* in the text wins ("Comment by X
following the telephone conversation" is a comment, "Putin had a telephone
conversation ... and expressed condolences" a call); on a tie the rule listed
first wins. How patterns are written, so that one Aho-Corasick pass can find them:

- in lower case, matched against the lower-cased text; a pattern that needs the
  text's capitals opens with ``(?#cased)`` and is matched against the text as is;
- opening with a literal word, or a group of literal words ``(?:a|b|c)``: the
  needles the pass looks for (a needle that opens with a letter must open a word);
- a ``history_date`` rule ends with a year (kind.py checks that it is long past),
  and a rule of kind ``-`` decides nothing (it only keeps a later rule from
  matching there).
"""

from __future__ import annotations

CASED = "(?#cased)"
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_YEAR = r"(?:1\d{3}|20\d{2})\b"

# -- the lines around the title --------------------------------------------------

# Lines that open a post before its title: hashtag lines ("#Outcomes2025", "📸
# #PhotoOfTheDay"), then a source header ("Russian Embassy in Rwanda:") or a
# speaker header ("⚡️ Russia's Foreign Ministry Spokeswoman Maria Zakharova:").
HASHTAG_LINE = r"^\W*(?:#\w+\W*)+$"
# A header is in title case (only these small words in lower case) and ends with
# a colon; a title that ends with a colon ("... has extended his condolences to
# ...:") has lower-case words and is not one.
HEADER_SMALL_WORDS = frozenset(("of", "the", "in", "to", "for", "and", "at", "on", "&", "de"))
HEADER_MAX_WORDS = 16
# A header names a body ("Russian Embassy in Rwanda:", "Russia's Ministry of
# Transport:") or a person by role; a title-case title ending with a colon
# ("Condolences to the King of Thailand:") names neither.
INSTITUTION_WORDS = frozenset(
    """
    embassy consulate consulate-general mission delegation ministry government council
    department office committee commission bureau agency administration service kremlin
    centre center duma parliament representation
    """.split()
)
# Role words: a header that carries one names a person ("Ambassador at Large ...
# Rodion Miroshnik:"), one without names a body or place ("Consulate General of
# Russia in Cape Town:").
SPEAKER_ROLES = frozenset(
    """
    spokeswoman spokesperson spokesman ambassador ambassador-at-large minister
    representative commissioner aide director president secretary envoy consul adviser
    advisor deputy chairman chairwoman head senator governor patriarch ombudsman
    """.split()
)

# Leading emoji, bullets and spaces before a line's first word.
LEADING_MARKS = r"^[^\w#«\"“‘'(]+"

# A line that quotes someone: "💬 Maria Zakharova: ...", "💬 We have taken note",
# "✍️ Vladimir Putin: ...". The name before the colon is checked by speaker.py.
QUOTE_LINE = r"^\W*💬|^\W*✍\ufe0f?\s*[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}:"

# A byline under a title that names no genre: "On the Policy of ... / Message by
# ... Mikhail Melekh". Step 2 reads it as the title.
BYLINE = (
    r"^\W*(?:statement|comment|commentary|message|article|interview|address|remarks"
    r"|letter|op-?ed|opinion|speech) by\b"
)

# -- stage 3, step 1: markers over the whole title block ------------------------

# A live stream, an announced event or a briefing quoted at length outrank the
# genre words of the title: "#LIVE: Briefing by ..." is an announcement, and
# "Lavrov's statement during his annual news conference" is a briefing.
_FUTURE = r"(?:will|is to|are to|is set to|are set to)"
_FUTURE_VERBS = (
    r"(?:hold|be held|take place|host|deliver|give|pay|attend|participate|take part|visit"
    r"|meet|address|speak|begin|start|open|be broadcast|be streamed|present|chair)\b"
)
MARKER_RULES: tuple[tuple[str, str], ...] = (
    ("announcement", r"#live\b"),
    ("announcement", r"live:"),
    ("announcement", r"#announcement\b"),
    ("announcement", r"(?:#schedule|#lavrovschedule)\b"),
    ("announcement", r"all is (?:set|ready)\b"),
    ("announcement", r"(?:stay tuned|coming soon)\b"),
    # "... on the talks that will be held": the relative clause is about something
    # else than the post, and must not make it an announcement.
    ("-", rf"(?:that|which|who|whom) {_FUTURE} {_FUTURE_VERBS}"),
    ("announcement", rf"{_FUTURE} {_FUTURE_VERBS}"),
    ("briefing", r"(?:annual|year-end|end-of-year)\s+(?:news\s+|press\s+)?conference\b"),
    ("briefing", r"direct line\b"),
    ("opinion", r"(?:#opinion|#oped)\b"),
)

# "(Excerpt from Russian MFA Spokeswoman Maria Zakharova's weekly briefing on ...)"
# closing a post: the post quotes a briefing.
EXCERPT_RULES: tuple[tuple[str, str], ...] = (
    (
        "briefing",
        r"(?:excerpt|excerpts|extract) from\b[^\n]{0,160}\b(?:briefing|news conference)\b",
    ),
    ("briefing", r"from (?:the |her |his |a )(?:[\w’'-]+ ){0,6}briefing\b"),
)

# -- stage 3, step 2: the title -----------------------------------------------------

_APOS = r"(?:'s|’s)"
_QUESTIONS = r"(?:a |the )?(?:[\w-]+ ){0,3}questions?\b"
# What the post is, by the genre word of its title.
GENRE_RULES: tuple[tuple[str, str], ...] = (
    # Holiday addresses are greetings, not speeches.
    (
        "message",
        rf"(?:new year|christmas|nativity|easter|holiday|festive){_APOS}?"
        r" (?:address|message|greetings|wishes)\b",
    ),
    ("statement", r"statement\b"),
    ("statement", r"(?:opening|closing|introductory|welcoming|keynote) remarks\b"),
    ("statement", r"remarks\b"),
    ("statement", r"speech\b"),
    (
        "statement",
        rf"{_APOS} (?:video |televised |welcoming |opening |keynote |closing )?address\b",
    ),
    ("statement", r"address (?:by|at|to|before|during)\b"),
    ("comment", r"(?:comment|comments|commentary)\b"),
    ("answer", rf"(?:answer|answers|response|responses|reply|replies) (?:to|from) {_QUESTIONS}"),
    ("answer", rf"answered {_QUESTIONS}"),
    ("answer", r"(?:answer|answers) by\b"),
    ("interview", r"interview\b"),
    ("briefing", r"briefing\b"),
    ("briefing", r"(?:news|press) conference\b"),
    ("opinion", r"article by\b"),
    ("opinion", r"(?:op-ed|oped|opinion piece|column) by\b"),
    ("opinion", rf"{_APOS} (?:article|op-ed|oped|column)\b"),
    ("message", r"(?:greeting|greetings|congratulatory|condolence|condolences)\b"),
    ("message", r"(?:message|messages) of (?:congratulation|condolence|greeting|sympathy|support)"),
    ("message", r"(?:exchanged|sent|send|sends|addressed) (?:\w+ ){0,2}(?:message|letter)s?\b"),
    # "Letter by ...", "...'s letter", but not "letters of credence".
    ("message", r"(?:letter|message) (?:by|from|of|to)\b(?! credence)"),
    ("message", rf"{_APOS} (?:letter|message)\b"),
    ("message", r"^happy\b"),
    ("report", r"photo evidence\b"),
    ("report", r"(?:final report|annual report|special report|national report)\b"),
    ("report", r"report on\b"),
    ("report", r"(?:outcomes|results) of (?:the )?(?:year )?\d{4}\b"),
)

# What the post reports, by the verb of its title ("had a telephone conversation").
# These serve twice: on the title (step 2) and on the lead of an untitled post (5).
_MEETING_WORDS = r"(?:meeting|talks|summit|conference|forum|session|dialogue)"
READOUT_RULES: tuple[tuple[str, str], ...] = (
    ("phone_call", r"(?:telephone|phone) (?:conversation|call|talks)"),
    ("phone_call", r"spoke (?:over|on|by) the (?:tele)?phone\b"),
    ("consultations", r"consultations\b"),
    ("ceremony", r"(?:ceremony|ceremonies|reception|receptions)\b"),
    ("ceremony", r"credentials\b"),
    ("ceremony", r"(?:letter|letters) of credence\b"),
    ("ceremony", r"(?:medal|medals)\b[^.]{0,80}\b(?:was|were) (?:presented|awarded|handed)\b"),
    ("ceremony", r"(?:presented|awarded|handed over)\b[^.]{0,60}\b(?:medal|award|order)s?\b"),
    ("ceremony", r"(?:wreath|wreaths|flower-laying)\b"),
    ("ceremony", r"laid flowers\b"),
    ("ceremony", r"(?:honoured|honored) the memory\b"),
    ("ceremony", r"(?:#familyphoto|family photo)\b"),
    (
        "ceremony",
        r"(?:exhibition|concert|festival|ballet|theatre|theater|screening|movie night"
        r"|film week)s?\b",
    ),
    # International and national days: "January 24 is the International Day of
    # Education", "India celebrates Republic Day" (not a "Day of Remembrance").
    ("ceremony", r"international day\b"),
    ("ceremony", r"(?:professional holiday|national holiday|national day)\b"),
    ("ceremony", CASED + r"(?:International|World) (?:[A-Z][\w’'-]*\s){1,4}Day\b"),
    (
        "ceremony",
        CASED + r"(?:is |marks |mark |celebrates |celebrate |observes |– |— )"
        r"(?:the |their |its )?(?:[A-Z][\w’'-]*\s(?:of (?:the )?)?){1,4}Day\b",
    ),
    (
        "meeting",
        r"(?:held|hold|holds|had|has|have|chaired|co-chaired) (?:a |an |the )?"
        r"(?:[\w-]+ ){0,3}(?:meeting|talks)\b",
    ),
    ("meeting", r"met\b"),
    ("meeting", r"meet (?:in|at|with)\b"),
    ("meeting", r"meeting (?:between|with)\b"),
    ("meeting", r"on the meeting\b"),
    ("meeting", r"(?:was received by|were received by)\b"),
    ("meeting", CASED + r"received (?:the )?(?:H\.E\.|[A-Z])"),
    ("meeting", r"welcomed (?:at|in|to)\b"),
    ("meeting", r"summoned\b"),
    ("meeting", r"(?:talks|negotiations) (?:between|with|in|at)\b"),
    ("meeting", r"round of (?:talks|negotiations)\b"),
    ("meeting", rf"took part in (?:a |an |the )?(?:[\w'’-]+ ){{0,4}}{_MEETING_WORDS}\b"),
    ("meeting", r"talks (?:have |had )?(?:begun|began|started|took place|were held)\b"),
    (
        "meeting",
        rf"{_MEETING_WORDS}\b[^.]{{0,120}}?\b(?:has |have )?(?:successfully )?"
        r"(?:concluded|took place|was held|were held|has ended|came to an end)\b",
    ),
    ("meeting", r"(?:official visit|working visit|state visit|friendly visit)\b"),
    ("meeting", r"arrived in\b"),
    # Memory posts: "24 years ago", "On this day", "On January 12, 1945" (a date
    # whose year is long past, checked in kind.py).
    ("history", r"years ago\b"),
    ("history", r"(?:on this day|memorable date)\b"),
    ("history", r"(?:day of remembrance|remembrance day|day of military glory)\b"),
    ("history", r"marks the \d+\w* anniversary\b"),
    ("history_date", rf"(?:{MONTHS}) \d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?,? {_YEAR}"),
    ("history_date", rf"(?:{MONTHS}),? {_YEAR}"),
    ("history_date", r"in 1\d{3}\b"),
)

# A date whose year lies this far back marks a memory post.
HISTORY_MIN_AGE = 10
# Without a reference year, years before this one count as historical.
HISTORY_BEFORE = 2000

# -- stage 3, step 3: the title's leading emoji -------------------------------------

# Only when no word of the title decided: the emoji alone are used loosely (🎙 opens
# statements, answers and meetings alike, so it is not here).
EMOJI_KINDS: dict[str, str] = {
    "📞": "phone_call",
    "☎": "phone_call",
    "✉": "message",
    "💌": "message",
    "🤝": "meeting",
    "🔴": "announcement",
    "📺": "announcement",
}

# -- stage 3, step 4: structured cues -----------------------------------------------

# "❓ Question:" then "💬 ...": one exchange is an answer, several an interview.
QUESTION_LINE = r"^\W*❓|^\W*Question:"
INTERVIEW_MIN_QUESTIONS = 3
# After a speaker header or an opening quote, a first-person readout is a meeting
# ("At a meeting with ..., I raised"; "... we met at the ICRC headquarters"); a
# list of evidence is a report.
QUOTED_RULES: tuple[tuple[str, str], ...] = (
    ("meeting", r"(?:at|during) (?:a|the|our) (?:\w+ )?(?:meeting|talks)\b"),
    ("meeting", r"(?:we met|i met)\b"),
    ("meeting", r"i (?:held|had) (?:a |an )?(?:\w+ )?(?:meeting|talks)\b"),
    ("report", r"photo evidence\b"),
)

# -- stage 3, step 5: the lead of an untitled post ------------------------------------

# Lines after the title that step 5 reads (the body says what the title did not).
LEAD_LINES = 5
LEAD_RULES: tuple[tuple[str, str], ...] = (
    # The ministry's own reaction to an event, with no "Comment by" title.
    (
        "comment",
        r"(?:moscow |russia |the russian side |the russian foreign ministry )"
        r"(?:welcomes|condemns|regrets|notes|calls on|urges|expects|hopes|supports"
        r"|is (?:deeply |seriously |extremely )?(?:concerned|alarmed))\b",
    ),
    ("comment", r"^we (?:welcome|condemn|regret|call on|urge|strongly|resolutely)\b"),
    ("message", r"condolences\b"),
    ("message", r"happy (?:new year|christmas|holidays?|[\w’'-]+ day)\b"),
    ("announcement", r"accreditation (?:is open|will|for)\b"),
)

# -- stage 3, step 6: weak cues -----------------------------------------------------

WEAK_RULES: tuple[tuple[str, str], ...] = (
    ("message", r"congratulat"),
    ("message", r"wished\b"),
    ("history", r"anniversary\b"),
    (
        "history",
        r"(?:great patriotic war|second world war|world war ii|wwii|red army|siege of leningrad"
        r"|wehrmacht|hero of the soviet union)\b",
    ),
)
# Hashtags of the channel's memory series.
HISTORY_HASHTAG = (
    r"#(?:History\w*|\w*History|Victory\d*|WeRemember|FacesOfVictory|OnThisDay"
    r"|\w*Anniversary|NoStatuteOfLimitation)\b"
)

# -- stage 4: speaker --------------------------------------------------------------

# The kinds whose post mainly presents one person's words.
SPEAKER_KINDS = frozenset(
    ("statement", "comment", "answer", "interview", "briefing", "message", "opinion")
)
# Genre words a speaker's name attaches to: "Comment by <name>", "<name>'s answer".
_SPEAKER_NOUNS = (
    r"(?:statement|remarks|address|speech|comment|comments|commentary|answer|answers"
    r"|response|responses|reply|replies|interview|briefing|news conference|press conference"
    r"|greetings|message|letter|condolences|congratulations|article|op-ed|oped|opinion"
    r"|column|words)"
)
# Matched on the title: "by" rules name the speaker after them, "of" rules (the
# possessive) before them. "Statement of the Permanent Representative ..." names
# its author, "a message of greetings to ..." does not (``-``: no anchor).
SPEAKER_ANCHORS: tuple[tuple[str, str], ...] = (
    (
        "-",
        rf"{_SPEAKER_NOUNS} of (?:greetings|congratulations?|condolences?|sympathy|support"
        r"|thanks|gratitude|solidarity)\b",
    ),
    ("by", rf"{_SPEAKER_NOUNS}\s+(?:by|of|from)\s+"),
    ("by", r"interview\s+with\s+"),
    ("of", rf"{_APOS}\s+(?:[\w-]+\s+){{0,3}}?{_SPEAKER_NOUNS}\b"),
)
# "<name> sent greetings", "<name> and <name> exchanged messages", "<name> answered
# questions", "<name> during his annual news conference": with no anchor, the
# speaker is the first name in the title before such a verb.
SPEAKER_VERBS: tuple[tuple[str, str], ...] = (
    (
        "verb",
        r"(?:sent|extended|exchanged|conveyed|addressed|congratulated"
        r"|answered|wished|expressed)\b",
    ),
    ("verb", r"during (?:his|her) (?:annual |weekly )?(?:news|press)\b"),
    (
        "verb",
        r"(?:holds|held|gives|gave) (?:his |her |an? |the )?(?:annual |weekly )?"
        r"(?:news conference|press conference|briefing)\b",
    ),
)
# Where the forward search for a name after "by" ends: the clause it opens ("Comment
# by X on ...") and the dated parenthesis are not searched.
NAME_SCAN_STOP = frozenset(
    """
    ( : ; ! ? on regarding concerning following about during titled over with amid after
    ahead published
    """.split()
)
# Small words before a two-word run that make it a place, not a person: "the
# Russian Embassy in South Africa" (a name follows a role word or another name).
PLACE_CONNECTORS = frozenset(("in", "of", "to", "for", "and", "the", "at", "near"))
# A quote cue's name: "💬 Maria Zakharova:", "✍️ Vladimir Putin:", "💬 Lavrov:".
QUOTE_CUE = r"^\W*(?:💬|✍\ufe0f?)\s*(?P<who>[^:\n]{2,60}):"
# A signature closing a letter: "VLADIMIR PUTIN".
SIGNATURE_LINE = r"^\W*([A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+){1,2})\W*$"
# Patronymics keep the first name in front of them ("Vladlen Viktorovich Epifanov").
PATRONYMIC = r"(?:ovich|evich|ich|ovna|evna|ichna)$"

# Capitalised words that are not names: the role titles, bodies and places the
# channel's titles put before a name ("Permanent Representative of the Russian
# Federation to the UN Vassily Nebenzia"). Compared in lower case.
NON_NAME_WORDS = frozenset(
    """
    a an the his her its their our my your
    minister ministers ministry ministerial foreign affairs mfa spokeswoman spokesperson
    spokesman official officials ambassador ambassadors ambassador-at-large extraordinary
    plenipotentiary permanent representative representatives representation deputy
    first second third fourth fifth director directorate department head chief president
    presidents presidential vice prime secretary secretary-general general consul
    consulate consular embassy embassies mission missions delegation aide adviser advisor
    assistant special envoy chairman chairwoman chair co-chair speaker commissioner
    ombudsman high human rights council security federation federal russian russians
    russia un unsc unga unesco osce nato eu sco brics csto cis eaeu asean united nations
    office international organizations organisations organization organisation commission
    committee state states duma assembly government cooperation co-operation development
    economic press information agency large chargé charge affaires d’affaires d'affaires
    holiness majesty excellency h.e. mr mr. mrs mrs. ms ms. dr dr. sir madam king queen
    sultan emir prince crown patriarch metropolitan archbishop bishop royal highness
    conference forum partnership session plenary summit participants participant
    leadership leaders leader republic kingdom union islamic arab democratic socialist
    bolivarian commonwealth region regional central executive supreme national chamber
    parliament parliamentary senate senator governor mayor party question answer key
    points read watch listen moscow kremlin team group working board public relations
    african asian european american chinese indian japanese french german british turkish
    iranian ukrainian belarusian soviet ussr
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    statement comment commentary interview briefing article letter message greetings
    remarks address speech opinion news today yesterday
    """.split()
)
