"""The API document (OpenAPI 3.0, drf-spectacular) as strict clients need it.

- served as `application/vnd.oai.openapi+json;version=3.0` (the media type OGC API - Features gives it; GDAL
  ignores a document served otherwise) and gzipped when the client accepts it;
- who may call: anonymously, with an `X-Api-Key` header (apiKey scheme) or a staff session (cookie);
- the error responses every operation may give (400, 403, 404, 406, 429), as JSON naming the problem;
- `bbox` as an array of numbers written comma-separated (style form, explode false);
- generated once per process and language (it takes seconds and changes only with the code), so no anonymous
  request can make the server build it again and again.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views.decorators.gzip import gzip_page
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"

ERROR = {
    "type": "object",
    "additionalProperties": True,
    "description": "What was wrong: `detail`, or each parameter or field with its messages; OGC resources "
    "answer a 404 as {code, description}.",
}
ERRORS = {
    "400": "A parameter or the body is wrong; each one at fault is named with what is expected.",
    "403": "The API key is unknown, revoked or expired, or the caller may not make this change.",
    "404": "No such record, collection, feature or page.",
    "406": "None of the media types in Accept is served here.",
    "429": "Too many requests; Retry-After says when to try again.",
}
API_KEY = {
    "type": "apiKey",
    "in": "header",
    "name": "X-Api-Key",
    "description": "A partner's key, issued by staff: higher rate limits and the public contact fields.",
}


FORMATS = {
    "json": "application/json",
    "geojson": "application/geo+json",
    "schema": "application/schema+json",  # OGC queryables
    "api": "text/html",
    "html": "text/html",
}


def _may_be_missing(path, operation):
    """A 404: a record or collection that is not there, a page past the end, or an unknown `format` (DRF)."""
    names = {parameter["name"] for parameter in operation.get("parameters", [])}
    return "{" in path or bool({"page", "offset", "format"} & names) or path.startswith("/ogc/collections/")


def _error_content(operation):
    """Errors come in the format negotiated for the operation (`format`, `f` or Accept): JSON, GeoJSON or HTML."""
    types = {"application/json"}
    for parameter in operation.get("parameters", []):
        if parameter["name"] in ("format", "f") and parameter.get("in") == "query":
            types |= {FORMATS[value] for value in parameter.get("schema", {}).get("enum", []) if value in FORMATS}
    return {media: {"schema": {"$ref": "#/components/schemas/Error"}} for media in sorted(types)}


def document_access_and_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: security schemes, error responses and bbox's style (see above)."""
    components = result.setdefault("components", {})
    components.setdefault("securitySchemes", {})["ApiKey"] = API_KEY
    components.setdefault("schemas", {})["Error"] = ERROR
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            session = [scheme for scheme in operation.get("security", []) if scheme and "ApiKey" not in scheme]
            operation["security"] = [*session, {"ApiKey": []}, {}]  # {}: anonymous callers are welcome too
            responses = operation.setdefault("responses", {})
            error = _error_content(operation)
            for code, description in ERRORS.items():
                if code == "404" and not _may_be_missing(path, operation):
                    continue
                if code == "400" and method == "get" and not operation.get("parameters"):
                    continue
                if code not in responses:
                    responses[code] = {"description": description, "content": error}
                else:  # documented by the view (e.g. an OGC 404): in every format the operation answers in
                    content = responses[code].setdefault("content", {})
                    schema = next(iter(content.values()), error["application/json"])["schema"]
                    for media in error:
                        content.setdefault(media, {"schema": schema})
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                if parameter["name"] == "bbox":
                    parameter["style"], parameter["explode"] = "form", False
                typed = parameter.get("schema", {}).get("type") in ("number", "integer", "boolean", "array")
                if typed or parameter["name"] in ("format", "f"):
                    # an empty filter is no filter, as on the map; an empty format is the negotiated one
                    parameter["allowEmptyValue"] = True
    return result


# (language code, API version) -> the generated document (a dict); a few entries at most.
_DOCUMENTS: dict[tuple[str | None, str | None], dict] = {}
_MAX_DOCUMENTS = 16


@receiver(setting_changed)
def _forget_documents(**kwargs):
    """A changed setting (in tests) may change the document: build it again."""
    _DOCUMENTS.clear()


@method_decorator(gzip_page, name="dispatch")
class SchemaView(SpectacularAPIView):
    """The API document; JSON with its OpenAPI version in the media type, gzipped when asked."""

    def _get_schema_response(self, request):
        """drf-spectacular's response, with the document kept per language and API version in this process."""
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        document = _DOCUMENTS.get(key)
        if document is None:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
            document = generator.get_schema(request=request, public=self.serve_public)
            if len(_DOCUMENTS) < _MAX_DOCUMENTS:
                _DOCUMENTS[key] = document
        return Response(
            data=document,
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.accepted_renderer.format == "json":
            response.content_type = OPENAPI_JSON
        return response
