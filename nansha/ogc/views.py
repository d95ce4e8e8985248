"""OGC API - Features, Part 1: Core (with GeoJSON and OpenAPI 3.0), for GIS clients such as QGIS and OWSLib.

Collections are the map's layers; their items are the published records that have a position,
filtered with the same FilterSets as the map and the REST API (extra query parameters such as
`segment` or `q` work here too) and built by the same GeoJSON code. Paging is `limit` + `offset`
with `next`/`prev` links. Coordinates are WGS-84 longitude/latitude (CRS84).
"""

from datetime import UTC, datetime

from django.db.models import Max, Min
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.views import APIView

from nansha.api.access import api_audience
from nansha.api.geojson import CONTENT_TYPE, cached_response, dumps, features, last_modified
from nansha.api.resources.industry.views import (
    EnterpriseViewSet,
    FundViewSet,
    HospitalViewSet,
    ResearchInstitutionViewSet,
    ServicePlatformViewSet,
)
from nansha.api.resources.parks.views import ParkViewSet
from nansha.map.layers import LAYERS

JSON = "application/json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
COLLECTIONS = {
    "enterprises": EnterpriseViewSet,
    "parks": ParkViewSet,
    "hospitals": HospitalViewSet,
    "institutions": ResearchInstitutionViewSet,
    "funds": FundViewSet,
    "platforms": ServicePlatformViewSet,
}
DEFAULT_LIMIT, MAX_LIMIT = 10, 10_000
PAGING = {"limit", "offset", "bbox", "f", "datetime"}

FORMAT_PARAMETER = OpenApiParameter("f", str, enum=["json", "geojson"], description="Response format.")


def _url(request, name, *args, query=None):
    url = request.build_absolute_uri(reverse(name, args=args))
    return f"{url}?{query.urlencode()}" if query else url


def _respond(request, data, content_type=JSON):
    return cached_response(request, dumps(data), content_type=content_type)


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
    )


def _check_format(request):
    fmt = request.query_params.get("f")
    if fmt not in (None, "", "json", "geojson"):
        raise exceptions.ValidationError({"f": _("Formats: json, geojson.")})


def _published(key):
    return LAYERS[key].model.objects.published()


def _collection(request, key):
    located = _published(key).exclude(lat=None)
    extent = located.aggregate(w=Min("lng"), s=Min("lat"), e=Max("lng"), n=Max("lat"))
    bbox = [extent["w"], extent["s"], extent["e"], extent["n"]] if extent["w"] is not None else [-180, -90, 180, 90]
    return {
        "id": key,
        "title": str(LAYERS[key].label),
        "description": (COLLECTIONS[key].__doc__ or "").strip(),
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {"spatial": {"bbox": [bbox], "crs": CRS84}},
        "links": [
            {"href": _url(request, "ogc-collection", key), "rel": "self", "type": JSON, "title": "This collection"},
            {"href": _url(request, "ogc-items", key), "rel": "items", "type": CONTENT_TYPE, "title": "Items"},
        ],
    }


class LandingPage(APIView):
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
                "title": "Nansha biomedical & health industry map",
                "description": "OGC API - Features for the published, located records of the map.",
                "links": [
                    {"href": _url(request, "ogc-landing"), "rel": "self", "type": JSON, "title": "This document"},
                    {
                        "href": _url(request, "ogc-conformance"),
                        "rel": "conformance",
                        "type": JSON,
                        "title": "Conformance classes",
                    },
                    {"href": _url(request, "ogc-collections"), "rel": "data", "type": JSON, "title": "Collections"},
                    {
                        "href": _url(request, "api-schema") + "?format=json",
                        "rel": "service-desc",
                        "type": "application/vnd.oai.openapi+json;version=3.0",
                        "title": "API definition",
                    },
                    {
                        "href": _url(request, "api-docs"),
                        "rel": "service-doc",
                        "type": "text/html",
                        "title": "API documentation",
                    },
                ],
            },
        )


class Conformance(APIView):
    @extend_schema(
        operation_id="ogc_conformance",
        summary="Conformance classes",
        parameters=[FORMAT_PARAMETER],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        _check_format(request)
        return _respond(request, {"conformsTo": CONFORMANCE})


class Collections(APIView):
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
                    {"href": _url(request, "ogc-collections"), "rel": "self", "type": JSON, "title": "Collections"}
                ],
                "collections": [_collection(request, key) for key in COLLECTIONS],
            },
        )


def _known_collection(key):
    if key not in COLLECTIONS:
        raise Http404(_("No collection “%(key)s”; see /ogc/collections.") % {"key": key[:40]})


class Collection(APIView):
    @extend_schema(
        operation_id="ogc_collection",
        summary="One feature collection",
        parameters=[FORMAT_PARAMETER],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, collection_id):
        _check_format(request)
        _known_collection(collection_id)
        return _respond(request, _collection(request, collection_id))


def _int_parameter(request, name, default, low, high):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: _("A whole number is expected.")}) from None
    if value < low:
        raise exceptions.ValidationError({name: _("At least %(low)d.") % {"low": low}})
    return min(value, high)


class Items(APIView):
    @extend_schema(
        operation_id="ogc_items",
        summary="Features of a collection",
        parameters=[
            FORMAT_PARAMETER,
            OpenApiParameter("bbox", str, description="minLon,minLat,maxLon,maxLat (CRS84)."),
            OpenApiParameter(
                "limit", int, description=f"Features per page (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})."
            ),
            OpenApiParameter("offset", int, description="Features to skip (paging)."),
            OpenApiParameter("datetime", str, description="Accepted for conformance; records carry no time."),
        ],
        responses={(200, CONTENT_TYPE): OpenApiTypes.OBJECT},
    )
    def get(self, request, collection_id):
        _check_format(request)
        _known_collection(collection_id)
        viewset = COLLECTIONS[collection_id]
        filterset_class = viewset.filterset_class
        unknown = sorted(set(request.query_params) - PAGING - set(filterset_class.base_filters))
        if unknown:
            raise exceptions.ValidationError({name: _("Unknown parameter.") for name in unknown})
        limit = _int_parameter(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _int_parameter(request, "offset", 0, 0, 10**9)
        filterset = filterset_class(
            request.query_params, queryset=_published(collection_id).exclude(lat=None), request=request
        )
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        queryset = filterset.qs
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
        if offset > 0:
            query["offset"], query["limit"] = str(max(offset - limit, 0)), str(limit)
            links.append(
                {"href": _url(request, "ogc-items", collection_id, query=query), "rel": "prev", "type": CONTENT_TYPE}
            )
        body = dumps(
            {
                "type": "FeatureCollection",
                "timeStamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "numberMatched": matched,
                "numberReturned": len(page),
                "features": page,
                "links": links,
            }
        )
        response = cached_response(request, body, content_type=CONTENT_TYPE, modified=last_modified(queryset))
        return _private_if_contacts(request, response)


class Item(APIView):
    @extend_schema(
        operation_id="ogc_item",
        summary="One feature",
        parameters=[FORMAT_PARAMETER],
        responses={(200, CONTENT_TYPE): OpenApiTypes.OBJECT},
    )
    def get(self, request, collection_id, feature_id):
        _check_format(request)
        _known_collection(collection_id)
        viewset = COLLECTIONS[collection_id]
        queryset = _published(collection_id).exclude(lat=None).filter(pk=int(feature_id))
        found = _features(request, viewset, queryset)
        if not found:
            raise Http404(_("No feature %(id)s in “%(key)s”.") % {"id": feature_id, "key": collection_id})
        feature = found[0]
        feature["links"] = [
            {"href": _url(request, "ogc-item", collection_id, feature_id), "rel": "self", "type": CONTENT_TYPE},
            {"href": _url(request, "ogc-collection", collection_id), "rel": "collection", "type": JSON},
        ]
        response = cached_response(
            request, dumps(feature), content_type=CONTENT_TYPE, modified=last_modified(queryset)
        )
        return _private_if_contacts(request, response)
