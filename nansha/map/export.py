"""Export exactly the filtered map result as CSV, Excel or GeoJSON."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from nansha.records.models import in_language
from nansha.records.presentation import PUBLIC, contact_fields, detail_url, is_public
from nansha.records.spreadsheet_cells import quote_formula

from .layers import LAYERS
from .selectors import filtered

COMMON = ["layer", "kind", "id", "name_zh", "name_en", "address_zh", "lat", "lng", "position_is_approximate"]
TRAILING = ["url", "source", "verified_on"]
# Extra columns per layer: {column: function of the record}.
EXTRAS = {
    "enterprises": {
        "credit_code": lambda e: e.credit_code,
        "segments": lambda e: "、".join(s.name_zh for s in e.segments.all()),
        "park": lambda e: e.park.name_zh if e.park and is_public(e.park) else "",  # no name of a draft park
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


def _contact_columns(layers, audience):
    """The direct contact columns of the shown layers, for an audience that may see them (else none)."""
    found = []
    if audience.contacts:
        for key in layers:
            found += [c for c in contact_fields(LAYERS[key].model) if c not in found]
    return found


def columns(layers, audience=PUBLIC):
    extras = []
    for key in layers:
        extras += [c for c in EXTRAS.get(key, {}) if c not in extras]
    return COMMON + extras + _contact_columns(layers, audience) + TRAILING


def records(state, base_url, audience=PUBLIC):
    """The rows of the export: one dict per record of each shown layer, in the map's order.

    Records are the published ones (as on the map); a link to a record that is not public is left empty;
    direct contacts are given only to an audience that may see them (presentation.audience).
    """
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
    """Spreadsheet-safe text: empty for None, formulas quoted."""
    return "" if value is None else quote_formula(value)


def as_csv(state, base_url, audience=PUBLIC):
    header = columns(state.layers, audience)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a BOM, so that Excel opens the Chinese text as UTF-8
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for _key, _record, row in records(state, base_url, audience):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def _xlsx_cell(value):
    """A spreadsheet-safe value an Excel cell can hold: XML has no place for control characters (invisible anyway).

    They are dropped before the formula check, so that one in front of "=cmd" cannot hide the formula.
    """
    return _cell(ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)


def as_xlsx(state, base_url, audience=PUBLIC):
    header = columns(state.layers, audience)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("export")
    sheet.append(header)
    for _key, _record, row in records(state, base_url, audience):
        sheet.append([_xlsx_cell(row.get(column)) for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


FORMATS = {
    "csv": (as_csv, "text/csv; charset=utf-8"),
    "xlsx": (as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "geojson": (as_geojson, "application/geo+json"),
}
