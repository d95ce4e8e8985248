"""The map's CSV and GeoJSON export as they were before streaming (main at 246e117), the baseline `make bench`
times them against: the whole file built in memory, then sent in one HttpResponse. Kept here only to be measured.
"""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse

from nansha.map.layers import LAYERS
from nansha.map.selectors import filtered
from nansha.map.state import read_state
from nansha.records.models import in_language
from nansha.records.presentation import PUBLIC, contact_fields, detail_url, is_public
from nansha.records.spreadsheet_cells import quote_formula

COMMON = ["layer", "kind", "id", "name_zh", "name_en", "address_zh", "lat", "lng", "position_is_approximate"]
TRAILING = ["url", "source", "verified_on"]
EXTRAS = {
    "enterprises": {
        "credit_code": lambda e: e.credit_code,
        "segments": lambda e: "、".join(s.name_zh for s in e.segments.all()),
        "park": lambda e: e.park.name_zh if e.park and is_public(e.park) else "",
        "ownership": lambda e: e.get_ownership_display() if e.ownership else "",
        "size_band": lambda e: e.get_size_band_display() if e.size_band else "",
        "founded_on": lambda e: e.founded_on,
        "honours": lambda e: "、".join(h.name_zh for h in e.honours.all()),
    },
    "parks": {
        "kind": lambda p: p.get_kind_display(),
        "level": lambda p: p.get_level_display() if p.level else "",
        "development_status": lambda p: p.get_development_status_display(),
        "operator_zh": lambda p: p.operator_zh,
    },
    "hospitals": {"kind": lambda h: h.get_grade_display() if h.grade else ""},
    "institutions": {"kind": lambda i: i.get_kind_display()},
    "funds": {"kind": lambda f: f.get_kind_display()},
}
QUERY_OPTIMISATION = {
    "enterprises": {"select_related": ["park"], "prefetch_related": ["segments", "honours"]},
}


def columns(layers, audience=PUBLIC):
    extras = []
    for key in layers:
        extras += [c for c in EXTRAS.get(key, {}) if c not in extras]
    return COMMON + extras + TRAILING


def records(state, base_url, audience=PUBLIC):
    for key in state.layers:
        optimisation = QUERY_OPTIMISATION.get(key, {})
        queryset = (
            filtered(key, state.filters)
            .select_related(*optimisation.get("select_related", []))
            .prefetch_related(*optimisation.get("prefetch_related", []))
            .order_by("name_zh", "pk")
        )
        label = str(LAYERS[key].label)
        for record in queryset:
            row = {
                "layer": key,
                "kind": label,
                "id": record.pk,
                "name_zh": record.name_zh,
                "name_en": record.name_en,
                "address_zh": record.address_zh,
                "lat": record.lat,
                "lng": record.lng,
                "position_is_approximate": record.position_is_approximate,
                "url": base_url + detail_url(record),
                "source": record.source,
                "verified_on": record.verified_on,
            }
            row.update({column: value(record) for column, value in EXTRAS.get(key, {}).items()})
            if audience.contacts:
                row.update({name: getattr(record, name) for name in contact_fields(record._meta.model)})
            yield key, record, row


def _cell(value):
    return "" if value is None else quote_formula(value)


def as_csv(state, base_url, audience=PUBLIC):
    header = columns(state.layers, audience)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for _key, _record, row in records(state, base_url, audience):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def as_geojson(state, base_url, audience=PUBLIC):
    features = []
    for key, record, row in records(state, base_url, audience):
        geometry = {"type": "Point", "coordinates": [record.lng, record.lat]} if record.has_position else None
        properties = {k: v for k, v in row.items() if k not in ("lat", "lng")}
        properties["name"] = in_language(record.name_zh, record.name_en)
        features.append(
            {"type": "Feature", "id": f"{key}.{record.pk}", "geometry": geometry, "properties": properties}
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")


FORMATS = {"csv": (as_csv, "text/csv; charset=utf-8"), "geojson": (as_geojson, "application/geo+json")}


def export(request, fmt):
    """The old view: the whole file in one HttpResponse (anonymous audience, as the benchmark calls it)."""
    if fmt not in FORMATS:
        raise Http404(fmt)
    render_export, content_type = FORMATS[fmt]
    body = render_export(read_state(request.GET), request.build_absolute_uri("/").rstrip("/"))
    return HttpResponse(body, content_type=content_type)
