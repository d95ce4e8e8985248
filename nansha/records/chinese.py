"""Traditional Chinese for Hong Kong and Macao readers: content stored in simplified characters, shown converted.

Records keep their Chinese text once, in simplified characters (as the sources write it). On a
page, an export or an API answer in traditional Chinese (the language `zh-hant`, chosen by a
zh-HK, zh-MO, zh-TW or zh-Hant browser or by the switcher), that text is converted with OpenCC's
`s2hk` configuration: simplified to traditional characters with Hong Kong variants and phrases
(Open Chinese Convert, https://github.com/BYVoid/OpenCC). Conversions are cached per text.
"""

import functools

import opencc
from django.utils.translation import get_language

TRADITIONAL = "zh-hant"
CONVERSION = "s2hk"  # OpenCC: simplified -> traditional, Hong Kong standard


@functools.cache
def _converter():
    return opencc.OpenCC(CONVERSION)


@functools.lru_cache(maxsize=200_000)
def to_traditional(text):
    """`text` (str) in traditional characters, Hong Kong variants; Latin text, digits and punctuation unchanged."""
    return _converter().convert(text) if text else text


def wants_traditional(language=None):
    """True when `language` (default: the active one) is traditional Chinese (zh-hant)."""
    return (language or get_language() or "").lower().startswith(TRADITIONAL)


def in_script(text, language=None):
    """Chinese content `text` in the script of `language` (default: the active one): converted for zh-hant."""
    return to_traditional(text) if text and wants_traditional(language) else text


def join_items(items):
    """Texts joined as a list in the active language: 甲、乙 in Chinese, "A, B" in English."""
    separator = ", " if (get_language() or "").startswith("en") else "、"
    return separator.join(str(item) for item in items)
