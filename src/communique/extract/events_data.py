"""Event types and the cues that signal them, for the events stage (events.py).

The codes are docs/labelling.md's table: CAMEO (the Conflict and Mediation Event
Observations scheme) and PLOVER (its successor's top-level categories).

Two families of events, found in different places of a post:

- readouts (``READOUT_TYPES``): what the post reports as its subject, a meeting, a
  call, consultations, a visit, a signing; their cues are read in the post's lead
  (title and first paragraph), where the channel states its subject, so a meeting
  recalled in passing further down ("after his meeting in November") is no event;
- stances (``STANCE_TYPES``): condemning, supporting, congratulating, condoling;
  their cues are read in every sentence, since a statement or a readout states
  them anywhere ("During the conversation, President of Iran condemned ...").
"""

from __future__ import annotations

# type -> (CAMEO code, PLOVER category), exactly as docs/labelling.md lists them.
EVENT_CODES: dict[str, tuple[str, str]] = {
    "meeting": ("040", "CONSULT"),
    "phone_call": ("041", "CONSULT"),
    "consultations": ("040", "CONSULT"),
    "visit": ("042", "CONSULT"),
    "negotiations": ("046", "CONSULT"),
    "agreement": ("057", "AGREE"),
    "condemnation": ("111", "ACCUSE"),
    "support": ("051", "SUPPORT"),
    "congratulations": ("051", "SUPPORT"),
    "condolences": ("018", "SUPPORT"),
}

READOUT_TYPES: tuple[str, ...] = (
    "phone_call", "consultations", "meeting", "visit", "negotiations", "agreement",
)  # fmt: skip
# Readouts whose cue counts anywhere in the post: a signing is often told last
# ("✍️ The Ministers signed …"), and its cues name the act itself, never background.
WHOLE_POST_READOUTS: tuple[str, ...] = ("agreement",)
STANCE_TYPES: tuple[str, ...] = ("condemnation", "condolences", "congratulations", "support")
# The family of the criticism cues below: a stance of type condemnation.
CRITICISM = "criticism"

# The post kinds (kind.py) that are readouts of one event type: a post of such a
# kind reports that event even when its lead words it unusually.
KIND_EVENTS: dict[str, str] = {
    "meeting": "meeting",
    "phone_call": "phone_call",
    "consultations": "consultations",
}

# Cue patterns per type, each with a literal keyword its every match contains at
# the start of a word: the stage finds the keywords in one pass over the
# lower-cased text and tries a pattern only on the sentence where its keyword
# starts a word. Patterns are matched on the lower-cased text, so they are written
# in lower case.
CUES: dict[str, tuple[tuple[str, str], ...]] = {
    "phone_call": (
        ("telephone", r"\btelephone (?:conversation|call|talks?)\b"),
        ("phone", r"\bphone (?:conversation|call|talks?)\b"),
        ("telephone", r"\bspoke (?:over|on|by) the telephone\b"),
        ("phone", r"\bspoke (?:over|on|by) the phone\b"),
        ("phoned", r"\bphoned\b"),
        ("📞", r"📞"),
    ),
    "consultations": (("consultations", r"\bconsultations\b"),),
    "meeting": (
        (
            "meeting",
            r"\b(?:hold|holds|held|had|have|has) (?:a |an )?(?:bilateral |separate |brief "
            r"|working |joint |substantive |extended |restricted |operational )*meeting\b",
        ),
        (
            "talks",
            r"\b(?:hold|holds|held|had|have|has) (?:bilateral |separate |brief |joint "
            r"|substantive |extended |restricted )*talks\b",
        ),
        ("met", r"\b(?:meet|meets|met) with\b"),
        ("met", r"\bwe met\b"),
        ("received by", r"\b(?:was|were) received by\b"),
        ("meeting", r"\bmeeting (?:was|were) (?:held|organi[sz]ed|arranged)\b"),
        ("meeting", r"\bmeeting (?:took|has taken) place\b"),
        ("meeting", r"\b(?:bilateral )?meeting (?:between|with)\b"),
        ("talks", r"\b(?:bilateral )?talks (?:between|with)\b"),
        ("summoned", r"\bwas summoned\b"),
        ("summoned", r"\bsummoned the\b"),
        ("welcomed at", r"\bwelcomed at the\b"),
        ("conference with", r"\bjoint (?:press|news) conference with\b"),
    ),
    "visit": (
        ("visit", r"\b(?:official|state|working|private|friendly) visit\b"),
        ("visit", r"\b(?:is|was|arrived) (?:in [\w ]+ )?on a (?:\w+ )?visit\b"),
        ("visit", r"\bwho is on a visit\b"),
    ),
    "negotiations": (
        ("negotiations", r"\b(?:held|hold|holds) (?:a (?:new |\w+ )?round of )?negotiations\b"),
        ("negotiations", r"\bround of negotiations (?:was|took place)\b"),
    ),
    "agreement": (
        (
            "signed",
            r"\bsigned (?:an? |the )?(?:[\w-]+ ){0,4}?(?:agreement|memorandum|treaty"
            r"|declaration|protocol|joint statement|roadmap|road map|plan|document)s?\b",
        ),
        ("signing ceremony", r"\bsigning ceremony\b"),
        (
            "signed",
            r"\b(?:agreement|memorandum|treaty|declaration|protocol) (?:was|were) "
            r"signed\b",
        ),
    ),
    "condemnation": (
        ("condemn", r"\bcondemn(?:s|ed|ing|ation)?\b"),
        ("protest", r"\b(?:strong|resolute|firm) protest\b"),
        (
            "denounc",
            r"\bdenounc(?:e|es|ed|ing) (?:the|this|these|such|all|any|yet|another) "
            r"(?:\w+ ){0,3}(?:attack|aggression|actions?|crimes?|acts?|attempts?"
            r"|statements?)\b",
        ),
    ),
    "condolences": (
        ("condolence", r"\bcondolences?\b"),
        ("sympath", r"\bsympath(?:y|ies|ise|ize|ised|ized)\b"),
    ),
    "congratulations": (
        ("congratulat", r"\bcongratulat(?:e|es|ed|ing|ion|ions|ory)\b"),
        (
            "greetings",
            r"\b(?:extend(?:s|ed)?|sen[dt]s?|convey(?:s|ed)?|exchang(?:e|es|ed)) "
            r"(?:[\w’'-]+ ){0,5}greetings\b",
        ),
        (
            "wishes",
            r"\b(?:extend(?:s|ed)?|sen[dt]s?|convey(?:s|ed)?|exchang(?:e|es|ed)) "
            r"(?:[\w’'-]+ ){0,5}wishes\b",
        ),
        ("greetings", r"\bgreetings (?:on|to)\b"),
    ),
    "support": (
        ("solidarity", r"\bsolidarity with\b"),
        (
            "support",
            r"\b(?:reaffirm\w*|express\w*|confirm\w*|extend\w*|keep|will keep) (?:its "
            r"|our |their |his |her |firm |full |comprehensive |unwavering |strong "
            r"|continued )*support(?:ing)?\b",
        ),
        ("support", r"\bwe (?:\w+ )?support\b(?! (?:it|them|you)\b)"),
        ("welcome", r"\bwe (?:\w+ )?welcome(?:d)?\b(?! (?:it|them|you)\b)"),
        ("support", r"\b(?:russia|moscow) (?:\w+ )?supports\b"),
        ("welcomes", r"\b(?:russia|moscow) (?:\w+ )?welcomes\b"),
        ("appreciates", r"\b(?:russia|moscow) (?:\w+ )?appreciates\b"),
        ("appreciation", r"\bexpressed (?:high |deep |its |his |their )?appreciation\b"),
        ("gratitude", r"\bexpressed (?:high |deep |its |his |their )?gratitude\b"),
        ("highly", r"\bhighly (?:commended|appreciated|valued)\b"),
        ("praised", r"\bpraised\b"),
    ),
}

# Cues that need the case of the text: a meeting "met" or "received" someone named
# ("Lavrov received Alexander Rogozhnik"), not "received the letters of credence".
CASED_CUES: dict[str, tuple[tuple[str, str], ...]] = {
    "meeting": (
        ("met", r"\bmet (?=[A-Z])"),
        ("received", r"\breceived (?=(?:the )?[A-Z])"),
    ),
}

# Criticism (CAMEO 111 is "criticize or denounce"): in the channel's own statements,
# a lead in these words denounces whoever it names as the agent, even without the
# verb "condemn" ("a blatant armed invasion by the US of Venezuela").
CRITICISM_CUES: tuple[tuple[str, str], ...] = (
    ("aggressi", r"\baggressi(?:ve|on)\b"), ("russophob", r"\brussophob"),
    ("anti-russian", r"\banti-russian\b"), ("illegitimate", r"\billegitimate"),
    ("illegal", r"\billegal(?:ly)?\b"), ("unlawful", r"\bunlawful"),
    ("blatant", r"\bblatant"), ("provocat", r"\bprovocat"), ("hostile", r"\bhostile\b"),
    ("unacceptable", r"\bunacceptable\b"), ("irresponsible", r"\birresponsible\b"),
    ("reckless", r"\breckless"), ("threat", r"\bthreats?\b"), ("terrorist", r"\bterrorist\b"),
    ("crime", r"\bcrimes?\b"), ("criminal", r"\bcriminal\b"), ("barbaric", r"\bbarbaric\b"),
    ("neo-nazi", r"\bneo-nazis?\b"), ("hypocri", r"\bhypocri"), ("propaganda", r"\bpropaganda\b"),
    ("disinformation", r"\bdisinformation\b"), ("blackmail", r"\bblackmail\b"),
    ("interference", r"\binterference\b"), ("abduction", r"\babduction\b"),
    ("robbery", r"\brobbery\b"), ("theft", r"\btheft\b"), ("piracy", r"\bpiracy\b"),
    ("cynical", r"\bcynical"), ("concerning", r"\bdeeply concerning\b"),
    ("concern", r"\b(?:serious|grave|deep) concern\b"), ("outrageous", r"\boutrageous\b"),
)  # fmt: skip

# The post kinds in which the channel speaks in its own voice, where criticism is
# a stance; a history or a ceremony post recalls crimes without denouncing anyone.
CRITICISM_KINDS: frozenset[str] = frozenset(
    {"statement", "comment", "answer", "briefing", "interview", "opinion", "report"}
)

# Before a country in a criticism, these make it the target or the place of the
# act, not its agent ("threats against Iran", "the President of Venezuela").
NOT_AGENT_BEFORE: tuple[str, ...] = (
    "against", "of", "on", "in", "to", "towards", "with", "for", "from", "into",
)  # fmt: skip

# Rubric hashtags the channel puts over a section, and the stance they take: the
# section's countries are its sides ("#KievRegimeCrimes", "#Moldova #Russophobia").
RUBRIC_HASHTAGS: dict[str, str] = {
    "kievregimecrimes": "condemnation",
    "russophobia": "condemnation",
    "neonazism": "condemnation",
    "terrorism": "condemnation",
}

# A readout cue after these in its sentence is an announcement, not a report ("will
# hold talks", "who will be in Russia on a working visit").
FUTURE_WORDS: tuple[str, ...] = ("will", "is to", "are to", "is scheduled to", "plans to")

# Phrases that open a sentence before its subject ("During the conversation,
# President of Iran condemned …"): the subject of a stance follows them.
FRONTED_OPENERS: tuple[str, ...] = (
    "after", "during", "following", "in", "on", "at", "before", "while", "when",
    "despite", "as", "speaking", "having", "given", "amid", "once again", "again",
    "in turn", "at the same time", "moreover", "furthermore", "however", "meanwhile",
)  # fmt: skip

# Words after a readout's cue that turn from its sides to its topics ("held
# consultations with … on cooperation in the Asia-Pacific region"): countries named
# after them are what was discussed, not who met.
TOPIC_WORDS: tuple[str, ...] = (
    "on", "regarding", "concerning", "about", "over", "to discuss", "in connection with",
    "related to", "following", "amid", "as well as", "who", "which", "where",
)  # fmt: skip

# A meeting so named is government business when no foreign side takes part ("held
# a working meeting with First Deputy Prime Minister Denis Manturov").
DOMESTIC_MEETING_WORDS: tuple[str, ...] = ("working meeting", "operational meeting")

# Nouns for a group of counterparts: a readout with such a group takes its sides
# from the list of attendees further down ("Attending the meeting were: …").
GROUP_WORDS: tuple[str, ...] = (
    "ambassadors", "representatives", "heads", "delegations", "ministers", "leaders",
    "envoys", "counterparts", "participants",
)  # fmt: skip

# Where the channel speaks for its own country: a stance with no other subject is
# Russia's ("We condemn", "The Foreign Ministry firmly condemns").
OWN_COUNTRY = "RU"

# How much of a post is its lead, where readout cues are read: the title line and
# this many lines after it.
LEAD_LINES = 2
