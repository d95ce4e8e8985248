"""The policies FilterSet: one for the public policy library (/policies/) and the API (/api/v1/policies/)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from industry.filters import SegmentFilter
from industry.models import OwnershipKind
from nansha.records.filters import SearchFilterSet

from .models import Clause, Policy, PolicyLevel, SupportKind

PERIODS = [
    ("current", _("In force today")),
    ("expired", _("Expired")),
    ("future", _("Not yet in force")),
    ("all", _("All")),
]


class PolicyFilterSet(SearchFilterSet):
    level = django_filters.MultipleChoiceFilter(field_name="level", choices=PolicyLevel.choices, label=_("Level"))
    issuer = django_filters.CharFilter(method="issued_by", label=_("Issuer"))
    support_kind = django_filters.ModelMultipleChoiceFilter(
        field_name="support_kinds", queryset=SupportKind.objects.all(), to_field_name="code", label=_("Support kind")
    )
    segment = SegmentFilter(field_name="target_segments")
    audience = django_filters.ChoiceFilter(
        method="open_to", choices=OwnershipKind.choices, label=_("Who it is for"), empty_label=_("Anyone")
    )
    period = django_filters.ChoiceFilter(
        method="in_period", choices=PERIODS, label=_("In force"), empty_label=None, null_label=None
    )
    in_force_on = django_filters.DateFilter(method="in_force", label=_("In force on (date)"))

    class Meta:
        model = Policy
        fields = ["q", "level", "issuer", "support_kind", "segment", "audience", "period", "in_force_on"]

    search_codes = ("document_number",)

    def search_related(self, query):
        """Policies whose clauses' titles, texts or other conditions hold the query."""
        words = Q()
        for field in ("title_zh", "title_en", "text_zh", "text_en", "other_conditions_zh", "other_conditions_en"):
            words |= Q(**{f"{field}__icontains": query})
        return Q(pk__in=Clause.objects.filter(words).values("policy_id"))

    def issued_by(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(issuing_body_zh__icontains=value) | Q(issuing_body_en__icontains=value))

    def open_to(self, queryset, name, kind):
        """Policies an enterprise of ownership `kind` can use: the policy admits it and, if it has clauses for
        enterprises, at least one of them does. The lists are JSON, judged in Python (SQLite cannot search them).
        """
        keep = []
        for policy in queryset.prefetch_related("clauses"):
            if policy.eligible_ownership_kinds and kind not in policy.eligible_ownership_kinds:
                continue
            clauses = [c for c in policy.clauses.all() if c.for_enterprises]
            if clauses and not any(not c.ownership_kinds or kind in c.ownership_kinds for c in clauses):
                continue
            keep.append(policy.pk)
        return queryset.filter(pk__in=keep)

    def in_period(self, queryset, name, value):
        """current: in force today; expired: ended before today; future: starts after today; all: no filter."""
        today = timezone.localdate()
        if value == "current":
            return self.in_force(queryset, name, today)
        if value == "expired":
            return queryset.filter(effective_to__lt=today)
        if value == "future":
            return queryset.filter(effective_from__gt=today)
        return queryset

    def in_force(self, queryset, name, day):
        """Policies in effect on `day`: started (or no start given) and not expired (or no end given)."""
        return queryset.filter(
            Q(effective_from__isnull=True) | Q(effective_from__lte=day),
            Q(effective_to__isnull=True) | Q(effective_to__gte=day),
        )
