"""The industry chain graph (产业图谱) and its gaps (强链补链): who sits on each link, what could fill weak ones."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from industry.models import ClinicalProject, Enterprise, Fund, ResearchInstitution
from industry.selectors import enterprises_per_segment, related_segment_ids, segment_tree
from parks.filters import offered_spaces
from parks.models import Park
from policies.models import Policy

STAGES = ["upstream", "midstream", "downstream"]


@dataclass
class Gap:
    segment: object
    enterprises: int
    spaces: list = field(default_factory=list)
    policies: list = field(default_factory=list)
    funds: list = field(default_factory=list)
    institutions: list = field(default_factory=list)
    hospitals: list = field(default_factory=list)


def chain_graph():
    """{stage: [top-level segments with .count and .child_list (each with .count)]} for published enterprises."""
    segments, _by_id = segment_tree()
    counts = enterprises_per_segment(Enterprise.objects.published())
    graph = {stage: [] for stage in STAGES}
    for segment in segments:
        segment.count = counts.get(segment.code, 0)
        if segment.parent_id is None:
            graph[segment.stage].append(segment)
    return graph


def _touching(records, segment_ids_of, related):
    return [r for r in records if segment_ids_of(r) & related]


def chain_gaps(threshold=None):
    """The segments with fewer than `threshold` published enterprises, each with what could fill it."""
    threshold = settings.CHAIN_GAP_THRESHOLD if threshold is None else threshold
    segments, by_id = segment_tree()
    counts = enterprises_per_segment(Enterprise.objects.published())
    today = timezone.localdate()

    parks = list(Park.objects.published().prefetch_related("focus_segments"))
    park_segments = {p.pk: {s.pk for s in p.focus_segments.all()} for p in parks}
    spaces = list(
        offered_spaces().filter(park__status="published").select_related("park").order_by("park__name_zh", "pk")
    )
    policies = [
        p
        for p in Policy.objects.published().prefetch_related("target_segments")
        if (p.effective_to is None or p.effective_to >= today)
    ]
    funds = list(Fund.objects.published().prefetch_related("focus_segments"))
    institutions = list(ResearchInstitution.objects.published().prefetch_related("segments"))
    projects = list(
        ClinicalProject.objects.published()
        .filter(hospital__status="published")
        .select_related("hospital")
        .prefetch_related("segments")
    )

    gaps = []
    for segment in segments:
        n = counts.get(segment.code, 0)
        if n >= threshold:
            continue
        related = related_segment_ids(segment, by_id)
        hospitals = {}
        for project in projects:
            if {s.pk for s in project.segments.all()} & related:
                hospitals.setdefault(project.hospital.pk, project.hospital)
        gaps.append(
            Gap(
                segment=segment,
                enterprises=n,
                spaces=[s for s in spaces if park_segments.get(s.park_id, set()) & related],
                policies=_touching(policies, lambda p: {s.pk for s in p.target_segments.all()}, related),
                funds=_touching(funds, lambda f: {s.pk for s in f.focus_segments.all()}, related),
                institutions=_touching(institutions, lambda i: {s.pk for s in i.segments.all()}, related),
                hospitals=list(hospitals.values()),
            )
        )
    return gaps
