"""OGC API - Features, Part 1: Core (with GeoJSON, HTML and OpenAPI 3.0) and Part 3's queryables and CQL2 text
filters, for GIS clients such as QGIS, GDAL and OWSLib, and for browsers (html.py).

Collections are the map's layers; their items are the published records that have a position,
filtered with the same FilterSets as the map and the REST API (extra query parameters such as
`segment` or `q` work here too) and built by the same GeoJSON code. Paging is `limit` + `offset`
with `next`/`prev` links. Coordinates are WGS-84 longitude/latitude (CRS84).
"""

from datetime import UTC, datetime

from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from nansha.api.access import api_audience
from nansha.api.filtering import FilterBackend, filter_data
from nansha.api.geojson import CONTENT_TYPE, cached_response, dumps, features, last_modified
from nansha.api.renderers import GEOJSON_RENDERERS
from nansha.api.resources.industry.views import (
    EnterpriseViewSet,
    FundViewSet,
    HospitalViewSet,
    ResearchInstitutionViewSet,
    ServicePlatformViewSet,
)
from nansha.api.resources.parks.views import ParkViewSet
from nansha.api.views import GEOMETRY_PARAMETER, chosen_outline
from nansha.map.layers import LAYERS
from nansha.records.chinese import document_in_script

from .cql2 import FilterError, filter_q, queryables
from .html import HTMLRenderer, wants_html
from .html import page as html_page
from .parameters import DEFAULT_LIMIT, MAX_LIMIT, datetime_interval, whole_number

JSON = "application/json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
]
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
COLLECTIONS = {
    "enterprises": EnterpriseViewSet,
    "parks": ParkViewSet,
    "hospitals": HospitalViewSet,
    "institutions": ResearchInstitutionViewSet,
    "funds": FundViewSet,
    "platforms": ServicePlatformViewSet,
}
# What each collection holds, in the reader's language (the title is the layer's label).
DESCRIPTIONS = {
    "enterprises": gettext_lazy("Enterprises of Nansha's biomedical and health industry."),
    "parks": gettext_lazy(
        "Parks, incubators and science parks, with their outlines and how many spaces are free. In GeoJSON a park "
        "with an outline is its Polygon or MultiPolygon (?geometry=point for points only)."
    ),
    "hospitals": gettext_lazy("Hospitals: grades, drug-trial and stem-cell filings."),
    "institutions": gettext_lazy("Universities and research institutes: the talent supply."),
    "funds": gettext_lazy("Funds, investors and banks."),
    "platforms": gettext_lazy("Public service platforms."),
}
# Parameters of items besides the collection's filters (`format` is DRF's name for `f`).
PAGING = {"limit", "offset", "bbox", "f", "format", "datetime", "filter", "filter-lang", "filter-crs"}

FORMAT_PARAMETER = OpenApiParameter(
    "f", str, enum=["json", "geojson", "html"], description="Response format (html: a page for a browser)."
)
COLLECTION_PARAMETER = OpenApiParameter(
    "collection_id", str, OpenApiParameter.PATH, enum=list(COLLECTIONS), description="The collection."
)
NOT_FOUND = {"type": "object", "properties": {"code": {"type": "string"}, "description": {"type": "string"}}}


def _url(request, name, *args, query=None):
    url = request.build_absolute_uri(reverse(name, args=args))
    return f"{url}?{query.urlencode()}" if query else url


def _respond(request, data, kind, **context):
    if wants_html(request):
        return html_page(request, kind, data, **context)
    response = cached_response(request, document_in_script(dumps(data)), content_type=JSON)
    patch_vary_headers(response, ["Accept"])
    return response


def _audience(request):
    """What the caller sees here: the published map (no drafts, no links to them), contacts by the one rule."""
    return api_audience(request).published_only()


def _private_if_contacts(request, response):
    if _audience(request).contacts:
        response["Cache-Control"] = "private, max-age=60"
    return response


def _features(request, viewset, queryset):
    audience = _audience(request)
    properties = viewset.visible_properties(audience)
    return features(
        queryset,
        properties=properties,
        many=viewset.geojson_many,
        links=audience.link_limits(viewset.model, properties),
        outline=chosen_outline(viewset, request.query_params),
    )


def _check_format(request):
    fmt = request.query_params.get("f")
    if fmt not in (None, "", "json", "geojson", "html"):
        raise exceptions.ValidationError({"f": [_("Formats: json, geojson, html.")]})


def _published(key):
    return LAYERS[key].model.objects.published()


def _collection(request, key):
    located = _published(key).exclude(lat=None)
    extent = located.aggregate(w=Min("lng"), s=Min("lat"), e=Max("lng"), n=Max("lat"))
    collection = {
        "id": key,
        "title": str(LAYERS[key].label),
        "description": str(DESCRIPTIONS[key]),
        "itemType": "feature",
        "crs": [CRS84],
    }
    if extent["w"] is not None:  # an empty collection has no extent (rather than the whole world)
        collection["extent"] = {
            "spatial": {"bbox": [[extent["w"], extent["s"], extent["e"], extent["n"]]], "crs": CRS84}
        }
    return {
        **collection,
        "links": [
            {"href": _url(request, "ogc-collection", key), "rel": "self", "type": JSON, "title": _("This collection")},
            {"href": _url(request, "ogc-items", key), "rel": "items", "type": CONTENT_TYPE, "title": _("Items")},
            {
                "href": _url(request, "ogc-queryables", key),
                "rel": QUERYABLES_REL,
                "type": "application/schema+json",
                "title": _("Queryables"),
            },
        ],
    }


class OGCView(APIView):
    """An OGC API resource: JSON or GeoJSON as the client accepts; a 404 as an OGC exception {code, description}."""

    renderer_classes = [*GEOJSON_RENDERERS, HTMLRenderer]

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code == 404 and isinstance(response.data, dict) and "detail" in response.data:
            response.data = {"code": "NotFound", "description": str(response.data["detail"])}
        return response


class LandingPage(OGCView):
    @extend_schema(
        operation_id="ogc_landing",
        summary="OGC API - Features landing page",
        parameters=[FORMAT_PARAMETER],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        _check_format(request)
        return _respond(
            request,
            {
                "title": _("Nansha biomedical & health industry map"),
                "description": _("OGC API - Features for the published, located records of the map."),
                "links": [
                    {"href": _url(request, "ogc-landing"), "rel": "self", "type": JSON, "title": _("This document")},
                    {
                        "href": _url(request, "ogc-conformance"),
                        "rel": "conformance",
                        "type": JSON,
                        "title": _("Conformance classes"),
                    },
                    {"href": _url(request, "ogc-collections"), "rel": "data", "type": JSON, "title": _("Collections")},
                    {
                        "href": _url(request, "api-schema") + "?format=json",
                        "rel": "service-desc",
                        "type": "application/vnd.oai.openapi+json;version=3.0",
                        "title": _("API definition"),
                    },
                    {
                        "href": _url(request, "api-docs"),
                        "rel": "service-doc",
                        "type": "text/html",
                        "title": _("API documentation"),
                    },
                ],
            },
            "landing",
        )


class Conformance(OGCView):
    @extend_schema(
        operation_id="ogc_conformance",
        summary="Conformance classes",
        parameters=[FORMAT_PARAMETER],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        _check_format(request)
        return _respond(request, {"conformsTo": CONFORMANCE}, "conformance")


class Collections(OGCView):
    @extend_schema(
        operation_id="ogc_collections",
        summary="The feature collections",
        parameters=[FORMAT_PARAMETER],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        _check_format(request)
        return _respond(
            request,
            {
                "links": [
                    {"href": _url(request, "ogc-collections"), "rel": "self", "type": JSON, "title": _("Collections")}
                ],
                "collections": [_collection(request, key) for key in COLLECTIONS],
            },
            "collections",
        )


def _known_collection(key):
    if key not in COLLECTIONS:
        raise exceptions.NotFound(_("No collection “%(key)s”; see /ogc/collections.") % {"key": key[:40]})


class Collection(OGCView):
    @extend_schema(
        operation_id="ogc_collection",
        summary="One feature collection",
        parameters=[COLLECTION_PARAMETER, FORMAT_PARAMETER],
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request, collection_id):
        _check_format(request)
        _known_collection(collection_id)
        return _respond(
            request,
            _collection(request, collection_id),
            "collection",
            collection_id=collection_id,
            collection_title=LAYERS[collection_id].label,
        )


def _cql2_filter(request, viewset):
    """The Q of the `filter` parameter (CQL2 text); a 400 naming `filter` (or `filter-lang`, `filter-crs`)."""
    params = request.query_params
    if params.get("filter-lang", "cql2-text") != "cql2-text":
        raise exceptions.ValidationError({"filter-lang": [_("Only cql2-text is understood.")]})
    if params.get("filter-crs", CRS84) != CRS84:
        raise exceptions.ValidationError({"filter-crs": [_("Only CRS84 (WGS-84 longitude, latitude).")]})
    text = params.get("filter", "").strip()
    if not text:
        return Q()
    try:
        return filter_q(text, viewset)
    except FilterError as error:
        raise exceptions.ValidationError({"filter": [str(error)]}) from None


ITEMS_PARAMETERS = [
    FORMAT_PARAMETER,
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        description=f"Features per page (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}; more is capped).",
    ),
    OpenApiParameter("offset", {"type": "integer", "minimum": 0, "default": 0}, description="Features to skip."),
    OpenApiParameter(
        "datetime",
        str,
        description="An RFC 3339 date-time or interval (`start/end`, `..` for an open end); checked, and "
        "filtering nothing: records carry no time.",
    ),
    OpenApiParameter(
        "filter",
        str,
        description="A CQL2 text filter on the collection's queryables (see its `queryables`), e.g. "
        "`ownership IN ('private','mixed') AND name_zh LIKE '%基因%'` or "
        "`S_INTERSECTS(geometry, BBOX(113.4,22.6,113.7,22.9))`.",
    ),
    OpenApiParameter("filter-lang", str, enum=["cql2-text"], description="The filter's language."),
    OpenApiParameter("filter-crs", str, enum=[CRS84], description="The CRS of the filter's coordinates."),
]


class JSONSchemaRenderer(JSONRenderer):
    media_type = "application/schema+json"
    format = "schema"


class Queryables(OGCView):
    """What a CQL2 filter on a collection may name (OGC API - Features Part 3), as JSON Schema."""

    renderer_classes = [*OGCView.renderer_classes, JSONSchemaRenderer]

    @extend_schema(
        operation_id="ogc_queryables",
        summary="The queryables of a collection",
        parameters=[COLLECTION_PARAMETER, FORMAT_PARAMETER],
        responses={(200, "application/schema+json"): OpenApiTypes.OBJECT, (404, JSON): NOT_FOUND},
    )
    def get(self, request, collection_id):
        _check_format(request)
        _known_collection(collection_id)
        schema = queryables(COLLECTIONS[collection_id], _url(request, "ogc-queryables", collection_id))
        response = cached_response(request, document_in_script(dumps(schema)), content_type="application/schema+json")
        patch_vary_headers(response, ["Accept"])
        return response


class Items(OGCView):
    """The features of a collection, a page at a time; routed once per collection (urls.py), so that the API
    document lists each collection's own filters."""

    collection_id = None
    pages_features = True  # further pages count at the paging rate (nansha.api.access.follows_next_link)

    def get(self, request, collection_id=None):
        collection_id = collection_id or self.collection_id
        _check_format(request)
        _known_collection(collection_id)
        viewset = COLLECTIONS[collection_id]
        filterset_class = viewset.filterset_class
        allowed = PAGING | set(filterset_class.base_filters) | ({"geometry"} if viewset.outline_field else set())
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise exceptions.ValidationError({name: [_("Unknown parameter.")] for name in unknown})
        limit = whole_number(request.query_params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = whole_number(request.query_params, "offset", 0, 0, 10**9)
        datetime_interval(request.query_params)
        filterset = filterset_class(
            filter_data(request.query_params, filterset_class),
            queryset=_published(collection_id).exclude(lat=None),
            request=request,
        )
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        queryset = filterset.qs.filter(_cql2_filter(request, viewset))
        if not {"distance_km", "search_rank"} & set(queryset.query.annotations):  # nearest or best match first
            queryset = queryset.order_by("pk")
        matched = queryset.count()
        page = _features(request, viewset, queryset[offset : offset + limit])
        query = request.query_params.copy()
        links = [
            {"href": _url(request, "ogc-items", collection_id, query=query), "rel": "self", "type": CONTENT_TYPE},
            {"href": _url(request, "ogc-collection", collection_id), "rel": "collection", "type": JSON},
        ]
        if offset + limit < matched:
            query["offset"], query["limit"] = str(offset + limit), str(limit)
            links.append(
                {"href": _url(request, "ogc-items", collection_id, query=query), "rel": "next", "type": CONTENT_TYPE}
            )
        if offset > 0:  # the page before this one, or the last page when this one is past the end
            query["offset"], query["limit"] = str(max(min(offset, matched) - limit, 0)), str(limit)
            links.append(
                {"href": _url(request, "ogc-items", collection_id, query=query), "rel": "prev", "type": CONTENT_TYPE}
            )
        data = {
            "type": "FeatureCollection",
            "name": collection_id,
            "timeStamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "numberMatched": matched,
            "numberReturned": len(page),
            "features": page,
            "links": links,
        }
        if wants_html(request):
            response = html_page(
                request, "items", data, collection_id=collection_id, collection_title=LAYERS[collection_id].label
            )
            return _private_if_contacts(request, response)
        response = cached_response(
            request, document_in_script(dumps(data)), content_type=CONTENT_TYPE, modified=last_modified(queryset)
        )
        patch_vary_headers(response, ["Accept"])
        return _private_if_contacts(request, response)


@extend_schema(exclude=True)
class OtherItems(Items):
    """Items of a collection id that names none: a 404 naming it (the document lists the real ones)."""


def collection_items_view(key):
    """The items view of collection `key`, documented with that collection's filters."""
    viewset = COLLECTIONS[key]
    parameters = ITEMS_PARAMETERS + ([GEOMETRY_PARAMETER] if viewset.outline_field else [])
    view = type(
        f"{viewset.model.__name__}Items",
        (Items,),
        {
            "collection_id": key,
            "filter_backends": [FilterBackend],
            "filterset_class": viewset.filterset_class,
            "queryset": viewset.model.objects.none(),  # read by the schema generator only
        },
    )

    def get(self, request, collection_id=None):
        return Items.get(self, request, collection_id)

    view.get = extend_schema(
        operation_id=f"ogc_{key}_items",
        summary=f"Features of the {key} collection",
        filters=True,
        parameters=parameters,
        responses={(200, CONTENT_TYPE): OpenApiTypes.OBJECT},
    )(get)
    return view.as_view()


class Item(OGCView):
    @extend_schema(
        operation_id="ogc_item",
        summary="One feature",
        parameters=[
            COLLECTION_PARAMETER,
            OpenApiParameter("feature_id", int, OpenApiParameter.PATH, description="The feature's id."),
            FORMAT_PARAMETER,
            GEOMETRY_PARAMETER,
        ],
        responses={(200, CONTENT_TYPE): OpenApiTypes.OBJECT, (404, JSON): NOT_FOUND},
    )
    def get(self, request, collection_id, feature_id):
        _check_format(request)
        _known_collection(collection_id)
        viewset = COLLECTIONS[collection_id]
        missing = _("No feature “%(id)s” in “%(key)s”.") % {"id": feature_id[:40], "key": collection_id}
        if not feature_id.isascii() or not feature_id.isdigit() or len(feature_id) > 18:
            raise exceptions.NotFound(missing)
        queryset = _published(collection_id).exclude(lat=None).filter(pk=int(feature_id))
        found = _features(request, viewset, queryset)
        if not found:
            raise exceptions.NotFound(missing)
        feature = found[0]
        feature["links"] = [
            {"href": _url(request, "ogc-item", collection_id, feature_id), "rel": "self", "type": CONTENT_TYPE},
            {"href": _url(request, "ogc-collection", collection_id), "rel": "collection", "type": JSON},
        ]
        if wants_html(request):
            response = html_page(
                request, "item", feature, collection_id=collection_id, collection_title=LAYERS[collection_id].label
            )
            return _private_if_contacts(request, response)
        response = cached_response(
            request, document_in_script(dumps(feature)), content_type=CONTENT_TYPE, modified=last_modified(queryset)
        )
        patch_vary_headers(response, ["Accept"])
        return _private_if_contacts(request, response)
