"""Data for stage 5's place rules: a gazetteer of cities and the words around them.

The gazetteer lists cities as posts of this genre spell them (the Russian Foreign
Ministry writes "Kiev", "Kishinev", "Lugansk"; others write "Kyiv"), so spelling
variants are separate entries and a match is returned as written. It holds the
world's capitals, the Russian and CIS cities the channels name, and the other
cities where diplomacy happens (UN seats, summit and forum towns, naval bases).

Names that are also common words or first names ("Victoria", "Male", "Nice",
"Vladimir", "Kirov", "Split") are left out on purpose: "to Vladimir Putin" must
not read as a visit to Vladimir. "Kremlin" is not a city either: the labels read
"at the Kremlin" as naming no city (docs/labelling.md, "as the post names it").
"""

from __future__ import annotations

# Capitals of the states and territories pycountry lists (as English-language
# posts spell them), plus the seats of government that differ from the capital.
CAPITALS: tuple[str, ...] = (
    # Europe
    "Amsterdam", "Andorra la Vella", "Athens", "Belgrade", "Berlin", "Bern", "Bratislava",
    "Brussels", "Bucharest", "Budapest", "Chisinau", "Chișinău", "Copenhagen", "Dublin",
    "Helsinki", "Kiev", "Kyiv", "Kishinev", "Lisbon", "Ljubljana", "London", "Luxembourg",
    "Madrid", "Minsk", "Monaco", "Moscow", "Nicosia", "Oslo", "Paris", "Podgorica",
    "Prague", "Reykjavik", "Riga", "Rome", "San Marino", "Sarajevo", "Skopje", "Sofia",
    "Stockholm", "Tallinn", "The Hague", "Tirana", "Vaduz", "Valletta", "Vatican City",
    "Vienna", "Vilnius", "Warsaw", "Zagreb", "Pristina",
    # CIS, Caucasus, Central Asia
    "Ashgabat", "Astana", "Baku", "Bishkek", "Dushanbe", "Tashkent", "Tbilisi", "Yerevan",
    "Nur-Sultan", "Sukhum", "Sukhumi", "Tskhinval", "Tskhinvali",
    # Middle East and North Africa
    "Abu Dhabi", "Algiers", "Amman", "Ankara", "Baghdad", "Beirut", "Cairo", "Damascus",
    "Doha", "Jerusalem", "East Jerusalem", "Kuwait City", "Manama", "Muscat", "Rabat",
    "Ramallah", "Riyadh", "Sanaa", "Sana'a", "Tehran", "Tripoli", "Tunis",
    # Sub-Saharan Africa
    "Abuja", "Accra", "Addis Ababa", "Antananarivo", "Asmara", "Bamako", "Bangui", "Banjul",
    "Bissau", "Brazzaville", "Bujumbura", "Conakry", "Dakar", "Djibouti", "Dodoma",
    "Freetown", "Gaborone", "Gitega", "Harare", "Juba", "Kampala", "Khartoum", "Kigali",
    "Kinshasa", "Libreville", "Lilongwe", "Lomé", "Lome", "Luanda", "Lusaka", "Malabo",
    "Maputo", "Maseru", "Mbabane", "Mogadishu", "Monrovia", "Moroni", "Nairobi",
    "N'Djamena", "Ndjamena", "Niamey", "Nouakchott", "Ouagadougou", "Port Louis",
    "Porto-Novo", "Praia", "Pretoria", "São Tomé", "Sao Tome", "Windhoek", "Yamoussoukro",
    "Yaoundé", "Yaounde", "Lobamba", "Laayoune",
    # Asia
    "Bandar Seri Begawan", "Bangkok", "Beijing", "Colombo", "Dhaka", "Dili", "Hanoi",
    "Islamabad", "Jakarta", "Kabul", "Kathmandu", "Kuala Lumpur", "Putrajaya", "Manila",
    "Naypyidaw", "Nay Pyi Taw", "Naypyitaw", "New Delhi", "Phnom Penh", "Pyongyang",
    "Seoul", "Singapore", "Taipei", "Thimphu", "Tokyo", "Ulaanbaatar", "Ulan Bator",
    "Vientiane",
    # Americas
    "Asunción", "Asuncion", "Basseterre", "Belmopan", "Bogotá", "Bogota", "Brasília",
    "Brasilia", "Bridgetown", "Buenos Aires", "Caracas", "Castries", "Georgetown",
    "Guatemala City", "Havana", "Kingston", "Kingstown", "La Paz", "Lima", "Managua",
    "Mexico City", "Montevideo", "Nassau", "Ottawa", "Panama City", "Paramaribo",
    "Port-au-Prince", "Port of Spain", "Port-of-Spain", "Quito", "Roseau", "San José",
    "San Jose", "San Salvador", "Santiago", "Santo Domingo", "Sucre", "Tegucigalpa",
    "Washington", "Washington, D.C.", "Cayenne",
    # Oceania
    "Apia", "Canberra", "Funafuti", "Honiara", "Majuro", "Ngerulmud", "Nuku'alofa",
    "Palikir", "Port Moresby", "Port Vila", "South Tarawa", "Suva", "Wellington", "Yaren",
)  # fmt: skip

# Russian cities, including those of the regions Russia claims, as the ministry
# spells them ("Lugansk", "Zaporozhye", "Gorlovka").
RUSSIAN_CITIES: tuple[str, ...] = (
    "St Petersburg", "St. Petersburg", "Saint Petersburg", "Saint-Petersburg", "Petersburg",
    "Kazan", "Perm",
    "Sochi", "Yekaterinburg", "Ekaterinburg", "Novosibirsk", "Nizhny Novgorod", "Samara",
    "Ufa", "Chelyabinsk", "Omsk", "Rostov-on-Don", "Rostov", "Krasnodar", "Volgograd",
    "Voronezh", "Krasnoyarsk", "Vladivostok", "Khabarovsk", "Irkutsk", "Kaliningrad",
    "Murmansk", "Arkhangelsk", "Yaroslavl", "Tula", "Kursk", "Belgorod", "Bryansk",
    "Smolensk", "Pskov", "Veliky Novgorod", "Tver", "Kaluga", "Ryazan", "Astrakhan",
    "Makhachkala", "Grozny", "Vladikavkaz", "Nalchik", "Stavropol", "Pyatigorsk",
    "Kislovodsk", "Derbent", "Tomsk", "Tyumen", "Tobolsk", "Barnaul", "Yakutsk", "Magadan",
    "Petropavlovsk-Kamchatsky", "Ulan-Ude", "Chita", "Blagoveshchensk", "Yuzhno-Sakhalinsk",
    "Kemerovo", "Novokuznetsk", "Orenburg", "Saratov", "Penza", "Ulyanovsk", "Cheboksary",
    "Izhevsk", "Syktyvkar", "Petrozavodsk", "Vologda", "Ivanovo", "Kostroma", "Suzdal",
    "Lipetsk", "Tambov", "Oryol", "Orel", "Yoshkar-Ola", "Saransk", "Elista", "Maykop",
    "Cherkessk", "Magas", "Novorossiysk", "Anapa", "Gelendzhik", "Norilsk", "Surgut",
    "Salekhard", "Naryan-Mar", "Anadyr", "Kyzyl", "Abakan", "Severomorsk", "Baltiysk",
    "Kronstadt", "Kerch", "Sevastopol", "Simferopol", "Yalta", "Feodosia", "Evpatoria",
    "Donetsk", "Lugansk", "Luhansk", "Mariupol", "Melitopol", "Gorlovka", "Makeevka",
    "Makeyevka", "Kherson", "Zaporozhye", "Berdyansk", "Energodar", "Enerhodar",
    "Novaya Kakhovka", "Kakhovka", "Aleshki", "Skadovsk", "Lisichansk", "Severodonetsk",
    "Alchevsk", "Stakhanov", "Yasinovataya",
)  # fmt: skip

# Other cities of the former USSR.
CIS_CITIES: tuple[str, ...] = (
    "Kharkov", "Kharkiv", "Odessa", "Odesa", "Lvov", "Lviv", "Dnepropetrovsk", "Dnipro",
    "Nikolayev", "Mykolaiv", "Sumy", "Chernigov", "Chernihiv", "Poltava", "Vinnitsa",
    "Uzhgorod", "Zhitomir", "Kramatorsk", "Slavyansk", "Artemovsk", "Bakhmut", "Avdeyevka",
    "Kupyansk", "Krasnoarmeysk", "Pokrovsk", "Konstantinovka", "Chernobyl",
    "Brest", "Vitebsk", "Gomel", "Grodno", "Mogilev", "Almaty", "Shymkent", "Aktau",
    "Karaganda", "Baikonur", "Samarkand", "Bukhara", "Khiva", "Osh", "Cholpon-Ata",
    "Khujand", "Turkmenbashi", "Ganja", "Shusha", "Gyumri", "Batumi", "Kutaisi", "Tiraspol",
    "Comrat", "Narva", "Daugavpils",
)  # fmt: skip

# Cities elsewhere that host the events this genre reports: UN and agency seats,
# summit and forum towns, consulates' cities, ports of naval visits and exercises.
WORLD_CITIES: tuple[str, ...] = (
    # North America
    "New York", "New York City", "Los Angeles", "San Francisco", "Chicago", "Houston",
    "Miami", "Boston", "Seattle", "Philadelphia", "Atlanta", "Dallas", "Denver", "Detroit",
    "Las Vegas", "Honolulu", "Anchorage", "Palm Beach", "West Palm Beach",
    "Toronto", "Montreal", "Montréal", "Vancouver", "Edmonton", "Calgary", "Quebec",
    "Québec", "Winnipeg", "Halifax",
    # Europe
    "Geneva", "Zurich", "Zürich", "Davos", "Lausanne", "Basel", "Bürgenstock", "Munich",
    "Frankfurt", "Hamburg", "Cologne", "Bonn", "Dresden", "Leipzig", "Potsdam",
    "Strasbourg", "Marseille", "Lyon", "Bordeaux", "Milan", "Naples", "Florence", "Venice",
    "Turin", "Barcelona", "Seville", "Valencia", "Porto", "Manchester", "Edinburgh",
    "Glasgow", "Birmingham", "Liverpool", "Oxford", "Cambridge", "Salisbury", "Antwerp",
    "Rotterdam", "Gothenburg", "Bergen", "Kirkenes", "Tromsø", "Tromso", "Gdansk",
    "Krakow", "Kraków", "Wroclaw", "Thessaloniki", "Dubrovnik", "Novi Sad", "Banja Luka",
    "Plovdiv", "Varna", "Burgas", "Constanta", "Cluj-Napoca", "Salzburg", "Graz",
    "Middelburg", "Rzeszow", "Rzeszów", "Vatican",
    # Middle East, Turkey, North Africa
    "Istanbul", "Antalya", "Izmir", "Bodrum", "Jeddah", "Mecca", "Medina", "Dubai",
    "Sharjah", "Aleppo", "Homs", "Latakia", "Tartus", "Idlib", "Deir ez-Zor", "Mosul",
    "Basra", "Erbil", "Isfahan", "Mashhad", "Tabriz", "Bushehr", "Haifa", "Tel Aviv",
    "Eilat", "Sharm el-Sheikh", "Alexandria", "Luxor", "Aswan", "El Alamein", "Casablanca",
    "Marrakesh", "Marrakech", "Tangier", "Oran", "Benghazi", "Misrata", "Tobruk", "Aden",
    "Hodeidah",
    # Sub-Saharan Africa
    "Lagos", "Kano", "Port Sudan", "Omdurman", "Mombasa", "Zanzibar", "Dar es Salaam",
    "Arusha", "Goma", "Lubumbashi", "Douala", "Pointe-Noire", "Beira", "Bulawayo", "Durban",
    "Johannesburg", "Cape Town", "Simon's Town", "Port Elizabeth",
    "Gqeberha", "Abidjan", "Cotonou", "Kumasi", "Timbuktu", "Mamelodi", "Soweto",
    # Asia
    "Shanghai", "Guangzhou", "Shenzhen", "Tianjin", "Wuhan", "Xi'an", "Chengdu",
    "Chongqing", "Harbin", "Hangzhou", "Nanjing", "Qingdao", "Xiamen", "Urumqi", "Dalian",
    "Kunming", "Hong Kong", "Macau", "Macao", "Osaka", "Kyoto", "Hiroshima", "Nagasaki",
    "Sapporo", "Busan", "Gyeongju", "Ho Chi Minh City", "Da Nang", "Hai Phong", "Haiphong",
    "Nha Trang", "Cam Ranh", "Mumbai", "Kolkata", "Chennai", "Bangalore", "Bengaluru",
    "Hyderabad", "Goa", "Delhi", "Karachi", "Lahore", "Kandahar", "Herat",
    "Mazar-i-Sharif", "Chittagong", "Yangon", "Mandalay", "Siem Reap", "Luang Prabang",
    "Cebu", "Surabaya", "Denpasar", "Penang",
    # Latin America and the Caribbean
    "Rio de Janeiro", "São Paulo", "Sao Paulo", "Belém", "Belem", "Córdoba", "Cordoba",
    "Rosario", "Guayaquil", "Medellín", "Medellin", "Cartagena", "Maracaibo",
    "Valparaíso", "Valparaiso", "Cusco", "Santa Cruz", "Punta del Este",
    # Oceania
    "Sydney", "Melbourne", "Brisbane", "Auckland",
)  # fmt: skip

_NAMES = CAPITALS + RUSSIAN_CITIES + CIS_CITIES + WORLD_CITIES
# Posts write the apostrophe both ways: "Sana'a" and "Sana’a", "Simon's Town".
CITIES: frozenset[str] = frozenset(_NAMES) | {name.replace("'", "’") for name in _NAMES}

# Regions that follow a small town's name ("in Khorly, Kherson Region", "in
# Elizabeth City, North Carolina"): the town before them is a place even when the
# gazetteer does not know it.
REGION_WORDS: tuple[str, ...] = (
    "Region", "region", "Oblast", "Territory", "Province", "Governorate",
)  # fmt: skip
NAMED_REGIONS: tuple[str, ...] = (
    "DPR", "LPR", "Crimea", "Republic of Crimea", "Donetsk People's Republic",
    "Lugansk People's Republic",
    # US states and Canadian provinces, where consulates and embassies hold events
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
    "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
    "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina",
    "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island",
    "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia",
    "Washington", "West Virginia", "Wisconsin", "Wyoming", "Alberta", "British Columbia",
    "Manitoba", "New Brunswick", "Newfoundland", "Nova Scotia", "Ontario",
    "Prince Edward Island", "Quebec", "Saskatchewan",
)  # fmt: skip

# Words that, right after a city's name, make it part of another name: "the Kherson
# Region", "The Jakarta Post", "the Minsk Agreements", "the Kiev regime", "in
# Krasnoarmeysk direction" (a front sector, not the town).
NOT_A_PLACE_AFTER: tuple[str, ...] = REGION_WORDS + (
    "Post", "Times", "Declaration", "Agreement", "Agreements", "Accords", "Convention",
    "Treaty", "Protocol", "Format", "format", "Process", "process", "Strip", "Club",
    "Group", "Statement", "Initiative", "Principles", "Charter", "Airport", "regime",
    "Regime", "direction", "sector", "axis", "front", "Front",
)  # fmt: skip

# A city named in a mission's or an official's title is where that office sits,
# not where the event happened: "Consul General ... in Toronto", "Permanent
# Representative ... to the International Organizations in Vienna".
ROLE_WORDS: tuple[str, ...] = (
    "Embassy", "Consulate", "Consul", "Mission", "Representative", "Representation",
    "Delegation", "Ambassador", "Organizations", "Organisations", "Office", "Attaché",
    "Trade Representative", "Envoy", "Correspondent", "correspondent", "Bureau",
)  # fmt: skip

# What an event verb looks like in a readout: the city in the same clause after it
# is the venue ("was held at the Kigali Genocide Memorial", "took place at the State
# Hermitage Museum of St Petersburg").
VENUE_VERBS: tuple[str, ...] = (
    "held", "hold", "holds", "took place", "takes place", "take place", "met", "meet",
    "meets", "concluded", "opened", "began", "begun", "hosted", "hosts", "convened",
    "signed", "laid", "staged", "presented", "gathered", "received",
)  # fmt: skip

# Words before "to <city>" that make the city a destination actually reached.
ARRIVAL_WORDS: tuple[str, ...] = (
    "visit", "visits", "visited", "trip", "coming", "came", "come", "arrived", "arrival",
    "travelled", "traveled", "journey", "welcome", "welcomed",
)  # fmt: skip

# Words before "in <city>" that name where something is, not where an event was.
STATIC_WORDS: tuple[str, ...] = (
    "located", "based", "born", "living", "live", "lives", "lived", "residing", "resident",
    "residents", "headquartered", "buried", "stationed", "studied", "studying",
)  # fmt: skip

# Words that open the topic of a post ("answer ... regarding ... talks in Istanbul",
# "comment on the talks in Geneva"): a city after them is what the post is about,
# not where it was said or done.
TOPIC_WORDS: tuple[str, ...] = (
    "regarding", "concerning", "about", "following", "ahead of", "outcomes of",
    "results of", "in connection with", "dedicated to", "comment on", "comments on",
    "commentary on", "question on", "questions on", "statement on", "remarks on",
    "article on", "response on",
)  # fmt: skip
