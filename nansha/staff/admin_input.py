"""The admin under hostile input: what Django's admin would pass to the database unchecked is refused first.

- Related records chosen by id (select, autocomplete, many-to-many): an id that is not a whole
  number the database can hold is an invalid choice, and a refused form redraws without it.
- JSON (a park's outline) nested deeper than Python can read is invalid JSON, not a crash.
- Changelist URLs: only the lookups the list's own filters and date drill-down make are allowed
  (Django otherwise runs any lookup on any field, e.g. ?name_zh__regex=( ); a date or number
  out of range is a wrong lookup (the list reloads with the "?e=1" note), not a server error.
"""

import json
import re

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _

INTEGER = re.compile(r"-?[0-9]+")
DATABASE_INTEGER = 2**63  # the widest integer column (bigint) holds less than this
# The lookups Django's list filters and date drill-down put in a changelist URL.
FILTER_LOOKUPS = {"exact", "isnull", "gte", "gt", "lte", "lt", "year", "month", "day", "id__exact", "pk__exact"}


def is_key(value):
    """True for an id the database can look up: a whole number inside bigint's range."""
    text = str(value).strip()
    return bool(INTEGER.fullmatch(text)) and -DATABASE_INTEGER < int(text) < DATABASE_INTEGER


def integer_keyed(model):
    """True when the model's records are chosen by an integer primary key (the only kind checked here)."""
    return isinstance(model._meta.pk, models.IntegerField)


class CheckedRecordField(forms.ModelChoiceField):
    def to_python(self, value):
        checked = not self.to_field_name and integer_keyed(self.queryset.model)
        if checked and value not in self.empty_values and not is_key(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return super().to_python(value)


class CheckedRecordsField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if not self.to_field_name and integer_keyed(self.queryset.model):
            for key in value if isinstance(value, list | tuple | set | frozenset) else ():
                if not is_key(key):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": key}
                    )
        return super()._check_values(value)


class CheckedJSONField(forms.JSONField):
    """JSON nested deeper than Python's decoder can go, or holding a lone UTF-16 surrogate (``"\\ud800"``, which
    no UTF-8 text can carry), is refused like any other invalid JSON, and shown back as it was typed."""

    def to_python(self, value):
        try:
            result = super().to_python(value)
        except RecursionError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None
        except forms.ValidationError as error:
            raise _json_syntax_error(value) or error from None
        if _has_lone_surrogate(result):
            raise forms.ValidationError(
                _("The JSON holds an escaped character that is not valid text (a lone UTF-16 surrogate)."),
                code="invalid",
            )
        return result

    def bound_data(self, data, initial):
        try:
            bound = super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)
        return forms.fields.InvalidJSONInput(data) if _has_lone_surrogate(bound) else bound


def _json_syntax_error(text):
    """Where and why `text` is not JSON, as a ValidationError (None when it parses: the error was another)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return forms.ValidationError(
            _("This is not valid JSON: line %(line)d, column %(column)d: %(reason)s."),
            code="invalid",
            params={"line": error.lineno, "column": error.colno, "reason": error.msg},
        )
    except (TypeError, ValueError, RecursionError):
        return None
    return None


def _has_lone_surrogate(value):
    """Whether a decoded JSON value holds a character UTF-8 cannot encode (a lone surrogate from a \\uD8xx escape)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except (TypeError, ValueError, RecursionError):
        return False
    return False


class CheckedAutocompleteMixin:
    """Redraws only the chosen ids the database can look up (Django's widget queries them unchecked)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field
        to_field = target.model._meta.get_field(getattr(target, "field_name", None) or target.model._meta.pk.name)
        if isinstance(to_field, models.IntegerField):
            value = [v for v in value if is_key(v)]
        return super().optgroups(name, value, attr)


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(CheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


CHECKED_AUTOCOMPLETE = {
    AutocompleteSelect: CheckedAutocompleteSelect,
    AutocompleteSelectMultiple: CheckedAutocompleteSelectMultiple,
}


def checked_autocomplete(field):
    """The form field, its autocomplete widget (inside the admin's "+"/edit wrapper, if any) made checked."""
    widget = getattr(field, "widget", None)
    widget = getattr(widget, "widget", widget)  # RelatedFieldWidgetWrapper
    if type(widget) in CHECKED_AUTOCOMPLETE:
        widget.__class__ = CHECKED_AUTOCOMPLETE[type(widget)]
    return field


class CheckedChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:  # e.g. a date drill-down to month 99999999999
            raise IncorrectLookupParameters(error) from error


class CheckedFormfields:
    """Form fields (of an admin or an inline) that refuse what the database cannot take."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) is models.JSONField:
            kwargs.setdefault("form_class", CheckedJSONField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedRecordField)
        return checked_autocomplete(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedRecordsField)
        return checked_autocomplete(super().formfield_for_manytomany(db_field, request, **kwargs))


def checked(admin_class):
    """`admin_class` with CheckedFormfields (and, for a ModelAdmin, checked changelist URLs) mixed in."""
    mixin = CheckedInputAdmin if issubclass(admin_class, admin.ModelAdmin) else CheckedFormfields
    if issubclass(admin_class, mixin):
        return admin_class
    if admin_class not in _checked:
        _checked[admin_class] = type(
            admin_class.__name__, (mixin, admin_class), {"__module__": admin_class.__module__}
        )
    return _checked[admin_class]


_checked = {}


class CheckedInputAdmin(CheckedFormfields, admin.ModelAdmin):
    """A ModelAdmin whose forms, inlines and changelist URLs refuse what the database cannot take."""

    def get_inlines(self, request, obj):
        return [checked(inline) for inline in super().get_inlines(request, obj)]

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def lookup_allowed(self, lookup, value, request=None):
        if str(value).isdigit() and not is_key(value):
            return False  # a number no column can hold
        for path in self.filtered_paths(request):
            if lookup == path or (lookup.startswith(path + LOOKUP_SEP) and lookup[len(path) + 2 :] in FILTER_LOOKUPS):
                return True
        return False

    def filtered_paths(self, request):
        """The field paths the changelist's own filters and date drill-down look up."""
        paths = {self.date_hierarchy} if self.date_hierarchy else set()
        for entry in self.get_list_filter(request) if request is not None else self.list_filter:
            name = entry[0] if isinstance(entry, list | tuple) else entry
            paths.add(name if isinstance(name, str) else getattr(name, "parameter_name", ""))
        return paths
