"""The map's layers: which model, FilterSet, detail page and marker fields each kind of record has."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from industry.filters import (
    EnterpriseFilterSet,
    FundFilterSet,
    HospitalFilterSet,
    ResearchInstitutionFilterSet,
    ServicePlatformFilterSet,
)
from industry.models import ChainSegment, Enterprise, Fund, Hospital, ResearchInstitution, ServicePlatform
from parks.filters import ParkFilterSet
from parks.models import Park
from parks.selectors import free_space_count


@dataclass(frozen=True)
class Layer:
    key: str
    model: type
    filterset: type
    label: object
    detail_url_name: str
    # Extra marker values beyond [id, lat, lng, name]: {name in the response: expression or field}.
    extras: dict = field(default_factory=dict)

    def published(self):
        return self.model.objects.published()


def _primary_stage():
    """An enterprise's chain stage for its marker colour: that of its first segment in chain order."""
    return Subquery(
        ChainSegment.objects.filter(enterprises=OuterRef("pk")).order_by("sort_order", "pk").values("stage")[:1]
    )


def _primary_segment():
    """An enterprise's first segment in chain order, as its code (the page names it in its language)."""
    return Subquery(
        ChainSegment.objects.filter(enterprises=OuterRef("pk")).order_by("sort_order", "pk").values("code")[:1]
    )


def _honour_count():
    """How many honours an enterprise holds (0 when none), for its row in the result list."""
    held = (
        Enterprise.honours.through.objects.filter(enterprise=OuterRef("pk"))
        .order_by()
        .values("enterprise")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(held, output_field=IntegerField())


LAYERS = {
    layer.key: layer
    for layer in [
        Layer(
            "enterprises",
            Enterprise,
            EnterpriseFilterSet,
            _("Enterprises"),
            "enterprise-detail",
            {"stage": _primary_stage, "segment": _primary_segment, "park": "park_id", "honours": _honour_count},
        ),
        Layer("parks", Park, ParkFilterSet, _("Parks"), "park-detail", {"kind": "kind", "free": free_space_count}),
        Layer("hospitals", Hospital, HospitalFilterSet, _("Hospitals"), "hospital-detail", {"grade": "grade"}),
        Layer(
            "institutions",
            ResearchInstitution,
            ResearchInstitutionFilterSet,
            _("Universities and institutes"),
            "institution-detail",
            {"kind": "kind"},
        ),
        Layer("funds", Fund, FundFilterSet, _("Funds and investors"), "fund-detail", {}),
        Layer(
            "platforms",
            ServicePlatform,
            ServicePlatformFilterSet,
            _("Public service platforms"),
            "platform-detail",
            {},
        ),
    ]
}

DEFAULT_LAYERS = list(LAYERS)
