"""The admin import's two steps: the pending file bound to its preview, and the progress the page polls.

Pending file: the preview stores the uploaded file (django-import-export's temp storage) and the
confirm form carries, instead of the bare storage name, a signed token (django.core.signing,
salted, timestamped) holding that name, the format, the resource, the original file name, the
user and the model. The confirmation is refused, with a message and before any file is read, when
the token is not one the server signed, was made for another user or another kind of record,
is older than PENDING_MAX_AGE, or its form's format or resource were changed; the admin then
claims the file so that a token is used once (see TrackedRecordAdmin.claim_pending_file).

The check and the apply run as background jobs (nansha/staff/background.py) whose progress the job's page
polls (jobs/admin.py); static/nansha/admin/import-progress.js says the file is being sent meanwhile.
"""

import secrets

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm

from nansha.staff.sheet_reading import UnreadableFile, check_upload_size

TOKEN_PATTERN = r"^[0-9a-f]{32}$"
SECONDS_KEPT = 15 * 60


PENDING_SALT = "nansha.staff.import_progress.pending-file"
PENDING_MAX_AGE = 6 * 60 * 60  # seconds: a preview can wait over lunch, not overnight
NOT_YOURS = _(
    "This confirmation is not from a preview of the file that you made for this kind of record, or its form was "
    "altered. Nothing was imported. Upload it again."
)
ONE_AT_A_TIME = _(
    "You have an import queued or running: one import at a time per person. Wait for it to finish, or cancel "
    "it, under “My jobs”."
)
EXPIRED = _("The preview of this file is more than 6 hours old. Nothing was imported. Upload it again.")


def cache_key(token, user_id=None):
    return f"nansha:import-progress:{user_id}:{token}"


def sign_pending_file(user, model, initial):
    """The signed token (str) naming a preview's stored file, for `user` importing records of `model`.

    `initial` is the confirm form's initial data from django-import-export: import_file_name (the
    temp storage's name), original_file_name, format and resource.
    """
    return signing.dumps(
        {
            "file": initial["import_file_name"],
            "original": initial.get("original_file_name") or "",
            "format": str(initial.get("format") or ""),
            "resource": str(initial.get("resource") or ""),
            "user": user.pk,
            "model": model._meta.label,
            "nonce": secrets.token_hex(8),  # two previews of the same file get different tokens
        },
        salt=PENDING_SALT,
        compress=True,
    )


def pending_file(token, user, model):
    """The data signed by `sign_pending_file` (dict), or ValidationError saying why the token is refused."""
    try:
        data = signing.loads(token, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(EXPIRED, code="expired") from None
    except (signing.BadSignature, ValueError):
        raise ValidationError(NOT_YOURS, code="not_yours") from None
    if not isinstance(data, dict) or data.get("user") != user.pk or data.get("model") != model._meta.label:
        raise ValidationError(NOT_YOURS, code="not_yours")
    return data


class ProgressTokenField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            validators=[RegexValidator(TOKEN_PATTERN)],
            widget=forms.HiddenInput(
                attrs={
                    "data-import-progress": "",
                    # {done} and {total} are filled in by the script.
                    "data-label": _("Reading row {done} of {total}…"),
                    "data-waiting": _("Uploading and reading the file…"),
                }
            ),
            **kwargs,
        )


class ProgressMedia:
    js = ["nansha/admin/import-progress.js"]
    css = {"all": ["nansha/admin/import.css"]}


class ImportWithProgressForm(ImportForm):
    """The upload step; refuses, before reading it, a file over IMPORT_MAX_UPLOAD_MB and a second import of a user
    who has one queued or running (`running_import(user)` gives that job)."""

    progress_token = ProgressTokenField()
    Media = ProgressMedia

    def __init__(self, *args, running_import=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.running_import = running_import

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_upload_size(getattr(upload, "size", None))
        except UnreadableFile as error:
            raise ValidationError(str(error), code="too_large") from None
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.running_import is not None and self.running_import() is not None:
            raise ValidationError(ONE_AT_A_TIME, code="one_at_a_time")
        return cleaned


class ConfirmWithProgressForm(ConfirmImportForm):
    """The confirm step; `import_file_name` is a token from `sign_pending_file`, checked against `binding`.

    `binding` is (user, model): who confirms, and the model of the admin confirming. Once valid,
    cleaned_data holds the stored file's real name and the signed original name, format and resource.
    """

    progress_token = ProgressTokenField()
    Media = ProgressMedia

    def __init__(self, *args, binding=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.binding = binding
        self.pending = None

    def clean_import_file_name(self):
        if self.binding is None:
            raise ValidationError(NOT_YOURS, code="not_yours")
        self.pending = pending_file(self.cleaned_data["import_file_name"], *self.binding)
        return self.pending["file"]

    def clean(self):
        cleaned = super().clean()
        if self.pending is not None:
            for field in ("format", "resource"):
                if str(cleaned.get(field) or "") != self.pending[field]:
                    raise ValidationError(NOT_YOURS, code="not_yours")
            cleaned["original_file_name"] = self.pending["original"]
        return cleaned
