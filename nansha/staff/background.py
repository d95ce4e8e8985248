"""The staff's background tasks (django-tasks, run by `manage.py run_worker`): an import's check and apply,
and an export of a large changelist to a file.

Each task takes a Job's id (jobs/models.py) and runs through jobs.services.run, which reports progress,
honours a cancel request between rows and records the outcome. An import is applied in one transaction:
all rows or none, also when it is cancelled or its worker is killed.
"""

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task
from import_export.formats.base_formats import CSV, XLSX

from jobs.services import JobRefused, run
from nansha.staff.cell_widgets import date_forms_read
from nansha.staff.history import ADMIN_IMPORT
from nansha.staff.import_progress import sign_pending_file
from nansha.staff.sheet_reading import ChineseCSV, LimitedXLSX, UnreadableFile, read_dataset
from nansha.staff.spreadsheets import error_text, resource_for, row_problems

IMPORT_FORMATS = {"csv": ChineseCSV, "xlsx": LimitedXLSX}
EXPORT_FORMATS = {"csv": CSV, "xlsx": XLSX}
PROBLEMS_SHOWN = 500  # the job page lists this many problems; the count says how many there are


def pending_storage(name):
    storage_class = import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)
    return storage_class(name=name, read_mode="rb")


def remove_job_file(job):
    try:
        pending_storage(job.file_name).remove()
    except (OSError, KeyError):
        pass


def read_job_file(job):
    """The Dataset of an import job's uploaded file, or JobRefused saying why it cannot be read."""
    try:
        content = pending_storage(job.file_name).read()
    except (OSError, KeyError):
        content = None
    if not content:
        raise JobRefused(
            _("The uploaded file is no longer here (it expired or was already imported). Upload it again.")
        )
    try:
        dataset = read_dataset(content, IMPORT_FORMATS[job.file_format]())
    except UnreadableFile as error:
        raise JobRefused(str(error)) from error
    if not dataset.headers:
        raise JobRefused(_("The file has no header row naming the columns."))
    if not len(dataset):
        raise JobRefused(_("The file has a header row but no rows below it: there is nothing to import."))
    return dataset


def import_records(job, progress, *, dry_run):
    """Check (dry_run) or apply the job's file; returns the outcome to keep on the job."""
    model = apps.get_model(job.model)
    try:
        dataset = read_job_file(job)
    except JobRefused:
        remove_job_file(job)  # it cannot be confirmed: not left in the temp storage
        raise
    progress(0, len(dataset))
    resource = resource_for(model)(progress=progress)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=job.owner,
        change_reason=ADMIN_IMPORT,
    )
    problems = row_problems(result)
    outcome = {
        "totals": {key: result.totals.get(key, 0) for key in ("new", "update", "skip", "delete")},
        "problems": problems[:PROBLEMS_SHOWN],
        "problem_count": len(problems),
        # By row, as numbered in the file: {"number": 4, "errors": {"credit_code": ["..."]}}.
        "invalid_rows": [
            {"number": row.number, "errors": {str(k): [str(m) for m in v] for k, v in row.error_dict.items()}}
            for row in result.invalid_rows[:PROBLEMS_SHOWN]
        ],
        "row_errors": [
            {"number": number, "errors": [error_text(error.error) for error in errors]}
            for number, errors in result.row_errors()[:PROBLEMS_SHOWN]
        ],
        "base_errors": [error_text(error.error) for error in result.base_errors],
        "readings": date_forms_read(resource),  # how the cells were read, e.g. "Dates read as year/month/day"
    }
    message = ""
    if problems:
        message = _("Nothing was imported: %(count)s problem(s) in the file.") % {"count": len(problems)}
        remove_job_file(job)
    elif dry_run:  # the confirm step's token, signed for the owner and this kind (nansha/staff/import_progress.py)
        initial = {
            "import_file_name": job.file_name,
            "original_file_name": job.original_name,
            "format": job.parameters.get("format_index", ""),
            "resource": job.parameters.get("resource", ""),
        }
        outcome["confirm"] = {**initial, "import_file_name": sign_pending_file(job.owner, model, initial)}
        message = _("Checked: no problems. Confirm to apply it.")
    else:
        message = _("Imported: %(new)s new, %(update)s changed, %(skip)s unchanged.") % outcome["totals"]
        remove_job_file(job)
    return {"outcome": outcome, "message": message}


@task()
def check_import(job_id):
    """An import's preview: every row read and validated in a transaction rolled back at the end."""
    return run(job_id, lambda job, progress: import_records(job, progress, dry_run=True))


@task()
def apply_import(job_id):
    """An import confirmed after its check: every row saved in one transaction, or none."""
    return run(job_id, lambda job, progress: import_records(job, progress, dry_run=False))


EXPORT_CHUNK = 2_000  # rows fetched and written at a time; progress and a cancel request are seen between chunks


def export_records(job, progress):
    """Write the job's records (parameters["ids"], else every record of the model) as CSV or .xlsx to its file."""
    model = apps.get_model(job.model)
    ids = job.parameters.get("ids")
    if ids is None:
        ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    total = len(ids)
    progress(0, total)
    resource = resource_for(model)()
    dataset = None
    for start in range(0, total, EXPORT_CHUNK):
        chunk = resource.export(model._default_manager.filter(pk__in=ids[start : start + EXPORT_CHUNK]).order_by("pk"))
        if dataset is None:
            dataset = chunk
        else:
            dataset.extend(chunk)
        progress(min(start + EXPORT_CHUNK, total), total)
    if dataset is None:
        dataset = resource.export(model._default_manager.none())
    file_format = EXPORT_FORMATS[job.file_format]()
    data = file_format.export_data(dataset)
    if isinstance(data, str):
        data = data.encode("utf-8-sig")  # with a BOM: Excel opens it as UTF-8
    created = timezone.localtime(job.created_at)  # named by the local date and time (Asia/Shanghai), not UTC
    name = f"{model._meta.model_name}-{created:%Y%m%d-%H%M%S}.{file_format.get_extension()}"
    job.result_file.save(name, ContentFile(data), save=False)
    return {
        "result_file": job.result_file.name,
        "message": _("%(count)s rows exported. The file is kept %(days)s days.")
        % {"count": total, "days": settings.JOB_RESULT_DAYS},
    }


@task()
def export_file(job_id):
    """An export of a changelist too large for the request: a file to download from the job's page."""
    return run(job_id, export_records)
