"""Stages 3 and 4, kind and speaker, on the real posts and on the cascade's edges.

Titles are short quotes of posts in ../shared (the seed dumps and the CSV of
December 2025 and January 2026); whole posts are loaded from there by message id
or title. The CSV's February and March posts are held out and not used here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.extract import kind_patterns as kp
from communique.extract.context import Context, make_context
from communique.extract.kind import KINDS, RuleSet, classify, layout, needles
from communique.extract.speaker import find, name_after, name_before
from communique.models import Post, SourceRef
from conftest import DUMP_000, DUMP_002, csv_posts_before, dump_posts


def ctx_of(text: str, year: int | None = 2026) -> Context:
    post = Post(key="test", title=text.split("\n", 1)[0], text=text, source=SourceRef("csv"))
    return make_context(post, year=year)


def run(ctx: Context) -> tuple[str, str | None]:
    ctx.kind = classify(ctx)
    return ctx.kind, find(ctx)


# -- titles of the real posts ---------------------------------------------------------

# (title, kind, speaker): the title alone decides.
# fmt: off
TITLES = [
    ("🎙 Russian MFA Spokeswoman Maria Zakharova's answer to a media question on the"
     " outcomes of the European Council meeting (December 19, 2025)",
     "answer", "Maria Zakharova"),
    ("🎙 Comment by Ambassador of Russia to Norway Nikolay Korchunov for Russian media"
     " (December 20, 2025)", "comment", "Nikolay Korchunov"),
    ("⚡️ Comment by Aide to the President Yury Ushakov following the telephone conversation"
     " between Vladimir Putin and US President Donald Trump", "comment", "Yury Ushakov"),
    ("🎙 Statement by Permanent Representative of the Russian Federation to the UN Vassily"
     " Nebenzia at a UNSC meeting on Ukraine (New York, May 29, 2025)",
     "statement", "Vassily Nebenzia"),
    ("🇷🇺🇵🇸 Opening remarks by President of Russia Vladimir Putin during his talks with"
     " President of the State of Palestine Mahmoud Abbas", "statement", "Vladimir Putin"),
    ("🎙 Foreign Minister Sergey Lavrov’s address at the meeting of the United Russia Party"
     " General Council Commission", "statement", "Sergey Lavrov"),
    ("📄 JOINT STATEMENT by the Participants in the Second Ministerial Conference of the"
     " Russia–Africa Partnership Forum (Cairo, December 20, 2025)", "statement", None),
    ("⚡️ Statement by the Shanghai Cooperation Organisation on the situation in the Islamic"
     " Republic of Iran (January 16, 2026)", "statement", None),
    ("⚡️ Foreign Ministry statement on the terrorist attack by the Kiev regime", "statement",
     None),
    ("🎄 President of Russia Vladimir Putin’s New Year Address to the Nation", "message",
     "Vladimir Putin"),
    ("✉️ Russia's Foreign Minister Sergey Lavrov’s greetings to the organisers and"
     " participants of the 10th international conference", "message", "Sergey Lavrov"),
    ("✉️ Letter by Ambassador of Russia to Indonesia Sergei Tolchenov to the Editor-in-Chief"
     " of the Independent Observer (25.12.2025)", "message", "Sergei Tolchenov"),
    ("✉️ President of Russia Vladimir Putin extended his holiday greetings on Christmas and"
     " the upcoming New Year 2026 to Heads of foreign states and governments:", "message",
     "Vladimir Putin"),
    ("🇷🇺🇬🇾 Russia’s Foreign Minister Sergey Lavrov and Minister of Foreign Affairs of"
     " Guyana Hugh Hilton Todd exchanged messages of congratulation on the occasion of the"
     " 55th anniversary", "message", "Sergey Lavrov"),
    ("▪️ Moscow conveys its sincere condolences to the people of Spain", "message", None),
    ("🕯 Condolences on the Passing of Great Patriotic War and Second World War Veteran"
     " Viktor Khomenko", "message", None),
    ("#Opinion by Maria Zakharova, Russian MFA Spokeswoman", "opinion", "Maria Zakharova"),
    ("⚡️ Article by Mikael Agasandyan, Director of the First CIS Countries Department of the"
     " Russian Foreign Ministry, published in Eurasian Dialogue", "opinion", "Mikael Agasandyan"),
    ("🇷🇺 Interview by Permanent Representative of the Russian Federation to the International"
     " Organizations in Vienna Mikhail Ulyanov to «Izvestia» newspaper", "interview",
     "Mikhail Ulyanov"),
    ("📻 Interview of Russia’s Ambassador to Norway Nikolay Korchunov to BBC 4 «Today» Radio"
     " Program (May 22, 2025)", "interview", "Nikolay Korchunov"),
    ("🎙 Briefing by Russia's Foreign Ministry Spokeswoman Maria Zakharova (Moscow, January"
     " 15, 2026)", "briefing", "Maria Zakharova"),
    ("🎙 President of Russia Vladimir Putin answered questions from journalists and the people"
     " of Russia at the 2025 Year-End Conference", "briefing", "Vladimir Putin"),
    ("🎙 Russian Foreign Minister Sergey Lavrov's statement during his annual news conference",
     "briefing", "Sergey Lavrov"),
    ("🔴 #LIVE: Briefing by Russia's Foreign Ministry Spokeswoman Maria Zakharova on topical"
     " foreign policy issues", "announcement", None),
    ("🇷🇺🇻🇪 📞 On December 22, Minister of Foreign Affairs of Russia Sergey Lavrov and"
     " Minister of Foreign Affairs of Venezuela Yvan Gil had a telephone conversation.",
     "phone_call", None),
    ("🇷🇺🇧🇾 📞 On January 3, Russia's Foreign Minister Sergey Lavrov and Foreign Minister of"
     " the Republic of Belarus Maxim Ryzhenkov spoke over the phone.", "phone_call", None),
    ("🇷🇺🇻🇳 On May 29, Russian-Vietnamese inter-agency consultations on ensuring biological"
     " safety and security took place in Hanoi.", "consultations", None),
    ("🇷🇺🇪🇬 Russia's Foreign Minister Sergey Lavrov was received by President of Egypt Abdel"
     " Fattah el-Sisi", "meeting", None),
    ("🇷🇺🇵🇸 #RussiaPalestine talks have begun in Moscow – President of Russia Vladimir Putin"
     " and President of the State of Palestine Mahmoud Abbas meet in the Kremlin.",
     "meeting", None),
    ("Steven Witkoff welcomed at the Kremlin", "meeting", None),
    ("🗓 On January 12, Ambassador of Poland to the Russian Federation Krzysztof Krajewski was"
     " summoned to the Russian Ministry of Foreign Affairs", "meeting", None),
    ("🇷🇺 On January 15 Vladimir Putin received the letters of credence from newly appointed"
     " ambassadors of foreign nations.", "ceremony", None),
    ("📜 On January 23, 2026, Ambassador of the Russian Federation Aleksandr Kosmodemiyanskiy"
     " presented his credentials to President of the Republic of South Sudan", "ceremony", None),
    ("📆January 24 is the International Day of Education, proclaimed by the United Nations in"
     " 2018.", "ceremony", None),
    ("🕯 On 27 January Russian diplomats together with Russian compatriots living in the"
     " United Kingdom laid a wreath and flowers at the Soviet War Memorial in London to mark"
     " the 82nd anniversary of the lifting of the Nazi siege of Leningrad.", "ceremony", None),
    ("🇺🇳 24 years ago, the United Nations Human Settlements Programme (UN-Habitat) was"
     " established.", "history", None),
    ("🗓 Today marks the 54th anniversary of the establishment of diplomatic relations between"
     " our country and the People’s Republic of Bangladesh.", "history", None),
    ("🗓 On January 23, 1930, Tanya Savicheva, a schoolgirl who kept a diary during the Siege"
     " of Leningrad, was born.", "history", None),
    ("🇷🇺 Key foreign policy outcomes of 2025", "report", None),
]
# fmt: on


@pytest.mark.parametrize(("title", "kind", "speaker"), TITLES, ids=[t[0][:40] for t in TITLES])
def test_real_titles(title: str, kind: str, speaker: str | None) -> None:
    assert run(ctx_of(title)) == (kind, speaker)


# -- whole real posts -------------------------------------------------------------------


@pytest.fixture(scope="module")
def csv_posts() -> dict[int, Post]:
    return csv_posts_before("2026-02")


# (message id, kind, speaker, what decides)
POSTS = [
    (27890, "briefing", "Maria Zakharova", "an opening quote, and a closing 'Excerpt from ...'"),
    (28141, "history", None, "a memory title, though it closes with a briefing's quote"),
    (28117, "statement", "Maria Zakharova", "a speaker header, then a quote"),
    (28034, "meeting", None, "a speaker header, then a first-person 'we met'"),
    (28049, "report", None, "a speaker header, then 'PHOTO EVIDENCE'"),
    (28013, "statement", None, "a body's header, then a quote"),
    (28176, "opinion", "Alexander Polyakov", "a body's header, then 'Article by ..., Name'"),
    (27968, "opinion", "R.Golubovskiy", "a name by its initial only, kept as spelled"),
    (28074, "announcement", None, "#Announcement over a 'will hold talks' title"),
    (27970, "announcement", None, "future tense over the title's 'news conference'"),
    (28062, "announcement", None, "'All is set for the annual ... news conference'"),
    (28035, "comment", None, "an untitled reaction: 'Moscow welcomes ...'"),
    (28171, "message", "Mikhail Melekh", "a byline under a title that names no genre"),
    (27958, "history", None, "#HistoryOfRussia and 'a memorable date'"),
    (27977, "history", None, "a dated title whose year is long past"),
    (27851, "meeting", None, "'... Conference ... has successfully concluded'"),
    (27864, "other", None, "an explainer: nothing decides"),
    (27971, "other", None, "naval exercises: nothing decides"),
    (28003, "ceremony", None, "a body's header, then 'presented his letter of credence'"),
    (28023, "answer", "Gennady Gatilov", "'... Gatilov's answer to a question from ...'"),
    (27959, "message", "Kirill", "'Nativity Message of His Holiness Patriarch Kirill'"),
]


@pytest.mark.parametrize(("message_id", "kind", "speaker", "why"), POSTS,
                         ids=[str(p[0]) for p in POSTS])  # fmt: skip
def test_real_posts(
    csv_posts: dict[int, Post], message_id: int, kind: str, speaker: str | None, why: str
) -> None:
    assert run(make_context(csv_posts[message_id])) == (kind, speaker), why


# (dump, title prefix, kind, speaker)
SEED_POSTS = [
    (DUMP_000, "#Outcomes2025", "briefing", "Sergey Lavrov"),
    (DUMP_000, "📅 On January 21, 2026, a solemn ceremony", "ceremony", None),
    (DUMP_002, "📆 On May 29, 2025, Consul General", "ceremony", None),
    (DUMP_002, "🔴 #LIVE: UN Security Council meeting on Ukraine.", "announcement", None),
    (DUMP_002, "🇷🇺 The Security Council of the Russian Federation:", "meeting", None),
    (DUMP_002, "❗️Russian Embassy's Comment on", "comment", None),
]


@pytest.mark.parametrize(("path", "prefix", "kind", "speaker"), SEED_POSTS,
                         ids=[p[1][:30] for p in SEED_POSTS])  # fmt: skip
def test_seed_posts(path: Path, prefix: str, kind: str, speaker: str | None) -> None:
    year = 2026 if path == DUMP_000 else 2025
    posts = [p for p in dump_posts(path) if p.title.startswith(prefix)]
    assert posts
    for post in posts:
        assert run(make_context(post, year=year)) == (kind, speaker)


def test_the_seeds_and_the_early_csv_get_known_kinds(csv_posts: dict[int, Post]) -> None:
    posts = [*csv_posts.values(), *dump_posts(DUMP_000), *dump_posts(DUMP_002)]
    kinds = {classify(make_context(p)) for p in posts}
    assert kinds <= set(KINDS) - {"service"}


# -- the cascade's edges ----------------------------------------------------------------


# fmt: off
EDGES = [
    ("", "other", None),
    ("#KievRegimeCrimes", "other", None),
    # A relative clause in the future describes something else than the post.
    ("Comment by Maria Zakharova on the talks that will be held in Geneva", "comment",
     "Maria Zakharova"),
    ("On February 12, Sergey Lavrov will hold talks with the Foreign Minister of Egypt",
     "announcement", None),
    # The earliest genre word decides, and only it names the speaker.
    ("⚡️ Statement by the Foreign Ministry on Donald Trump's remarks", "statement", None),
    ("Putin had a telephone conversation with Erdogan and expressed condolences",
     "phone_call", None),
    # A "message of greetings" is no "message by": the sender is the subject.
    ("✉️ Vladimir Putin sent a message of greetings to President of Vietnam To Lam",
     "message", "Vladimir Putin"),
    # A place after "in" is no name.
    ("Comment by the Russian Embassy in South Africa on the election", "comment", None),
    # A surname alone takes the full name the post spells elsewhere.
    ("💬 Lavrov: We will respond.\nForeign Minister Sergey Lavrov said so today.",
     "statement", "Sergey Lavrov"),
    ("Lavrov's greetings to the conference\nDear friends, ...\nSergey Lavrov", "message",
     "Sergey Lavrov"),
    # A letter signed in capitals.
    ("✉️ Condolences to the King of Thailand:\nYour Majesty, ...\nRespectfully,\n"
     "VLADIMIR PUTIN", "message", "Vladimir Putin"),
    # Several answered questions make an interview, one an answer.
    ("Untitled\n❓ Question: One?\n💬 Answer: Yes.", "answer", None),
    ("Untitled\n❓ One?\n💬 Yes.\n❓ Two?\n💬 Yes.\n❓ Three?\n💬 Yes.", "interview", None),
    # A rhetorical question is not an exchange.
    ("Untitled\n❓ Will you ever answer, Mr Türk?\n❗️ We await it.", "other", None),
    ("🤝 The Sides agreed to stay in touch.", "meeting", None),
    # A quote that closes with "(From the briefing by ...)" is the briefing's.
    ("💬 Maria Zakharova: The West ...\nMore.\n(From the briefing by Russian MFA Spokeswoman"
     " Maria Zakharova, February 5, 2026)", "briefing", "Maria Zakharova"),
    # One word is no name unless a role or an initial says so.
    ("Interview with Izvestia newspaper", "interview", None),
    ("Nativity Message of His Holiness Patriarch Kirill", "message", "Kirill"),
    # National and international days are ceremonies, days of remembrance history.
    ("📆 February 23 – Defender of the Fatherland Day", "ceremony", None),
    ("📆 February 10 is Diplomatic Workers' Day", "ceremony", None),
    ("🗓 February 15 is the Day of Remembrance of Russians who served abroad", "history", None),
    ("Happy Republic Day, India!", "message", None),
]
# fmt: on


@pytest.mark.parametrize(("text", "kind", "speaker"), EDGES)
def test_edges(text: str, kind: str, speaker: str | None) -> None:
    assert run(ctx_of(text)) == (kind, speaker)


@pytest.mark.parametrize(("year", "kind"), [(2026, "history"), (1950, "other"), (None, "history")])
def test_a_dated_title_is_history_only_when_long_past(year: int | None, kind: str) -> None:
    assert classify(ctx_of("🌟 On January 27, 1944, Leningrad was liberated.", year)) == kind


def test_a_recent_dated_title_is_no_history() -> None:
    assert classify(ctx_of("📆 On May 29, 2025, the Consul General visited Alberta.", 2025)) == (
        "other"
    )


def test_speaker_only_for_kinds_that_present_words() -> None:
    ctx = ctx_of("🇷🇺🇹🇯 Putin held a bilateral meeting with Rahmon\n💬 Vladimir Putin: Welcome.")
    assert run(ctx) == ("meeting", None)


def test_layout_tells_headers_apart() -> None:
    person = layout(["#KievRegimeCrimes", "⚡️ Ambassador at Large Rodion Miroshnik:", "Text"])
    assert (person.tags, person.speaker_header, person.title) == (
        ("#KievRegimeCrimes",), True, "Text")  # fmt: skip
    body = layout(["🇷🇺🇿🇦 Consulate General of Russia in Cape Town:", "✍️ An article"])
    assert (body.header, body.speaker_header, body.mark, body.title) == (
        "Consulate General of Russia in Cape Town", False, "✍️ ", "An article")  # fmt: skip
    title = layout(["✉️ Putin has extended his condolences to the King of Thailand:"])
    assert title.header is None


# -- names ---------------------------------------------------------------------------------


# fmt: off
NAMES = [
    ("Ambassador of Russia to Norway Nikolay Korchunov for Russian media", "Nikolay Korchunov"),
    ("the Consul General of Russia in Cape Town, R.Golubovskiy, for the Weekend Argus",
     "R.Golubovskiy"),
    ("Consul General Vladlen Viktorovich Epifanov during a trip",
     "Vladlen Viktorovich Epifanov"),
    ("the Russian Embassy in South Africa on the election", None),
    ("the Ministry of Foreign Affairs of the Russian Federation regarding", None),
    ("Russia's Foreign Minister Sergey Lavrov (Moscow, December 29, 2025)", "Sergey Lavrov"),
    ("the Participants in the Second Ministerial Conference (Cairo, December 20)", None),
]
# fmt: on


@pytest.mark.parametrize(("text", "name"), NAMES)
def test_name_after(text: str, name: str | None) -> None:
    assert name_after(text) == name


def test_name_before() -> None:
    assert name_before("Russia's Foreign Ministry Spokeswoman Maria Zakharova:") == (
        "Maria Zakharova"
    )
    assert name_before("Russian Embassy") is None


# -- the rule tables ----------------------------------------------------------------------

TABLES = {
    name: getattr(kp, name) for name in dir(kp) if name.endswith("_RULES") or name in (
        "SPEAKER_ANCHORS", "SPEAKER_VERBS")
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_rule_opens_with_needles_and_names_a_kind(name: str) -> None:
    extra = {"-", "history_date", "by", "of", "verb"}
    for rule_kind, pattern in TABLES[name]:
        assert needles(pattern), pattern
        assert rule_kind in KINDS or rule_kind in extra, (name, rule_kind)


def test_needles_are_the_literal_words_a_rule_opens_with() -> None:
    assert needles(r"answers? by\b") == ("answer",)
    assert needles(kp.CASED + r"(?:International|World) Day") == ("international", "world")
    assert needles(r"^happy\b") == ("happy",)


@pytest.mark.parametrize(
    "pattern", [r"\bmet\b", r"(?:has |have )?met", r"x\d+", r"(?:a|b)c", r"as?"]
)
def test_a_rule_without_literal_opening_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="literal words"):
        needles(pattern)


def test_rule_set_earliest_wins_then_table_order() -> None:
    rules = RuleSet([("b", r"beta\b"), ("a", r"alpha\b"), ("a2", r"alpha beta\b")])
    assert rules.first("beta alpha") == "b"
    assert rules.first("alpha beta") == "a"  # a tie: the rule listed first
    assert rules.first("alphabet") is None  # a needle must end where its pattern says
    assert rules.first("helmet alpha") == "a"
    assert [h.kind for h in rules.hits("alpha beta")] == ["a", "a2", "b"]


def test_rule_set_needles_open_words_and_cased_rules_read_capitals() -> None:
    rules = RuleSet([("meeting", r"met\b"), ("cased", kp.CASED + r"received [A-Z]")])
    assert rules.first("a helmet") is None
    assert rules.first("He met them") == "meeting"
    assert rules.first("received the letters") is None
    assert rules.first("received Alexander") == "cased"
