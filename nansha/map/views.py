"""The investor map page, its data request and its exports."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from industry.models import Honour, OwnershipKind, SizeBand
from industry.selectors import segment_tree
from nansha.ops.cache import cached
from nansha.records.base_maps import base_maps, map_config
from nansha.records.presentation import audience
from parks.models import Park, ParkKind, SpaceUse

from .export import FORMATS
from .layers import LAYERS
from .selectors import map_data
from .state import read_state, read_viewport

STAGE_COLOURS = {"upstream": "#1f77b4", "midstream": "#d62728", "downstream": "#2ca02c"}


def map_page(request):
    state = read_state(request.GET)
    view = map_config()
    config = {
        "dataUrl": reverse("map-data"),
        "exportUrl": reverse("map-export", args=["FORMAT"]),
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
            "pageOf": _("Page %(page)s of %(pages)s"),
            "pageMissing": _("Page %(asked)s does not exist; showing page %(page)s."),
            "loading": _("Loading…"),
            "loadFailed": _("The map data could not be loaded. Check the connection and try again."),
            "close": _("Close"),
            "legend": _("Legend"),
            "partialList": _(
                "Too many to list: the first %(shown)s of the %(in_view)s in view. Zoom in or filter to see them all."
            ),
            "stages": {"upstream": _("Upstream"), "midstream": _("Midstream"), "downstream": _("Downstream")},
        },
    }
    filters = state.filters
    context = {
        "config": config,
        "state": state,
        "selected": {key: filters.getlist(key) for key in filters},
        "segment_tree": [segment for segment in segment_tree()[0] if segment.parent_id is None],
        "parks": Park.objects.published().order_by("name_zh"),
        "ownership_choices": OwnershipKind.choices,
        "size_choices": SizeBand.choices,
        "honours": Honour.objects.all(),
        "park_kind_choices": ParkKind.choices,
        "space_use_choices": SpaceUse.choices,
        "layers": [(key, layer.label) for key, layer in LAYERS.items()],
        "stage_colours": STAGE_COLOURS,
    }
    return render(request, "map/index.html", context)


@gzip_page
def data(request):
    """One compact response with every marker, outline and facet count the map needs (cached; see nansha.ops.cache)."""

    state = read_state(request.GET)
    viewport, zoom = read_viewport(request.GET)

    def compute():
        return json.dumps(map_data(state, viewport, zoom), ensure_ascii=False, cls=DjangoJSONEncoder)

    # Keyed by what was understood, not the raw query: junk parameters make no new cache entries. Nothing of the
    # caller is in the key because nothing of the caller is in the data: published records, public links, no contacts.
    key = ["map-data", sorted(state.filters.lists()), state.layers, viewport, zoom, state.notes, get_language()]
    body = cached(key, compute)
    return HttpResponse(body, content_type="application/json")


def export(request, fmt):
    if fmt not in FORMATS:
        raise Http404(_("Export formats: %(formats)s.") % {"formats": ", ".join(FORMATS)})
    state = read_state(request.GET)
    render_export, content_type = FORMATS[fmt]
    # The published map for everyone; direct contacts only for partners and staff (the one rule).
    who = audience(request).published_only()
    response = HttpResponse(
        render_export(state, request.build_absolute_uri("/").rstrip("/"), who), content_type=content_type
    )
    patch_vary_headers(response, ["Cookie", "X-Api-Key"])
    if who.contacts:
        response["Cache-Control"] = "private"
    filename = f"nansha-biomed-map-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
