"""Supply published or changed (a space, park or policy) → one background job per transaction that flags the open
leads it now fits (leads.matching). Nothing runs in the saving request but a set insertion, and after commit one
query (are there open leads with needs?) before the job is queued."""

from django.db import DEFAULT_DB_ALIAS, transaction

from nansha.records.models import PublicationStatus

_pending = {}  # connection alias → set of (model label, pk) saved in its current transaction


def supply_changed(sender, instance, raw=False, using=None, **kwargs):
    """post_save of parks.Space, parks.Park and policies.Policy: note a published record for matching."""
    if raw or instance.status != PublicationStatus.PUBLISHED:
        return
    alias = using or DEFAULT_DB_ALIAS
    _pending.setdefault(alias, set()).add((sender._meta.label, instance.pk))
    # One callback per save; the first to run after the commit takes the whole set, the others find it empty.
    # (A rolled-back save leaves its entry for the next commit, which then finds it unpublished or fitting.)
    transaction.on_commit(lambda: _queue(alias), using=alias)


def _queue(alias):
    from .models import Lead
    from .tasks import supply_changed as job

    saved = _pending.pop(alias, set())
    if saved and Lead.objects.open().exclude(match_query="", space__isnull=True).exists():
        job.enqueue(sorted(saved))
