"""The leads funnel for staff: leads per stage and per month, conversion, time in stage, by segment and source.

Stages reached and time in each stage are read from the leads' history (every save is an entry with its stage),
so a lead that moved from contacted straight to lost still counts as having been contacted.
"""

from collections import Counter, defaultdict

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from industry.models import ChainSegment

from .models import PIPELINE, Lead, SourcePage, Stage

ORDER = {stage: index for index, stage in enumerate(PIPELINE)}


def _stage_spans(now):
    """{lead id: [(stage, start, end)]} from the history, in time order (end: now for the current stage)."""
    spans = defaultdict(list)
    rows = Lead.history.order_by("id", "history_date", "history_id").values_list("id", "stage", "history_date")
    current = {}
    for lead_id, stage, when in rows:
        previous = current.get(lead_id)
        if previous and previous[0] == stage:
            continue
        if previous:
            spans[lead_id].append((previous[0], previous[1], when))
        current[lead_id] = (stage, when)
    for lead_id, (stage, start) in current.items():
        spans[lead_id].append((stage, start, now))
    return spans


def figures(now=None):
    """The funnel's tables, as plain dicts and lists for the admin template.

    Returns total, per_stage [(label, count)], per_month [(month date, count)], conversion
    [(label, reached, percent of all leads)], days_in_stage [(label, mean days, leads)], by_source and
    by_segment [(label, leads, signed or landed)].
    """
    now = now or timezone.now()
    total = Lead.objects.count()
    counts = dict(Lead.objects.values_list("stage").annotate(n=Count("pk")).order_by())
    per_stage = [(label, counts.get(value, 0)) for value, label in Stage.choices]
    per_month = list(
        Lead.objects.annotate(month=TruncMonth("received_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("-month")[:24]
    )
    spans = _stage_spans(now)
    reached = Counter()
    durations = defaultdict(list)
    for lead_spans in spans.values():
        furthest = max((ORDER.get(stage, -1) for stage, _start, _end in lead_spans), default=-1)
        for stage in PIPELINE[: furthest + 1]:
            reached[stage] += 1
        for stage, start, end in lead_spans:
            durations[stage].append((end - start).total_seconds() / 86400)
    conversion = [
        (stage.label, reached[stage], round(100 * reached[stage] / total, 1) if total else 0) for stage in PIPELINE
    ]
    days_in_stage = [
        (
            label,
            round(sum(durations[value]) / len(durations[value]), 1) if durations[value] else None,
            len(durations[value]),
        )
        for value, label in Stage.choices
    ]
    won = (Stage.SIGNED, Stage.LANDED)
    source_counts = Lead.objects.values_list("source_page").annotate(n=Count("pk")).order_by()
    source_won = dict(Lead.objects.filter(stage__in=won).values_list("source_page").annotate(n=Count("pk")).order_by())
    labels = dict(SourcePage.choices)
    by_source = [(labels.get(source, source), n, source_won.get(source, 0)) for source, n in source_counts]
    segment_counts = ChainSegment.objects.filter(leads__isnull=False).annotate(n=Count("leads")).order_by("-n", "pk")
    segment_won = dict(
        ChainSegment.objects.filter(leads__stage__in=won).annotate(n=Count("leads")).values_list("pk", "n")
    )
    by_segment = [(str(segment), segment.n, segment_won.get(segment.pk, 0)) for segment in segment_counts]
    return {
        "total": total,
        "per_stage": per_stage,
        "per_month": per_month,
        "conversion": conversion,
        "days_in_stage": days_in_stage,
        "by_source": sorted(by_source, key=lambda row: -row[1]),
        "by_segment": by_segment,
    }
