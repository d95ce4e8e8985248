"""Where a change came from, written beside who and when in every history entry.

django-simple-history keeps who (the logged-in user, through its middleware) and when; this
fills the entry's "change reason" with the channel (admin form, import, revert, freshness page,
API, command line), so that an entry made by a program is told apart from a person's edit.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

# simple-history's own column heading, which its Chinese catalog does not translate yet: ours does.
gettext_noop("Changes")

ADMIN_IMPORT = "后台导入 admin import"  # also given by the background import job (nansha/staff/background.py)
CHANNELS = [
    (re.compile(r"^/admin/.+/history/[^/]+/$"), "后台还原 admin revert"),
    (re.compile(r"^/admin/.+/(process_)?import/$"), ADMIN_IMPORT),
    (re.compile(r"^/admin/freshness/"), "后台核实 admin freshness check"),
    (re.compile(r"^/admin/"), "后台 admin"),
    (re.compile(r"^/api/"), "API"),
]
COMMAND_LINE = "命令行 command line"


def channel_of(request):
    if request is None:
        return COMMAND_LINE
    path = request.path_info
    return next((label for pattern, label in CHANNELS if pattern.search(path)), path[:100])


def channel_label(reason):
    """A stored change reason as staff read it in the page's language: the channels (stored in both languages,
    "后台 admin", since the first entries) by their translated name; a reason of the code's own as stored."""
    labels = {
        ADMIN_IMPORT: _("admin import"),
        CHANNELS[0][1]: _("admin revert"),
        CHANNELS[2][1]: _("admin freshness check"),
        CHANNELS[3][1]: _("admin"),
        COMMAND_LINE: _("command line"),
        STARTING_POINT: _("history starts here"),
    }
    return labels.get(reason, reason)


def note_channel(sender, history_instance, **kwargs):
    """pre_create_historical_record: the channel, unless the code gave a reason of its own."""
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = channel_of(getattr(HistoricalRecords.context, "request", None))


STARTING_POINT = "历史记录起点 history starts here"
HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}


def snapshot_existing_records(app_label):
    """A data migration's function: one "created" history entry per record that exists before history began.

    Without it, the first edit of a record made before django-simple-history came would have nothing
    to compare with or revert to. Many-to-many links are copied into the entry as well.
    """

    def snapshot(apps, schema_editor):
        from django.utils import timezone

        now = timezone.now()
        for historical in apps.get_app_config(app_label).get_models():
            name = historical.__name__
            if not name.startswith("Historical") or "_" in name or historical.objects.exists():
                continue  # not an entry model, or it has entries already (records saved since)
            model = apps.get_model(app_label, name.removeprefix("Historical"))
            copied = [f.attname for f in historical._meta.concrete_fields if f.name not in HISTORY_FIELDS]
            linked = []
            for field in model._meta.many_to_many:
                try:
                    linked.append((field, apps.get_model(app_label, f"{name}_{field.name}")))
                except LookupError:
                    continue  # links not kept in this model's history
            ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), 1000):  # in chunks: flat memory whatever the number of records
                chunk = model.objects.filter(pk__in=ids[start : start + 1000])
                entries = historical.objects.bulk_create(
                    historical(
                        history_date=now,
                        history_type="+",
                        history_change_reason=STARTING_POINT,
                        **{attname: getattr(record, attname) for attname in copied},
                    )
                    for record in chunk
                )
                by_record = {entry.id: entry for entry in entries}
                for field, links in linked:
                    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
                    rows = field.remote_field.through.objects.filter(**{f"{own}__in": list(by_record)})
                    links.objects.bulk_create(
                        links(history=by_record[owner], **{f"{own}_id": owner, f"{other}_id": target, "id": row_id})
                        for row_id, owner, target in rows.values_list("id", f"{own}_id", f"{other}_id")
                    )

    return snapshot


class CreatedRecordsHistory:
    """Links and history of records created one by one (an import's new rows), written in bulk 1,000 at a time.

    Each record is saved on its own (its constraints checked as it is saved) with `defer_history` set
    (nansha.records.models.RecordHistory), then `add(record, links)` with links as {link field name:
    [related record ids]}. Every 1,000 records, and at `write()`, it inserts their links (one INSERT
    per link field), every record's one "+" history entry (simple-history's bulk_history_create: who, the
    channel and when come from the record's _history_user, _change_reason and _history_date), and each
    entry's link snapshot: a few statements per 1,000 rows instead of six a row. Call it in
    the same transaction as the saves. Models without link history get their links and no entries
    here (their history was written by their save).
    """

    BATCH = 1000

    def __init__(self):
        self.records = []

    def add(self, instance, links):
        """Keep `instance` (saved) and its links; write them with the ones kept so far once there are BATCH."""
        instance.defer_history = False
        has_pending = instance.__dict__.pop("_pending_history", None) is not None
        self.records.append((instance, links, has_pending))
        if len(self.records) >= self.BATCH:
            self.write()  # memory stays flat whatever the file's size

    def write(self):
        if not self.records:
            return
        model = type(self.records[0][0])
        through_rows = {}  # {(record id, link field): [through rows]}
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            rows = []
            for instance, links, _pending in self.records:
                mine = [through(**{own: instance.pk, other: pk}) for pk in links.get(field.name, ())]
                through_rows[instance.pk, field] = mine
                rows.extend(mine)
            through.objects.bulk_create(rows, batch_size=self.BATCH)  # ids set: PostgreSQL, SQLite >= 3.35
        created = [instance for instance, _links, pending in self.records if pending]
        self.records = []
        if not created:
            return
        reason = channel_of(getattr(HistoricalRecords.context, "request", None))
        entries = model.history.bulk_history_create(created, batch_size=self.BATCH, default_change_reason=reason)
        historical_model = model.history.model
        for field in historical_model._history_m2m_fields:
            m2m_history_model = HistoricalRecords.m2m_models[field]
            columns = [f.attname for f in field.remote_field.through._meta.fields]
            snapshot = [
                m2m_history_model(history=entry, **{name: getattr(row, name) for name in columns})
                for instance, entry in zip(created, entries, strict=True)
                for row in through_rows.get((instance.pk, field), ())
            ]
            m2m_history_model.objects.bulk_create(snapshot, batch_size=self.BATCH)
