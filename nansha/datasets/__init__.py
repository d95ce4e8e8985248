"""Data sets to load: the article's demo records, the public reports' records (loaded through the staff import,
nansha.staff, so that they pass the checks staff edits pass), the reference vocabularies (chain, honours, ...) and
the labelled synthetic set for scale tests.

Imports nansha.records and nansha.staff; imported by management commands and tests only.
"""
