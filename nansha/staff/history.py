"""Where a change came from, written beside who and when in every history entry.

django-simple-history keeps who (the logged-in user, through its middleware) and when; this
fills the entry's "change reason" with the channel (admin form, import, revert, freshness page,
API, command line), so that an entry made by a program is told apart from a person's edit.
"""

import re

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
