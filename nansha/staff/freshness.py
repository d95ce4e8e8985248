"""Freshness: which records nobody has checked against their source for too long, and marking them checked.

A record is stale when it was never verified, or verified before a cutoff: RECORD_STALE_AFTER_DAYS
ago for every kind of record but space listings, which use SPACE_LISTING_STALE_AFTER_DAYS (a stale
listing also leaves the public map, the API and matching: `SpaceQuerySet.fresh`). Staff may ask
for another age; it then applies to every kind alike.

Reads cost one query per kind: the page of records and, through window counts, how many are stale
in all and how many of those are published.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from concurrency.exceptions import RecordModifiedError
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When, Window

from nansha.records.models import PublicationStatus, TrackedRecord
from nansha.staff.versioning import saved_with

# What a record's str() reads beyond its own row, so that a list of them costs one query.
SHOWN_WITH = {"parks.space": ("park",)}


@dataclass(frozen=True)
class RecordKind:
    """One kind of public record (a concrete TrackedRecord model) as the freshness page lists it."""

    model: type

    @property
    def key(self):
        return self.model._meta.model_name

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    @property
    def default_days(self):
        return getattr(settings, self.model.stale_after_setting)

    @property
    def hides_stale_records(self):
        """Whether the public stops seeing a record of this kind once it is stale."""
        return self.model.hidden_when_stale


def record_kinds():
    """Every concrete model of a public record, in the apps' order (industry, parks, policies)."""
    return [
        RecordKind(model)
        for model in apps.get_models()
        if issubclass(model, TrackedRecord) and not model._meta.proxy and not model._meta.abstract
    ]


def stale(kind, *, today, days=None):
    """The kind's records never verified or verified more than `days` days before `today`.

    Published first (the public sees those), then the oldest check first, never-verified before all.
    """
    cutoff = today - timedelta(days=kind.default_days if days is None else days)
    published_first = Case(When(status=PublicationStatus.PUBLISHED, then=Value(0)), default=Value(1))
    return (
        kind.model._default_manager.filter(Q(verified_on__isnull=True) | Q(verified_on__lt=cutoff))
        .select_related(*SHOWN_WITH.get(kind.model._meta.label_lower, ()))
        .order_by(published_first, F("verified_on").asc(nulls_first=True), "pk")
    )


@dataclass
class StalePage:
    """One page of a kind's stale records, with how many are stale in all and how many are published."""

    kind: RecordKind
    days: int
    records: list
    total: int
    published: int
    number: int
    per_page: int

    @cached_property
    def num_pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.num_pages

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1


def stale_page(kind, *, today, days=None, number=1, per_page=50):
    """Page `number` of the kind's stale records in one query; a page past the end gives the last one."""
    days = kind.default_days if days is None else days
    number = max(1, number)
    queryset = stale(kind, today=today, days=days)
    counted = queryset.annotate(
        stale_total=Window(Count("pk")),
        stale_published=Window(
            Sum(
                Case(When(status=PublicationStatus.PUBLISHED, then=Value(1)), default=Value(0)),
                output_field=IntegerField(),
            )
        ),
    )
    start = (number - 1) * per_page
    records = list(counted[start : start + per_page])
    if not records and number > 1:  # past the end: rare, so an extra count is fine
        last = max(1, -(-queryset.count() // per_page))
        return stale_page(kind, today=today, days=days, number=last, per_page=per_page)
    total = records[0].stale_total if records else 0
    published = records[0].stale_published if records else 0
    return StalePage(kind, days, records, total, published, number, per_page)


def verified_fields(model):
    """The columns marking a record verified writes: the date, the timestamp and any optimistic-lock version.

    The version must move on, or a colleague's form opened before would save over the new date unnoticed.
    """
    return ["verified_on", *saved_with("updated_at", model=model)]


@dataclass
class MarkResult:
    marked: list
    missing: list  # primary keys of records deleted meanwhile
    conflicts: list  # records someone saved at the same moment


def mark_verified(model, pks, *, today):
    """Set verified_on to `today` on the model's records `pks`, each through save() (history, version, cache).

    Records deleted meanwhile are reported in `missing`, records saved by someone else between our
    read and our write in `conflicts`; neither stops the others.
    """
    pks = list(dict.fromkeys(pks))
    found = model._default_manager.in_bulk(pks)
    result = MarkResult(marked=[], missing=[pk for pk in pks if pk not in found], conflicts=[])
    fields = verified_fields(model)
    for record in found.values():
        record.verified_on = today
        try:
            with transaction.atomic():
                record.save(update_fields=fields)
        except RecordModifiedError:
            result.conflicts.append(record)
        except DatabaseError:
            # "Save with update_fields did not affect any rows": deleted after we read it.
            if model._default_manager.filter(pk=record.pk).exists():
                raise
            result.missing.append(record.pk)
        else:
            result.marked.append(record)
    return result
