"""Progress of a spreadsheet import in the admin: the page polls while the server reads the rows.

The import and confirm forms carry a random token (set by static/nansha/admin/import-progress.js
when the form is sent); the resource reports rows done under that token in the cache, and
`progress_view` answers {"done": n, "total": m} for it.
"""

import re

from django import forms
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm

TOKEN_PATTERN = r"^[0-9a-f]{32}$"
SECONDS_KEPT = 15 * 60


def cache_key(token):
    return f"nansha:import-progress:{token}"


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
    progress_token = ProgressTokenField()
    Media = ProgressMedia


class ConfirmWithProgressForm(ConfirmImportForm):
    progress_token = ProgressTokenField()
    Media = ProgressMedia


def token_of(request):
    """The valid progress token the request carries, or None."""
    token = request.POST.get("progress_token", "")
    return token if re.fullmatch(TOKEN_PATTERN, token) else None


def reporter(token):
    """A progress callback writing to the cache about a hundred times per import, and at the end."""

    def report(done, total):
        step = max(1, total // 100)
        if done == total or done % step == 0:
            cache.set(cache_key(token), {"done": done, "total": total}, SECONDS_KEPT)

    return report


def progress_view(request, token):
    return JsonResponse(cache.get(cache_key(token)) or {"done": 0, "total": None})
