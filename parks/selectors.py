"""Reads about parks that more than one page needs."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .filters import offered_spaces


def free_space_count():
    """An annotation: how many spaces a park offers now (published, available, listing re-confirmed); 0 if none."""
    counts = offered_spaces().filter(park=OuterRef("pk")).order_by().values("park").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)
