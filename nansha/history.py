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

CHANNELS = [
    (re.compile(r"^/admin/.+/history/[^/]+/$"), "后台还原 admin revert"),
    (re.compile(r"^/admin/.+/(process_)?import/$"), "后台导入 admin import"),
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
