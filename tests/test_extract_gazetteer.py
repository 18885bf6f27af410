"""Stages 1-2: language, and the countries and organisations a post mentions.

The sentences are short phrases from the real posts in ../shared (seed dumps and the
CSV's December and January posts); the ambiguity cases are made up, since the channel
rarely writes "Jordan Bardella" or "Atlanta, Georgia".
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from communique.extract import gazetteer, language
from communique.extract.context import make_context
from conftest import DUMP_000, dump_posts


def codes(text: str) -> set[str]:
    return {m.code for m in gazetteer.country_mentions(text, "en")}


def orgs(text: str) -> set[str]:
    return {m.code for m in gazetteer.org_mentions(text, "en")}


# -- countries: must contain -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names, short names, official names
        ("issues concerning the continued strengthening of Russia-Togo ties", {"RU", "TG"}),
        ("the Islamic Republic of Mauritania on visa-free travel", {"MR"}),
        ("the Democratic People’s Republic of Korea", {"KP"}),
        (
            "Islamic Republic of\xa0Pakistan, Republic of\xa0Korea, Republic of\xa0Peru",
            {"PK", "KR", "PE"},
        ),
        ("will depart for the Emirates in a few hours", {"AE"}),
        ("the Greenland issue", {"GL"}),
        ("in 1917 Denmark sold, and the US purchased, the Virgin Islands", {"DK", "US", "VI"}),
        ("President of the Republic of Turkiye – Recep Tayyip Erdogan", {"TR"}),
        ("developments in eastern Democratic Republic of the Congo", {"CD"}),
        # a text that ends partway into a longer name ("South China Sea")
        ("tensions over the situation in South China", {"CN"}),
        ("an agreement with the Kingdom of Saudi", {"SA"}),
        # abbreviations, exact case
        ("the DPRK’s nuclear programme", {"KP"}),
        ("detained by the US authorities", {"US"}),
        ("the representative of the military attaché at the U.S. Embassy", {"US"}),
        ("the Central African Republic (CAR) published the official results", {"CF"}),
        # adjectives and demonyms
        ("As a Chinese saying goes, may you never live in a time of change.", {"CN"}),
        ("Local political observers have been shocked by the Dutchman", {"NL"}),
        ("the Iranians have been exercising maximum restraint", {"IR"}),
        ("Italian, Romanian, Hungarian and Finnish military personnel", {"IT", "RO", "HU", "FI"}),
        ("British mercenary Reginald Francis Steele", {"GB"}),
        ("Russian-Togolese ties", {"RU", "TG"}),
        # capitals standing for the government
        (
            "The mutual commitment of Moscow and Lilongwe to strengthening coordination",
            {"RU", "MW"},
        ),
        ("the positions of Moscow and Lomé coincide or closely align", {"RU", "TG"}),
        ("an effort in Washington to reconsider its international standing", {"US"}),
        ("the Kiev regime launched a terrorist attack", {"UA"}),
        ("La Paz has expressed gratitude to the Government", {"BO"}),
        ("with due consideration for Tehran’s legitimate interests", {"IR"}),
        # hashtags
        ("#RussiaSouthSudan", {"RU", "SS"}),
        ("#KievRegimeCrimes", {"UA"}),
        ("#Bolivia #HumanitarianAid #RussiaBolivia", {"BO", "RU"}),
        # flags
        ("🇷🇺🇻🇳 On December 18-19, the consultations", {"RU", "VN"}),
        ("🇰🇵 Chairman of State Affairs", {"KP"}),
    ],
)
def test_countries_found(text: str, expected: set[str]) -> None:
    assert expected <= codes(text)


# -- countries: must not contain ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unexpected"),
    [
        # a city named only as the place of an event
        ("📍 Cairo, December 19", {"EG"}),
        ("🕔 5.00 pm CST (Beijing)", {"CN"}),
        ("Statement by Russian Foreign Minister Sergey Lavrov (Moscow, December 29, 2025)", set()),
        (
            "our joint work at the Foreign Ministry: in Moscow, New York, Geneva and Bangkok.",
            {"TH"},
        ),
        ("bringing Soviet tanks to the very outskirts of Berlin.", {"DE"}),
        ("the Polish Government in Exile in London", {"GB"}),
        ("the Vienna Convention on Diplomatic Relations", {"AT"}),
        # flags are pairs: the 🇺🇸 between 🇷🇺 and 🇸🇨 is not one
        ("🇷🇺🇸🇨 Russia's Foreign Minister Sergey Lavrov", {"US"}),
        # regions, seas, historical states and units
        ("developments in Myanmar, Afghanistan, on the Korean Peninsula", {"KR", "KP"}),
        ("Latin American countries calling for the urgent convening", {"US"}),
        ("the Red Army’s 1st Ukrainian Front under Ivan Konev’s command", {"UA"}),
        ("the forces of the 1st Byelorussian and the 1st Ukrainian fronts", {"BY", "UA"}),
        ("even before the collapse of the USSR", {"RU"}),
        ("the feat accomplished by the Soviet liberator soldiers", {"RU"}),
        # languages, not countries
        ("in Russian with English, French and Spanish translation", {"FR", "ES"}),
        ("translated into English, French, and Spanish.", {"FR", "ES"}),
        # case and word boundaries
        ("Let us know, and thus the woman discussed it", {"US", "OM"}),
        ("a turkey for dinner", {"TR"}),
        ("its normalisation", {"ML"}),
    ],
)
def test_countries_not_found(text: str, unexpected: set[str]) -> None:
    assert not unexpected & codes(text)


@pytest.mark.parametrize(
    ("text", "expected", "unexpected"),
    [
        ("Jordan and Egypt called for a ceasefire", {"JO", "EG"}, set()),
        ("Jordan Bardella said in Paris", set(), {"JO"}),
        ("Georgia and Armenia", {"GE", "AM"}, set()),
        ("a rally in Atlanta, Georgia", set(), {"GE"}),
        ("Niger, Mali and Burkina Faso", {"NE", "ML", "BF"}, set()),
        ("the Niger Delta", set(), {"NE"}),
        (
            "the situation in the Democratic Republic of the Congo; Congolese refugees",
            {"CD"},
            {"CG"},
        ),
        ("Brazzaville and Congolese officials", {"CG"}, {"CD"}),
        ("the Korean Peninsula and South Korean media", {"KR"}, {"KP"}),
        ("LET US KNOW", set(), {"US"}),
    ],
)
def test_ambiguous_names(text: str, expected: set[str], unexpected: set[str]) -> None:
    found = codes(text)
    assert expected <= found
    assert not unexpected & found


# -- organisations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "unexpected"),
    [
        ("strengthening coordination at the UN and other multilateral platforms", {"UN"}, set()),
        # an organ named as the UN's stands alone; an agency counts for the UN too
        ("a constructive dialogue at the UN Security Council, where Guyana", {"UNSC"}, {"UN"}),
        ("through the UN World Food Programme, funded by Russia", {"UN", "WFP"}, set()),
        ("the Collective Security Treaty Organisation (CSTO)", {"CSTO"}, set()),
        ("the Shanghai Cooperation Organization", {"SCO"}, set()),
        ("Brussels has not even noticed the sheer absurdity", {"EU"}, set()),
        ("European Commission President Ursula von der Leyen", {"EU"}, set()),
        ("within the UN Security Council and the UN General Assembly", {"UNSC", "UNGA"}, set()),
        ("the #CSTO Collective Security Council session held in Bishkek", {"CSTO"}, {"UNSC"}),
        ("permanent members of the Security Council of the Russian Federation", set(), {"UNSC"}),
        ("the ASEAN Regional Forum", {"ARF"}, {"ASEAN"}),
        ("#UNHabitat since the establishment", {"UN"}, set()),
        ("🇺🇳 24 years ago", {"UN"}, set()),
        ("President of the Economic Community of West African States (#ECOWAS)", set(), {"UN"}),
        ("the World Health Organization and WHO experts", {"WHO"}, set()),
        ("who will attend", set(), {"WHO"}),
    ],
)
def test_organizations(text: str, expected: set[str], unexpected: set[str]) -> None:
    found = orgs(text)
    assert expected <= found
    assert not unexpected & found


def test_mentions_point_at_their_text() -> None:
    text = "🇷🇺🇨🇳 Consultations in Beijing with China's Deputy Foreign Minister; #RussiaChina"
    mentions = gazetteer.country_mentions(text, "en")
    assert [(m.code, m.form) for m in mentions] == [
        ("RU", "flag"),
        ("CN", "flag"),
        ("CN", "name"),
        ("RU", "name"),
        ("CN", "name"),
    ]
    assert all(text[m.start : m.end] == m.surface for m in mentions)


def test_stage_on_a_real_post() -> None:
    post = next(p for p in dump_posts(DUMP_000) if "Korean Peninsula" in p.text)
    ctx = make_context(post)
    ctx.language = language.detect(ctx)
    assert gazetteer.countries(ctx) == ["AF", "CN", "MM", "RU"]
    assert gazetteer.organizations(ctx) == ["ASEAN", "NATO"]


# -- Russian -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "unexpected"),
    [
        # the forward header of a post in seed dump 002
        ("Посольство России в Норвегии", {"RU", "NO"}, set()),
        ("российско-китайские отношения", {"RU", "CN"}, set()),
        ("переговоры с представителями Вьетнама и Соединённых Штатов Америки", {"VN", "US"}, set()),
        ("Киевский режим продолжает обстрелы", {"UA"}, set()),
        ("Пресс-конференция в Москве", set(), {"RU"}),
        ("того же мнения придерживаются эксперты", set(), {"TG"}),
    ],
)
def test_russian_by_lemma(text: str, expected: set[str], unexpected: set[str]) -> None:
    found = {m.code for m in gazetteer.country_mentions(text)}
    assert expected <= found
    assert not unexpected & found


def test_russian_organizations() -> None:
    found = {m.code for m in gazetteer.org_mentions("Генассамблея ООН и СБ ООН, а также ОДКБ")}
    assert found == {"UNGA", "UNSC", "CSTO"}


def test_english_path_does_not_load_natasha() -> None:
    code = (
        "import sys; from communique.extract import gazetteer; "
        "gazetteer.country_mentions('Russia and Vietnam'); "
        "print('natasha' in sys.modules, 'pymorphy2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- language ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("🇷🇺🇹🇬 On December 19 in Cairo, Sergey #Lavrov held a meeting with the Minister", "en"),
        ("Посольство России в Норвегии", "ru"),
        ("🎄 С Наступающим Новым Годом!", "ru"),
        ("Посольство Росії в Україні повідомляє, що її дипломати їдуть до Києва", "uk"),
        ("Міністэрства замежных спраў Рэспублікі Беларусь", "be"),
        ("Le ministre des Affaires étrangères et la délégation de la Russie", "fr"),
        ("🎄🎉", None),
        ("", None),
    ],
)
def test_language(text: str, expected: str | None) -> None:
    assert language.detect_text(text) == expected
