"""Renderers of the API: JSON and GeoJSON (so that a client accepting only `application/geo+json`, the media type
RFC 7946 and OGC API - Features give features and what the OGC test suite sends, is answered), both with Chinese
content in the script of the request's language (traditional for zh-hant: Accept-Language zh-HK, zh-MO, zh-TW)."""

from rest_framework import renderers

from nansha.records.chinese import document_in_script


class ContentJSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, with the Chinese content converted to traditional characters for a zh-hant request.

    Records keep their Chinese once, in simplified characters; a write that sends back a text as it was read
    (converted) leaves the stored text as it is (nansha.api.serializers.ModelValidation).
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        body = super().render(data, accepted_media_type, renderer_context)
        request = (renderer_context or {}).get("request")
        return document_in_script(body, getattr(request, "LANGUAGE_CODE", None))


class GeoJSONRenderer(ContentJSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


GEOJSON_RENDERERS = [ContentJSONRenderer, GeoJSONRenderer]
