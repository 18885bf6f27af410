"""The organisation gazetteer: international organisations by their usual acronym.

The vocabulary is the one of docs/labelling.md ("organizations"): the listed
organisations, the UN's organs and agencies by name, and the few other global
bodies the labels name (INTERPOL, ICRC, NAM, ASEM, ARF). Regional bodies outside
it (ECOWAS, GCC, SAARC, the Arctic Council, the Council of Europe) and national
bodies (a ministry, a parliament, Russia's own Security Council) are left out.

- ``NAMES``: full names, matched case-insensitively but starting with a capital;
  British and American spellings ("Organisation"/"Organization", "Programme"/
  "Program", "Co-operation"/"Cooperation") are derived, so one is enough;
- ``ACRONYMS``: matched with their exact case ("WHO", never "who");
- ``UN_PREFIXES``, ``UN_ORGANS``: "UN Security Council" names the organ alone (the
  labels mostly give "UNSC" without "UN"); a UN agency named as the UN's ("UN World
  Food Programme") counts for the UN as well;
- ``CAPITALS``: a seat standing for the organisation ("Brussels" for the EU), under
  the same rules as a capital standing for a government;
- ``BLOCKERS``: phrases that contain an organisation's name but are another body.
"""

from __future__ import annotations

NAMES: dict[str, tuple[str, ...]] = {
    "UN": ("United Nations",),
    "UNSC": ("UN Security Council", "United Nations Security Council", "Security Council"),
    "UNGA": ("UN General Assembly", "United Nations General Assembly", "General Assembly"),
    "UNHRC": ("UN Human Rights Council", "United Nations Human Rights Council",
              "Human Rights Council"),
    "ECOSOC": ("UN Economic and Social Council", "Economic and Social Council"),
    "ICJ": ("International Court of Justice",),
    "NATO": ("North Atlantic Treaty Organization", "North Atlantic Alliance"),
    "EU": ("European Union", "European Commission", "European Council",
           "European Parliament", "Council of the European Union", "Council of the EU"),
    "OSCE": ("Organization for Security and Co-operation in Europe",),
    "SCO": ("Shanghai Cooperation Organization",),
    "ASEAN": ("Association of Southeast Asian Nations",
              "Association of South-East Asian Nations"),
    "CSTO": ("Collective Security Treaty Organization",),
    "CIS": ("Commonwealth of Independent States",),
    "EAEU": ("Eurasian Economic Union", "Eurasian Economic Commission",
             "Supreme Eurasian Economic Council", "Eurasian Intergovernmental Council"),
    "IAEA": ("International Atomic Energy Agency",),
    "UNESCO": ("United Nations Educational, Scientific and Cultural Organization",),
    "WHO": ("World Health Organization",),
    "ICC": ("International Criminal Court",),
    "OPCW": ("Organization for the Prohibition of Chemical Weapons",),
    "G20": ("Group of Twenty",),
    "G7": ("Group of Seven",),
    "AU": ("African Union",),
    "CELAC": ("Community of Latin American and Caribbean States",),
    "APEC": ("Asia-Pacific Economic Cooperation",),
    "OIC": ("Organization of Islamic Cooperation",),
    "CICA": ("Conference on Interaction and Confidence-Building Measures in Asia",
             "Conference on Interaction and Confidence Building Measures in Asia"),
    "WFP": ("World Food Programme",),
    "FAO": ("Food and Agriculture Organization",),
    "ILO": ("International Labour Organization", "International Labor Organization"),
    "ICAO": ("International Civil Aviation Organization",),
    "IMO": ("International Maritime Organization",),
    "ITU": ("International Telecommunication Union",),
    "UPU": ("Universal Postal Union",),
    "WMO": ("World Meteorological Organization",),
    "WIPO": ("World Intellectual Property Organization",),
    "IFAD": ("International Fund for Agricultural Development",),
    "UNIDO": ("United Nations Industrial Development Organization",),
    "UNICEF": ("United Nations Children's Fund", "UN Children's Fund"),
    "UNHCR": ("UN Refugee Agency", "United Nations High Commissioner for Refugees",
              "UN High Commissioner for Refugees"),
    "OHCHR": ("Office of the United Nations High Commissioner for Human Rights",
              "Office of the UN High Commissioner for Human Rights"),
    "UNDP": ("United Nations Development Programme", "UN Development Programme"),
    "UNEP": ("United Nations Environment Programme", "UN Environment Programme"),
    "UNFPA": ("United Nations Population Fund", "UN Population Fund"),
    "UNRWA": ("United Nations Relief and Works Agency", "UN Relief and Works Agency"),
    "UNCTAD": ("United Nations Conference on Trade and Development",
               "UN Conference on Trade and Development"),
    "UNODC": ("United Nations Office on Drugs and Crime", "UN Office on Drugs and Crime"),
    "IOM": ("International Organization for Migration",),
    "IMF": ("International Monetary Fund",),
    "WTO": ("World Trade Organization",),
    "INTERPOL": ("Interpol", "International Criminal Police Organization"),
    "ICRC": ("International Committee of the Red Cross",),
    "NAM": ("Non-Aligned Movement",),
    "ASEM": ("Asia-Europe Meeting",),
    "ARF": ("ASEAN Regional Forum",),
}  # fmt: skip

ACRONYMS: dict[str, tuple[str, ...]] = {
    "UN": ("UN", "U.N."), "UNSC": ("UNSC",), "UNGA": ("UNGA",), "UNHRC": ("UNHRC", "HRC"),
    "ECOSOC": ("ECOSOC",), "ICJ": ("ICJ",), "NATO": ("NATO",), "EU": ("EU",),
    "OSCE": ("OSCE",), "SCO": ("SCO",), "ASEAN": ("ASEAN",), "CSTO": ("CSTO",),
    "CIS": ("CIS",), "EAEU": ("EAEU", "EEU"), "IAEA": ("IAEA",), "UNESCO": ("UNESCO",),
    "WHO": ("WHO",), "ICC": ("ICC",), "OPCW": ("OPCW",), "G20": ("G20", "G-20"),
    "G7": ("G7", "G-7"), "AU": ("AU",), "CELAC": ("CELAC",), "APEC": ("APEC",),
    "OIC": ("OIC",), "CICA": ("CICA",), "BRICS": ("BRICS",), "WFP": ("WFP",),
    "FAO": ("FAO",), "ILO": ("ILO",), "ICAO": ("ICAO",), "IMO": ("IMO",), "ITU": ("ITU",),
    "WMO": ("WMO",), "WIPO": ("WIPO",), "IFAD": ("IFAD",), "UNIDO": ("UNIDO",),
    "UNICEF": ("UNICEF",), "UNHCR": ("UNHCR",), "OHCHR": ("OHCHR",), "UNDP": ("UNDP",),
    "UNEP": ("UNEP",), "UNFPA": ("UNFPA",), "UNRWA": ("UNRWA",), "UNCTAD": ("UNCTAD",),
    "UNODC": ("UNODC",), "IOM": ("IOM",), "IMF": ("IMF",), "WTO": ("WTO",),
    "INTERPOL": ("INTERPOL",), "ICRC": ("ICRC",), "NAM": ("NAM",), "ASEM": ("ASEM",),
    "ARF": ("ARF",),
}  # fmt: skip

# A UN agency named as the UN's ("UN Refugee Agency", "United Nations Development
# Programme") counts for the UN too, as "UN World Food Programme" does (two matches);
# a UN organ so named ("UN Security Council") stands alone, as the labels have it.
UN_PREFIXES: tuple[str, ...] = ("UN ", "United Nations ", "U.N. ")
UN_ORGANS: frozenset[str] = frozenset({"UNSC", "UNGA", "UNHRC", "ECOSOC"})

CAPITALS: dict[str, str] = {"Brussels": "EU"}

# Acronyms that are also English words: not counted inside all-caps text.
WORDLIKE: frozenset[str] = frozenset({"WHO", "NAM", "IMO", "AU"})

# Flags that stand for an organisation rather than a country.
FLAGS: dict[str, str] = {"EU": "EU", "UN": "UN"}

BLOCKERS: tuple[str, ...] = (
    # National security councils, and the CSTO's council of heads of state. Russia's
    # is often named without "of Russia" in the Kremlin's own formulas: "a meeting
    # with permanent members of the Security Council", its Deputy Chairman, Secretary.
    "Security Council of the Russian Federation", "Security Council of Russia",
    "Russian Security Council", "Secretary of the Security Council",
    "Security Council Secretary", "National Security Council",
    "meeting with permanent members of the Security Council",
    "meeting with the permanent members of the Security Council",
    "Deputy Chairman of the Security Council", "Security Council Deputy Chairman",
    "Collective Security Council", "Security Council of the Republic",
    "Security Council of Belarus", "Security Council of Ukraine",
    "National Security and Defense Council", "National Security and Defence Council",
)  # fmt: skip

# Russian names and acronyms (russian.py lemmatises them as it lemmatises the text).
RU_NAMES: dict[str, tuple[str, ...]] = {
    "UN": ("ООН", "Организация Объединённых Наций"),
    "UNSC": ("СБ ООН", "Совбез ООН", "Совет Безопасности ООН"),
    "UNGA": ("ГА ООН", "Генассамблея ООН", "Генеральная Ассамблея ООН", "Генассамблея"),
    "UNHRC": ("СПЧ ООН", "Совет ООН по правам человека"),
    "NATO": ("НАТО", "Североатлантический альянс"),
    "EU": ("ЕС", "Евросоюз", "Европейский союз", "Еврокомиссия", "Европейская комиссия"),
    "OSCE": ("ОБСЕ",), "SCO": ("ШОС",), "BRICS": ("БРИКС",), "ASEAN": ("АСЕАН",),
    "CSTO": ("ОДКБ",), "CIS": ("СНГ",), "EAEU": ("ЕАЭС",), "IAEA": ("МАГАТЭ",),
    "UNESCO": ("ЮНЕСКО",), "WHO": ("ВОЗ",), "ICC": ("МУС",), "OPCW": ("ОЗХО",),
    "G20": ("Группа двадцати",), "G7": ("Группа семи",), "AU": ("Африканский союз",),
    "CELAC": ("СЕЛАК",), "APEC": ("АТЭС", "АПЕК"), "OIC": ("ОИС",), "CICA": ("СВМДА",),
    "WFP": ("ВПП",), "UNICEF": ("ЮНИСЕФ",), "INTERPOL": ("Интерпол",), "ICRC": ("МККК",),
}  # fmt: skip
