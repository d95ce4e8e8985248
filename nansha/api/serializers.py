"""Serializer building blocks: model validation on write, contact fields for partners, links to pages."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from nansha.records.chinese import to_traditional, wants_traditional
from nansha.records.models import one_history_entry_per_save
from nansha.records.presentation import contact_fields, detail_url, is_public

from .access import api_audience


def unconverted(record, attrs):
    """`attrs` with each text sent back as a zh-hant caller read it (the stored simplified text converted to
    traditional characters by the API's renderer) replaced by the stored text: reading a record and sending it
    back changes nothing. A text that differs from the conversion is a change and is kept as sent."""
    if not wants_traditional():
        return attrs
    kept = {}
    for name, value in attrs.items():
        stored = getattr(record, name, None) if isinstance(value, str | list) else None
        kept[name] = stored if stored != value and _converted(stored) == value else value
    return kept


def _converted(stored):
    """A stored text (or list of texts, e.g. aliases) as the renderer gives it to a zh-hant caller; None for others."""
    if isinstance(stored, str):
        return to_traditional(stored)
    if isinstance(stored, list) and all(isinstance(item, str) for item in stored):
        return [to_traditional(item) for item in stored]
    return None


class ModelValidation:
    """Writes run the model's own validation (full_clean), so the API accepts exactly what the admin does."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            attrs = unconverted(self.instance, attrs)
        model = self.Meta.model
        record = copy.copy(self.instance) if self.instance is not None else model()
        many = {f.name for f in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many:
                setattr(record, name, value)
        try:
            record.full_clean(exclude=many)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs


class RecordSerializer(ModelValidation, serializers.ModelSerializer):
    """Writes run the model's own validation (full_clean), so the API accepts exactly what the admin does.

    The model's direct contact fields (presentation.contact_fields) are left out for callers who may not see
    them, and a link to a record the caller may not see is given as no link (its id and name are null).
    """

    page_url = serializers.SerializerMethodField(help_text="The record's public page on the map site.")
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**62,
        help_text="Goes up by one with every change. Required when changing a record: send the version you read; "
        "a change based on an older version is refused with 409 Conflict, so nobody overwrites an edit unseen.",
    )

    def save(self, **kwargs):
        """Saved with its links as one history entry (DRF saves the record, then each link field)."""
        with one_history_entry_per_save():
            return super().save(**kwargs)

    def validate(self, attrs):
        if self.instance is None:
            attrs.pop("version", None)  # a new record starts at version 1
        elif "version" not in attrs:
            raise serializers.ValidationError(
                {"version": [_("Send the version of the record you read (its `version` field) with every change.")]}
            )
        return super().validate(attrs)

    def get_page_url(self, record) -> str | None:
        url = detail_url(record) if is_public(record) else ""  # a draft has no public page
        request = self.context.get("request")
        return request.build_absolute_uri(url) if url and request else url or None

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        documenting = getattr(self.context.get("view"), "swagger_fake_view", False)  # the schema lists them all
        if request is not None and not documenting and not api_audience(request).contacts:
            for name in contact_fields(self.Meta.model):
                fields.pop(name, None)
        user = getattr(request, "user", None)
        if request is not None and not documenting and not (user is not None and user.is_staff):
            fields.pop("verification_note", None)  # what staff must still check: for staff only
        return fields

    def to_representation(self, record):
        data = super().to_representation(record)
        request = self.context.get("request")
        if request is not None:
            audience = api_audience(request)
            # A link to a record the caller may not see is shown as no link: its name and id stay private.
            for field in record._meta.concrete_fields:
                if field.many_to_one and field.name in data and audience.link_limits(type(record), [field.name]):
                    related = getattr(record, field.name)
                    if related is not None and not audience.shows(related):
                        data[field.name] = None
                        if f"{field.name}_name" in data:
                            data[f"{field.name}_name"] = None
        return data


class NamedLink(serializers.Serializer):
    """A related record as {id, name_zh, name_en}."""

    id = serializers.IntegerField(read_only=True)
    name_zh = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)


class PlaceSerializer(RecordSerializer):
    """A record with a position; `distance_km` is given when the list was asked for `near` a point."""

    distance_km = serializers.SerializerMethodField(help_text="Distance from `near`, in km, when given.")

    def get_distance_km(self, record) -> float | None:
        distance = getattr(record, "distance_km", None)
        return None if distance is None else round(distance, 3)


def codes(queryset, **kwargs):
    """A many-to-many field written and read as codes (e.g. chain segment codes)."""
    return serializers.SlugRelatedField(slug_field="code", queryset=queryset, many=True, required=False, **kwargs)
