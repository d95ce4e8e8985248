"""Export exactly the filtered map result as CSV, Excel or GeoJSON, in the page's language.

- Each kind of record (layer) has its own columns: a park has no credit code, an enterprise no park
  level. The CSV gives each layer's rows under their own header row (one table per layer, separated
  by an empty line; one layer is one plain table); the workbook has a named sheet per layer; a GeoJSON
  feature carries its layer's properties only.
- Headers are the fields' labels in the page's language (the models' translated verbose names); yes/no
  values read 是/否 (Yes/No); lists use the language's separator (、 or ", "). GeoJSON keeps the field codes
  as property names and JSON types (true/false, ISO dates), for programs.
- CSV and GeoJSON are generators of bytes, read from the database in chunks (values_list().iterator()), so a
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
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from nansha.records.chinese import in_script, join_items, wants_traditional
from nansha.records.models import PublicationStatus, in_language
from nansha.records.presentation import PUBLIC, contact_fields
from nansha.records.spreadsheet_cells import quote_formula

from .layers import LAYERS
from .selectors import filtered

CHUNK_SIZE = 2000  # rows read (and their segments and honours looked up) per database round trip
BOM = "\ufeff"  # so that Excel opens the Chinese text as UTF-8
PLACEHOLDER_ID = 987654321  # reversed in a detail URL once, then replaced by each record's id
# Chinese content in fields not named *_zh: the source (a document's title, or a URL that converting leaves as is).
CONVERTED = {"source"}


@dataclass(frozen=True)
class Column:
    """One column of an export: `code` (GeoJSON property name), `label` (header), `value` (row -> value).

    A row is a named tuple of the database columns the export's columns `read` (QuerySet.values_list, named;
    "park__name_zh" for a related record's). A value is text, a number, a date, a yes/no (bool) or None (unknown:
    an empty cell). `width` is the workbook column's width in characters.
    """

    code: str
    label: Any
    value: Any
    width: int = 14
    reads: tuple = ()


def _names(pairs):
    """The names of linked records, [(name_zh, name_en)], in the page's language, joined by its separator."""
    return join_items(in_language(zh, en) for zh, en in pairs)


def _field(model, name, value=None, width=14, reads=None):
    """A column of a model field, headed by its translated verbose name; `value` defaults to the field's value, in
    the page's script for Chinese content (CONVERTED: traditional characters in a zh-hant export)."""
    label = capfirst(model._meta.get_field(name).verbose_name)
    if value is None and (name.endswith("_zh") or name in CONVERTED):
        value = _converted(name, in_script if wants_traditional() else None)
    return Column(name, label, value or (lambda row: getattr(row, name)), width, reads or (name,))


def _converted(name, convert):
    """The value of field `name` of a row, passed through `convert` when there is one (looked up once a column)."""
    if convert is None:
        return None
    return lambda row: convert(getattr(row, name))


def _choice(model, name, width=14):
    """A column of a choice field, giving the choice's label in the page's language (looked up once per export:
    get_FOO_display() translates every choice at each call)."""
    labels = {value: str(label) for value, label in model._meta.get_field(name).flatchoices}
    return _field(model, name, lambda row: labels.get(getattr(row, name), getattr(row, name)) or None, width)


def _park_name(row):
    """The enterprise's park in the page's language; none for a draft park (a link to a record that is not public
    is no link: exports are the published map for everyone, presentation.Audience.published_only)."""
    if row.park__status != PublicationStatus.PUBLISHED:
        return None
    return in_language(row.park__name_zh, row.park__name_en)


# What each layer has beyond the columns every layer has: {layer: function of the model -> [Column]}.
EXTRAS = {
    "enterprises": lambda m: [
        _field(m, "credit_code", width=22),
        _field(m, "segments", lambda e: _names(e.links["segments"]), width=30, reads=("id",)),
        _field(m, "park", _park_name, width=24, reads=("park__name_zh", "park__name_en", "park__status")),
        _choice(m, "ownership"),
        _choice(m, "size_band"),
        _field(m, "founded_on", width=12),
        _field(m, "honours", lambda e: _names(e.links["honours"]), width=30, reads=("id",)),
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
# Many-to-many links read per chunk of rows (_with_links).
LINKS = {"enterprises": ["segments", "honours"]}


def columns(layer_key, base_url="", audience=PUBLIC):
    """The columns of one layer's export, in order: what it is, its names, its own columns, where it is,
    direct contacts (only for an audience that may see them: presentation.audience), its page and source."""
    layer = LAYERS[layer_key]
    m = layer.model
    kind = str(layer.label)
    page = base_url + reverse(layer.detail_url_name, args=[PLACEHOLDER_ID])  # reversed once, not per record
    before, _id, after = page.rpartition(str(PLACEHOLDER_ID))
    return [
        Column("layer", gettext_lazy("Record type"), lambda row: kind, 12),
        Column("id", gettext_lazy("ID"), lambda row: row.id, 8, ("id",)),
        _field(m, "name_zh", width=32),
        _field(m, "name_en", width=32),
        *EXTRAS.get(layer_key, lambda m: [])(m),
        _field(m, "address_zh", width=36),
        _field(m, "address_en", width=36),
        _field(m, "lat", width=11),
        _field(m, "lng", width=11),
        _field(m, "position_is_approximate", width=10),
        *(_field(m, name, width=24) for name in (contact_fields(m) if audience.contacts else [])),
        Column("url", gettext_lazy("Page on the map"), lambda row: f"{before}{row.id}{after}", 40, ("id",)),
        _field(m, "source", width=30),
        _field(m, "verified_on", width=12),
    ]


def layer_records(layer_key, filters, header):
    """The published records of one layer that the filters give, in the map's order, read in chunks: named
    tuples of what the columns of `header` read.

    Rows of a layer with many-to-many links (LINKS) carry `links`: {link: [(name_zh, name_en)]}, read with one
    query per link and chunk (Django's prefetch_related builds a manager and a queryset per record: slow here).
    """
    reads = list(dict.fromkeys(["id", "lat", "lng", "name_zh", "name_en", *(f for c in header for f in c.reads)]))
    rows = filtered(layer_key, filters).order_by("name_zh", "pk").values_list(*reads, named=True)
    links = LINKS.get(layer_key)
    if not links:
        yield from rows.iterator(chunk_size=CHUNK_SIZE)
        return
    model = LAYERS[layer_key].model
    chunk = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield from _with_links(model, chunk, links)
            chunk = []
    yield from _with_links(model, chunk, links)


class _Linked:
    """A row with its many-to-many links: the row's values as attributes, plus `links`."""

    def __init__(self, row, links):
        self.row, self.links = row, links

    def __getattr__(self, name):
        return getattr(self.row, name)


def _with_links(model, rows, links):
    """`rows` of `model`, each with `links`: {link: [(name_zh, name_en)]} of its many-to-many links in their
    model's order (one query per link)."""
    if not rows:
        return []
    found = {}
    for name in links:
        field = model._meta.get_field(name)
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        order = [f"{target}__{key}" for key in field.related_model._meta.ordering]
        pairs = found[name] = {}
        for pk, zh, en in (
            field.remote_field.through.objects.filter(**{f"{source}_id__in": [row.id for row in rows]})
            .order_by(*order, "pk")
            .values_list(f"{source}_id", f"{target}__name_zh", f"{target}__name_en")
        ):
            pairs.setdefault(pk, []).append((zh, en))
    return [_Linked(row, {name: found[name].get(row.id, []) for name in links}) for row in rows]


def counts(state):
    """{layer: number of records} the export of `state` holds (one COUNT query per layer)."""
    return {key: filtered(key, state.filters).count() for key in state.layers}


# Cell values ---------------------------------------------------------------------------------------------


def _yes_no():
    """{True: "是", False: "否"} in the page's language (made once per export, not per cell)."""
    return {True: _("Yes"), False: _("No")}


def _text(value, yes_no):
    """A value as CSV text: empty for unknown, 是/否 for yes/no, ISO dates, formulas quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no[value]
    if isinstance(value, date):
        return value.isoformat()
    return quote_formula(value) if isinstance(value, str) else value


def _xlsx_cell(value, yes_no):
    """A value an Excel cell can hold: numbers and dates as they are, yes/no as words, text spreadsheet-safe.

    Control characters (which XML cannot hold, invisible anyway) are dropped before the formula check, so that
    one in front of "=cmd" cannot hide the formula.
    """
    if isinstance(value, bool):
        return yes_no[value]
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
    yes_no = _yes_no()
    for index, key in enumerate(state.layers):
        header = columns(key, base_url, audience)
        lines = ["\r\n"] if index else []  # an empty line between two layers' tables
        lines.append(writer.writerow([str(c.label) for c in header]))
        for record in layer_records(key, state.filters, header):
            lines.append(writer.writerow([_text(c.value(record), yes_no) for c in header]))
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
        header = columns(key, base_url, audience)
        properties = [c for c in header if c.code not in ("layer", "lat", "lng")]
        features = []
        for record in layer_records(key, state.filters, header):
            placed = record.lat is not None and record.lng is not None
            geometry = {"type": "Point", "coordinates": [record.lng, record.lat]} if placed else None
            feature = {
                "type": "Feature",
                "id": f"{key}.{record.id}",
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
    yes_no = _yes_no()
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
        for record in layer_records(key, state.filters, header):
            sheet.append([_xlsx_cell(c.value(record), yes_no) for c in header])
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
