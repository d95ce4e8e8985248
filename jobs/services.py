"""Starting, running, cancelling, recovering and cleaning up background jobs (see jobs/models.py).

A task (nansha/staff/background.py) calls `run(job_id, work)`: the job is claimed (queued → running,
noting the worker), `work(job, progress)` does the job, calling `progress(done, total)` between rows or
chunks; `progress` raises `Cancelled` once the owner asked to cancel, so the work's transaction rolls
back. What `work` raises as `JobRefused` is the failed job's message, word for word; anything else is
logged and the job fails with a general message.
"""

import logging
import os
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import live
from .models import Job

logger = logging.getLogger(__name__)
REPORT_EVERY_SECONDS = 0.3


class Cancelled(BaseException):  # noqa: N818 -- passes through libraries' `except Exception` like KeyboardInterrupt
    """The owner asked to cancel the job; raised between rows, so the job's transaction rolls back."""


class JobRefused(Exception):  # noqa: N818 -- it is the reason, not an error of the code
    """The job cannot be done as asked (bad file, a limit); the message says why, for staff."""


def worker_name():
    """host:pid of this process, as noted on the jobs it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def start(task, *, owner, kind, model, preview=False, language=None, **fields):
    """Create a queued Job for `owner` and enqueue `task` (a django-tasks Task taking the job's id as a string).

    `model` is a model class or its label ("industry.Enterprise"); other keyword arguments are Job fields.
    """
    label = model if isinstance(model, str) else model._meta.label
    parameters = {**fields.pop("parameters", {}), "language": language or translation.get_language()}
    job = Job.objects.create(owner=owner, kind=kind, model=label, preview=preview, parameters=parameters, **fields)
    result = task.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    return job


def running_import(owner):
    """The owner's import that is queued or running (a Job), or None: one at a time per user."""
    return Job.objects.filter(
        owner=owner, kind=Job.Kind.IMPORT, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
    ).first()


class Progress:
    """The `progress(done, total)` callback of a running job: writes the live count a few times a second and
    raises Cancelled when the owner asked to cancel."""

    def __init__(self, job):
        self.job_id = job.pk
        self.last = 0.0
        self.done = 0
        self.total = None

    def __call__(self, done, total=None):
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self.last < REPORT_EVERY_SECONDS and done != total:
            return
        self.last = now
        live.set_progress(self.job_id, done, total)
        if live.cancel_requested(self.job_id):
            raise Cancelled


def run(job_id, work):
    """Run `work(job, progress)` as the job `job_id` (a UUID string); returns the job's final status.

    `work` returns a dict of Job fields to save with the finished job (outcome, result_file, message...).
    A job already cancelled, or claimed by another worker, is left alone.
    """
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), worker=worker_name()
    )
    if not claimed:
        return None
    job = Job.objects.select_related("owner").get(pk=job_id)
    progress = Progress(job)
    fields = {}
    with translation.override(job.parameters.get("language") or settings.LANGUAGE_CODE):
        try:
            if live.cancel_requested(job.pk):
                raise Cancelled
            fields = work(job, progress) or {}
            status = Job.Status.DONE
        except Cancelled:
            status, fields = Job.Status.CANCELLED, {"message": _("Cancelled. Nothing was changed.")}
        except JobRefused as refusal:
            status, fields = Job.Status.FAILED, {"message": str(refusal)}
        except Exception:
            logger.exception("Job %s failed", job_id)
            status = Job.Status.FAILED
            fields = {"message": _("The job stopped on an unexpected error. Nothing was changed.")}
    rows = {"rows_done": progress.done, "rows_total": progress.total}
    Job.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **rows, **fields)
    live.forget(job_id)
    delete_old_jobs_now_and_then()
    return status


def cancel(job):
    """Ask to cancel `job`: a queued job is cancelled at once, a running one at its next row (then rolled back).

    Returns True if the job was still queued or running.
    """
    if job.is_finished:
        return False
    live.request_cancel(job.pk)
    Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED, finished_at=timezone.now(), message=_("Cancelled before it started.")
    )
    return True


def state(job):
    """What a progress poll answers (a JSON-able dict): status, rows done and in all, message, finished."""
    done, total = job.rows_done, job.rows_total
    if job.status == Job.Status.RUNNING:
        done, total = live.progress(job.pk) or (done, total)
    return {
        "id": str(job.pk),
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": done,
        "total": total,
        "message": job.message,
        "finished": job.is_finished,
        "cancelling": job.status == Job.Status.RUNNING and live.cancel_requested(job.pk),
    }


def _process_is_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_abandoned_jobs():
    """Mark failed the jobs left running by a worker that died (killed, machine restarted); returns how many.

    A job's worker is host:pid: on this host, a pid that no longer runs is dead; on another host, a job
    running longer than JOB_ABANDONED_AFTER_HOURS is taken for dead. Its transaction never committed,
    so an import changed nothing.
    """
    host = socket.gethostname()
    cutoff = timezone.now() - timedelta(hours=settings.JOB_ABANDONED_AFTER_HOURS)
    failed = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING):
        worker_host, _sep, pid = job.worker.rpartition(":")
        if worker_host == host and pid.isdigit():
            dead = not _process_is_alive(int(pid))
        else:
            dead = job.started_at is None or job.started_at < cutoff
        if not dead:
            continue
        with translation.override(job.parameters.get("language") or settings.LANGUAGE_CODE):  # the owner's
            message = _("The worker running this job stopped before it finished. Nothing was changed; start it again.")
        failed += Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=message
        )
        _fail_task_result(job.task_id)
        live.forget(job.pk)
    return failed


def _fail_task_result(task_id):
    """The queue's own record of the task, left running by the dead worker, is marked failed too."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now()
        )
    except Exception:  # not a UUID: a job enqueued on another backend
        logger.debug("No database task %s", task_id)


def delete_old_jobs(days=None):
    """Delete finished jobs older than `days` (default JOB_RESULT_DAYS) with their files; returns how many."""
    days = settings.JOB_RESULT_DAYS if days is None else days
    old = Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=timezone.now() - timedelta(days=days))
    count = 0
    for job in old.iterator():
        if job.result_file:
            job.result_file.delete(save=False)
        remove_uploaded_file(job)
        job.delete()
        count += 1
    return count


def remove_uploaded_file(job):
    """Remove an import job's uploaded file from the import's temporary storage (if still there)."""
    if not job.file_name:
        return
    from django.utils.module_loading import import_string

    storage_class = import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)
    for name in (job.file_name, job.file_name + ".confirming"):
        try:
            storage_class(name=name).remove()
        except (OSError, KeyError):
            pass


_last_cleanup = 0.0


def delete_old_jobs_now_and_then():
    """Run delete_old_jobs at most once an hour per worker process (after a job, and at worker start)."""
    global _last_cleanup
    if time.monotonic() - _last_cleanup < 3600 and _last_cleanup:
        return
    _last_cleanup = time.monotonic()
    try:
        with transaction.atomic():
            delete_old_jobs()
    except Exception:
        logger.exception("Deleting old jobs failed")


def result_storage():
    return default_storage
