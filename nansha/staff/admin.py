"""Admin building blocks shared by every public record: publishing, provenance, history, versions, spreadsheets.

- History (django-simple-history): every record's "History" page lists who changed what and
  when, field by field, and reverts to any earlier state (many-to-many links included).
- Versions (django-concurrency): a save based on an older version of a record is refused with a
  message naming who saved in between; see nansha/staff/versioning.py.
- Spreadsheets (django-import-export): "Export" of the filtered changelist or of selected rows,
  and "Import" with a preview of what would be created, changed or skipped and every bad row
  explained; an import applies all rows or none. See nansha/staff/spreadsheets.py.
"""

import os
import re

from concurrency.exceptions import RecordModifiedError
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.tmp_storages import CacheStorage, TempFolderStorage
from simple_history.admin import SimpleHistoryAdmin

from jobs.models import Job
from jobs.services import running_import, start
from nansha.records.models import PublicationStatus, one_history_entry_per_save
from nansha.staff import background, import_progress
from nansha.staff.history import channel_label
from nansha.staff.import_progress import ConfirmWithProgressForm, ImportWithProgressForm
from nansha.staff.sheet_reading import ChineseCSV, LimitedXLSX, UnreadableFile
from nansha.staff.spreadsheets import IMPORTABLE, resource_for
from nansha.staff.versioning import VersionCheckedForm, saved_with
from nansha.staff.widgets import PositionField

DIGITS = re.compile(r"[0-9]+")  # ids as the URL gives them ("²".isdigit() is true, too)
CLAIMED = ".confirming"  # the pending file's name once a confirmation has taken it

PROVENANCE_FIELDSET = (
    _("Publication and provenance"),
    {"fields": ("status", "source", "verification_note", "verified_on", "created_at", "updated_at", "version")},
)


def place_fieldsets(*specific, name_fields=("name_zh", "name_en")):
    """Fieldsets for a Place: names, address and map position, the kind's own fields, provenance."""
    return [
        (None, {"fields": (name_fields, "aliases", "description_zh", "description_en")}),
        (
            _("Address and position"),
            {"fields": (("address_zh", "address_en"), "position", ("lat", "lng"), "position_is_approximate")},
        ),
        *specific,
        PROVENANCE_FIELDSET,
    ]


class PlaceForm(VersionCheckedForm):
    """A model form for any Place, with a map that sets its latitude and longitude."""

    position = PositionField(label=_("position on the map"))


def set_status(modeladmin, request, queryset, status):
    """Save each record with the new status (so that its history and version follow); count the changed ones."""
    changed, conflicts = 0, []
    for record in queryset.exclude(status=status):
        record.status = status
        try:
            record.save(update_fields=saved_with("status", "updated_at", model=record))
        except RecordModifiedError:
            conflicts.append(str(record))
        else:
            changed += 1
    if conflicts:
        modeladmin.message_user(
            request,
            _("Changed by someone else while this ran, so left as they were: %(records)s.")
            % {"records": ", ".join(conflicts)},
            messages.WARNING,
        )
    return changed


@admin.action(description=_("Publish the selected records"), permissions=["change"])
def publish(modeladmin, request, queryset):
    count = set_status(modeladmin, request, queryset, PublicationStatus.PUBLISHED)
    modeladmin.message_user(
        request,
        ngettext("%(count)d record published.", "%(count)d records published.", count) % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Unpublish the selected records (back to draft)"), permissions=["change"])
def unpublish(modeladmin, request, queryset):
    count = set_status(modeladmin, request, queryset, PublicationStatus.DRAFT)
    modeladmin.message_user(
        request,
        ngettext("%(count)d record unpublished.", "%(count)d records unpublished.", count) % {"count": count},
        messages.SUCCESS,
    )


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin whose records have a history page; reverting restores many-to-many links too.

    One save is one history entry: the record and its links are saved in two steps (save_model, then
    the links), and simple-history would write an entry for each step and each link change, each with
    a revert to a state that never existed. The add, change and revert views save under
    one_history_entry_per_save (nansha.records.models), in one transaction with their entries.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)), one_history_entry_per_save():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None and not self._deleted_record_exists(object_id):
            raise Http404(_("No record with id “%(id)s”.") % {"id": object_id})
        return super().history_view(request, object_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Also each entry's channel in the page's language (shown, not saved: nansha.staff.history)."""
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for entry in historical_records:
            entry.history_change_reason = channel_label(entry.history_change_reason)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.form, VersionCheckedForm):  # as get_form: the inline's forms know who saves
            kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "editor": request.user}
        return kwargs

    def _deleted_record_exists(self, object_id):
        try:
            return self.model.history.filter(id=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)), one_history_entry_per_save():
            return self._history_form_view(request, object_id, version_id, extra_context)

    def _history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (DIGITS.fullmatch(str(object_id)) and DIGITS.fullmatch(str(version_id))):
            raise Http404(_("No record with id “%(id)s”.") % {"id": f"{object_id}/{version_id}"})
        # simple-history only hides the Revert button from those who may not change the record.
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        history = self.model.history.model
        request._reverting_to = history.objects.filter(history_id=version_id).first()
        try:
            with transaction.atomic():  # as the change form: the version check locks the row until saved
                return super().history_form_view(request, object_id, version_id, extra_context)
        except RecordModifiedError:
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user  # a new class each request: a refused stale save can say it was this user
        entry = getattr(request, "_reverting_to", None)
        if entry is None:
            return form
        links = {
            field.name: [
                getattr(row, field.m2m_reverse_field_name() + "_id") for row in getattr(entry, field.name).all()
            ]
            for field in getattr(entry, "_history_m2m_fields", ())
        }

        class RevertForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, ids in links.items():
                    if name in self.fields:
                        self.initial[name] = ids

        return RevertForm


class SpreadsheetExportMixin(ExportActionMixin):
    """The admin's export: CSV with a byte-order mark (Excel on a Chinese Windows reads it as UTF-8, not GBK),
    and files named by the local date (Asia/Shanghai), not import-export's UTC one."""

    to_encoding = "utf-8-sig"

    def get_export_filename(self, request, queryset, file_format):
        return f"{self.model.__name__}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


class VocabularyAdmin(SpreadsheetExportMixin, HistoryAdmin):
    """Admin for a vocabulary (chain segments, honours, ...): history and spreadsheet export."""

    export_formats = [CSV, XLSX]

    def get_resource_classes(self, request):
        return [resource_for(self.model)]

    def has_export_permission(self, request):
        return self.has_view_permission(request)


class TrackedRecordAdmin(ImportMixin, SpreadsheetExportMixin, HistoryAdmin):
    """Admin for any record with provenance: history, optimistic lock, publishing, spreadsheets."""

    form = VersionCheckedForm
    actions = [publish, unpublish]
    list_filter = ["status"]
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    save_on_top = True

    import_formats = [ChineseCSV, LimitedXLSX]
    export_formats = [CSV, XLSX]
    # Both buttons above the changelist (Import only where the kind is importable and the user may).
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_form_class = ImportWithProgressForm
    confirm_form_class = ConfirmWithProgressForm

    def get_resource_classes(self, request):
        return [resource_for(self.model)]

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "running_import": lambda: running_import(request.user)}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnreadableFile):  # our reading's own message names the problem (encoding, CSV error)
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def import_action(self, request, **kwargs):
        """The upload: a valid form starts the file's check as a background job and shows the job's page.

        The form refuses a file over the size limit and a second import of the same user; the rows are
        read and checked by the worker (nansha/staff/background.py), never in the request.
        """
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                upload = form.cleaned_data["import_file"]
                index = form.cleaned_data["format"]
                input_format = self.get_import_formats()[int(index)]()
                stored = self.write_to_tmp_storage(upload, input_format)
                job = start(
                    background.check_import,
                    owner=request.user,
                    kind=Job.Kind.IMPORT,
                    model=self.model,
                    preview=True,
                    file_name=stored.name,
                    original_name=upload.name[:255],
                    file_format=self.format_code(input_format),
                    parameters={"format_index": str(index), "resource": str(form.cleaned_data.get("resource") or "")},
                )
                return redirect("admin:jobs_job_page", job.pk)
        return super().import_action(request, **kwargs)

    @staticmethod
    def format_code(input_format):
        return "csv" if isinstance(input_format, ChineseCSV) else "xlsx"

    def get_confirm_form_initial(self, request, import_form):
        """The preview's confirm form names its stored file by a token signed for this user and kind."""
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["import_file_name"] = import_progress.sign_pending_file(request.user, self.model, initial)
        return initial

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {**super().get_confirm_form_kwargs(request, import_form), "binding": (request.user, self.model)}

    def create_confirm_form(self, request, import_form=None):
        # One confirm form per request: it is checked, and its file claimed, once (see process_import).
        if import_form is not None:
            return super().create_confirm_form(request, import_form)
        if getattr(request, "_confirm_form", None) is None:
            request._confirm_form = super().create_confirm_form(request)
        return request._confirm_form

    def _do_file_export(self, file_format, request, queryset, **kwargs):
        """An export of more than EXPORT_INLINE_MAX_ROWS rows is made by the worker: the job's page offers the file."""
        if queryset.count() <= settings.EXPORT_INLINE_MAX_ROWS:
            return super()._do_file_export(file_format, request, queryset, **kwargs)
        job = start(
            background.export_file,
            owner=request.user,
            kind=Job.Kind.EXPORT,
            model=self.model,
            file_format="xlsx" if isinstance(file_format, XLSX) else "csv",
            parameters={"ids": list(queryset.order_by("pk").values_list("pk", flat=True))},
        )
        messages.info(request, _("A large export: it is being made in the background. Download it from this page."))
        return redirect("admin:jobs_job_page", job.pk)

    def has_import_permission(self, request):
        # An import both adds and changes records.
        importable = self.model._meta.label in IMPORTABLE.values()
        return importable and self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def process_import(self, request, **kwargs):
        """The confirm step, for the file of a preview this user made of this kind only, and only once.

        Anything else (another user's or kind's token, a changed form, a file already imported or
        being imported) is refused with a message, before any file is read or removed.
        """
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_confirm_form(request)
            refusal = None
            if not form.is_valid():
                expired = form.has_error("import_file_name", "expired")
                refusal = import_progress.EXPIRED if expired else import_progress.NOT_YOURS
            elif running_import(request.user) is not None:
                refusal = import_progress.ONE_AT_A_TIME
            elif not self.claim_pending_file(request, form):
                refusal = _("The uploaded file is no longer here (already imported, or expired). Upload it again.")
            if refusal:
                messages.error(request, refusal)
                return redirect("admin:{}_{}_import".format(*self.get_model_info()))
            index = form.cleaned_data["format"]
            job = start(
                background.apply_import,
                owner=request.user,
                kind=Job.Kind.IMPORT,
                model=self.model,
                file_name=form.cleaned_data["import_file_name"],
                original_name=(form.cleaned_data.get("original_file_name") or "")[:255],
                file_format=self.format_code(self.get_import_formats()[int(index)]()),
            )
            return redirect("admin:jobs_job_page", job.pk)
        return super().process_import(request, **kwargs)

    def claim_pending_file(self, request, form):
        """Take the confirmed preview's stored file for this request; False if it is gone or already taken.

        The temp folder's file is renamed and the cache's entry deleted and stored again under a new
        name: both are atomic, so of two confirmations of one preview (a double click) only one imports.
        """
        formats = self.get_import_formats()
        index, resource = form.cleaned_data["format"], form.cleaned_data.get("resource") or "0"
        if not (DIGITS.fullmatch(index) and int(index) < len(formats)):
            return False
        if not (DIGITS.fullmatch(resource) and int(resource) < len(self.get_import_resource_classes(request))):
            return False
        name = form.cleaned_data["import_file_name"]
        storage_class = self.get_tmp_storage_class()
        if issubclass(storage_class, TempFolderStorage):
            path = storage_class(name=name, **self.get_tmp_storage_class_kwargs()).get_full_path()
            try:
                os.rename(path, path + CLAIMED)
            except OSError:
                return False
        elif issubclass(storage_class, CacheStorage):
            key = storage_class.CACHE_PREFIX + name
            data = cache.get(key)
            if data is None or not cache.delete(key):
                return False
            cache.set(key + CLAIMED, data, storage_class.CACHE_LIFETIME)
        else:  # another storage: read it, without a claim
            storage = storage_class(name=name, read_mode="rb", **self.get_tmp_storage_class_kwargs())
            try:
                return storage.read() is not None
            except OSError:
                return False
        form.cleaned_data["import_file_name"] = name + CLAIMED
        return True

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing: a row that fails validation on the final run rolls every row back.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        # The rows changed between the preview and the confirmation, and the transaction was rolled
        # back: say so and show the problems, instead of import-export's "Import finished".
        messages.error(
            request,
            _(
                "Nothing was imported: since the preview, records changed so that some rows no longer pass the "
                "checks. The problems are listed below; fix the file and import it again."
            ),
        )
        resources = [cls() for cls in self.get_import_resource_classes(request)]
        form = self.get_import_form_class(request)(
            self.get_import_formats(), self.get_import_resource_classes(request)
        )
        context = {
            **self.admin_site.each_context(request),
            **self.get_import_context_data(),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "result": result,
            "import_error_display": self.import_error_display,
            "fields_list": [
                (r.get_display_name(), [f.column_name for f in r.get_user_visible_fields()]) for r in resources
            ],
        }
        return TemplateResponse(request, [self.import_template_name], context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RecordModifiedError:
            # Saved by someone else between the form's check and the write (the transaction was
            # rolled back): answer the form again, whose check now explains the conflict.
            return super().changeform_view(request, object_id, form_url, extra_context)


class RecordAdmin(TrackedRecordAdmin):
    """Admin for a named public record: search by name, filter by status, publish in bulk."""

    search_fields = ["name_zh", "name_en"]
    list_display = ["name_zh", "name_en", "status", "verified_on", "updated_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("source", "verification_note"):  # a page a line: a few lines, full width
            kwargs["widget"] = forms.Textarea(attrs={"class": "vLargeTextField", "rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PlaceAdmin(RecordAdmin):
    """Admin for a Place: the point is set on a map as well as in the latitude/longitude fields."""

    form = PlaceForm
    list_display = [
        "name_zh",
        "name_en",
        "status",
        "has_position",
        "position_is_approximate",
        "verified_on",
        "updated_at",
    ]
    list_filter = ["status", "position_is_approximate"]

    @admin.display(boolean=True, description=_("position"))
    def has_position(self, obj):
        return obj.has_position
