"""Renderers of the API beside DRF's JSON: GeoJSON, so that a client accepting only `application/geo+json`
(the media type RFC 7946 and OGC API - Features give features, and what the OGC test suite sends) is answered."""

from rest_framework import renderers


class GeoJSONRenderer(renderers.JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


GEOJSON_RENDERERS = [renderers.JSONRenderer, GeoJSONRenderer]
