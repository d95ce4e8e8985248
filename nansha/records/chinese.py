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


def content_script(language=None):
    """ "zh-hant" when content is shown converted in `language` (default: the active one), else "zh-hans": the part
    of a cache key that content depends on (English pages show the stored Chinese where there is no English)."""
    return TRADITIONAL if wants_traditional(language) else "zh-hans"


def document_in_script(document, language=None):
    """A whole JSON or text document (str or UTF-8 bytes, the same type back) with its Chinese in the script of
    `language` (default: the active one): one OpenCC pass for a response body, not cached per text.

    For documents whose Chinese is content or interface text already in the catalogue's script: field names,
    codes and numbers are ASCII and left as they are.
    """
    if not document or not wants_traditional(language):
        return document
    if isinstance(document, bytes):
        return _converter().convert(document.decode()).encode()
    return _converter().convert(document)


def join_items(items):
    """Texts joined as a list in the active language: 甲、乙 in Chinese, "A, B" in English."""
    separator = ", " if (get_language() or "").startswith("en") else "、"
    return separator.join(str(item) for item in items)
