"""The search before its text index (the bench's baseline): every part a LIKE '%…%' OR-ed in one WHERE.

This is nansha.records.search.ranked_search as it was before SQLite FTS5 / PostgreSQL bigram lookups and the
UNION of indexed sources, kept to time the same requests against it in the same run: the REST list of
enterprises and the header suggestions (/bench/search-baseline/…).
"""

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import JsonResponse

from nansha.api.resources.industry.views import EnterpriseViewSet
from nansha.map.layers import LAYERS
from nansha.records.pinyin import normalize_query
from nansha.records.search import SEPARATOR, clean_query, matching_segment_ids


def _related_condition(model, query, *, segment_field, park_field, products_field):
    condition = Q()
    if segment_field:
        segment_model = model._meta.get_field(segment_field).related_model
        ids = matching_segment_ids(segment_model, query)
        if ids:
            condition |= Q(pk__in=model.objects.filter(**{f"{segment_field}__in": ids}).values("pk"))
    if park_field:
        condition |= Q(**{f"{park_field}__search_names__contains": query, f"{park_field}__status": "published"})
    if products_field:
        relation = model._meta.get_field(products_field)
        products = relation.related_model.objects.filter(search_text__contains=query, status="published")
        condition |= Q(pk__in=products.values(relation.field.name))
    return condition


def ranked_search(queryset, value, *, segment_field, park_field, products_field, pinyin_field, code_fields, related):
    query = clean_query(value)
    if not query:
        return queryset
    model = queryset.model
    levels = [Q(search_names__contains=f"{SEPARATOR}{query}{SEPARATOR}")]
    for field in code_fields:
        levels[0] |= Q(**{f"{field}__iexact": query})
    levels.append(Q(search_names__contains=f"{SEPARATOR}{query}"))
    key = normalize_query(query)
    levels.append(Q(**{f"{pinyin_field}__contains": key}) if pinyin_field and key and query.isascii() else Q())
    found_by_what = _related_condition(
        model, query, segment_field=segment_field, park_field=park_field, products_field=products_field
    )
    held = related(query) if related is not None else None
    if held is not None:
        found_by_what |= held
    levels.append(found_by_what)
    levels.append(Q(search_text__contains=query))
    whens = [When(condition, then=Value(rank)) for rank, condition in enumerate(levels) if condition]
    matched = Q()
    for condition in levels:
        if condition:
            matched |= condition
    ordering = list(queryset.query.order_by or model._meta.ordering or [])
    rank = Case(*whens, default=Value(len(levels)), output_field=IntegerField())
    return queryset.filter(matched).annotate(search_rank=rank).order_by("search_rank", *ordering, "pk")


def legacy(filterset_class):
    """`filterset_class` with its search done the former way."""

    def search(self, queryset, name, value):
        segment = self.filters.get("segment")
        return ranked_search(
            queryset,
            value,
            segment_field=segment.field_name if segment is not None else None,
            park_field=self.search_park,
            products_field=self.search_products,
            pinyin_field=self.search_pinyin,
            code_fields=self.search_codes,
            related=self.search_related,
        )

    return type(f"Legacy{filterset_class.__name__}", (filterset_class,), {"search": search})


class BaselineEnterpriseSearch(EnterpriseViewSet):
    """GET /bench/search-baseline/enterprises/?q=…: the REST list of enterprises with the former search."""

    filterset_class = legacy(EnterpriseViewSet.filterset_class)


def suggest(request, limit=8):
    """GET /bench/search-baseline/suggest.json?q=…: the former suggestions' queries (the same rows per layer)."""
    q = request.GET.get("q", "")
    rows = []
    if clean_query(q):
        for layer in LAYERS.values():
            filterset = legacy(layer.filterset)({"q": q}, queryset=layer.published())
            rows += list(filterset.qs.values_list("search_rank", "name_zh", "pk", "name_en")[:limit])
    return JsonResponse({"q": q, "rows": len(rows)})
