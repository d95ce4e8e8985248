"""Caching of the expensive public responses (the map's data, the API's GeoJSON), invalidated when staff save.

Every cached entry's key carries the current data version; any save or delete of a record of the
industry, parks or policies apps (or a change of its many-to-many links) moves the version on, so
the next request recomputes. With REDIS_URL set the cache, and so the version, is shared by all
app servers.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

VERSION_KEY = "nansha:data-version"
APPS = {"industry", "parks", "policies"}


def data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_data_version(sender=None, **kwargs):
    """Move the data version on now and again when the transaction commits.

    Now: this process sees its own change at once. After commit: a request that read the old rows
    while the transaction was open cannot have cached them under the new version.
    """
    if sender is None or sender._meta.app_label in APPS:
        cache.set(VERSION_KEY, time.time_ns(), None)
        transaction.on_commit(lambda: cache.set(VERSION_KEY, time.time_ns(), None))


def cached(parts, compute):
    """compute() once per data version and `parts` (e.g. path, query, language, caller kind)."""
    if not settings.PUBLIC_DATA_CACHE_SECONDS:
        return compute()
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    # The day is part of the key: space listings turn stale at midnight without any save.
    key = f"nansha:public:{data_version()}:{timezone.localdate().isoformat()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PUBLIC_DATA_CACHE_SECONDS)
    return value
