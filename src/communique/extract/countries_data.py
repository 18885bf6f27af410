"""The country gazetteer written for communique: what pycountry lacks, as data.

pycountry gives each country's ISO short name, official name and common name. Posts
name countries in many more ways, and the tables below add them, following
docs/labelling.md ("countries"):

- ``NAMES``: short forms, other spellings and former names in current use;
- ``ABBREVIATIONS``: all-caps forms, matched with their exact case ("US", never "us");
- ``ADJECTIVES`` and ``DEMONYMS``: "Vietnamese", "Russian"; "the Americans",
  "the Dutchman" (regular plurals, "Russians", "Cypriots", are derived), except
  where the adjective names a language (``LANGUAGE_*``: "French translation") or
  a Red Army front (``FRONT_ADJECTIVES``: "the 1st Ukrainian Front");
- ``CAPITALS``: a capital counts only where it stands for its government
  ("Moscow and Washington agreed"), not as the place of an event ("in Cairo",
  "Cairo, December 19": ``PLACE_WORDS_BEFORE``) or part of a name ("the Minsk
  agreements": ``NAME_WORDS_AFTER``); ``GOVERNMENT_PHRASES`` always stand for it;
- ``SHARED_FORMS``: a form two countries share ("Congo", "Korean") counts for the
  one the post otherwise names;
- ``BLOCKERS``: phrases in which a country word names no country ("the Korean
  Peninsula", "the 1st Ukrainian Front", "Latin America");
- ``AMBIGUOUS_NAMES``: names that are also first names or US states ("Jordan",
  "Georgia"), with the cues that mean the other sense.

Historical states are left out on purpose (the guide counts the USSR for no
country), and so are regions without an ISO 3166-1 code (Abkhazia, Kosovo).

The second half holds the Russian-language tables (lemmas) that russian.py matches.
"""

from __future__ import annotations

# pycountry entries that are not countries in the labels' sense.
EXCLUDED_CODES: frozenset[str] = frozenset({"AQ", "BV", "HM", "TF", "UM"})

NAMES: dict[str, tuple[str, ...]] = {
    "AE": ("the Emirates", "Emirates"),
    "AG": ("Antigua",),
    "BA": ("Bosnia", "Bosnia-Herzegovina"),
    "BN": ("Brunei",),
    "BO": ("Bolivia",),
    "BS": ("The Bahamas",),
    "BY": ("Byelorussia", "Belorussia"),
    "CD": ("DR Congo", "Democratic Republic of the Congo", "Congo-Kinshasa"),
    "CG": ("Republic of the Congo", "Congo-Brazzaville"),
    "CI": ("Ivory Coast", "Cote d'Ivoire", "Côte d’Ivoire", "Cote d’Ivoire"),
    "CV": ("Cape Verde",),
    "CZ": ("Czech Republic",),
    "FK": ("Falklands", "Malvinas"),
    "FM": ("Micronesia",),
    "GB": ("Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"),
    "GM": ("The Gambia",),
    "IR": ("Iran",),
    "KG": ("Kyrgyz Republic", "Kirghizia"),
    "KN": ("St Kitts and Nevis", "St. Kitts and Nevis"),
    "KP": ("North Korea", "Democratic People's Republic of Korea",
           "Democratic People’s Republic of Korea"),
    "KR": ("South Korea", "Republic of Korea"),
    "LA": ("Laos", "Lao PDR", "Lao People’s Democratic Republic"),
    "LC": ("St Lucia", "St. Lucia"),
    "MD": ("Moldova", "Moldavia"),
    "MK": ("Macedonia",),
    "MM": ("Burma",),
    "NL": ("Holland",),
    "PS": ("Palestine", "State of Palestine"),
    "RU": ("Russia",),
    "ST": ("Sao Tome and Principe", "São Tomé and Príncipe"),
    "SY": ("Syria",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "TR": ("Turkey", "Turkiye", "Türkiye", "Republic of Turkiye"),
    "TT": ("Trinidad",),
    "TW": ("Taiwan",),
    "TZ": ("Tanzania",),
    "US": ("United States", "United States of America", "America"),
    "VA": ("Vatican", "Holy See", "Vatican City"),
    "VC": ("St Vincent and the Grenadines", "Saint Vincent"),
    "VE": ("Venezuela",),
    "VG": ("British Virgin Islands",),
    "VI": ("US Virgin Islands", "U.S. Virgin Islands", "Virgin Islands"),
    "VN": ("Vietnam",),
}  # fmt: skip

# Matched with their exact case, and not inside all-caps text ("LET US KNOW").
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AE": ("UAE",),
    "CD": ("DRC",),
    "CF": ("CAR",),
    "CN": ("PRC",),
    "GB": ("UK", "U.K."),
    "KP": ("DPRK",),
    "KR": ("ROK",),
    "RU": ("RF",),
    "SA": ("KSA",),
    "US": ("US", "U.S.", "USA", "U.S.A."),
}

ADJECTIVES: dict[str, tuple[str, ...]] = {
    "AE": ("Emirati",), "AF": ("Afghan",), "AL": ("Albanian",), "AM": ("Armenian",),
    "AO": ("Angolan",), "AR": ("Argentine", "Argentinian"), "AT": ("Austrian",),
    "AU": ("Australian",), "AZ": ("Azerbaijani", "Azeri"), "BA": ("Bosnian",),
    "BB": ("Barbadian",), "BD": ("Bangladeshi",), "BE": ("Belgian",),
    "BF": ("Burkinabe", "Burkinabè"), "BG": ("Bulgarian",), "BH": ("Bahraini",),
    "BI": ("Burundian",), "BJ": ("Beninese",), "BN": ("Bruneian",), "BO": ("Bolivian",),
    "BR": ("Brazilian",), "BS": ("Bahamian",), "BT": ("Bhutanese",),
    "BW": ("Botswanan",), "BY": ("Belarusian", "Belarussian", "Byelorussian", "Belorussian"),
    "BZ": ("Belizean",), "CA": ("Canadian",), "CH": ("Swiss",), "CI": ("Ivorian",),
    "CL": ("Chilean",), "CM": ("Cameroonian",), "CN": ("Chinese",), "CO": ("Colombian",),
    "CR": ("Costa Rican",), "CU": ("Cuban",), "CV": ("Cape Verdean", "Cabo Verdean"),
    "CY": ("Cypriot",), "CZ": ("Czech",), "DE": ("German",), "DJ": ("Djiboutian",),
    "DK": ("Danish",), "DO": ("Dominican",), "DZ": ("Algerian",), "EC": ("Ecuadorian",),
    "EE": ("Estonian",), "EG": ("Egyptian",), "ER": ("Eritrean",), "ES": ("Spanish",),
    "ET": ("Ethiopian",), "FI": ("Finnish",), "FJ": ("Fijian",), "FR": ("French",),
    "GA": ("Gabonese",), "GB": ("British", "Scottish", "Welsh"), "GD": ("Grenadian",),
    "GE": ("Georgian",),
    "GH": ("Ghanaian",), "GL": ("Greenlandic",), "GM": ("Gambian",), "GN": ("Guinean",),
    "GQ": ("Equatorial Guinean", "Equatoguinean"), "GR": ("Greek",),
    "GT": ("Guatemalan",), "GW": ("Bissau-Guinean",), "GY": ("Guyanese",),
    "HN": ("Honduran",), "HR": ("Croatian",), "HT": ("Haitian",), "HU": ("Hungarian",),
    "ID": ("Indonesian",), "IE": ("Irish",), "IL": ("Israeli",), "IN": ("Indian",),
    "IQ": ("Iraqi",), "IR": ("Iranian",), "IS": ("Icelandic",), "IT": ("Italian",),
    "JM": ("Jamaican",), "JO": ("Jordanian",), "JP": ("Japanese",), "KE": ("Kenyan",),
    "KG": ("Kyrgyz", "Kirghiz"), "KH": ("Cambodian",), "KM": ("Comorian",),
    "KP": ("North Korean",), "KR": ("South Korean",), "KW": ("Kuwaiti",),
    "KZ": ("Kazakh", "Kazakhstani"), "LA": ("Lao", "Laotian"), "LB": ("Lebanese",),
    "LK": ("Sri Lankan",), "LR": ("Liberian",), "LT": ("Lithuanian",),
    "LU": ("Luxembourgish",), "LV": ("Latvian",), "LY": ("Libyan",), "MA": ("Moroccan",),
    "MD": ("Moldovan", "Moldavian"), "ME": ("Montenegrin",), "MG": ("Malagasy",),
    "MK": ("Macedonian", "North Macedonian"), "ML": ("Malian",), "MM": ("Burmese",),
    "MN": ("Mongolian",), "MR": ("Mauritanian",), "MT": ("Maltese",), "MU": ("Mauritian",),
    "MV": ("Maldivian",), "MW": ("Malawian",), "MX": ("Mexican",), "MY": ("Malaysian",),
    "MZ": ("Mozambican",), "NA": ("Namibian",), "NE": ("Nigerien",), "NG": ("Nigerian",),
    "NI": ("Nicaraguan",), "NL": ("Dutch",), "NO": ("Norwegian",),
    "NP": ("Nepalese", "Nepali"), "OM": ("Omani",), "PA": ("Panamanian",),
    "PE": ("Peruvian",), "PG": ("Papua New Guinean",), "PH": ("Philippine", "Filipino"),
    "PK": ("Pakistani",), "PL": ("Polish",), "PR": ("Puerto Rican",),
    "PS": ("Palestinian",), "PT": ("Portuguese",), "PY": ("Paraguayan",),
    "QA": ("Qatari",), "RO": ("Romanian",), "RS": ("Serbian",), "RU": ("Russian",),
    "RW": ("Rwandan",), "SA": ("Saudi", "Saudi Arabian"), "SC": ("Seychellois",),
    "SD": ("Sudanese",), "SE": ("Swedish",), "SG": ("Singaporean",),
    "SI": ("Slovenian", "Slovene"), "SK": ("Slovak", "Slovakian"),
    "SL": ("Sierra Leonean",), "SN": ("Senegalese",), "SO": ("Somali", "Somalian"),
    "SR": ("Surinamese",), "SS": ("South Sudanese",), "SV": ("Salvadoran", "Salvadorian"),
    "SY": ("Syrian",), "SZ": ("Swazi",), "TD": ("Chadian",), "TG": ("Togolese",),
    "TH": ("Thai",), "TJ": ("Tajik", "Tajikistani"), "TL": ("Timorese",),
    "TM": ("Turkmen",), "TN": ("Tunisian",), "TO": ("Tongan",), "TR": ("Turkish",),
    "TT": ("Trinidadian",), "TW": ("Taiwanese",), "TZ": ("Tanzanian",),
    "UA": ("Ukrainian",), "UG": ("Ugandan",), "US": ("American",), "UY": ("Uruguayan",),
    "UZ": ("Uzbek", "Uzbekistani"), "VA": ("Vatican",), "VE": ("Venezuelan",),
    "VN": ("Vietnamese",), "YE": ("Yemeni",), "ZA": ("South African",),
    "ZM": ("Zambian",), "ZW": ("Zimbabwean",),
}  # fmt: skip

# Nouns for a country's people that are not an adjective plus -s.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "AR": ("Argentines",), "BW": ("Batswana", "Motswana"), "CZ": ("Czechs",),
    "DK": ("Danes", "Dane"), "ES": ("Spaniards", "Spaniard"), "FI": ("Finns", "Finn"),
    "FR": ("Frenchman", "Frenchmen", "Frenchwoman"),
    "GB": ("Britons", "Briton", "Brits", "Englishman", "Englishmen"),
    "GR": ("Greeks",), "HR": ("Croats", "Croat"), "IE": ("Irishman", "Irishmen"),
    "IS": ("Icelanders",), "KZ": ("Kazakhs",), "NL": ("Dutchman", "Dutchmen"),
    "NZ": ("New Zealanders", "New Zealander"), "PH": ("Filipinos",), "PL": ("Poles",),
    "RS": ("Serbs",), "SA": ("Saudis",), "SE": ("Swedes", "Swede"), "SK": ("Slovaks",),
    "TJ": ("Tajiks",), "TM": ("Turkmens",), "TR": ("Turks",), "UZ": ("Uzbeks",),
    "GL": ("Greenlanders",),
}  # fmt: skip

# Adjectives that are also languages' names. In a language's sense ("English,
# French and Spanish translation", "translated into French") they name no country.
LANGUAGE_ADJECTIVES: frozenset[str] = frozenset({
    "French", "Spanish", "Portuguese", "German", "Italian", "Chinese", "Japanese",
    "Turkish", "Dutch", "Greek", "Swedish", "Polish", "Hungarian", "Czech",
    "Finnish", "Danish", "Norwegian", "Serbian", "Vietnamese", "Mongolian",
    "Thai", "Lao", "Indonesian", "Kazakh", "Uzbek", "Tajik", "Kyrgyz",
    "Turkmen", "Armenian", "Georgian", "Azerbaijani", "Romanian", "Bulgarian",
    "Ukrainian", "Belarusian",
})  # fmt: skip
# Adjectives that, after an ordinal, name a Red Army front of the Second World War
# ("the 1st Ukrainian Front", "the 2nd and 3rd Byelorussian fronts"), not a country.
FRONT_ADJECTIVES: frozenset[str] = frozenset({"Ukrainian", "Byelorussian", "Belorussian"})
ORDINALS: frozenset[str] = frozenset({
    "1st", "2nd", "3rd", "4th", "first", "second", "third", "fourth",
})  # fmt: skip

# Words after such an adjective (or the list it is in) that make it a language.
LANGUAGE_NOUNS: frozenset[str] = frozenset({
    "translation", "translations", "language", "languages", "version", "versions",
    "subtitles", "interpretation", "interpreting", "speaking", "speakers", "speaker",
    "translated", "dubbing", "edition", "editions", "original",
})  # fmt: skip
# Words before such an adjective (or its list) that make it a language.
LANGUAGE_WORDS_BEFORE: frozenset[str] = frozenset({"into", "from", "speak", "speaks", "in"})
# Languages that are not a country's adjective: a list with one is a list of languages.
LANGUAGES: frozenset[str] = frozenset({
    "English", "Arabic", "Hebrew", "Swahili", "Latin", "Hindi", "Malay", "Persian", "Farsi",
    "Urdu", "Bengali", "Tamil", "Kurdish", "Pashto", "Esperanto",
})  # fmt: skip

# Capitals (and seats of government) as posts of this genre spell them. A capital
# counts for its country only where it stands for the government; Brussels, which
# stands for the EU, is in organizations_data.
CAPITALS: dict[str, str] = {
    # Europe
    "Amsterdam": "NL", "Athens": "GR", "Belgrade": "RS", "Berlin": "DE", "Bern": "CH",
    "Berne": "CH", "Bratislava": "SK", "Bucharest": "RO", "Budapest": "HU",
    "Chisinau": "MD", "Chișinău": "MD", "Kishinev": "MD", "Copenhagen": "DK",
    "Dublin": "IE", "Helsinki": "FI", "Kiev": "UA", "Kyiv": "UA", "Lisbon": "PT",
    "Ljubljana": "SI", "London": "GB", "Madrid": "ES", "Minsk": "BY", "Moscow": "RU",
    "Nicosia": "CY", "Oslo": "NO", "Paris": "FR", "Podgorica": "ME", "Prague": "CZ",
    "Reykjavik": "IS", "Riga": "LV", "Rome": "IT", "Sarajevo": "BA", "Skopje": "MK",
    "Stockholm": "SE", "Tallinn": "EE", "Tirana": "AL", "Valletta": "MT",
    "Vienna": "AT", "Vilnius": "LT", "Warsaw": "PL", "Zagreb": "HR",
    # CIS, Caucasus, Central Asia
    "Ashgabat": "TM", "Astana": "KZ", "Baku": "AZ", "Bishkek": "KG", "Dushanbe": "TJ",
    "Tashkent": "UZ", "Tbilisi": "GE", "Yerevan": "AM",
    # Middle East and North Africa
    "Abu Dhabi": "AE", "Algiers": "DZ", "Amman": "JO", "Ankara": "TR", "Baghdad": "IQ",
    "Beirut": "LB", "Cairo": "EG", "Damascus": "SY", "Doha": "QA", "Kuwait City": "KW",
    "Manama": "BH", "Muscat": "OM", "Rabat": "MA", "Ramallah": "PS", "Riyadh": "SA",
    "Sanaa": "YE", "Sana'a": "YE", "Tehran": "IR", "Tel Aviv": "IL", "Tripoli": "LY",
    "Tunis": "TN",
    # Sub-Saharan Africa
    "Abuja": "NG", "Accra": "GH", "Addis Ababa": "ET", "Antananarivo": "MG",
    "Asmara": "ER", "Bamako": "ML", "Bangui": "CF", "Banjul": "GM", "Brazzaville": "CG",
    "Bujumbura": "BI", "Gitega": "BI", "Conakry": "GN", "Dakar": "SN", "Dodoma": "TZ",
    "Freetown": "SL", "Gaborone": "BW", "Harare": "ZW", "Juba": "SS", "Kampala": "UG",
    "Khartoum": "SD", "Kigali": "RW", "Kinshasa": "CD", "Libreville": "GA",
    "Lilongwe": "MW", "Lomé": "TG", "Lome": "TG", "Luanda": "AO", "Lusaka": "ZM",
    "Malabo": "GQ", "Maputo": "MZ", "Maseru": "LS", "Mbabane": "SZ", "Mogadishu": "SO",
    "Monrovia": "LR", "Moroni": "KM", "Nairobi": "KE", "N'Djamena": "TD",
    "Niamey": "NE", "Nouakchott": "MR", "Ouagadougou": "BF", "Port Louis": "MU",
    "Porto-Novo": "BJ", "Pretoria": "ZA", "Windhoek": "NA", "Yamoussoukro": "CI",
    "Yaoundé": "CM", "Yaounde": "CM",
    # Asia and Oceania
    "Bangkok": "TH", "Beijing": "CN", "Canberra": "AU", "Colombo": "LK", "Dhaka": "BD",
    "Dili": "TL", "Hanoi": "VN", "Islamabad": "PK", "Jakarta": "ID", "Kabul": "AF",
    "Kathmandu": "NP", "Kuala Lumpur": "MY", "Manila": "PH", "Naypyidaw": "MM",
    "Nay Pyi Taw": "MM", "New Delhi": "IN", "Delhi": "IN", "Phnom Penh": "KH",
    "Pyongyang": "KP", "Seoul": "KR", "Taipei": "TW", "Thimphu": "BT", "Tokyo": "JP",
    "Ulaanbaatar": "MN", "Ulan Bator": "MN", "Vientiane": "LA", "Wellington": "NZ",
    # Americas
    "Asuncion": "PY", "Asunción": "PY", "Bogota": "CO", "Bogotá": "CO",
    "Brasilia": "BR", "Brasília": "BR", "Buenos Aires": "AR", "Caracas": "VE",
    "Havana": "CU", "La Paz": "BO", "Lima": "PE", "Managua": "NI", "Mexico City": "MX",
    "Montevideo": "UY", "Ottawa": "CA", "Panama City": "PA", "Paramaribo": "SR",
    "Port-au-Prince": "HT", "Quito": "EC", "Santiago": "CL", "Santo Domingo": "DO",
    "Tegucigalpa": "HN", "Washington": "US",
}  # fmt: skip

# Capitals that this genre uses for the government even after "in" ("the hawks in
# Washington", "attempts in Brussels to seize Russian assets", "those in Kiev"):
# the ones whose policies the channel argues with daily. Other capitals after "in"
# are venues ("a government in exile in London").
METONYMIC_CAPITALS: frozenset[str] = frozenset({"Washington", "Kiev", "Kyiv", "Brussels"})

# Phrases that always stand for the government, whatever precedes them.
GOVERNMENT_PHRASES: dict[str, str] = {
    "Kiev regime": "UA", "Kyiv regime": "UA", "Kiev junta": "UA", "Kievan regime": "UA",
}  # fmt: skip

# Words before a capital that make it the place of an event, not its government
# (the word right before it, or before the list it ends: "in Moscow, Geneva and
# Bangkok"; an article skipped): "in Cairo", "the visit to Hanoi", "the news from
# Abu Dhabi", "the outskirts of Berlin". The metonymic capitals take only a few of
# them: "the position of Washington", "pressure from Brussels" are governments.
PLACE_WORDS_BEFORE: frozenset[str] = frozenset({
    "in", "at", "📍", "near", "outside", "around", "across", "of", "into", "to", "from",
    "took", "captured", "stormed", "liberated", "besieged", "entered", "reached",
})  # fmt: skip
METONYM_PLACE_WORDS_BEFORE: frozenset[str] = frozenset({"📍", "near", "outside", "around"})

# Words after a capital that make it part of another name or a place: "Moscow Region",
# "the Minsk agreements", "the Vienna Convention" (capitalised words after a
# capital already count as such a name).
NAME_WORDS_AFTER: frozenset[str] = frozenset({
    "agreement", "agreements", "format", "process", "region", "oblast", "time",
    "airport", "metro", "university", "protocol", "declaration", "convention",
    "communique", "memorandum", "accords", "talks", "round", "meeting", "summit",
    "forum", "conference", "office", "based", "school", "theatre", "theater", "de",
})  # fmt: skip

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip

# A form two countries share, with its kind: it counts for whichever of them the
# post names otherwise, else for the first listed code ("" = none).
SHARED_FORMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Congo": ("name", ("CG", "CD")),
    "Congolese": ("adjective", ("CG", "CD")),
    "Korea": ("name", ("", "KR", "KP")),
    "Korean": ("adjective", ("", "KR", "KP")),
    "Koreans": ("demonym", ("", "KR", "KP")),
}

# Phrases in which a country's name or adjective names no country. They win over
# the shorter matches inside them and then count for nothing.
BLOCKERS: tuple[str, ...] = (
    "Korean Peninsula", "Korean War", "Indian Ocean", "Indian Subcontinent",
    "Persian Gulf", "South China Sea", "East China Sea", "Sea of Japan",
    "Gulf of Mexico", "New Mexico", "New Jersey", "New England", "New South Wales",
    "Latin America", "Latin American", "Latin Americans", "South America",
    "South American", "North America", "North American", "Central America",
    "Central American", "the Americas", "Pan-American", "Native American",
    "Native Americans", "Greek Catholic", "Greek Catholics",
    # Second World War fronts are Red Army formations, not countries.
    "Ukrainian Front", "Belorussian Front", "Byelorussian Front",
    # Soviet republics are part of the USSR, which counts for no country (Russia's
    # own, "the Russian SFSR", says Russia and counts).
    "Ukrainian SSR", "Byelorussian SSR", "Belorussian SSR", "Georgian SSR",
    "Armenian SSR", "Kazakh SSR", "Uzbek SSR", "Moldavian SSR",
    "Niger Delta", "Niger River", "Congo River", "Congo Basin", "Lake Chad",
    "Chinese Eastern Railway", "Indian summer", "French fries", "Turkish delight",
    "Dutch auction",
)  # fmt: skip

# Names that are also first names or US states. Such a name counts for its country
# unless a capitalised word is written right after it (a surname: "Jordan Bardella")
# or any of its cues occurs in the post.
AMBIGUOUS_NAMES: dict[str, tuple[str, ...]] = {
    "Georgia": ("Atlanta", "state of Georgia", "Georgia state", "U.S. state", "US state"),
    "Jordan": ("Michael Jordan",),
    "Chad": (),
    "Niger": (),
}

# Abbreviations that are also English words: not counted inside all-caps text.
WORDLIKE: frozenset[str] = frozenset({"US", "CAR"})


# -- Russian (russian.py lemmatises these as it lemmatises the text) ------------------

# Short forms and abbreviations beyond pycountry's Russian names.
RU_NAMES: dict[str, tuple[str, ...]] = {
    "AE": ("ОАЭ", "Эмираты"), "BO": ("Боливия",), "BY": ("Белоруссия",), "CD": ("ДРК",),
    "CF": ("ЦАР",), "CN": ("КНР",), "CZ": ("Чехия",), "DE": ("ФРГ",),
    "GB": ("Великобритания", "Британия", "Англия", "Соединённое Королевство"),
    "IR": ("Иран",), "KG": ("Киргизия", "Кыргызстан"), "KP": ("КНДР", "Северная Корея"),
    "KR": ("Южная Корея", "Республика Корея"), "LA": ("Лаос",), "MD": ("Молдавия",),
    "MM": ("Мьянма", "Бирма"), "PS": ("Палестина",), "RU": ("Россия", "РФ"),
    "SY": ("Сирия",), "TR": ("Турция",), "TW": ("Тайвань",), "TZ": ("Танзания",),
    "US": ("США", "Америка", "Соединённые Штаты", "Соединённые Штаты Америки"),
    "VA": ("Ватикан",), "VE": ("Венесуэла",), "VN": ("Вьетнам",), "ZA": ("ЮАР",),
}  # fmt: skip

RU_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "AE": ("эмиратский",), "AF": ("афганский",), "AM": ("армянский",),
    "AO": ("ангольский",), "AR": ("аргентинский",), "AT": ("австрийский",),
    "AU": ("австралийский",), "AZ": ("азербайджанский",), "BD": ("бангладешский",),
    "BE": ("бельгийский",), "BG": ("болгарский",), "BO": ("боливийский",),
    "BR": ("бразильский",), "BY": ("белорусский",), "CA": ("канадский",),
    "CH": ("швейцарский",), "CL": ("чилийский",), "CN": ("китайский",),
    "CO": ("колумбийский",), "CU": ("кубинский",), "CY": ("кипрский",),
    "CZ": ("чешский",), "DE": ("германский", "немецкий"), "DK": ("датский",),
    "DZ": ("алжирский",), "EC": ("эквадорский",), "EE": ("эстонский",),
    "EG": ("египетский",), "ES": ("испанский",), "ET": ("эфиопский",),
    "FI": ("финляндский", "финский"), "FR": ("французский",),
    "GB": ("британский", "английский"), "GE": ("грузинский",), "GR": ("греческий",),
    "HR": ("хорватский",), "HU": ("венгерский",), "ID": ("индонезийский",),
    "IE": ("ирландский",), "IL": ("израильский",), "IN": ("индийский",),
    "IQ": ("иракский",), "IR": ("иранский",), "IT": ("итальянский",),
    "JO": ("иорданский",), "JP": ("японский",), "KE": ("кенийский",),
    "KG": ("киргизский", "кыргызский"), "KH": ("камбоджийский",),
    "KP": ("северокорейский",), "KR": ("южнокорейский",), "KZ": ("казахстанский",),
    "LA": ("лаосский",), "LB": ("ливанский",), "LT": ("литовский",),
    "LV": ("латвийский",), "LY": ("ливийский",), "MA": ("марокканский",),
    "MD": ("молдавский",), "ML": ("малийский",), "MM": ("мьянманский",),
    "MN": ("монгольский",), "MX": ("мексиканский",), "MY": ("малайзийский",),
    "NG": ("нигерийский",), "NI": ("никарагуанский",), "NL": ("нидерландский", "голландский"),
    "NO": ("норвежский",), "PK": ("пакистанский",), "PL": ("польский",),
    "PS": ("палестинский",), "PT": ("португальский",), "QA": ("катарский",),
    "RO": ("румынский",), "RS": ("сербский",), "RU": ("российский",),
    "SA": ("саудовский",), "SD": ("суданский",), "SE": ("шведский",),
    "SG": ("сингапурский",), "SK": ("словацкий",), "SY": ("сирийский",),
    "TH": ("таиландский", "тайский"), "TJ": ("таджикский", "таджикистанский"),
    "TM": ("туркменский",), "TN": ("тунисский",), "TR": ("турецкий",),
    "UA": ("украинский",), "US": ("американский",), "UZ": ("узбекский", "узбекистанский"),
    "VE": ("венесуэльский",), "VN": ("вьетнамский",), "YE": ("йеменский",),
    "ZA": ("южноафриканский",), "ZW": ("зимбабвийский",),
}  # fmt: skip

# First halves of compound adjectives ("американо-российские") that do not follow
# the regular pattern (adjective lemma minus -ий/-ый, plus -о: "российско").
RU_COMPOUND_PREFIXES: dict[str, str] = {
    "американо": "US", "англо": "GB", "франко": "FR", "германо": "DE", "итало": "IT",
    "австро": "AT", "испано": "ES", "греко": "GR", "сино": "CN",
}  # fmt: skip

RU_CAPITALS: dict[str, str] = {
    "москва": "RU", "вашингтон": "US", "киев": "UA", "лондон": "GB", "париж": "FR",
    "берлин": "DE", "пекин": "CN", "токио": "JP", "тегеран": "IR", "анкара": "TR",
    "минск": "BY", "астана": "KZ", "ташкент": "UZ", "бишкек": "KG", "душанбе": "TJ",
    "ашхабад": "TM", "баку": "AZ", "ереван": "AM", "тбилиси": "GE", "кишинев": "MD",
    "варшава": "PL", "рига": "LV", "вильнюс": "LT", "таллин": "EE", "хельсинки": "FI",
    "стокгольм": "SE", "осло": "NO", "копенгаген": "DK", "вена": "AT", "прага": "CZ",
    "будапешт": "HU", "бухарест": "RO", "белград": "RS", "афины": "GR", "рим": "IT",
    "мадрид": "ES", "лиссабон": "PT", "нью-дели": "IN", "исламабад": "PK",
    "кабул": "AF", "дамаск": "SY", "багдад": "IQ", "каир": "EG", "эр-рияд": "SA",
    "доха": "QA", "абу-даби": "AE", "пхеньян": "KP", "сеул": "KR", "ханой": "VN",
    "гавана": "CU", "каракас": "VE", "претория": "ZA", "оттава": "CA",
}  # fmt: skip

# Phrases that always stand for the government (any case, any inflection).
RU_GOVERNMENT_PHRASES: dict[str, str] = {"киевский режим": "UA"}

# Prepositions that make a capital a place ("в Москве").
RU_PLACE_WORDS_BEFORE: frozenset[str] = frozenset({"в", "во", "под"})
