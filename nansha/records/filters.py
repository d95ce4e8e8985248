"""Filter building blocks shared by the apps' FilterSets (one FilterSet per resource, DESIGN decision 5).

The same FilterSets serve the map page, exports, the REST API and the OGC endpoint, so a query
string means the same thing everywhere.
"""

import math
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import ExpressionWrapper, F, FloatField, Q
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from nansha.records.search import MAX_QUERY_LENGTH, ranked_search

BIGINT = 2**63

# The precision an amount filter (area, rent) takes; the data has at most 2 decimals. Without a bound, a
# value such as 1e-99999 passes the form and overflows PostgreSQL's numeric type (a server error); with
# one, the form refuses it and says why ("no more than 16 digits in total").
AMOUNT_PRECISION = {"max_digits": 16, "decimal_places": 4}


class RecordsField(django_filters.fields.ModelMultipleChoiceField):
    """Records chosen by id; an id too large for the database is an invalid choice, not a database error."""

    def _check_values(self, value):
        if not self.to_field_name:
            for key in value:
                try:
                    out_of_range = not -BIGINT < int(key) < BIGINT
                except (TypeError, ValueError):
                    continue  # the parent says why
                if out_of_range:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": key}
                    )
        return super()._check_values(value)


class RecordsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = RecordsField


class BoundingBoxField(forms.CharField):
    """minLng,minLat,maxLng,maxLat in WGS-84 degrees, or six numbers with heights (minLng,minLat,minHeight,
    maxLng,maxLat,maxHeight; heights in metres, ignored: records have none). A box whose minLng is greater
    than its maxLng crosses the antimeridian (OGC API - Features Part 1, 7.15.3).

    Cleans to [minLng, minLat, maxLng, maxLat]; raises ValidationError naming the rule broken.
    """

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            box = [float(part) for part in value.split(",")]
        except ValueError:
            box = []
        if len(box) not in (4, 6) or not all(math.isfinite(v) for v in box):
            raise forms.ValidationError(
                _("A bbox is four numbers: minLng,minLat,maxLng,maxLat (or six, with heights)."), code="invalid"
            )
        if len(box) == 6:
            box = [box[0], box[1], box[3], box[4]]
        min_lng, min_lat, max_lng, max_lat = box
        if not (-180 <= min_lng <= 180 and -180 <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise forms.ValidationError(
                _("A bbox runs from its south-west corner to its north-east corner, within ±180° and ±90°."),
                code="invalid",
            )
        return box


@extend_schema_field({"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 6})
class BoundingBoxFilter(django_filters.Filter):
    """Records whose position is in the box; across the antimeridian when minLng > maxLng."""

    field_class = BoundingBoxField

    def filter(self, qs, value):
        if not value:
            return qs
        min_lng, min_lat, max_lng, max_lat = value
        qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat)
        if min_lng > max_lng:  # both sides of the antimeridian
            return qs.filter(Q(lng__gte=min_lng) | Q(lng__lte=max_lng))
        return qs.filter(lng__gte=min_lng, lng__lte=max_lng)


class PointField(forms.CharField):
    """lat,lng in WGS-84 degrees."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            lat, lng = (float(part) for part in value.split(","))
        except ValueError:
            raise forms.ValidationError(_("A point is two numbers: lat,lng."), code="invalid") from None
        if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
            raise forms.ValidationError(_("A point has a latitude within ±90° and a longitude within ±180°."))
        return lat, lng


@extend_schema_field(OpenApiTypes.STR)
class NearFilter(django_filters.Filter):
    """Applied with radius_km in PlaceFilterSet.filter_queryset."""

    field_class = PointField

    def filter(self, qs, value):
        return qs


def distance_km(lat, lng):
    """The great-circle (haversine) distance from (lat, lng) to a record's position, in km, in SQL."""
    dlat = Radians(F("lat") - lat) / 2
    dlng = Radians(F("lng") - lng) / 2
    a = Power(Sin(dlat), 2) + math.cos(math.radians(lat)) * Cos(Radians(F("lat"))) * Power(Sin(dlng), 2)
    return ExpressionWrapper(2 * EARTH_RADIUS_KM * ASin(Sqrt(a)), output_field=FloatField())


EARTH_RADIUS_KM = 6371.0088
MAX_RADIUS_KM = 500


class SearchFilterSet(django_filters.FilterSet):
    """The one search box (nansha.records.search): `q` finds records by names, aliases, pinyin, codes, what they
    are (segments, products, park) and their text, best matches first. Longer than MAX_QUERY_LENGTH
    characters, or with a NUL character, `q` is refused with a message naming the problem."""

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=MAX_QUERY_LENGTH)

    # Exact-match fields that a search also looks in (e.g. an enterprise's credit code).
    search_codes = ()
    # The record's relations the search follows; see ranked_search. The segment relation is that of
    # the FilterSet's `segment` filter, when it has one.
    search_park = None
    search_products = None
    search_pinyin = None

    def search_related(self, query):
        """Further records that the normalised `query` finds by what they hold (a Q), or None; see ranked_search."""
        return None

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


class PlaceFilterSet(SearchFilterSet):
    """What every map layer can be filtered by: the search box; a bbox; `near=lat,lng` with `radius_km`
    (default 5), which adds `distance_km` and orders by it."""

    bbox = BoundingBoxFilter(label=_("Bounding box"))
    near = NearFilter(label=_("Near (lat,lng)"))
    radius_km = django_filters.NumberFilter(
        method="radius_filter", min_value=Decimal("0.001"), max_value=MAX_RADIUS_KM, label=_("Radius (km)")
    )

    def radius_filter(self, queryset, name, value):
        return queryset  # applied with `near`

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        point = self.form.cleaned_data.get("near")
        if not point:
            return queryset
        lat, lng = point
        radius = float(self.form.cleaned_data.get("radius_km") or 5)
        # A box around the circle first, so that the (lat, lng) index does the rough work.
        dlat = radius / 111.0
        dlng = radius / (111.0 * max(math.cos(math.radians(lat)), 0.01))
        return (
            queryset.filter(lat__range=(lat - dlat, lat + dlat), lng__range=(lng - dlng, lng + dlng))
            .annotate(distance_km=distance_km(lat, lng))
            .filter(distance_km__lte=radius)
            .order_by("distance_km", "pk")
        )

    search_pinyin = "name_pinyin"


class RangeCheckedForm(forms.Form):
    """A filter form that refuses a range given upside down, naming the bound at fault."""

    ranges = ()  # pairs of (low field, high field)

    def clean(self):
        data = super().clean()
        for low_name, high_name in self.ranges:
            low, high = data.get(low_name), data.get(high_name)
            if low is not None and high is not None and low > high:
                self.add_error(high_name, _("%(high)s is below the lower bound %(low)s.") % {"low": low, "high": high})
        return data


def range_checked_form(*ranges):
    return type("RangeCheckedFilterForm", (RangeCheckedForm,), {"ranges": ranges})
