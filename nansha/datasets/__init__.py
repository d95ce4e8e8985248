"""Data sets to load: the article's demo records, the reference vocabularies (chain, honours, ...) and the
labelled synthetic set for scale tests.

Imported by management commands and tests only.
"""
