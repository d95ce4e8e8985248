"""Suggestions as people type in the header search box: at most 8 records, grouped by kind, best first.

Each layer's own FilterSet does the search (nansha.records.search), so a suggestion is exactly
what the map would find; choosing one opens that record on the map (`/?open=layer:id`).
"""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from nansha.records.chinese import in_script
from nansha.records.search import MAX_QUERY_LENGTH, clean_query

from .layers import LAYERS

MAX_SUGGESTIONS = 8


def suggestions(q, limit=MAX_SUGGESTIONS):
    """[{"kind", "label", "items": [{"id", "name", "url"}]}] for the query `q`; [] for a blank one.

    At most `limit` records in all, the best ranked first across kinds; groups in the map's layer order.
    Two SQL queries per layer (the segment vocabulary and the page), whatever the data.
    """
    if not clean_query(q):
        return []
    english = (get_language() or "").startswith("en")
    found = []
    for order, (key, layer) in enumerate(LAYERS.items()):
        rows = layer.filterset({"q": q}, queryset=layer.published()).qs.values_list(
            "search_rank", "name_zh", "pk", "name_en"
        )[:limit]
        found += [(rank, order, name_zh, pk, key, name_en) for rank, name_zh, pk, name_en in rows]
    found.sort(key=lambda row: row[:4])
    groups = {}
    for _rank, _order, name_zh, pk, key, name_en in sorted(found[:limit], key=lambda row: row[1]):
        group = groups.setdefault(key, {"kind": key, "label": str(LAYERS[key].label), "items": []})
        url = f"{reverse('map')}?{urlencode({'layers': key, 'open': f'{key}:{pk}'})}"
        name = name_en if english and name_en else in_script(name_zh)
        group["items"].append({"id": pk, "name": name, "url": url})
    return list(groups.values())


def suggest(request):
    """GET /search/suggest.json?q=…: {"q", "groups"}; a query too long or with a NUL is a 400 naming it."""
    q = request.GET.get("q", "")
    if len(q) > MAX_QUERY_LENGTH:
        message = ngettext(  # Django's own message, with its translations
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            MAX_QUERY_LENGTH,
        ) % {
            "limit_value": MAX_QUERY_LENGTH,
            "show_value": len(q),
        }
        return JsonResponse({"q": [message]}, status=400)
    if "\x00" in q:
        return JsonResponse({"q": [_("Null characters are not allowed.")]}, status=400)
    return JsonResponse({"q": q, "groups": suggestions(q)})
