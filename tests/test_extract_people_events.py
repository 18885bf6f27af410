"""Stages 6 and 7, people and events, on phrases and posts of the real channel.

Phrases are short quotes of posts in ../shared (the seed dumps and the CSV of
December 2025 and January 2026); whole posts are loaded from there by message id.
The CSV's February and March posts are held out and not used here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from communique.extract import extract
from communique.extract.context import Context, make_context
from communique.extract.events import find as find_events
from communique.extract.events_data import CASED_CUES, CRITICISM_CUES, CUES, EVENT_CODES
from communique.extract.people import canonical, same_person
from communique.extract.people import find as find_people
from communique.models import Event, Person, Post, SourceRef
from conftest import csv_posts_before


def ctx_of(text: str, kind: str = "other") -> Context:
    post = Post(key="test", title=text.split("\n", 1)[0], text=text, source=SourceRef("csv"))
    ctx = make_context(post, year=2026)
    ctx.language = "en"
    ctx.kind = kind
    return ctx


def people_of(text: str) -> dict[str, Person]:
    return {p.name: p for p in find_people(ctx_of(text))}


def events_of(text: str, kind: str = "other") -> set[tuple[str, tuple[str, ...]]]:
    ctx = ctx_of(text, kind)
    ctx.people = find_people(ctx)
    return {(e.type, e.countries) for e in find_events(ctx)}


# -- people: names with role and country -------------------------------------------------

# (phrase, name, role, country)
# fmt: off
TITLED = [
    ("🇷🇺🇨🇳 On January 23, Russia's Deputy Foreign Minister Andrey Rudenko held consultations",
     "Andrey Rudenko", "Deputy Foreign Minister", "RU"),
    ("President of Russia Vladimir Putin and President of Iran Masoud Pezeshkian had a"
     " telephone conversation.", "Masoud Pezeshkian", "President", "IR"),
    ("Russia's Foreign Minister Sergey Lavrov and Minister of Foreign Affairs and Diaspora of the"
     " Republic of Seychelles Barry Faure hold a meeting", "Barry Faure", "Foreign Minister", "SC"),
    ("with Assistant Minister of Foreign Affairs of China (with the rank of Deputy Minister)"
     " Liu Bin on Russia-China relations", "Liu Bin", "Assistant Foreign Minister", "CN"),
    ("🎙 Statement by Permanent Representative of the Russian Federation to the UN Vassily"
     " Nebenzia at a UNSC meeting", "Vassily Nebenzia", "Permanent Representative to the UN",
     "RU"),
    ("📆 On May 29, 2025, Consul General of the Russian Federation in Toronto Vladlen"
     " Viktorovich Epifanov, during a working trip", "Vladlen Viktorovich Epifanov",
     "Consul General in Toronto", "RU"),
    ("🎙 Comment by Ambassador of Russia to Norway Nikolay Korchunov for Russian media",
     "Nikolay Korchunov", "Ambassador to Norway", "RU"),
    ("with General Secretary of the Communist Party of Vietnam Central Committee To Lam.",
     "To Lam", "General Secretary of the Communist Party of Vietnam Central Committee", "VN"),
    ("#Opinion by Maria Zakharova, Russian MFA Spokeswoman", "Maria Zakharova", "Spokeswoman",
     "RU"),
    ("Vladimir Putin: Mr Tokayev, we began working together", "Vladimir Putin", None, "RU"),
]
# fmt: on


@pytest.mark.parametrize(("phrase", "name", "role", "country"), TITLED)
def test_titled_names(phrase: str, name: str, role: str | None, country: str | None) -> None:
    assert people_of(phrase)[name] == Person(name, role, country)


def test_coordinated_names_share_the_title_and_take_the_countries_in_turn() -> None:
    found = people_of(
        "Foreign Minister Sergey Lavrov held a meeting in Moscow with Permanent"
        " Representatives of Kuwait and the Netherlands to the UN Tareq Albanai and Lise"
        " Gregoire van Haaren."
    )
    assert found["Tareq Albanai"].country == "KW"
    assert found["Lise Gregoire van Haaren"].country == "NL"
    pair = people_of(
        "🇳🇮 Co-presidents of the Republic of Nicaragua – Daniel Ortega and Rosario Murillo;"
    )
    assert {p.role for p in pair.values()} == {"Co-president"}
    assert set(pair) == {"Daniel Ortega", "Rosario Murillo"}


# (phrase, the names found, exactly)
# fmt: off
NAMES = [
    # Given names, initials, particles, a hashtag before a surname.
    ("On December 19 in Cairo, Sergey #Lavrov held a meeting", {"Sergey Lavrov"}),
    ("named after V.Gordeev presented its best dances", {"V.Gordeev"}),
    ("Minister of Foreign Affairs of the Republic of Malawi George T. Chaponda",
     {"George T. Chaponda"}),
    ("the EU High Representative Kaja Kallas and Ursula von der Leyen", {"Kaja Kallas",
                                                                          "Ursula von der Leyen"}),
    ("President of Syria Ahmed al‑Shaibani arrived", {"Ahmed al-Shaibani"}),
    ("🇻🇦 Pope Leo XIV.", {"Leo XIV"}),
    ("Dear Natalia, Yekaterina and Vera.", {"Natalia", "Yekaterina", "Vera"}),
    ("the regime of Zelensky", {"Zelensky"}),
    # Not persons: eponyms, organisations, objects of titles, hashtags, ranks as words.
    ("to present the Alexander Pushkin Medal to", set()),
    ("UN General Assembly Resolution No. 60/7 at Russia's initiative", set()),
    ("the anti-Hitler coalition", set()),
    ("the Chairman of the Halk Maslahaty of Turkmenistan – Gurbanguly Berdimuhamedov;",
     {"Gurbanguly Berdimuhamedov"}),
    ("the President of the Republic of South Ossetia – Alan Gagloyev;", {"Alan Gagloyev"}),
    ("the Second Ministerial Conference of the #RussiaAfrica Partnership Forum", set()),
    ("Ambassador-at-Large on the Kiev Regime’s War Crimes, Rodion Miroshnik, will hold",
     {"Rodion Miroshnik"}),
    ("the Consul General in New York.", set()),
]
# fmt: on


@pytest.mark.parametrize(("phrase", "names"), NAMES)
def test_names_found(phrase: str, names: set[str]) -> None:
    assert set(people_of(phrase)) == names


# -- people: one person per spelling -----------------------------------------------------


def test_spellings_of_one_person_merge_into_the_fullest() -> None:
    found = find_people(
        ctx_of(
            "Presidential Aide Yuri Ushakov said … 💬 Yury Ushakov: The conversation took"
            " place. Ushakov added that President Trump wished to talk; Donald Trump agreed."
        )
    )
    assert [p.name for p in found] == ["Yuri Ushakov", "Donald Trump"]
    assert found[0] == Person("Yuri Ushakov", "Presidential Aide", "RU")


# (a, b, the same person)
# fmt: off
SPELLINGS = [
    ("Yury Ushakov", "Yuri Ushakov", True),
    ("Maxim Ryzhenkov", "Maksim Ryzhenkov", True),
    ("Vassily Nebenzia", "Vasily Nebenzia", True),
    ("Zelensky", "Vladimir Zelensky", True),
    ("Xi", "Xi Jinping", True),
    ("George T. Chaponda", "George Tapatula Chaponda", True),
    ("V.Gordeev", "Vladimir Gordeev", True),
    ("Oded Josef", "Oded Joseph", True),
    ("Maria Vladimirovna", "Maria Zakharova", True),
    ("Barry Faure", "Danny Faure", False),
    ("Gurbanguly Berdimuhamedov", "Serdar Berdimuhamedov", False),
    ("Maria Zakharova", "Maria Vorontsova", False),
]
# fmt: on


@pytest.mark.parametrize(("a", "b", "same"), SPELLINGS)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same
    assert same_person(b, a) is same


def test_canonical_is_the_key_of_all_spellings() -> None:
    assert canonical("Yuri Ushakov") == canonical("Yury Ushakov") == canonical("Yuriy Ushakov")
    assert canonical("Sergei Lavrov") == canonical("Sergey Lavrov")
    assert canonical("Barry Faure") != canonical("Danny Faure")


# -- events: codes, cues -----------------------------------------------------------------


def _labelling_table() -> dict[str, tuple[str, str]]:
    """The events table of docs/labelling.md: | `type` | cameo | plover | when |."""
    guide = Path(__file__).resolve().parent.parent / "docs" / "labelling.md"
    rows = re.findall(r"^\| `(\w+)` \| (\d{3}) \| ([A-Z]+) \|", guide.read_text("utf-8"), re.M)
    assert len(rows) >= 10
    return {kind: (cameo, plover) for kind, cameo, plover in rows}


LABELLING_TABLE = _labelling_table()


@pytest.mark.parametrize(("kind", "codes"), sorted(LABELLING_TABLE.items()))
def test_event_codes_follow_the_labelling_guide(kind: str, codes: tuple[str, str]) -> None:
    assert EVENT_CODES[kind] == codes


def test_every_cue_pattern_contains_its_keyword() -> None:
    cues = [c for table in (CUES, CASED_CUES) for group in table.values() for c in group]
    for keyword, pattern in cues + list(CRITICISM_CUES):
        assert keyword in pattern.replace("\\b", "").replace("(?:", ""), (keyword, pattern)
        assert re.compile(pattern).pattern == pattern


# (lead, the (type, sides) found)
# fmt: off
LEADS = [
    ("🇷🇺🇻🇳 📞 On January 24 Russia's President Vladimir Putin had a telephone conversation"
     " with General Secretary of the Communist Party of Vietnam Central Committee To Lam.",
     {("phone_call", ("RU", "VN"))}),
    ("🇷🇺🇨🇳 On January 22, In Beijing, Russia's Deputy Foreign Minister Andrey Rudenko held"
     " consultations with Assistant Minister of Foreign Affairs of China Liu Bin on Russia-China"
     " relations.", {("consultations", ("CN", "RU"))}),
    ("🗓 On January 12, Ambassador of Poland to the Russian Federation Krzysztof Krajewski was"
     " summoned to the Russian Ministry of Foreign Affairs.", {("meeting", ("PL", "RU"))}),
    # An announcement is not a report; a meeting of one's own officials is no diplomacy.
    ("🇷🇺🇵🇸 On January 22, President of Russia Vladimir Putin will hold talks with President of"
     " the State of Palestine Mahmoud Abbas, who will be in Russia on a working visit.", set()),
    ("🇷🇺 On January 12, Vladimir Putin held a working meeting with First Deputy Prime Minister"
     " Denis Manturov on Russia's industrial performance indicators in 2025.", set()),
]
# fmt: on


@pytest.mark.parametrize(("lead", "found"), LEADS)
def test_readouts_in_the_lead(lead: str, found: set[tuple[str, tuple[str, ...]]]) -> None:
    assert events_of(lead) == found


def test_a_meeting_recalled_in_passing_is_no_event() -> None:
    text = (
        "🎙 Foreign Ministry Spokeswoman Maria Zakharova's comment\n"
        "💬 The statements followed the tanker's seizure.\n"
        "The matter was raised again.\n"
        "It came after his meeting in November 2025 with Zelensky."
    )
    assert events_of(text, "comment") == set()


def test_a_stance_takes_its_subject_and_the_agents_it_condemns() -> None:
    text = (
        "🇷🇺🇮🇷 📞 On December 30, President of Russia Vladimir Putin and President of Iran Masoud"
        " Pezeshkian had a telephone conversation.\n"
        "During the conversation, President of Iran condemned the large-scale drone attack"
        " organized by the Kiev regime on the Russian President’s state residence.\n"
        "Masoud Pezeshkian warmly congratulated Vladimir Putin on the upcoming New Year."
    )
    assert events_of(text, "phone_call") == {
        ("phone_call", ("IR", "RU")),
        ("condemnation", ("IR", "UA")),
        ("congratulations", ("IR", "RU")),
    }


def test_a_list_of_bilateral_talks_is_one_meeting_per_country() -> None:
    text = (
        "🌍 The Conference has concluded in Cairo.\n"
        "On December 19-20, the Russian Minister held bilateral talks with representatives of"
        " the following countries:\n1. 🇨🇬 Republic of the Congo\n2. 🇧🇮 Burundi\n3. 🇹🇿 Tanzania\n"
        "Recap of the key events:"
    )
    assert events_of(text, "meeting") == {
        ("meeting", ("CG", "RU")),
        ("meeting", ("BI", "RU")),
        ("meeting", ("RU", "TZ")),
    }


# -- events on whole posts ---------------------------------------------------------------


@pytest.fixture(scope="module")
def csv_posts() -> dict[int, Post]:
    return csv_posts_before("2026-02")


# (message id, events that must be found, what it shows)
# fmt: off
POSTS = [
    (27764, {("meeting", ("MR", "RU")), ("agreement", ("MR", "RU"))},
     "a signing told further down a meeting's readout"),
    (27878, {("meeting", ("KG", "KZ", "RU", "TJ", "TM", "UZ"))},
     "the ambassadors of a region, listed under 'Attending the meeting were:'"),
    (27917, {("phone_call", ("BY", "RU")), ("condemnation", ("BY", "UA")),
             ("congratulations", ("BY", "RU"))},
     "greetings exchanged by 'the Leaders' are between the call's sides"),
    (27937, {("condemnation", ("RU", "US")), ("support", ("RU", "VE"))},
     "'This development … warrants condemnation' points back to the aggressor"),
    (28011, {("condolences", ("RU", "TH"))}, "condolences to the King of Thailand"),
]
# fmt: on


@pytest.mark.parametrize(("message_id", "wanted", "why"), POSTS)
def test_events_of_real_posts(
    csv_posts: dict[int, Post], message_id: int, wanted: set[tuple[str, tuple[str, ...]]],
    why: str,
) -> None:  # fmt: skip
    found = extract(csv_posts[message_id]).events
    assert wanted <= {(e.type, e.countries) for e in found}, why
    for event in found:
        assert (event.cameo, event.plover) == EVENT_CODES[event.type]


def test_events_carry_the_posts_date_place_and_participants(csv_posts: dict[int, Post]) -> None:
    found = extract(csv_posts[27758 + 1]).events  # Lavrov and Robert Dussey, Cairo
    meeting = next(e for e in found if e.type == "meeting")
    assert isinstance(meeting, Event)
    assert (meeting.date, meeting.place) == ("2025-12-19", "Cairo")
    assert {p.name for p in meeting.participants} == {"Sergey Lavrov", "Robert Dussey"}
    assert meeting.countries == ("RU", "TG")


def test_a_domestic_meeting_reports_no_event(csv_posts: dict[int, Post]) -> None:
    assert [e.type for e in extract(csv_posts[27992]).events] == []
