"""Text made safe for a spreadsheet cell: a value Excel or LibreOffice would run as a formula is quoted.

Used by every export (the map's and the admin's) and undone by the admin's import.
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def quote_formula(value):
    """A text a spreadsheet would run as a formula, quoted ('=...); anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
