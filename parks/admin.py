from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from nansha.staff.admin import PROVENANCE_FIELDSET, PlaceAdmin, PlaceForm, TrackedRecordAdmin
from nansha.staff.versioning import VersionCheckedForm
from nansha.staff.widgets import OutlineMapWidget

from .models import Park, Space, SpaceStatus


class ParkForm(PlaceForm):
    class Meta:
        widgets = {"outline": OutlineMapWidget()}


class SpaceInline(admin.TabularInline):
    model = Space
    form = VersionCheckedForm
    extra = 0
    fields = [
        "building",
        "floor",
        "unit",
        "use",
        "usable_area_m2",
        "cleanroom_grade",
        "floor_load_kn_m2",
        "ceiling_height_m",
        "rent_yuan_m2_month",
        "available_from",
        "availability",
        "status",
        "source",
        "verified_on",
        "version",
    ]


@admin.register(Park)
class ParkAdmin(PlaceAdmin):
    form = ParkForm
    list_display = [
        "name_zh",
        "kind",
        "level",
        "development_status",
        "operator_zh",
        "free_spaces",
        "status",
        "verified_on",
    ]
    list_filter = ["status", "kind", "level", "development_status", "focus_segments"]
    search_fields = ["name_zh", "name_en", "operator_zh", "operator_en"]
    autocomplete_fields = ["parent", "focus_segments"]
    ordering = ["name_zh", "id"]  # the annotated (grouped) queryset drops the model's own ordering
    inlines = [SpaceInline]
    fieldsets = [
        (None, {"fields": (("name_zh", "name_en"), "aliases", "description_zh", "description_en")}),
        (
            _("Address, position and outline"),
            {
                "fields": (
                    ("address_zh", "address_en"),
                    "position",
                    ("lat", "lng"),
                    "position_is_approximate",
                    "outline",
                )
            },
        ),
        (
            _("Park details"),
            {
                "fields": (
                    ("kind", "level", "development_status"),
                    "parent",
                    ("operator_zh", "operator_en"),
                    "total_floor_area_m2",
                    "focus_segments",
                    ("facilities_zh", "facilities_en"),
                    "website",
                )
            },
        ),
        PROVENANCE_FIELDSET,
    ]

    def get_queryset(self, request):
        # One annotated query instead of a count per row.
        return (
            super()
            .get_queryset(request)
            .annotate(free_space_count=Count("spaces", filter=Q(spaces__availability=SpaceStatus.AVAILABLE)))
        )

    @admin.display(description=_("spaces available"), ordering="free_space_count")
    def free_spaces(self, obj):
        return obj.free_space_count


@admin.register(Space)
class SpaceAdmin(TrackedRecordAdmin):
    list_display = [
        "__str__",
        "park",
        "use",
        "usable_area_m2",
        "cleanroom_grade",
        "rent_yuan_m2_month",
        "availability",
        "available_from",
        "status",
        "verified_on",
        "is_stale",
    ]
    list_filter = ["status", "availability", "use", "cleanroom_grade", "park"]
    list_select_related = ["park"]
    search_fields = ["park__name_zh", "park__name_en", "building"]
    autocomplete_fields = ["park"]
    fieldsets = [
        (None, {"fields": ("park", ("building", "floor", "unit"), ("use", "cleanroom_grade"))}),
        (
            _("Size and fit-out"),
            {"fields": ("usable_area_m2", ("floor_load_kn_m2", "ceiling_height_m"))},
        ),
        (_("Terms"), {"fields": ("rent_yuan_m2_month", ("availability", "available_from"), ("notes_zh", "notes_en"))}),
        PROVENANCE_FIELDSET,
    ]

    @admin.display(boolean=True, description=_("stale"))
    def is_stale(self, obj):
        return obj.is_stale
