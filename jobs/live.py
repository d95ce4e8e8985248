"""A running job's live state: rows done, rows in all, and whether its owner asked to cancel it.

Kept outside the database because a job writes in one transaction (an import is all or nothing):
until it commits, its own progress rows would be invisible to the page that polls them (PostgreSQL)
or locked (SQLite). With REDIS_URL the state is in Redis (the worker may run on another machine);
without it, a small JSON file per job in JOB_STATE_DIR (the SQLite set-up runs everything on one
machine). Each entry is keyed by the job's UUID.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

SECONDS_KEPT = 24 * 60 * 60


def _redis():
    return caches["default"] if settings.REDIS_URL else None


def _path(job_id, what):
    folder = Path(settings.JOB_STATE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job_id}.{what}"


def set_progress(job_id, done, total):
    """Note that `done` of `total` rows (ints; total may be None) are done."""
    cache = _redis()
    if cache is not None:
        cache.set(f"nansha:job:{job_id}:progress", [done, total], SECONDS_KEPT)
        return
    path = _path(job_id, "progress")
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps([done, total]))
    os.replace(temporary, path)  # atomic: a reader sees the old or the new count, never half a file


def progress(job_id):
    """(done, total) of a running job, or None if it reported nothing yet."""
    cache = _redis()
    if cache is not None:
        value = cache.get(f"nansha:job:{job_id}:progress")
    else:
        try:
            value = json.loads(_path(job_id, "progress").read_text())
        except (OSError, ValueError):
            value = None
    return tuple(value) if value else None


def request_cancel(job_id):
    cache = _redis()
    if cache is not None:
        cache.set(f"nansha:job:{job_id}:cancel", True, SECONDS_KEPT)
    else:
        _path(job_id, "cancel").touch()


def cancel_requested(job_id):
    cache = _redis()
    if cache is not None:
        return bool(cache.get(f"nansha:job:{job_id}:cancel"))
    return _path(job_id, "cancel").exists()


def forget(job_id):
    """Remove a finished job's live state (its final state is in the database)."""
    cache = _redis()
    if cache is not None:
        cache.delete_many([f"nansha:job:{job_id}:progress", f"nansha:job:{job_id}:cancel"])
        return
    for what in ("progress", "cancel"):
        try:
            _path(job_id, what).unlink()
        except FileNotFoundError:
            pass
