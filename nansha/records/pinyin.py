"""Pinyin keys that let people search Chinese names with Latin letters ("linnan", "lnjy" → 霖南基因)."""

import re

from pypinyin import lazy_pinyin

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def pinyin_key(name):
    """Full pinyin and initials of a name, e.g. '霖南基因' → 'linnanjiyin lnjy'."""
    if not name:
        return ""
    syllables = [_NOT_ALNUM.sub("", s.lower()) for s in lazy_pinyin(name)]
    syllables = [s for s in syllables if s]
    return f"{''.join(syllables)} {''.join(s[0] for s in syllables)}"


def normalize_query(query):
    """A search as it compares with pinyin keys: lower case, letters and digits only."""
    return _NOT_ALNUM.sub("", (query or "").lower())
