"""Pinyin keys that let people search Chinese names with Latin letters ("linnan", "lnjy" → 霖南基因).

Polyphonic characters are read in context: pypinyin's own phrase dictionary is extended with the
CC-CEDICT phrase readings (pypinyin-dict), so 长效 reads changxiao and 重组 chongzu, and the
initials follow the same reading (cx, cz).
"""

import functools
import re

from pypinyin import lazy_pinyin

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.cache
def _load_phrase_readings():
    """Add CC-CEDICT's phrase readings to pypinyin's dictionary, once per process, on first use (it takes ~1 s)."""
    from pypinyin_dict.phrase_pinyin_data import cc_cedict

    cc_cedict.load()


def pinyin_syllables(text):
    """The pinyin syllables of a text, lower case without tones; Latin words and digits pass through."""
    if not text:
        return []
    _load_phrase_readings()
    syllables = [_NOT_ALNUM.sub("", s.lower()) for s in lazy_pinyin(text)]
    return [s for s in syllables if s]


def pinyin_key(name):
    """Full pinyin and initials of a name, e.g. '霖南基因' → 'linnanjiyin lnjy'."""
    syllables = pinyin_syllables(name)
    if not syllables:
        return ""
    return f"{''.join(syllables)} {''.join(s[0] for s in syllables)}"


def normalize_query(query):
    """A search as it compares with pinyin keys: lower case, letters and digits only."""
    return _NOT_ALNUM.sub("", (query or "").lower())
