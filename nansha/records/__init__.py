"""The base every app builds on: abstract record models, fields, validators, FilterSet parts, presentation,
pinyin, base maps, spreadsheet-safe cells and the public record pages.

Anyone may import it; it imports no other part of nansha.
"""
