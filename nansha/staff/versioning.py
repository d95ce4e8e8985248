"""Optimistic locking for staff edits: a save based on an older version of a record is refused.

The model side is django-concurrency's version field on every TrackedRecord: an UPDATE only
applies while the stored version is still the one the editor started from, whoever writes (admin,
API, import). This module gives the admin form a clear message for that case, naming who saved in
between, when, and where the stored record now differs from what the editor typed; the editor's
input stays in the form, and nothing of the colleague's edit is lost.
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

VERSION_FIELD = "version"


def saved_with(*fields, model):
    """update_fields for a partial save: these fields and, on a versioned model, the version (it must move on)."""
    has_version = any(field.name == VERSION_FIELD for field in model._meta.concrete_fields)
    return [*fields, VERSION_FIELD] if has_version else list(fields)


def last_change(record, editor=None):
    """{"who", "when", "user", "history_id"} of the latest saved change to a record; None without history.

    "who" and "when" as messages show them (the local time); "who" is "you, in another window" when
    `editor` (the user now saving) made that change.
    """
    history = getattr(type(record), "history", None)
    if history is None:
        return None
    entry = history.filter(id=record.pk).select_related("history_user").order_by("-history_date").first()
    if entry is None:
        return None
    user = entry.history_user
    if user is None:
        who = _("a process outside the admin")
    elif editor is not None and user.pk == editor.pk:
        who = _("you, in another window")
    else:
        who = user.get_full_name() or user.get_username()
    return {
        "who": who,
        "when": date_format(timezone.localtime(entry.history_date), "Y-m-d H:i"),
        "user": user,
        "history_id": entry.history_id,
    }


def _admin_url(record, view, *args):
    """The admin page `view` ("change", "history", "simple_history") of a record, or None where it has none."""
    try:
        return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_{view}", args=[record.pk, *args])
    except NoReverseMatch:
        return None


def conflict_message(record, stored, differing, editor=None):
    """The refusal shown to the second editor: who saved (you, in another window, if `editor` did), when,
    which fields now differ, with links to the saved version and the record's history (HTML, escaped)."""
    saved = last_change(stored, editor)
    by_editor = (
        saved is not None and saved["user"] is not None and editor is not None and saved["user"].pk == editor.pk
    )
    versions = {"yours": record.version, "stored": stored.version}
    if by_editor:
        opening = _(
            "Not saved: you saved this record in another window after you opened it here (you started from "
            "version %(yours)s; it is now version %(stored)s)."
        )
    else:
        opening = _(
            "Not saved: someone else saved this record after you opened it (you started from version "
            "%(yours)s; it is now version %(stored)s)."
        )
    parts = [format_html("{}", opening % versions)]
    if saved is not None:
        parts.append(format_html("{}", _("Last saved by %(who)s on %(when)s.") % saved))
        version_url = _admin_url(stored, "simple_history", saved["history_id"])
        history_url = _admin_url(stored, "history")
        if version_url and history_url:
            parts.append(
                format_html(
                    '<a href="{}" target="_blank" rel="noopener">{}</a> · <a href="{}" target="_blank" '
                    'rel="noopener">{}</a>',
                    version_url,
                    _("See the saved version"),
                    history_url,
                    _("the record’s history"),
                )
            )
    if differing:
        parts.append(
            format_html(
                "{}",
                _("The saved record now differs from your form in: %(fields)s.") % {"fields": ", ".join(differing)},
            )
        )
    parts.append(
        format_html(
            "{}",
            _(
                "Your input is still in the form below. Open the record again to see the saved version, "
                "then re-apply what you need."
            ),
        )
    )
    return mark_safe(" ".join(parts))  # each part escaped by format_html


def stored_value(stored, name):
    """The stored value of a form field, comparable with the form's cleaned value."""
    field = stored._meta.get_field(name)
    if field.many_to_many:
        return {obj.pk for obj in getattr(stored, name).all()}
    return field.value_from_object(stored)


def cleaned_value(form, name):
    """A form's cleaned value, with related records as a set of ids."""
    value = form.cleaned_data.get(name)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "all") or (
        isinstance(value, list | tuple | set) and value and all(isinstance(obj, models.Model) for obj in value)
    ):
        return {obj.pk for obj in value}  # chosen related records, compared as a set of ids
    return value  # a list held in one column (aliases, choice lists) compares as the list it is


class VersionCheckedForm(forms.ModelForm):
    """A model form that refuses to save over a newer version of its record than the one it was opened at.

    `editor`, the user saving (set by the admin: a class attribute of the change form, a form_kwargs of
    an inline's forms), lets the refusal say "you, in another window" when the newer save was theirs.
    """

    editor = None

    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editor is not None:
            self.editor = editor

    def clean(self):
        cleaned = super().clean()
        record = self.instance
        if record.pk is None or VERSION_FIELD not in self.fields or VERSION_FIELD not in cleaned:
            return cleaned
        model = type(record)
        rows = model._default_manager.filter(pk=record.pk)
        if connection.in_atomic_block:
            rows = rows.select_for_update()  # held until the admin's transaction commits: no race with another save
        stored = rows.first()
        if stored is None:
            raise ValidationError(_("Not saved: this record was deleted by someone else after you opened it."))
        record.version = cleaned[VERSION_FIELD]
        if stored.version != record.version:
            differing = [
                str(capfirst(self.fields[name].label or name))
                for name in self.fields
                if name != VERSION_FIELD
                and name in cleaned
                and _is_model_field(model, name)
                and cleaned_value(self, name) != stored_value(stored, name)
            ]
            raise ValidationError(conflict_message(record, stored, differing, self.editor), code="version_conflict")
        return cleaned


def _is_model_field(model, name):
    """False for form-only fields such as the map position, which are not compared."""
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
