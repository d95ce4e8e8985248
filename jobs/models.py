"""A background job: one import or export a staff user started, as the worker runs it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A long piece of work a staff user asked for (an import's preview or apply, an export), run by a worker.

    Progress is counted in rows (`rows_done` of `rows_total`); while the job runs, the live count and a
    cancel request are also kept outside the database (jobs/live.py), because the job's own transaction
    would hide them until it commits. An export's file is `result_file` in the default storage, kept
    JOB_RESULT_DAYS days (then deleted by `manage.py delete_old_jobs`, which the worker also runs hourly).
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("import")
        EXPORT = "export", _("export")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    id = models.UUIDField(
        primary_key=True,
        default=uuid.uuid4,
        editable=False,
    )
    owner = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("owner"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
    )
    model = models.CharField(
        _("kind of record"),
        max_length=100,
        help_text=_("The model's label, e.g. industry.Enterprise."),
    )
    preview = models.BooleanField(
        _("preview only"),
        default=False,
        help_text=_("An import's check: every row is read and validated, nothing is kept."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
    )
    rows_done = models.PositiveIntegerField(
        _("rows done"),
        default=0,
    )
    rows_total = models.PositiveIntegerField(
        _("rows in all"),
        null=True,
        blank=True,
    )
    message = models.TextField(
        _("message"),
        blank=True,
    )
    cancel_requested = models.BooleanField(
        _("cancel requested"),
        default=False,
    )
    file_name = models.CharField(
        _("uploaded file"),
        max_length=255,
        blank=True,
        help_text=_("An import's file in the import's temporary storage."),
    )
    original_name = models.CharField(
        _("original file name"),
        max_length=255,
        blank=True,
    )
    file_format = models.CharField(
        _("format"),
        max_length=10,
        blank=True,
    )
    parameters = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
    )
    outcome = models.JSONField(
        _("outcome"),
        default=dict,
        blank=True,
        help_text=_("An import's counts (new, update, skip) and problems, row by row."),
    )
    result_file = models.FileField(
        _("result file"),
        upload_to="jobs/%Y/%m/",
        blank=True,
    )
    task_id = models.CharField(
        _("task id"),
        max_length=64,
        blank=True,
    )
    worker = models.CharField(
        _("worker"),
        max_length=200,
        blank=True,
        help_text=_("host:process id of the worker running it."),
    )
    created_at = models.DateTimeField(
        _("created"),
        auto_now_add=True,
        db_index=True,
    )
    started_at = models.DateTimeField(
        _("started"),
        null=True,
        blank=True,
    )
    finished_at = models.DateTimeField(
        _("finished"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["owner", "status"], name="job_owner_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.model} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in self.FINISHED
