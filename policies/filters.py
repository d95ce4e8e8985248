"""The policies FilterSet, shared by the API and, later, the matching pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nansha.records.filters import SearchFilterSet, SegmentFilter

from .models import Policy, PolicyLevel, SupportKind


class PolicyFilterSet(SearchFilterSet):
    level = django_filters.MultipleChoiceFilter(field_name="level", choices=PolicyLevel.choices, label=_("Level"))
    support_kind = django_filters.ModelMultipleChoiceFilter(
        field_name="support_kinds", queryset=SupportKind.objects.all(), to_field_name="code", label=_("Support kind")
    )
    segment = SegmentFilter(field_name="target_segments")
    in_force_on = django_filters.DateFilter(method="in_force", label=_("In force on (date)"))

    class Meta:
        model = Policy
        fields = ["q", "level", "support_kind", "segment", "in_force_on"]

    search_codes = ("document_number",)

    def in_force(self, queryset, name, day):
        """Policies in effect on `day`: started (or no start given) and not expired (or no end given)."""
        return queryset.filter(
            Q(effective_from__isnull=True) | Q(effective_from__lte=day),
            Q(effective_to__isnull=True) | Q(effective_to__gte=day),
        )
