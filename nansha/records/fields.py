"""Model fields the apps share."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """A list of choice values stored as JSON, edited as checkboxes.

    Used where a record names several values of a fixed vocabulary that is evaluated in Python
    rather than filtered in SQL (e.g. the ownership kinds a policy admits). Vocabularies that
    are filtered or counted in SQL are models with many-to-many relations instead.
    """

    def __init__(self, *args, item_choices=(), **kwargs):
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {key for key, _label in self.item_choices}
        if not isinstance(value, list):
            raise ValidationError(_("Expected a list of choices."), code="invalid")
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise ValidationError(
                _("Unknown choice: %(values)s."),
                code="invalid_choice",
                params={"values": ", ".join(map(str, unknown))},
            )

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.item_choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


MAX_ALIASES = 20
MAX_ALIAS_LENGTH = 100


def split_aliases(value):
    """Names written one per line (or separated by ';' / '；') as a list: trimmed, empty ones dropped, each once."""
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(r"[\r\n;；]+", value)
    return list(dict.fromkeys(str(name).strip() for name in value if str(name).strip()))


class AliasListFormField(forms.CharField):
    """A list of names edited as text, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(map(str, value))
        return value

    def to_python(self, value):
        return split_aliases(super().to_python(value))

    def has_changed(self, initial, data):
        return split_aliases(initial) != self.to_python(data)


class AliasListField(models.JSONField):
    """Several other names of a record stored as a JSON list of strings: short names (中山一院),
    abbreviations (HKUST), former names. Each is searched like the record's name.

    Why a JSON list rather than one text with a name per line: the API returns a list, the
    history shows a list, and no separator has to be reserved in the data; the admin still edits
    it as one name per line and spreadsheets as names separated by ';'.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise ValidationError(_("Expected a list of names."), code="invalid")
        if len(value) > MAX_ALIASES:
            raise ValidationError(
                _("At most %(max)d names (there are %(count)d)."),
                code="max_items",
                params={"max": MAX_ALIASES, "count": len(value)},
            )
        too_long = [name for name in value if len(name) > MAX_ALIAS_LENGTH]
        if too_long:
            raise ValidationError(
                _("A name has at most %(max)d characters: %(names)s."),
                code="max_length",
                params={"max": MAX_ALIAS_LENGTH, "names": ", ".join(too_long)},
            )
        if "\x00" in "".join(value):
            raise ValidationError(_("Null characters are not allowed."), code="null_characters_not_allowed")

    def pre_save(self, model_instance, add):
        value = split_aliases(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return AliasListFormField(
            required=not self.blank, label=self.verbose_name, help_text=self.help_text, max_length=None
        )
