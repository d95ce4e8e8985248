"""The map's state as it lives in the URL, read leniently: what is wrong is ignored and said, never an error.

State keys: the filters of every layer's FilterSet, plus
- layers: comma-separated layer keys shown (default: all);
- map: zoom/lat/lng of the view;
- open: the record whose card is open, as layer:id;
- base: the base map (osm or gaode);
- page: the page of the result list; inview: 1 to list only what is in view;
- embed: 1 for the map alone, to be framed by other sites (nansha/share/embed.py).
"""

import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _

from nansha.records.base_maps import base_maps
from nansha.records.validators import REGION_BOUNDS

from .layers import DEFAULT_LAYERS, LAYERS

DIGITS = re.compile(r"[0-9]+")  # not str.isdigit(): "²" is a digit to it, and int() refuses it
VIEW_KEYS = {"layers", "layer", "map", "open", "base", "page", "inview", "viewport", "zoom", "embed"}
MAX_PARAMETER_LENGTH = 200


@dataclass
class MapState:
    filters: QueryDict
    layers: list
    view: dict | None = None  # {"zoom", "lat", "lng"}
    open: str | None = None
    base: str = "osm"
    page: int = 1
    inview: bool = False
    embed: bool = False
    notes: list = field(default_factory=list)

    def as_json(self):
        return {
            "filters": {key: self.filters.getlist(key) for key in self.filters},
            "layers": self.layers,
            "view": self.view,
            "open": self.open,
            "base": self.base,
            "page": self.page,
            "inview": self.inview,
            "embed": self.embed,
            "notes": self.notes,
        }


def _filter_names():
    names = {}
    for layer in LAYERS.values():
        for name, filter_ in layer.filterset.base_filters.items():
            names.setdefault(name, filter_.label)
    return names


def _clean_filters(params, notes):
    """Keep the filter values every layer that knows them accepts; drop and explain the rest."""
    known = _filter_names()
    data = QueryDict(mutable=True)
    for key in params:
        values = [v for v in params.getlist(key) if v != ""]
        if key in VIEW_KEYS or not values:
            continue
        if key not in known:
            notes.append(_("Unknown parameter “%(key)s” ignored.") % {"key": key[:40]})
            continue
        if any(len(v) > MAX_PARAMETER_LENGTH for v in values):
            notes.append(_("“%(label)s” was too long and is ignored.") % {"label": known[key]})
            continue
        data.setlist(key, values)
    for layer in LAYERS.values():
        filterset = layer.filterset(data, queryset=layer.model.objects.none())
        if filterset.is_valid():
            continue
        for key, errors in filterset.errors.items():
            if key in data:
                label = known.get(key, key)
                notes.append(_("“%(label)s” ignored: %(reason)s") % {"label": label, "reason": " ".join(errors)})
                del data[key]
    return data


def _clean_layers(value, notes):
    if value is None:
        return list(DEFAULT_LAYERS)
    wanted = [key for key in value.split(",") if key]
    unknown = [key for key in wanted if key not in LAYERS]
    if unknown:
        notes.append(_("Unknown layer ignored: %(layers)s.") % {"layers": ", ".join(k[:40] for k in unknown)})
    return [key for key in LAYERS if key in wanted]


def _clean_view(value, notes):
    if not value:
        return None
    try:
        zoom, lat, lng = value.split("/")
        zoom, lat, lng = int(zoom), float(lat), float(lng)
    except ValueError:
        notes.append(
            _("The map position “%(value)s” is not zoom/latitude/longitude; the default view is shown.")
            % {"value": value[:40]}
        )
        return None
    config = settings.LEAFLET_CONFIG
    inside = REGION_BOUNDS["min_lat"] - 5 <= lat <= REGION_BOUNDS["max_lat"] + 5 and (
        REGION_BOUNDS["min_lng"] - 5 <= lng <= REGION_BOUNDS["max_lng"] + 5
    )
    if not (config["MIN_ZOOM"] <= zoom <= config["MAX_ZOOM"]) or not inside:
        notes.append(
            _("The map position “%(value)s” is out of range; the default view is shown.") % {"value": value[:40]}
        )
        return None
    return {"zoom": zoom, "lat": lat, "lng": lng}


def _clean_open(value, notes):
    if not value:
        return None
    layer, _sep, pk = value.partition(":")
    if layer in LAYERS and DIGITS.fullmatch(pk) and len(pk) < 12:
        return f"{layer}:{int(pk)}"
    notes.append(_("The record to open, “%(value)s”, is not understood and is ignored.") % {"value": value[:40]})
    return None


def _clean_page(value, notes):
    if not value:
        return 1
    if DIGITS.fullmatch(value) and 0 < int(value) < 10**9:
        return int(value)
    notes.append(_("Page “%(value)s” is not a page number; the first page is shown.") % {"value": value[:40]})
    return 1


def drop_missing_record(state):
    """Forget `state.open` when no published record of that layer has that id, with a note saying so (one query)."""
    if not state.open:
        return state
    layer, _sep, pk = state.open.partition(":")
    if not LAYERS[layer].published().filter(pk=int(pk)).exists():
        state.notes.append(
            _("The record to open, “%(value)s”, is not on the map: it may have been removed or not published yet.")
            % {"value": state.open}
        )
        state.open = None
    return state


def read_state(params):
    """The MapState a query string describes, with a note for everything ignored."""
    notes = []
    base = params.get("base") or "osm"
    if base not in {m["key"] for m in base_maps()}:
        notes.append(_("Unknown base map “%(value)s”; OpenStreetMap is shown.") % {"value": base[:40]})
        base = "osm"
    return MapState(
        filters=_clean_filters(params, notes),
        # `layers=a,b` from the map's URL; repeated `layer=` from the form submitted without JavaScript.
        layers=_clean_layers(params.get("layers", ",".join(params.getlist("layer")) or None), notes),
        view=_clean_view(params.get("map"), notes),
        open=_clean_open(params.get("open"), notes),
        base=base,
        page=_clean_page(params.get("page"), notes),
        inview=params.get("inview") == "1",
        embed=params.get("embed") == "1",
        notes=notes,
    )


def read_viewport(params):
    """The data request's `viewport` (minLng,minLat,maxLng,maxLat) and `zoom`; (None, None) when absent or wrong."""
    try:
        zoom = int(params.get("zoom", ""))
        box = [float(v) for v in params.get("viewport", "").split(",")]
    except ValueError:
        return None, None
    if len(box) != 4 or not all(math.isfinite(v) for v in box) or not 0 <= zoom <= 24:
        return None, None
    return box, zoom
