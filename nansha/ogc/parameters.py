"""The query parameters of OGC API - Features items that are not the map's filters: limit, offset, datetime.

Rules from OGC API - Features Part 1 (OGC 17-069r4): 7.15.2 limit, 7.15.4 datetime (an RFC 3339 date-time or
date, or an interval of two of them with `..` for an open end).
"""

from datetime import UTC, datetime

from django.utils.translation import gettext as _
from rest_framework import exceptions

DEFAULT_LIMIT, MAX_LIMIT = 10, 10_000


def whole_number(params, name, default, low, high):
    """The integer parameter `name`, `default` when absent, capped at `high`; ValidationError when not a whole
    number or below `low`."""
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [_("A whole number is expected.")]}) from None
    if value < low:
        raise exceptions.ValidationError({name: [_("At least %(low)d.") % {"low": low}]})
    return min(value, high)


def _instant(text):
    value = datetime.fromisoformat(text)  # Python 3.11: RFC 3339 date-times (with Z) and dates
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def datetime_interval(params):
    """The `datetime` parameter as (start, end) aware datetimes, None for an open end; (None, None) when absent.

    Raises ValidationError naming `datetime` for anything that is not an instant or an interval with its
    start no later than its end. Records carry no time, so items accept it and filter nothing by it.
    """
    raw = params.get("datetime", "").strip()
    if not raw:
        return None, None
    parts = raw.split("/")
    try:
        if len(parts) == 1 and parts[0] != "..":
            instant = _instant(parts[0])
            return instant, instant
        if len(parts) == 2 and parts != ["..", ".."]:
            start, end = (None if part in ("", "..") else _instant(part) for part in parts)
            if start is None or end is None or start <= end:
                return start, end
    except ValueError:
        pass
    raise exceptions.ValidationError(
        {
            "datetime": [
                _(
                    "A date-time (2024-05-01T00:00:00Z), a date (2024-05-01) or an interval of two, earliest first, "
                    "with .. for an open end (2024-01-01/..)."
                )
            ]
        }
    )
