"""The OGC API's HTML pages, for a person with a browser (Accept: text/html, or ?f=html): the same content as
the JSON, in the site's template and language, with a small map of the features on items and item pages."""

import orjson
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from rest_framework.renderers import StaticHTMLRenderer

from nansha.api.geojson import dumps
from nansha.records.base_maps import map_config
from nansha.records.chinese import document_in_script, join_items, wants_traditional


class HTMLRenderer(StaticHTMLRenderer):
    """Chosen by content negotiation for browsers; the views render their page themselves (page below)."""

    format = "html"


def wants_html(request):
    """?f=html, or no `f` and an Accept that prefers HTML (a browser)."""
    fmt = request.query_params.get("f", "").strip()
    if fmt:
        return fmt == "html"
    return getattr(request, "accepted_renderer", None) is not None and request.accepted_renderer.format == "html"


def _properties(features):
    columns = []
    for feature in features:
        for name in feature.get("properties") or {}:
            if name not in columns:
                columns.append(name)
    return columns


def page(request, kind, data, **context):
    """The HTML page of `kind` (landing, conformance, collections, collection, items, item) showing `data`,
    the resource's JSON content (its Chinese content converted here for a traditional Chinese page)."""
    if wants_traditional():
        data = orjson.loads(document_in_script(dumps(data)))
    features = data.get("features") or ([data] if kind == "item" else [])
    columns = _properties(features)
    rows = [
        {"id": f["id"], "values": [_cell((f.get("properties") or {}).get(name)) for name in columns]} for f in features
    ]
    context = {
        "kind": kind,
        "data": data,
        "columns": columns,
        "rows": rows,
        "json_url": _with_format(request, "json"),
        **context,
    }
    if kind in ("items", "item") and any(f.get("geometry") for f in features):
        context["map_data"] = {"type": "FeatureCollection", "features": features}
        context["map_config"] = map_config()
    response = render(request, "ogc/page.html", context)
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response


def _cell(value):
    return join_items(value) if isinstance(value, list) else value


def _with_format(request, fmt):
    query = request.GET.copy()
    query["f"] = fmt
    return f"{request.path}?{query.urlencode()}"
