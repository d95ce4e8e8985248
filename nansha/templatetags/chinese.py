"""`{% load chinese %}`: `{{ text|in_script }}` shows Chinese content stored in simplified characters in the page's
script (converted for traditional Chinese pages; see nansha/records/chinese.py)."""

from django import template

from nansha.records.chinese import in_script as convert
from nansha.records.chinese import join_items as join

register = template.Library()


@register.filter
def in_script(text):
    """`text` (str) as it reads on this page: traditional characters on a zh-hant page, else unchanged."""
    return convert(text) if isinstance(text, str) else text


@register.filter
def join_items(items):
    """Items (any iterable of texts or records) as a list in the page's language: 甲、乙 or "A, B"."""
    return join(items)
