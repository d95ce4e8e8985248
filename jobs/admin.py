"""The staff's "my jobs" pages in the admin: each user sees only the jobs they started.

/admin/jobs/job/ lists them with progress; /admin/jobs/job/<id>/change/ is the job's page (progress bar
polled from <id>/progress/, cancel, an export's download, an import preview's outcome and its confirm
button). Another user's job is refused with a message (403), never shown.
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Job

NOT_YOURS = _(
    "This job was started by another user: only they can see it, cancel it or download its file. "
    "Start your own from the list of records."
)
NO_FILE = _(
    "This job has no file to download (it is not a finished export, or its file was deleted after %(days)s days)."
)
NO_JOB = _("There is no job with this id (it may have been deleted).")


class ConfirmImportForm(forms.Form):
    """The hidden fields the import's confirm step takes (django-import-export's, the file named by a signed token)."""

    import_file_name = forms.CharField(widget=forms.HiddenInput)
    original_file_name = forms.CharField(widget=forms.HiddenInput, required=False)
    format = forms.CharField(widget=forms.HiddenInput)
    resource = forms.CharField(widget=forms.HiddenInput, required=False)


def model_url(job, step):
    """The admin URL of `step` (import, process_import, changelist) for the job's kind of record, or None."""
    app_label, _dot, model = job.model.partition(".")
    try:
        return reverse(f"admin:{app_label}_{model.lower()}_{step}")
    except NoReverseMatch:
        return None


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "what", "status_bar", "message", "download"]
    list_filter = ["kind", "status"]
    list_display_links = ["created_at"]
    list_per_page = 50

    class Media:
        js = ["nansha/admin/jobs.js"]
        css = {"all": ["nansha/admin/jobs.css"]}

    # Every active staff user has "my jobs"; what they may import or export is checked when a job starts.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.owner_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner=request.user)

    @admin.display(description=_("job"))
    def what(self, job):
        kind = _("import check") if job.preview else job.get_kind_display()
        name = job.original_name or job.model
        return f"{kind} · {name}"

    @admin.display(description=_("progress"))
    def status_bar(self, job):
        state = services.state(job)
        url = reverse("admin:jobs_job_progress", args=[job.pk])
        total = state["total"] or 0
        return format_html(
            '<span class="job-state" data-job-progress="{}" data-finished="{}">'
            '<progress max="{}" value="{}"></progress> <span class="job-text">{} · {} / {}</span></span>',
            url,
            "1" if state["finished"] else "",
            total or 1,
            state["done"] if total else 0,
            state["status_label"],
            state["done"],
            total if total else "?",
        )

    @admin.display(description=_("file"))
    def download(self, job):
        if job.kind == Job.Kind.EXPORT and job.status == Job.Status.DONE and job.result_file:
            return format_html('<a href="{}">{}</a>', reverse("admin:jobs_job_download", args=[job.pk]), _("Download"))
        return ""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<uuid:job_id>/progress/", wrap(self.progress_view), name="jobs_job_progress"),
            path("<uuid:job_id>/cancel/", wrap(self.cancel_view), name="jobs_job_cancel"),
            path("<uuid:job_id>/download/", wrap(self.download_view), name="jobs_job_download"),
            path("<uuid:job_id>/", wrap(self.job_view), name="jobs_job_page"),
            *super().get_urls(),
        ]

    def own_job(self, request, job_id):
        """(job, None) for the requesting user's own job, else (None, a 403 page saying why)."""
        job = Job.objects.filter(pk=job_id).first()
        if job is not None and job.owner_id == request.user.pk and self.has_module_permission(request):
            return job, None
        context = {**self.admin_site.each_context(request), "title": _("Not your job"), "reason": NOT_YOURS}
        if job is None:
            context.update(title=_("No such job"), reason=NO_JOB)
        return None, TemplateResponse(request, "admin/jobs/refused.html", context, status=403 if job else 404)

    def progress_view(self, request, job_id):
        job, refusal = self.own_job(request, job_id)
        if refusal:
            return JsonResponse({"error": str(refusal.context_data["reason"])}, status=refusal.status_code)
        return JsonResponse(services.state(job))

    def cancel_view(self, request, job_id):
        job, refusal = self.own_job(request, job_id)
        if refusal:
            return refusal
        if request.method != "POST":
            return redirect("admin:jobs_job_page", job.pk)
        if services.cancel(job):
            messages.info(request, _("Cancelling: the job stops at its next row and nothing it did is kept."))
        else:
            messages.warning(request, _("This job had already finished."))
        return redirect("admin:jobs_job_page", job.pk)

    def download_view(self, request, job_id):
        job, refusal = self.own_job(request, job_id)
        if refusal:
            return refusal
        from django.conf import settings

        if not (job.kind == Job.Kind.EXPORT and job.status == Job.Status.DONE and job.result_file):
            context = {
                **self.admin_site.each_context(request),
                "title": _("No file"),
                "reason": NO_FILE % {"days": settings.JOB_RESULT_DAYS},
            }
            return TemplateResponse(request, "admin/jobs/refused.html", context, status=404)
        try:
            handle = job.result_file.open("rb")
        except OSError:
            context = {
                **self.admin_site.each_context(request),
                "title": _("No file"),
                "reason": NO_FILE % {"days": settings.JOB_RESULT_DAYS},
            }
            return TemplateResponse(request, "admin/jobs/refused.html", context, status=404)
        name = job.parameters.get("download_name") or job.result_file.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=True, filename=name)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            job_id = uuid.UUID(str(object_id))
        except ValueError:  # a mistyped address: "no such job", as for an id that is not there
            return self.own_job(request, None)[1]
        return redirect("admin:jobs_job_page", job_id)

    def job_view(self, request, job_id):
        job, refusal = self.own_job(request, job_id)
        if refusal:
            return refusal
        state = services.state(job)
        outcome = job.outcome or {}
        confirm_form = None
        if job.preview and job.status == Job.Status.DONE and outcome.get("confirm"):
            confirm_form = ConfirmImportForm(initial=outcome["confirm"])
        context = {
            **self.admin_site.each_context(request),
            "title": self.what(job),
            "opts": self.model._meta,
            "job": job,
            "state": state,
            "outcome": outcome,
            "confirm_form": confirm_form,
            "confirm_url": model_url(job, "process_import"),
            "import_url": model_url(job, "import"),
            "media": self.media,
            "cancel_url": reverse("admin:jobs_job_cancel", args=[job.pk]),
            "progress_url": reverse("admin:jobs_job_progress", args=[job.pk]),
            "download_url": reverse("admin:jobs_job_download", args=[job.pk]) if self.download(job) else None,
        }
        return TemplateResponse(request, "admin/jobs/job.html", context)
