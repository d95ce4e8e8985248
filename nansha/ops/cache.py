"""Caching of the expensive public responses (the map's data, the API's GeoJSON), invalidated when staff save.

Every cached entry's key carries the current data version; any save or delete of a record of the
industry, parks or policies apps (or a change of its many-to-many links), a restore, an import and
a bulk load move the version on, so the next request recomputes.

Two caches (settings.CACHES):
- "shared" holds the data version (and the API throttles' counts, nansha.api.access): every app
  process on every set-up must see the same, so it is Redis with REDIS_URL, else a table in the
  site's database (Django's DatabaseCache, table created by `migrate`, see create_cache_table).
- "default" holds the responses themselves: Redis with REDIS_URL, else each process's memory. The
  responses are large (megabytes of GeoJSON at 100k enterprises) and are only ever found under the
  shared version, so a process's own copy can never be served stale; keeping them in the database
  would cost a round trip of megabytes per hit.

The shared version is written only outside transactions (at once when a change commits by itself,
else once when the transaction commits): a write inside a long import's transaction would hold the
version's row locked until the end, and other processes could not see it before the commit anyway.
Until then this connection, which alone sees its uncommitted rows, keys its responses by a token of
its own (see _Pending).
"""

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_migrate
from django.utils import timezone
from django.utils.translation import get_language

VERSION_KEY = "nansha:data-version"
APPS = {"industry", "parks", "policies"}
SHARED = "shared"  # the alias of the cache every app process shares (settings.CACHES)


def shared_cache():
    """The cache every app process shares (looked up at each use: tests change settings.CACHES)."""
    return caches[SHARED]


class _Pending:
    """Changes made in the open transaction of one connection: publishes a new shared version when it commits.

    Registered once per transaction with transaction.on_commit (so a 10,000-row import writes the shared
    version once, not 10,000 times); dropped by Django with the transaction (or savepoint) if it rolls back.
    """

    def __init__(self):
        self.token = uuid.uuid4().hex
        self.changes = 0

    def __call__(self):
        publish_data_version()


def _pending(connection):
    if not connection.in_atomic_block:
        return None
    return next((func for _sids, func, _robust in connection.run_on_commit if isinstance(func, _Pending)), None)


def publish_data_version():
    """Write a new data version to the shared cache: every process recomputes its cached responses."""
    shared_cache().set(VERSION_KEY, time.time_ns(), None)


def data_version():
    """The data version the current request's responses are cached under (a text).

    The shared version, plus the current connection's uncommitted changes if it has any.
    """
    shared = shared_cache()
    version = shared.get(VERSION_KEY)
    if version is None:  # first use, or the entry was culled from a full cache: a new version is safe
        shared.add(VERSION_KEY, time.time_ns(), None)
        version = shared.get(VERSION_KEY, version)
    pending = _pending(transaction.get_connection())
    return f"{version}-{pending.token}-{pending.changes}" if pending else str(version)


def bump_data_version(sender=None, using=None, **kwargs):
    """Move the data version on: at once if the change is committed, else when its transaction commits.

    A signal receiver (post_save, post_delete, m2m_changed: records of APPS only) and a function to call
    after writes that send no signal (bulk_create, queryset.update, raw SQL, a restore).
    """
    if sender is not None and sender._meta.app_label not in APPS:
        return
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if not connection.in_atomic_block:
        publish_data_version()
        return
    pending = _pending(connection)
    if pending is None:
        pending = _Pending()
        transaction.on_commit(pending, using=connection.alias)
    pending.changes += 1  # this connection's later reads see the change at once


def cache_key(parts):
    """The key of a cached response for `parts` (e.g. path, query, caller kind): the data version, the day and
    the active language are always part of it (a response in another language is another entry)."""
    digest = hashlib.sha256("\x1f".join(map(str, [*parts, get_language()])).encode()).hexdigest()
    # The day is part of the key: space listings turn stale at midnight without any save.
    return f"nansha:public:{data_version()}:{timezone.localdate().isoformat()}:{digest}"


def cached(parts, compute):
    """compute() once per data version and `parts` (see cache_key); every time with PUBLIC_DATA_CACHE_SECONDS = 0.

    Whole responses are cached with their compressed bodies by nansha.ops.encoded.cached_variant.
    """
    if not settings.PUBLIC_DATA_CACHE_SECONDS:
        return compute()
    key = cache_key(parts)
    cache = caches["default"]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PUBLIC_DATA_CACHE_SECONDS)
    return value


def create_cache_table(app_config=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """After `migrate`: the table of each database cache in settings.CACHES (Django's createcachetable).

    Every way the site is set up (make run, docker compose, CI, the test databases, a deployment's
    migrate step) runs migrate, so none needs a step of its own. Does nothing for other caches or when
    the table exists.
    """
    # post_migrate comes once per installed app with models, every app each time: once is enough.
    if app_config is None or app_config.label == "contenttypes":
        call_command("createcachetable", database=using, verbosity=0)
        # The shared cache's table whatever cache the settings that migrate name (test settings, or Redis now and
        # not later): a database is then ready for every settings module to serve from it.
        call_command("createcachetable", settings.SHARED_CACHE_TABLE, database=using, verbosity=0)


# Connected here (this module is imported by NanshaConfig.ready) rather than in apps.py: it belongs to the cache.
post_migrate.connect(create_cache_table, dispatch_uid="nansha-cache-table")
