"""JSON read with its numbers exact: 1e-400 stays 1e-400 (and is refused as too precise), not the float 0.0."""

import codecs
import json
from decimal import Decimal

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json


class ExactJSONParser(JSONParser):
    """DRF's JSON parser, with numbers that have a fraction or an exponent read as Decimal instead of float.

    A float silently turns 99999999999999.9999999 into 1e14 and 1e-400 into 0.0; a Decimal keeps what
    was sent, so that the fields can check it against their column and say why it does not fit."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            decoded_stream = codecs.getreader(encoding)(stream)
            parse_constant = drf_json.strict_constant if self.strict else None
            return json.load(decoded_stream, parse_constant=parse_constant, parse_float=Decimal)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
