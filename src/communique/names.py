"""Person names: one key for the spellings of one name.

Russian names reach English in several transliterations (Yury / Yuri / Yuriy,
Sergey / Sergei, Vassily / Vasily, Maria / Mariya); a person table keyed by
``person_key`` keeps one person per name and every spelling as an alias. The
rules are token-wise and deliberately few: each folds a transliteration choice,
none merges two different names seen in the sample posts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Applied in order to each lower-cased, accent-free token.
TOKEN_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"([a-z])\1"), r"\1"),  # Vassily -> Vasily, Gennadiy -> Genadiy
    (re.compile(r"ks"), "x"),  # Aleksey -> Alexey, Aleksandr -> Alexandr
    (re.compile(r"kh"), "h"),  # Mikhail ~ Mihail
    (re.compile(r"(?:iy|yi|ij|ii)$"), "y"),  # Yuriy, Dmitrii -> Yury, Dmitry
    (re.compile(r"(?<=[aeo])i$"), "y"),  # Sergei, Nikolai, Andrei -> Sergey, Nikolay
    (re.compile(r"(?<=[^aeiouy])i$"), "y"),  # Yuri, Dmitri -> Yury, Dmitry
    (re.compile(r"(?:iya|ya)$"), "ia"),  # Mariya, Natalya -> Maria, Natalia
    (re.compile(r"^yu"), "iu"),  # Yury ~ Iury (rare, but cheap)
)
TOKEN_RE = re.compile(r"[a-z]+")


# Cached: the same names come back post after post, and extraction and the store
# both ask for the key of each name a post has (a dozen regex passes a name).
@lru_cache(maxsize=16384)
def person_key(name: str) -> str:
    """The comparison form of a person's name: "Yuri Ushakov" == "Yury Ushakov"."""
    ascii_name = unicodedata.normalize("NFKD", name.casefold())
    ascii_name = "".join(c for c in ascii_name if not unicodedata.combining(c))
    tokens = []
    for token in TOKEN_RE.findall(ascii_name):
        for pattern, replacement in TOKEN_RULES:
            token = pattern.sub(replacement, token)
        tokens.append(token)
    return " ".join(tokens) or name.casefold().strip()
