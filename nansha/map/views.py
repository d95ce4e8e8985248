"""The investor map page, its data request and its exports."""

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from industry.models import Honour, OwnershipKind, SizeBand
from industry.selectors import segment_tree
from nansha.api.geojson import dumps
from nansha.ops import encoded
from nansha.ops.cache import cached
from nansha.records.base_maps import base_maps, map_config
from nansha.records.presentation import audience
from nansha.share.embed import allow_framing
from parks.models import Park, ParkKind, SpaceUse

from . import export_limits
from .export import FORMATS, STREAMED, counts
from .layers import LAYERS
from .selectors import map_data
from .state import drop_missing_record, read_state, read_viewport

STAGE_COLOURS = {"upstream": "#1f77b4", "midstream": "#d62728", "downstream": "#2ca02c"}


def _names_for_rows(segments, parks):
    """What a list row names by code or id, in the page's language: {"segments": {code: name}, "parks": {id: name}}."""
    return {
        "segments": {segment.code: segment.name for segment in segments},
        "parks": {park.pk: park.name for park in parks},
    }


def map_page(request):
    """The map page; `embed=1` gives the map alone, which the EMBED_ALLOWED_ORIGINS may frame."""
    state = drop_missing_record(read_state(request.GET))
    view = map_config()
    config = {
        "dataUrl": reverse("map-data"),
        "exportUrl": reverse("map-export", args=["FORMAT"]),
        "qrUrl": reverse("share-qr"),
        "detailUrls": {key: reverse(layer.detail_url_name, args=[0]) for key, layer in LAYERS.items()},
        "layers": [{"key": key, "label": str(layer.label)} for key, layer in LAYERS.items()],
        "baseMaps": base_maps(),
        "view": {key: view[key] for key in ("center", "zoom", "minZoom", "maxZoom")},
        "stageColours": STAGE_COLOURS,
        "state": state.as_json(),
        "strings": {
            "noPosition": _("position not known"),
            "approximate": _("approximate position"),
            "results": _("%(n)s results"),
            "oneResult": _("%(n)s result"),
            "pageOf": _("Page %(page)s of %(pages)s"),
            "pageMissing": _("Page %(asked)s does not exist; showing page %(page)s."),
            "loading": _("Loading…"),
            "loadFailed": _("The map data could not be loaded. Check the connection and try again."),
            "close": _("Close"),
            "nothingFound": _("Nothing matches these filters. Clear a filter or zoom out."),
            "nothingFoundFor": _(
                "Nothing found for “%(q)s”. Check the spelling, try a shorter word, "
                "or pick a chain segment in the filters."
            ),
            "honours": [_("%(n)s honour"), _("%(n)s honours")],
            "iframeTitle": _("Nansha biomedical & health industry map"),
            "legend": _("Legend"),
            "partialList": _(
                "Too many to list: the first %(shown)s of the %(in_view)s in view. Zoom in or filter to see them all."
            ),
            "stages": {"upstream": _("Upstream"), "midstream": _("Midstream"), "downstream": _("Downstream")},
        },
    }
    segments = segment_tree()[0]
    parks = list(Park.objects.published().order_by("name_zh"))
    config["names"] = _names_for_rows(segments, parks)
    filters = state.filters
    context = {
        "config": config,
        "state": state,
        "selected": {key: filters.getlist(key) for key in filters},
        "segment_tree": [segment for segment in segments if segment.parent_id is None],
        "parks": parks,
        "ownership_choices": OwnershipKind.choices,
        "size_choices": SizeBand.choices,
        "honours": Honour.objects.all(),
        "park_kind_choices": ParkKind.choices,
        "space_use_choices": SpaceUse.choices,
        "layers": [(key, layer.label) for key, layer in LAYERS.items()],
        "stage_colours": STAGE_COLOURS,
        "embed": state.embed,
    }
    response = render(request, "map/index.html", context)
    return allow_framing(response) if state.embed else response


def data(request):
    """One compact response with every marker, outline and facet count the map needs.

    Cached with its compressed bodies (nansha.ops.cache, nansha.ops.encoded): a hit sends stored bytes. The
    query is read once per data version: its reading (the key below) is cached under the raw query too.
    """
    read = {}

    def understood():
        read["state"] = state = read_state(request.GET)
        read["view"] = viewport, zoom = read_viewport(request.GET)
        # Keyed by what was understood, not the raw query: junk parameters make no new cache entries of the data.
        # Nothing of the caller is in the key because nothing of the caller is in the data: published records,
        # public links, no contacts.
        return ["map-data", sorted(state.filters.lists()), state.layers, viewport, zoom, state.notes]

    def compute():
        if "state" not in read:
            understood()
        return dumps(map_data(read["state"], *read["view"])), None

    key = cached(["map-data-query", sorted(request.GET.lists())], understood)
    body = encoded.cached_variant(key, compute, encoded.accepted_encoding(request))
    return encoded.response(request, body, content_type="application/json", vary=("Accept-Language", "Cookie"))


def _in_language(chunks, language):
    """The chunks of a streamed response, each made in `language`: they are made after the view has returned."""
    chunks = iter(chunks)
    while True:
        with translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def _refused(request, status, title, message, offer_csv=False):
    """The page that says why an export is not given (in the page's language), with links to what the user can do."""
    query = request.GET.urlencode()
    context = {
        "title": title,
        "message": message,
        "csv_url": f"{reverse('map-export', args=['csv'])}?{query}" if offer_csv else "",
        "map_url": f"{reverse('map')}?{query}",
    }
    response = render(request, "map/export_refused.html", context, status=status)
    patch_vary_headers(response, ["Cookie", "X-Api-Key"])
    return response


def export(request, fmt):
    """The filtered map result as a file: CSV and GeoJSON streamed, Excel up to MAP_XLSX_MAX_ROWS records.

    Anonymous visitors are throttled (429 with Retry-After) and capped; a result over the caller's cap, or an
    Excel file over its limit, is refused (403) with a page saying why, offering CSV or narrower filters
    (nansha.map.export_limits).
    """
    if fmt not in FORMATS:
        raise Http404(_("Export formats: %(formats)s.") % {"formats": ", ".join(FORMATS)})
    # The published map for everyone; direct contacts only for partners and staff (the one rule).
    who = audience(request)
    signed_in = who.contacts
    if not signed_in:
        wait = export_limits.seconds_to_wait(request)
        if wait is not None:
            response = _refused(
                request,
                429,
                _("Too many exports"),
                _(
                    "This network address has made too many exports in a short time (at most %(rate)s without an "
                    "API key). Please try again in %(seconds)s seconds."
                )
                % {"rate": settings.MAP_EXPORT_RATE_ANONYMOUS, "seconds": wait},
            )
            response["Retry-After"] = str(wait)
            return response
    state = read_state(request.GET)
    total = sum(counts(state).values())
    limit = export_limits.row_limit(signed_in)
    if total > limit:
        message = _("This export would hold %(total)s records; an export holds at most %(limit)s.") % {
            "total": f"{total:,}",
            "limit": f"{limit:,}",
        }
        if not signed_in:
            message += " " + _(
                "Narrow the filters on the map, or ask the investment-promotion bureau for an API key for larger "
                "exports."
            )
        else:
            message += " " + _("Narrow the filters on the map, or use the API.")
        return _refused(request, 403, _("Too many records to export"), message)
    if fmt == "xlsx" and total > settings.MAP_XLSX_MAX_ROWS:
        message = _(
            "An Excel file holds at most %(limit)s records here; this export would hold %(total)s. Download it as "
            "CSV instead (Excel opens it too), or narrow the filters on the map."
        ) % {"total": f"{total:,}", "limit": f"{settings.MAP_XLSX_MAX_ROWS:,}"}
        return _refused(request, 403, _("Too many records for an Excel file"), message, offer_csv=True)

    render_export, content_type = FORMATS[fmt]
    made = render_export(state, request.build_absolute_uri("/").rstrip("/"), who.published_only())
    if fmt in STREAMED:
        response = StreamingHttpResponse(_in_language(made, get_language()), content_type=content_type)
    else:
        response = HttpResponse(made, content_type=content_type)
    patch_vary_headers(response, ["Cookie", "X-Api-Key"])
    if who.contacts:
        response["Cache-Control"] = "private"
    filename = f"nansha-biomed-map-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
