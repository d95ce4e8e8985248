"""Admin building blocks shared by every public record: publishing, provenance, the point map."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .cache import bump_data_version
from .records import PublicationStatus
from .widgets import PositionField

PROVENANCE_FIELDSET = (
    _("Publication and provenance"),
    {"fields": ("status", "source", "verified_on", "created_at", "updated_at")},
)


def place_fieldsets(*specific, name_fields=("name_zh", "name_en")):
    """Fieldsets for a Place: names, address and map position, the kind's own fields, provenance."""
    return [
        (None, {"fields": (name_fields, "description_zh", "description_en")}),
        (
            _("Address and position"),
            {"fields": (("address_zh", "address_en"), "position", ("lat", "lng"), "position_is_approximate")},
        ),
        *specific,
        PROVENANCE_FIELDSET,
    ]


class PlaceForm(forms.ModelForm):
    """A model form for any Place, with a map that sets its latitude and longitude."""

    position = PositionField(label=_("position on the map"))


@admin.action(description=_("Publish the selected records"))
def publish(modeladmin, request, queryset):
    count = queryset.exclude(status=PublicationStatus.PUBLISHED).update(status=PublicationStatus.PUBLISHED)
    bump_data_version()  # update() sends no save signal
    modeladmin.message_user(
        request,
        ngettext("%(count)d record published.", "%(count)d records published.", count) % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Unpublish the selected records (back to draft)"))
def unpublish(modeladmin, request, queryset):
    count = queryset.exclude(status=PublicationStatus.DRAFT).update(status=PublicationStatus.DRAFT)
    bump_data_version()  # update() sends no save signal
    modeladmin.message_user(
        request,
        ngettext("%(count)d record unpublished.", "%(count)d records unpublished.", count) % {"count": count},
        messages.SUCCESS,
    )


class RecordAdmin(admin.ModelAdmin):
    """Admin for a named public record: search by name, filter by status, publish in bulk."""

    actions = [publish, unpublish]
    search_fields = ["name_zh", "name_en"]
    list_filter = ["status"]
    list_display = ["name_zh", "name_en", "status", "verified_on", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    save_on_top = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "source":  # titles and URLs are long: give them the room
            kwargs["widget"] = forms.TextInput(attrs={"class": "vLargeTextField"})
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
