"""Export exactly the filtered map result as CSV, Excel or GeoJSON, in the page's language.

- Each kind of record (layer) has its own columns: a park has no credit code, an enterprise no park
  level. The CSV gives each layer's rows under their own header row (one table per layer, separated
  by an empty line; one layer is one plain table); the workbook has a named sheet per layer; a GeoJSON
  feature carries its layer's properties only.
- Headers are the fields' labels in the page's language (the models' translated verbose names); yes/no
  values read 是/否 (Yes/No); lists use the language's separator (、 or ", "). GeoJSON keeps the field codes
  as property names and JSON types (true/false, ISO dates), for programs.
- CSV and GeoJSON are generators of bytes, read from the database in chunks (QuerySet.iterator), so a
  response starts at once and holds a few thousand records in memory at most, whatever the size. The
  workbook is built whole (openpyxl write-only mode) and so is limited in size (views, export_limits).
- Text cells are spreadsheet-safe (nansha.records.spreadsheet_cells); the CSV starts with a BOM so that
  Excel reads it as UTF-8.
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from nansha.records.models import in_language
from nansha.records.presentation import PUBLIC, contact_fields, detail_url, is_public
from nansha.records.spreadsheet_cells import quote_formula

from .layers import LAYERS
from .selectors import filtered

CHUNK_SIZE = 2000  # records read (and their segments and honours prefetched) per database round trip
BOM = "\ufeff"  # so that Excel opens the Chinese text as UTF-8


@dataclass(frozen=True)
class Column:
    """One column of an export: `code` (GeoJSON property name), `label` (header), `value` (record -> value).

    A value is text, a number, a date, a yes/no (bool) or None (unknown: an empty cell). `width` is the
    workbook column's width in characters.
    """

    code: str
    label: Any
    value: Any
    width: int = 14


def _separator():
    """The list separator of the page's language: the Chinese enumeration comma, else a comma."""
    return ", " if (get_language() or "").startswith("en") else "、"


def _names(records):
    return _separator().join(in_language(r.name_zh, r.name_en) for r in records)


def _field(model, name, value=None, width=14):
    """A column of a model field, headed by its translated verbose name; `value` defaults to the field's value."""
    label = capfirst(model._meta.get_field(name).verbose_name)
    return Column(name, label, value or (lambda record: getattr(record, name)), width)


def _choice(model, name, width=14):
    """A column of a choice field, giving the choice's label in the page's language."""
    display = f"get_{name}_display"
    return _field(model, name, lambda record: getattr(record, display)() if getattr(record, name) else None, width)


def _park_name(enterprise):
    park = enterprise.park
    if park is None or not is_public(park):  # no name of a draft park
        return None
    return in_language(park.name_zh, park.name_en)


# What each layer has beyond the columns every layer has: {layer: function of the model -> [Column]}.
EXTRAS = {
    "enterprises": lambda m: [
        _field(m, "credit_code", width=22),
        _field(m, "segments", lambda e: _names(e.segments.all()), width=30),
        _field(m, "park", _park_name, width=24),
        _choice(m, "ownership"),
        _choice(m, "size_band"),
        _field(m, "founded_on", width=12),
        _field(m, "honours", lambda e: _names(e.honours.all()), width=30),
    ],
    "parks": lambda m: [
        _choice(m, "kind"),
        _choice(m, "level"),
        _choice(m, "development_status"),
        _field(m, "operator_zh", width=30),
        _field(m, "operator_en", width=30),
    ],
    "hospitals": lambda m: [_choice(m, "grade")],
    "institutions": lambda m: [_choice(m, "kind")],
    "funds": lambda m: [_choice(m, "kind")],
}
QUERY_OPTIMISATION = {
    "enterprises": {"select_related": ["park"], "prefetch_related": ["segments", "honours"]},
}
# Large columns no export shows, not read at all (a park's outline is kilobytes of GeoJSON).
NOT_READ = ["description_zh", "description_en", "search_names", "search_text"]
NOT_READ_OF_PARKS = [*NOT_READ, "outline"]


def columns(layer_key, base_url="", audience=PUBLIC):
    """The columns of one layer's export, in order: what it is, its names, its own columns, where it is,
    direct contacts (only for an audience that may see them: presentation.audience), its page and source."""
    layer = LAYERS[layer_key]
    m = layer.model
    return [
        Column("layer", gettext_lazy("Record type"), lambda record: str(layer.label), 12),
        Column("id", gettext_lazy("ID"), lambda record: record.pk, 8),
        _field(m, "name_zh", width=32),
        _field(m, "name_en", width=32),
        *EXTRAS.get(layer_key, lambda m: [])(m),
        _field(m, "address_zh", width=36),
        _field(m, "address_en", width=36),
        _field(m, "lat", width=11),
        _field(m, "lng", width=11),
        _field(m, "position_is_approximate", width=10),
        *(_field(m, name, width=24) for name in (contact_fields(m) if audience.contacts else [])),
        Column("url", gettext_lazy("Page on the map"), lambda record: base_url + detail_url(record), 40),
        _field(m, "source", width=30),
        _field(m, "verified_on", width=12),
    ]


def layer_records(layer_key, filters):
    """The published records of one layer that the filters give, in the map's order, read in chunks."""
    optimisation = QUERY_OPTIMISATION.get(layer_key, {})
    related = optimisation.get("select_related", [])
    queryset = (
        filtered(layer_key, filters)
        .select_related(*related)
        .prefetch_related(*optimisation.get("prefetch_related", []))
        .defer(*(NOT_READ_OF_PARKS if layer_key == "parks" else NOT_READ))
        .defer(*(f"{name}__{field}" for name in related for field in NOT_READ_OF_PARKS))
        .order_by("name_zh", "pk")
    )
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def counts(state):
    """{layer: number of records} the export of `state` holds (one COUNT query per layer)."""
    return {key: filtered(key, state.filters).count() for key in state.layers}


# Cell values ---------------------------------------------------------------------------------------------


def _text(value):
    """A value as CSV text: empty for unknown, 是/否 for yes/no, ISO dates, formulas quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return value.isoformat()
    return quote_formula(value) if isinstance(value, str) else value


def _xlsx_cell(value):
    """A value an Excel cell can hold: numbers and dates as they are, yes/no as words, text spreadsheet-safe.

    Control characters (which XML cannot hold, invisible anyway) are dropped before the formula check, so that
    one in front of "=cmd" cannot hide the formula.
    """
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        return quote_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


# Formats ---------------------------------------------------------------------------------------------------


class _Line:
    """A file-like object whose write() gives back what it is given: csv.writer then returns each row's text."""

    def write(self, text):
        return text


def as_csv(state, base_url, audience=PUBLIC):
    """The CSV export as an iterator of UTF-8 byte chunks: BOM, then per layer a header row and its rows."""
    writer = csv.writer(_Line())
    yield BOM.encode()
    for index, key in enumerate(state.layers):
        header = columns(key, base_url, audience)
        lines = ["\r\n"] if index else []  # an empty line between two layers' tables
        lines.append(writer.writerow([str(c.label) for c in header]))
        for record in layer_records(key, state.filters):
            lines.append(writer.writerow([_text(c.value(record)) for c in header]))
            if len(lines) >= 500:
                yield "".join(lines).encode()
                lines = []
        yield "".join(lines).encode()


def as_geojson(state, base_url, audience=PUBLIC):
    """The GeoJSON export (a FeatureCollection) as an iterator of UTF-8 byte chunks.

    Each feature: id "<layer>.<pk>", a Point in WGS-84 degrees (null when the position is not known), and its
    layer's properties under their field codes plus "layer" (the layer's code) and "name" (in the page's language).
    """
    yield b'{"type": "FeatureCollection", "features": ['
    separator = ""
    for key in state.layers:
        properties = [c for c in columns(key, base_url, audience) if c.code not in ("layer", "lat", "lng")]
        features = []
        for record in layer_records(key, state.filters):
            geometry = {"type": "Point", "coordinates": [record.lng, record.lat]} if record.has_position else None
            feature = {
                "type": "Feature",
                "id": f"{key}.{record.pk}",
                "geometry": geometry,
                "properties": {
                    "layer": key,
                    "name": in_language(record.name_zh, record.name_en),
                    **{c.code: c.value(record) for c in properties},
                },
            }
            features.append(separator + json.dumps(feature, cls=DjangoJSONEncoder, ensure_ascii=False))
            separator = ","
            if len(features) >= 500:
                yield "".join(features).encode()
                features = []
        yield "".join(features).encode()
    yield b"]}"


def _sheet_title(label, taken):
    """A worksheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    title = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(label))[:31] or "Sheet"
    while title in taken:
        title = f"{title[:28]}-{len(taken)}"
    taken.add(title)
    return title


def _width(column):
    """Characters a column needs for its header (a Chinese character counts double) or its usual values."""
    header = str(column.label)
    return max(column.width, sum(2 if ord(ch) > 0x2E80 else 1 for ch in header) + 3)


def as_xlsx(state, base_url, audience=PUBLIC):
    """The Excel export (bytes): one named sheet per layer with its own columns, sized, header frozen, filter on."""
    workbook = Workbook(write_only=True)
    taken = set()
    bold = Font(bold=True)
    for key in state.layers:
        header = columns(key, base_url, audience)
        sheet = workbook.create_sheet(_sheet_title(LAYERS[key].label, taken))
        for number, column in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = _width(column)
        sheet.freeze_panes = "A2"
        cells = []
        for column in header:
            cell = WriteOnlyCell(sheet, value=str(column.label))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        rows = 0
        for record in layer_records(key, state.filters):
            sheet.append([_xlsx_cell(c.value(record)) for c in header])
            rows += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{rows + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMATS = {
    "csv": (as_csv, "text/csv; charset=utf-8"),
    "xlsx": (as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "geojson": (as_geojson, "application/geo+json"),
}
STREAMED = {"csv", "geojson"}
