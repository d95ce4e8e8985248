"""Reads about the industry chain that several pages share."""

from django.db.models import Count

from .models import ChainSegment, Enterprise


def segment_tree():
    """All segments in chain order, with `children` lists set, and a lookup by id."""
    segments = list(ChainSegment.objects.order_by("sort_order", "code"))
    by_id = {s.pk: s for s in segments}
    for segment in segments:
        segment.child_list = []
    for segment in segments:
        if segment.parent_id in by_id:
            by_id[segment.parent_id].child_list.append(segment)
    return segments, by_id


def related_segment_ids(segment, by_id):
    """The segment, everything below it and everything above it: what 'serves this segment' may name."""
    found, stack = set(), [segment]
    while stack:
        current = stack.pop()
        found.add(current.pk)
        stack.extend(current.child_list)
    parent = by_id.get(segment.parent_id)
    while parent is not None:
        found.add(parent.pk)
        parent = by_id.get(parent.parent_id)
    return found


def enterprises_per_segment(enterprises):
    """{segment code: number of the given enterprises on it or below it}, each enterprise counted once."""
    segments, by_id = segment_tree()
    # Read from the link table, whose (enterprise, segment) pairs are unique: no DISTINCT over a join of every record.
    links = Enterprise.segments.through.objects.filter(enterprise_id__in=enterprises.order_by().values("pk"))
    pairs = links.values_list("enterprise_id", "chainsegment_id")
    members = {}
    for enterprise_id, segment_id in pairs:
        members.setdefault(segment_id, set()).add(enterprise_id)

    def subtree_members(segment):
        found = set(members.get(segment.pk, ()))
        for child in segment.child_list:
            found |= subtree_members(child)
        return found

    return {segment.code: len(subtree_members(segment)) for segment in segments}


def published_enterprise_count():
    return Enterprise.objects.published().aggregate(n=Count("pk"))["n"]


def segment_subtree_ids(segments):
    """The ids of the given segments and of every segment below them."""
    children = {}
    for pk, parent_id in ChainSegment.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [s.pk for s in segments]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found
