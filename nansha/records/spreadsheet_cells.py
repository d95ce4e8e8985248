"""Text made safe for a spreadsheet cell, and read back exactly: the one quoting rule of every export and import.

A spreadsheet runs a cell as a formula when its text starts with = + - @ (or a tab, carriage
return or line feed before one), and Excel in a locale whose list separator is ";" splits a CSV
cell such as ``abc;=1+1`` at the ";" and runs the part after it (OWASP, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection). The rule, applied to text only:

- A text is *quoted* when it starts with one of ``FORMULA_START``, with an apostrophe, or has a
  separator (``,`` ``;`` or tab) followed, after any spaces or double quotes, by one of
  ``FORMULA_START``. Quoting writes an apostrophe in front of the text and one after every
  separator that is followed by such a character or by an apostrophe.
- Reading a cell back (``unquote_formula``): a cell that starts with an apostrophe is a quoted
  text, so the leading apostrophe and the apostrophe after each separator are taken off; any
  other cell is the text as it stands.

So ``=1+1`` is written ``'=1+1``, ``abc;=1+1`` is written ``'abc;'=1+1``, ``'quoted`` (a stored
text that itself starts with an apostrophe) is written ``''quoted``, and each reads back as it
was stored: for every text t, ``unquote_formula(quote_formula(t)) == t``. An apostrophe typed at
the start of a cell is a quote mark, as in Excel, not part of the text.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
QUOTE = "'"
SEPARATORS = ",;\t"
_FORMULA_CLASS = "=+\\-@\t\r\n"
# What makes a text quoted: a formula start or the quote mark at its start, or a separator followed (after
# spaces or double quotes, which Excel skips or strips) by a formula start. One search, for speed.
_NEEDS_QUOTING = re.compile(f'^[{_FORMULA_CLASS}{QUOTE}]|[{SEPARATORS}][ "]*[{_FORMULA_CLASS}]')
# Where quoting writes an apostrophe: after a separator followed by a formula start or by an apostrophe.
_ESCAPED_SEPARATOR = re.compile(f'([{SEPARATORS}])(?=[ "]*[{_FORMULA_CLASS}]|{QUOTE})')
_UNESCAPED_SEPARATOR = re.compile(f"([{SEPARATORS}]){QUOTE}")


def needs_quoting(value):
    """Whether a text would be run as a formula, or starts with the quote mark (and so must be quoted itself)."""
    return isinstance(value, str) and _NEEDS_QUOTING.search(value) is not None


def quote_formula(value):
    """A text as a spreadsheet cell (str -> str, see the module docstring); any other value as it is."""
    if not needs_quoting(value):
        return value
    return QUOTE + _ESCAPED_SEPARATOR.sub(rf"\1{QUOTE}", value)


def unquote_formula(value):
    """The stored text of a cell written by ``quote_formula``; a cell not starting with an apostrophe as it is."""
    if not (isinstance(value, str) and value.startswith(QUOTE)):
        return value
    return _UNESCAPED_SEPARATOR.sub(r"\1", value[1:])
