"""The staff home page's reads: my records to verify, recent changes by others, my background jobs.

"My records" are the records the user created or changed (any entry of theirs in the record's history).
Each read costs one query per kind of record (or one in all for jobs), whatever the number of records:
a page of rows plus, through window counts, how many there are in all.

Other apps add a section (e.g. the leads app: "my leads") with `register_section`; nothing is shown for
a section until an app registers it.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Case, Count, IntegerField, Sum, Value, When, Window

from jobs.models import Job
from nansha.staff.freshness import SHOWN_WITH, stale

CHANGES_DAYS = 7  # "recent" changes by others: the last week


@dataclass
class StaleRecords:
    """A kind's records of mine that are stale (freshness.stale): the first `records` and how many in all."""

    kind: object  # freshness.RecordKind
    records: list
    total: int


def my_stale_records(user, kinds, *, today, shown=5):
    """[StaleRecords] for each of `kinds` where the user created or changed a stale record; one query per kind."""
    found = []
    for kind in kinds:
        mine = kind.model.history.model.objects.filter(history_user=user).values("id")
        records = list(stale(kind, today=today).filter(pk__in=mine).annotate(total=Window(Count("pk")))[:shown])
        if records:
            found.append(StaleRecords(kind, records, records[0].total))
    return found


@dataclass
class Change:
    """One history entry: who (None for a program), when, the record as it was then, and its kind."""

    kind: object  # freshness.RecordKind
    entry: object  # the historical record
    record: object = field(init=False)

    def __post_init__(self):
        # The record from the entry's own columns (simple-history's `entry.instance` reads the fields history
        # does not keep from the live record: a query per entry).
        model = self.kind.model
        self.record = model(
            **{
                f.attname: getattr(self.entry, f.attname)
                for f in model._meta.concrete_fields
                if hasattr(self.entry, f.attname)
            }
        )
        for name in SHOWN_WITH.get(self.kind.model._meta.label_lower, ()):
            setattr(self.record, name, getattr(self.entry, name))  # read with the entry: no query


def recent_changes_by_others(user, kinds, *, now, shown=20, days=CHANGES_DAYS):
    """(the latest `shown` changes made by others in the last `days` days, how many in all); one query per kind.

    Changes by programs (no user: imports from the command line, data migrations) count as by others.
    """
    since = now - timedelta(days=days)
    changes, total = [], 0
    for kind in kinds:
        entries = (
            kind.model.history.model.objects.filter(history_date__gte=since)
            .exclude(history_user=user)
            .select_related("history_user", *SHOWN_WITH.get(kind.model._meta.label_lower, ()))
            .annotate(total=Window(Count("pk")))
            .order_by("-history_date", "-history_id")[:shown]
        )
        for entry in entries:
            changes.append(Change(kind, entry))
        total += entries[0].total if entries else 0
    changes.sort(key=lambda change: change.entry.history_date, reverse=True)
    return changes[:shown], total


@dataclass
class MyJobs:
    jobs: list
    total: int
    unfinished: int  # queued or running


def my_jobs(user, *, shown=10):
    """The user's latest background jobs, how many they have and how many are still queued or running; one query."""
    unfinished = Case(When(status__in=[Job.Status.QUEUED, Job.Status.RUNNING], then=Value(1)), default=Value(0))
    jobs = list(
        Job.objects.filter(owner=user)
        .annotate(total=Window(Count("pk")), unfinished=Window(Sum(unfinished, output_field=IntegerField())))
        .order_by("-created_at")[:shown]
    )
    return MyJobs(jobs, jobs[0].total if jobs else 0, jobs[0].unfinished if jobs else 0)


@dataclass
class HomeSection:
    """A section another app adds to the staff home page: a heading, a count, a link to all, and its rows.

    By default `rows` are (text, url) pairs shown as a list of links; a `template` of the app's own renders
    them otherwise (it gets `section`).
    """

    title: str
    count: int
    url: str
    rows: list = field(default_factory=list)
    template: str = "admin/staff_home_section.html"


SECTIONS = []  # functions of the request returning a HomeSection, or None to show nothing (e.g. no permission)


def register_section(section):
    """Add `section` (request -> HomeSection or None) to the staff home page; usable as a decorator."""
    if section not in SECTIONS:
        SECTIONS.append(section)
    return section


def other_sections(request):
    return [shown for section in SECTIONS if (shown := section(request)) is not None]
