"""The statistics on /dashboard/: every figure counted from published records, with the link behind it."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from industry.models import ChainSegment, ClinicalProject, ClinicalStage, Enterprise, OwnershipKind, StatedFigure
from industry.selectors import enterprises_per_segment, segment_subtree_ids, segment_tree
from nansha.records.models import in_language
from parks.filters import offered_spaces
from parks.models import Park, SpaceUse
from policies.models import Policy, PolicyLevel, SupportKind


@dataclass
class Bar:
    label: str
    value: float
    url: str


TOP = 15  # a ranking's chart shows this many rows at most; its table lists them all


@dataclass
class Figure:
    key: str
    title: str
    unit: str
    bars: list
    kind: str = "bar"  # horizontal bars; or "column" (vertical, for years) or "pie"
    ranking: bool = False  # a ranking's chart shows its TOP rows (the table keeps them all)
    counts: bool = True  # the values are counts of records: the value axis has whole-number ticks only

    @property
    def shown(self):
        """How many bars the chart draws: TOP of a longer ranking, else all."""
        return min(len(self.bars), TOP) if self.ranking else len(self.bars)

    @property
    def note(self):
        """What the chart leaves out, said under its title: 'The top 15 of 25 parks; ...', or ''."""
        if self.shown == len(self.bars):
            return ""
        return _("The chart shows the top %(shown)d of %(total)d parks; the table lists them all.") % {
            "shown": self.shown,
            "total": len(self.bars),
        }

    def as_json(self):
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "kind": self.kind,
            "ranking": self.ranking,
            "counts": self.counts,
            "shown": self.shown,
            "bars": [{"label": b.label, "value": b.value, "url": b.url} for b in self.bars],
        }


@dataclass
class Headline:
    """One figure above the charts: its value (int, or Decimal m²), what it counts, and where its records are."""

    key: str
    label: str
    value: int | Decimal
    unit: str = ""
    url: str = ""


CELL_AND_GENE_THERAPY = ("cell-therapy", "gene-therapy")  # segment codes; the segments below them count too


def headline_figures(today=None):
    """The six figures /dashboard/ opens with, from published records: [Headline] in a fixed order.

    enterprises; cell and gene therapy firms (on CELL_AND_GENE_THERAPY or below, each counted once); parks;
    free space (m² of offered_spaces in published parks); policies in force on `today` (effective_from/to
    empty or around it); clinical projects. Seven queries, whatever the number of records.
    """
    today = today or timezone.localdate()
    therapy_ids = segment_subtree_ids(ChainSegment.objects.filter(code__in=CELL_AND_GENE_THERAPY))
    on_therapy = Enterprise.segments.through.objects.filter(chainsegment_id__in=therapy_ids).values("enterprise_id")
    enterprises = Enterprise.objects.published().aggregate(
        total=Count("pk"), therapy=Count("pk", filter=Q(pk__in=on_therapy))
    )
    area = offered_spaces().filter(park__status="published").aggregate(a=Sum("usable_area_m2"))["a"]
    in_force = (
        Policy.objects.published()
        .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=today))
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
        .count()
    )
    therapy_query = urlencode([("segment", code) for code in CELL_AND_GENE_THERAPY] + [("layers", "enterprises")])
    return [
        Headline("enterprises", _("Enterprises"), enterprises["total"], url=_url("map", layers="enterprises")),
        Headline(
            "cell_gene_therapy",
            _("Cell and gene therapy firms"),
            enterprises["therapy"],
            url=f"{reverse('map')}?{therapy_query}",
        ),
        Headline("parks", _("Parks"), Park.objects.published().count(), url=_url("map", layers="parks")),
        Headline(
            "free_space", _("Free space"), area or Decimal(0), "m²", _url("map", layers="parks", free_space="true")
        ),
        Headline("policies", _("Policies in force"), in_force, url=_url("policies", period="current")),
        Headline("clinical_projects", _("Clinical projects"), ClinicalProject.objects.published().count()),
    ]


def stated_figures():
    """Headline figures as public sources state them (published StatedFigure records), in their order.

    Not counts of the records on the map: each keeps its wording ("约400"), date as stated and pages
    ([{"text", "url"}] of its source lines). One query.
    """
    from nansha.records.views import source_pages

    return [
        {"figure": figure, "pages": source_pages(figure.source)}
        for figure in StatedFigure.objects.published().order_by("sort_order", "pk")
    ]


def _url(name, **query):
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def enterprises_by_segment():
    segments, _by_id = segment_tree()
    counts = enterprises_per_segment(Enterprise.objects.published())
    bars = [
        Bar(
            ("— " if s.parent_id else "") + s.name,
            counts.get(s.code, 0),
            _url("map", segment=s.code, layers="enterprises"),
        )
        for s in segments
    ]
    return Figure("segment", _("Enterprises by chain segment"), _("enterprises"), bars)


def _per_park(rows, value, url):
    """Bars from rows grouped by park (with park, park__name_zh, park__name_en)."""
    return [Bar(in_language(r["park__name_zh"], r["park__name_en"]), value(r), url(r)) for r in rows]


def enterprises_by_park():
    rows = (
        Enterprise.objects.published()
        .filter(park__status="published")
        .values("park", "park__name_zh", "park__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "park__name_zh")
    )
    bars = _per_park(rows, lambda r: r["n"], lambda r: _url("map", park=r["park"], layers="enterprises"))
    return Figure("park", _("Enterprises by park"), _("enterprises"), bars, ranking=True)


def enterprises_by_ownership():
    counts = dict(
        Enterprise.objects.published().exclude(ownership="").values_list("ownership").annotate(n=Count("pk"))
    )
    bars = [
        Bar(str(label), counts[value], _url("map", ownership=value, layers="enterprises"))
        for value, label in OwnershipKind.choices
        if value in counts
    ]
    return Figure("ownership", _("Enterprises by ownership kind"), _("enterprises"), bars, kind="pie")


def enterprises_by_year():
    rows = (
        Enterprise.objects.published()
        .exclude(founded_on=None)
        .annotate(year=ExtractYear("founded_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    bars = [
        Bar(str(r["year"]), r["n"], _url("map", founded_from=r["year"], founded_to=r["year"], layers="enterprises"))
        for r in rows
    ]
    return Figure("founded", _("Enterprises by year founded"), _("enterprises"), bars, kind="column")


def free_space_by_park():
    rows = (
        offered_spaces()
        .filter(park__status="published")
        .values("park", "park__name_zh", "park__name_en")
        .annotate(area=Sum("usable_area_m2"))
        .order_by("-area", "park__name_zh")
    )
    bars = _per_park(rows, lambda r: float(r["area"]), lambda r: reverse("park-detail", args=[r["park"]]))
    return Figure("space_park", _("Free space by park"), "m²", bars, ranking=True, counts=False)


def free_space_by_use():
    areas = dict(
        offered_spaces().filter(park__status="published").values_list("use").annotate(area=Sum("usable_area_m2"))
    )
    bars = [
        Bar(str(label), float(areas[value]), _url("map", layers="parks", space_use=value))
        for value, label in SpaceUse.choices
        if value in areas
    ]
    return Figure("space_use", _("Free space by use"), "m²", bars, kind="pie", counts=False)


def policies_by_level():
    counts = dict(Policy.objects.published().values_list("level").annotate(n=Count("pk")))
    bars = [
        Bar(str(label), counts[value], _url("policies", level=value, period="all"))
        for value, label in PolicyLevel.choices
        if value in counts
    ]
    return Figure("policy_level", _("Policies by level"), _("policies"), bars, kind="pie")


def policies_by_support_kind():
    rows = SupportKind.objects.annotate(n=Count("policies", filter=_published("policies"))).order_by("sort_order")
    bars = [Bar(str(kind), kind.n, _url("policies", support_kind=kind.code, period="all")) for kind in rows if kind.n]
    return Figure("support_kind", _("Policies by support kind"), _("policies"), bars)


def clinical_projects_by_stage():
    counts = dict(ClinicalProject.objects.published().values_list("stage").annotate(n=Count("pk")))
    bars = [
        Bar(str(label), counts[value], _url("v1:clinical-project-list", stage=value))
        for value, label in ClinicalStage.choices
        if value in counts
    ]
    return Figure("clinical_stage", _("Clinical projects by stage"), _("projects"), bars)


def _published(relation):
    return Q(**{f"{relation}__status": "published"})


def figures():
    return [
        enterprises_by_segment(),
        enterprises_by_park(),
        enterprises_by_ownership(),
        enterprises_by_year(),
        free_space_by_park(),
        free_space_by_use(),
        policies_by_level(),
        policies_by_support_kind(),
        clinical_projects_by_stage(),
    ]
