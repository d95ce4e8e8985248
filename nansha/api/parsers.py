"""Request body parsers of the API (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]): every malformed body a 400."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; JSON nested deeper than Python's decoder can go is a 400 like any other bad JSON.

    DRF turns only a ValueError into a ParseError; `[[[[…` a few thousand deep makes the decoder raise
    RecursionError, which was a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from None
