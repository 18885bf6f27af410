"""Role titles and name vocabularies for the people stage (people.py), kept as data.

How a role attaches to a name, in the posts' own phrasing:

- before it, with complements between: "Deputy Foreign Minister Andrey Rudenko",
  "Minister of Foreign Affairs and Diaspora of the Republic of Seychelles Barry Faure",
  "President of the Republic of Armenia – Vahagn Khachaturyan" (greetings lists);
- after it, as an apposition: "Maria Zakharova, Russian MFA Spokeswoman";
- the country sits before the title ("Russia's", "US", "Togolese") or in an
  "of <country>" complement; "to <country>" and "in <city>" name where the person
  serves, not whom ("Ambassador of Russia to Norway": Russia's).

Nationality words and country names come from the gazetteer (gazetteer.py); this
module lists the words of titles and names, and, last, the patterns of how they
stand in a text (runs of capitalised words, what may stand between a title and its
name, appositions).
"""

from __future__ import annotations

import re

# Titles as the posts write them before a name. A title in a post is a run of their
# capitalised words that ends in one of their last words (the head nouns:
# "Minister", "President", "Spokeswoman"), so "Deputy Foreign Minister" is one title
# and "Foreign Affairs" none; plurals ("Permanent Representatives") count too.
ROLE_HEADS: tuple[str, ...] = (
    "First Deputy Prime Minister", "Deputy Prime Minister", "Prime Minister",
    "First Deputy Foreign Minister", "Deputy Foreign Minister", "Foreign Minister",
    "First Deputy Minister", "Deputy Minister", "Assistant Minister", "Minister", "FM",
    "Vice President", "Vice-President", "Co-president", "Co-President", "President",
    "Chancellor", "Vice Chancellor",
    "King", "Queen", "Sultan", "Emir", "Crown Prince", "Prince", "Pope", "Patriarch",
    "His Majesty", "Her Majesty", "His Highness", "Agong",
    "Ambassador Extraordinary and Plenipotentiary", "Ambassador-at-Large",
    "Ambassador at Large", "Ambassador", "Chargé d’Affaires", "Chargé d'Affaires",
    "Consul General", "Consul-General", "Consul",
    "Deputy Permanent Representative", "Permanent Representative",
    "Official Spokeswoman", "Official Spokesperson", "Spokeswoman", "Spokesman",
    "Spokesperson", "Press Secretary",
    "Aide to the President", "Presidential Aide", "Aide",
    "Special Presidential Representative", "Special Presidential Envoy",
    "Special Representative", "Special Envoy", "Envoy", "Representative",
    "Secretary-General", "Secretary General", "General Secretary",
    "Deputy Secretary of State", "Secretary of State", "Secretary",
    "High Representative", "High Commissioner", "Commissioner",
    "Director-General", "Director General", "Deputy Director", "Director",
    "Deputy Head", "Head", "Chairman", "Chairwoman", "Chairperson", "Chair",
    "Deputy Chairman", "Speaker", "Governor", "Mayor", "Senator", "Chief",
    "Senior Advisor", "Senior Adviser", "Advisor", "Adviser", "National Leader",
    "Veteran",
)  # fmt: skip

# Ranks: the posts name soldiers and veterans by rank ("Captains Nikolai Chikov").
# Ranks are also ordinary words ("General Assembly", "Major powers"), so a rank is
# a title only right before a name.
RANK_HEADS: tuple[str, ...] = (
    "General-Adjutant", "General", "Gen.", "Colonel", "Lieutenant", "Captain", "Major",
    "Marshal", "Admiral", "Commander",
)  # fmt: skip

# Lower-case role nouns: in an apposition after a name ("the last hostage, Ran Gvili";
# "Viktor Khomenko, a veteran") or right before it ("archaeologist Alexander
# Butyagin"). Further away they would catch ordinary prose.
APPOSITION_ROLES: tuple[str, ...] = (
    "veteran", "hostage", "mercenary", "archaeologist", "journalist", "correspondent",
    "founder", "writer", "poet", "historian", "scientist", "diplomat", "representative",
    "envoy", "ambassador", "director", "chairman", "leader", "radio operator",
)  # fmt: skip

# Words that qualify a title without changing it ("Acting President", "former
# Prime Minister"); dropped from the role, which keeps its shortest clear form.
ROLE_QUALIFIERS: frozenset[str] = frozenset(
    {"acting", "interim", "former", "newly", "appointed", "incumbent", "then", "outgoing"}
)

# The shortest clear form of a title as docs/labelling.md asks, by rewrites applied
# in order to the cleaned role phrase (country complements already removed).
ROLE_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    # The Russian MFA's own spokeswoman appears under many titles.
    (
        re.compile(
            r"^(?:(?:Russian )?(?:MFA|Foreign Ministry|Foreign Ministry's) )?"
            r"(?:Official )?(Spokes(?:woman|man|person))$"
        ),
        r"\1",
    ),  # fmt: skip
    (
        re.compile(r"^(First Deputy |Deputy |Assistant )?Minister (?:of|for) Foreign Affairs\b.*$"),
        r"\1Foreign Minister",
    ),  # fmt: skip
    (re.compile(r"^FM$"), "Foreign Minister"),
    (re.compile(r"^Presidential Aide$"), "Presidential Aide"),
    # "… of the Russian Foreign Ministry" says whose department, not the role.
    (re.compile(r" of the (?:Russian )?(?:Foreign Ministry|Ministry of Foreign Affairs)$"), ""),
    (
        re.compile(r"^(Ambassador(?:-at-Large| at Large)?) of the (?:Russian )?Foreign Ministry$"),
        r"\1",
    ),  # fmt: skip
    (re.compile(r"^Ambassador Extraordinary and Plenipotentiary\b"), "Ambassador"),
    (re.compile(r"^Gen\.$"), "General"),
    # A plural title before coordinated names is each one's title in the singular.
    (
        re.compile(
            r"^((?:[\w-]+ )*?(?:Captain|Lieutenant|Ambassador|Minister|President|"
            r"Representative|Envoy|Director|Co-president))s\b"
        ),
        r"\1",
    ),  # fmt: skip
)

# The forms of state in a country's full name ("the Islamic Republic of Iran"): they
# go with the country when a role's country complement is taken off.
STATE_FORMS: frozenset[str] = frozenset(
    {
        "Republic",
        "State",
        "Kingdom",
        "Federation",
        "Union",
        "Sultanate",
        "Emirates",
        "Commonwealth",
        "Principality",
        "Confederation",
    }  # fmt: skip
)

# Courtesy titles and honorifics: neither role nor name.
HONORIFICS: frozenset[str] = frozenset(
    {
        "dr",
        "dr.",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "sir",
        "madam",
        "h.e.",
        "hon.",
        "excellency",
        "mme",
        "prof.",
        "professor",
        "gen.",
        "sheikh",
        "his",
        "her",
        "majesty",
        "highness",
        "royal",
    }  # fmt: skip
)

# Lower-case name particles that may stand inside a name ("Ursula von der Leyen",
# "Luiz Inacio Lula da Silva", "Badr bin Hamad Al Busaidi"), never at its ends.
NAME_PARTICLES: tuple[str, ...] = (
    "bin", "bint", "ibn", "von", "der", "van", "de", "da", "dos", "du", "di", "del",
    "la", "le", "ter", "y", "al", "el",
)  # fmt: skip

# Capitalised words that end a name's run or stand in a role's complement: parts of
# titles, organisations, offices, places and calendar words. A name is what is left of
# a capitalised run once these are taken off (casefolded comparison).
NOT_NAME_WORDS: frozenset[str] = frozenset(
    w.casefold()
    for w in """
    Minister Ministers Ministry Ministries Ministerial Foreign Affairs Deputy First Second Third
    Assistant Vice Co-president Co-presidents President Presidential Presidents Presidency
    Prime Chancellor
    King Queen Sultan Emir Crown Prince Pope Patriarch Majesty Highness Ambassador Ambassadors
    Ambassador-at-Large Extraordinary Plenipotentiary Chargé Charge d’Affaires d'Affaires
    Consul Consulate General Consul-General Permanent Representative Representatives Official
    Spokeswoman Spokesman Spokesperson Press Secretary Aide Special Envoy Secretary-General
    Director Director-General Directorate Head Chairman Chairwoman Chair Speaker Governor
    Mayor Senator Chief Senior Advisor Adviser Leader Leaders Commissioner High Captain No
    Captains Lieutenant Lieutenants Major Marshal Admiral Commander Colonel General-Adjutant
    Department Departments Office Service Services Agency Committee Commission Council Board
    Assembly Parliament Duma Senate Cabinet Government Administration Authority Authorities
    Republic Federation Federal Federative Kingdom Union State States Sultanate Emirates
    Islamic Bolivarian Democratic Socialist People People's Peoples United Arab Nations
    National International Regional Central Executive Supreme Security Military Armed Forces
    Army Navy Guard Staff Party Community Communities Organization Organisation Organizations
    Organisations Institute Institution University Academy School Museum Hermitage Centre
    Center Foundation Fund Programme Program Bank Corporation Company Partners Group Club
    Conference Forum Summit Session Meeting Meetings Talks Consultations Treaty Agreement
    Charter Declaration Resolution Strategy Plan Initiative Cooperation Co-operation
    Expatriates Emigration Migration Nationals Compatriots Issues Entities Matters Questions
    Development Relations Integration Trade Economic Economy Investment Finance Finances Defence
    Defense Justice Interior Education Science Technology Culture Health Energy Industry
    Agriculture Transport Construction Housing Utilities Diaspora Abroad Human Rights Red Cross
    Crescent Acquisition Nonproliferation Non-proliferation Arms Control Information Policy
    Affairs Protocol Planning Consular Legal Region Regions Territory Oblast Province City
    Capital Square Street Avenue Prospekt Palace Hall House Kremlin White Embassy Mission
    Delegation Envoys Medal Order Prize Award Day Week Year Anniversary War Victory Front
    Great Patriotic World Cold Soviet Russian Russia's Western Eastern Northern Southern
    North South East West Middle Near Far Asian African European American Latin Pacific
    Atlantic Arctic Asia-Pacific Eurasian Commonwealth Independent Sides Side Parties Party's
    January February March April May June July August September October November December
    Today Tomorrow Yesterday Uncle Aunt Grandmother Grandfather Mother Father Brother Sister
    The A An This That These Those On In At Of For By With From During After Before As
    And But Or Our We Our Their His Her Its It They He She I You Your My Mr Mrs Ms Dr Sir
    Madam Excellency Dear Esteemed Colleagues Friends Ladies Gentlemen Question Answer
    Statement Comment Interview Briefing Remarks Address Message Greetings Condolences
    Opinion Article Read Watch Listen Photo Video Key Points Live Outcomes Also Meanwhile
    However Furthermore Moreover Therefore Thus Since While When Where Why What Which Who
    According Despite Following Regarding Over Under Between Among Against About Through
    UN UNSC UNGA NATO EU OSCE SCO BRICS ASEAN CSTO CIS EAEU MFA ICRC
    Holy See Vatican Saint St Mount Lake River Sea Ocean Island Islands Gulf Bay Strait
    Coalition Willing Alliance Council's Union's Committee's Kiev Regime Nazi Nazis
    Christmas New Easter Ramadan Orthodox Catholic Muslim Jewish Christian Christians
    Lend-Lease Operation Special Plenary Open Debate Informal Intergovernmental Negotiations
    """.split()
)

# Words after a name that make it an eponym, not a mention of the person
# ("Alexander Pushkin Medal", "Gorchakov Fund").
EPONYM_WORDS: frozenset[str] = frozenset(
    w.casefold()
    for w in """
    Medal Order Prize Award Fund Foundation Street Avenue Prospekt Square Museum Institute
    University Academy School Library Centre Center Airport Station Stadium Park Bridge Garden
    Theatre Theater Cathedral Church Monastery Memorial Monument Festival Readings Lyceum
    Hall Palace Route Doctrine Plan Program Programme Line Canal
    """.split()
)

# Given names: a capitalised word from this list followed by capitalised words is a
# person's name even with no title before it ("Donald Trump", "Kaja Kallas"). Russian
# names in their usual English transliterations, then others the channel names often.
# Words that are also places or common nouns (Georgia, Sofia, Victoria, Jordan) are
# left out: a title or a second name is needed for them.
GIVEN_NAMES: frozenset[str] = frozenset(
    """
    Aleksandr Aleksandra Aleksei Alexander Alexandra Alexei Alexey Aleksey Alla Anastasia
    Anatoly Anatoliy Andrei Andrey Andrew Anna Anton Arkady Arseny Artem Artyom Bogdan
    Boris Daniil Darya Denis Dmitry Dmitri Dmitriy Dmitrii Evgeny Evgeniy Eugene Fyodor
    Fedor Gennady Gennadiy Georgy Georgiy Gleb Grigory Grigoriy Igor Ilya Inna Irina Ivan
    Kirill Konstantin Ksenia Larisa Leonid Lev Lyudmila Lyubov Maksim Maxim Margarita Maria
    Mariya Marina Matvei Mikhail Nadezhda Natalia Natalya Nikita Nikolai Nikolay Oleg Olga
    Pavel Pyotr Petr Peter Polina Roman Ruslan Sergei Sergey Sergiy Stanislav Stepan
    Svetlana Taras Tatiana Tatyana Timur Valentina Valery Valeriy Valentin Vasily Vassily
    Vasily Veronika Viktor Victor Viktoria Vitaly Vitaliy Vladimir Vladislav Vladlen
    Vyacheslav Yakov Yaroslav Yekaterina Ekaterina Yelena Elena Yevgeny Yevgenia Yuri Yury
    Yuriy Yulia Zakhar Zinaida Rodion Galina Raisa Lidia Nina Vera Tanya Vasya Lyosha
    Misha Sasha Kostya Dima Volodya Semyon Afanasy Grigori Maksimilian Alyona Anzhela
    Valentin Rustam Ramzan Marat Ilham Nursultan Kassym-Jomart Emomali Shavkat Sadyr
    Serdar Gurbanguly Nikol Serzh Robert Vahagn Alan Badra Aslan
    Donald Joe Joseph Barack Hillary Kamala Mike Michael Marco Antony Anthony Steve Steven
    Stephen Jared Josh Keith John James Jake Jeffrey Tulsi Pete Richard Mark Marc Rob Ron
    Kurt  Lindsey Elon Tucker Jeremy Boris Keir Rishi Theresa David Liz Emmanuel
    Friedrich Olaf Angela Annalena Ursula Kaja Josep Charles Antonio António Giorgia Viktor
    Robert Peter Andrzej Karol Radoslaw Radosław Donald Mateusz Alexander Gerhard Helmut
    Frank-Walter  Ignazio Sergio Pedro Luiz Luis Nicolas Nicolás Delcy Yvan Gustavo
    Miguel Raul Raúl Fidel Daniel Rosario Evo Javier Claudia Andrés Gabriel Xiomara
    Recep Hakan Mevlut Benjamin Isaac Yair Gideon Naftali Mahmoud Mohammed Mohamed Muhammad
    Mohammad Ahmed Ahmad Ali Hassan Hussein Abdullah Abdel Abdul Omar Khalid Faisal Salman
    Tamim Badr Haitham Asaad Masoud Abbas Hamad  Sameh Nabil Ayman Bashar Hosni
    Ebrahim Hassan Javad Seyed Kamal Tareq Tariq Anwar Salva Faustin-Archange Paul
    Cyril Jacob Thabo Nelson Abiy Taye Yoweri Uhuru William Bola Muhammadu Ibrahim Assimi
    Abdourahamane Mamadi Faure Robert Olivier Amon Emmerson Hage Netumbo Selma Phenyo
    Mokgweetsi  Hakainde Denis Félix Felix Paul Macky Bassirou Ousmane George
    Barry Hugh Mihai Maia Igor Dorin Aleksandar Milorad Viktor Robert Peter Tibor Zoran
    Narendra Droupadi Subrahmanyam  Rahul Shehbaz Asif Imran  Ranil Anura
    Xi Wang Li Liu Zhao  Zhang Chen   Hu Wen Jiang Qin   Huang Zhou  Guo
     Luo Cheng Gao Kim  Yoon   Choi Shigeru Fumio Shinzo Yoshihide Takeshi
    Yoko Taro Satsuki Sanae Toshimitsu Prabowo Joko Sugiono Anwar Ferdinand Bongbong
    Thongloun   Manet  Prayut Srettha Paetongtarn  Aung  Luong Pham Nguyen
     Bui Vo Tran Ukhnaagiin  Oyun-Erdene Narendra Benazir Nawaz Ursula
    Antonio  Volker Rafael Tedros Audrey Kristalina Ngozi Amina Dennis Philemon
    Ivan Mirjana Volodymyr Petro Leonid Oleksandr Andriy Dmytro Vitali Vitaliy Arseniy
    Yulia Kyrylo Rustem Valery Valerii Oleksiy Mykola Denys Irina Maia Salome Irakli
    Bidzina Mikheil Ilham Jeyhun Ramiz Ararat   Alexander Maxim Maksim
    Roman Sergei Konstantin Dauren Kubanychbek Esen Botirjon Bakhtiyor Murat Yerlan
    Oded Ran Gilad Lise Tamalia Pum Aung Aye Tatyana Vladlen Lev Lina Bronislava Semyon
    Krzysztof Danae Giuseppe Mette Ulf Jens Sauli Alexander Sanna Petteri Elina Kaja
    Mark  Alar Kersti Gitanas Edgars Evika Krisjanis  Egils 
    Napoleon Adolf Joachim Heinrich Hermann Benito Winston Franklin Harry Dwight
    Mikael Nikolay Anatoly  Alexandre Jean Jean-Noël Jean-Yves Jean-Luc
     Emmanuel Francois François Jacques Nicolas Pierre Dominique Segolene Ségolène
    """.split()
)

# Given names that may stand alone as a person (a family's members in a memory post,
# "Natalia, Yekaterina and Vera"): Russian given names and their diminutives that
# are not also ordinary words or places.
BARE_GIVEN_NAMES: frozenset[str] = frozenset(
    """
    Yevgenia Nina Leonid Mikhail Vasya Lyosha Natalia Yekaterina Vera Tanya Misha Sasha
    Kostya Dima Volodya Galina Raisa Lidia Svetlana Tatyana Tatiana Irina Olga Lyudmila
    Nadezhda Yelena Elena Anastasia Ksenia Zinaida Valentina Larisa Darya Polina Alyona
    """.split()
)

# Well-known people the channel often names by surname alone ("Zelensky", "President
# Trump"): the surname, the full name when a post gives none, and the country they
# serve. Historical figures come last. A post's own fuller form and stated role win.
KNOWN_PEOPLE: tuple[tuple[str, str, str | None], ...] = (
    ("Putin", "Vladimir Putin", "RU"),
    ("Lavrov", "Sergey Lavrov", "RU"),
    ("Zakharova", "Maria Zakharova", "RU"),
    ("Ushakov", "Yury Ushakov", "RU"),
    ("Nebenzia", "Vassily Nebenzia", "RU"),
    ("Peskov", "Dmitry Peskov", "RU"),
    ("Medvedev", "Dmitry Medvedev", "RU"),
    ("Shoigu", "Sergey Shoigu", "RU"),
    ("Ryabkov", "Sergey Ryabkov", "RU"),
    ("Zelensky", "Vladimir Zelensky", "UA"),
    ("Poroshenko", "Petro Poroshenko", "UA"),
    ("Trump", "Donald Trump", "US"),
    ("Biden", "Joe Biden", "US"),
    ("Rubio", "Marco Rubio", "US"),
    ("Witkoff", "Steve Witkoff", "US"),
    ("Nuland", "Victoria Nuland", "US"),
    ("Macron", "Emmanuel Macron", "FR"),
    ("Merz", "Friedrich Merz", "DE"),
    ("Starmer", "Keir Starmer", "GB"),
    ("Rutte", "Mark Rutte", None),
    ("Kallas", "Kaja Kallas", None),
    ("Guterres", "António Guterres", None),
    ("Sandu", "Maia Sandu", "MD"),
    ("Netanyahu", "Benjamin Netanyahu", "IL"),
    ("Erdogan", "Recep Tayyip Erdogan", "TR"),
    ("Lukashenko", "Alexander Lukashenko", "BY"),
    ("Maduro", "Nicolas Maduro", "VE"),
    ("Hitler", "Adolf Hitler", "DE"),
    ("Bandera", "Stepan Bandera", None),
    ("Napoleon", "Napoleon Bonaparte", None),
    ("Stalin", "Joseph Stalin", None),
)


# -- how titles and names stand in a text: the patterns people.py applies ---------------

_UP = "A-ZÀ-ÖØ-ÞĀ-ſȘȚ"  # Latin-1 and Extended-A capitals: Popșoi, Gnassingbé
_TOKEN = rf"[{_UP}#][\w'’‐‑-]*"
# Capitalised words joined by single spaces, with name particles inside ("Ursula von
# der Leyen", "Ahmed al-Sharaa"); after an initial a run goes on with or without a
# space ("K.Eide", "George T. Chaponda"), but a full stop after a word ends it.
RUN_RE = re.compile(
    rf"{_TOKEN}(?:(?:(?<![\w.]\w)\.[ ]?|[ ])(?:(?:{'|'.join(NAME_PARTICLES)}) )*"
    rf"(?:(?:al|el|ad|as|ash|ar|an|at|ul|di|de|da)[-‐‑](?=[{_UP}]))?{_TOKEN})*"
)
# What may not stand between a title and the name it introduces: a lower-case word
# other than a connective, a full stop after a word, a colon, a quotation, a line
# break. Complements in capitalised words, commas, dashes and a parenthesis may.
GAP_BREAK_RE = re.compile(
    r"[;:!?\n«»“”\"(]|\.(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bSt\.)(?<!\b[A-Z]\.)"
    r"|\b(?!(?:of|for|to|in|on|and|the|at|ad|interim|regime|s)\b)[a-z]"
)
MAX_GAP = 160
# "Name, Secretary General of …", "Name, a veteran": the role after the name.
_appositions = "|".join(
    map(re.escape, sorted({*APPOSITION_ROLES, *ROLE_HEADS}, key=len, reverse=True))
)
APPOSITION_RE = re.compile(
    rf",\s+(?:(?:a|an|the|then)\s+)?(?:[{_UP}][\w’'-]*\s+){{0,3}}?(?P<title>{_appositions})"
    rf"(?![\w-])"
)
# "archaeologist Alexander Butyagin": a lower-case role noun right before the name.
ROLE_NOUN_BEFORE_RE = re.compile(rf"\b(?:{'|'.join(APPOSITION_ROLES)}) $")
SPEAKER_RE = re.compile(r"💬\s*$")
# The object of a connective opens the run after it: "in Toronto Vladlen Epifanov".
OBJECT_BEFORE_RE = re.compile(r"(?:\b(?:of|in|to|for|at|and)|&) $")
ARTICLE_BEFORE_RE = re.compile(r"\bthe $")
DASH_BEFORE_RE = re.compile(r"[–—] $")
DASH_AFTER_RE = re.compile(r" [–—] ")
ROMAN_RE = re.compile(r"[IVX]{1,5}")
INITIAL_RE = re.compile(rf"[{_UP}]\.")
# After a country, capitalised words before the name: an organisation's name goes on.
ORG_GOES_ON_RE = re.compile(rf" [{_UP}]\w+ ")
AND_BETWEEN_RE = re.compile(r",? and (?:the )?|, (?:the )?")
POSSESSIVE_AFTER_RE = re.compile(r"(?:['’]s)?\s")
ROLE_TRIM_RE = re.compile(r"^[\s,–—-]+|[\s,–—(-]+$|(?:\s+(?:and|the|of|to|in))+$")
PARENS_RE = re.compile(r"\s*\([^()]*\)")
SPACES_RE = re.compile(r"\s+")
PATRONYMIC_RE = re.compile(r"(?:ovna|evna|ichna|ovich|evich|ich)$")
