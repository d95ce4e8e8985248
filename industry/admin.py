from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from nansha.staff.admin import (
    PROVENANCE_FIELDSET,
    PlaceAdmin,
    RecordAdmin,
    TrackedRecordAdmin,
    VocabularyAdmin,
    place_fieldsets,
)
from nansha.staff.versioning import VersionCheckedForm

from .models import (
    ChainSegment,
    ClinicalProject,
    Enterprise,
    EnterpriseFact,
    Fund,
    Honour,
    Hospital,
    InvestmentStage,
    Product,
    ResearchInstitution,
    ServicePlatform,
    SignedProject,
    StatedFigure,
)


@admin.register(ChainSegment)
class ChainSegmentAdmin(VocabularyAdmin):
    list_display = ["name_zh", "name_en", "stage", "parent", "sort_order", "code"]
    list_filter = ["stage"]
    list_select_related = ["parent"]
    search_fields = ["name_zh", "name_en", "code"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"code": ["name_en"]}


@admin.register(Honour)
class HonourAdmin(VocabularyAdmin):
    list_display = ["name_zh", "name_en", "code"]
    search_fields = ["name_zh", "name_en", "code"]


@admin.register(InvestmentStage)
class InvestmentStageAdmin(VocabularyAdmin):
    list_display = ["name_zh", "name_en", "sort_order", "code"]
    search_fields = ["name_zh", "name_en", "code"]


class ProductInline(admin.StackedInline):
    model = Product
    form = VersionCheckedForm
    extra = 0
    autocomplete_fields = ["segment"]
    fields = [
        ("name_zh", "name_en"),
        "aliases",
        ("kind", "development_stage", "segment"),
        ("indication_zh", "indication_en"),
        ("description_zh", "description_en"),
        ("status", "source", "verified_on"),
        "version",
    ]


class EnterpriseFactInline(admin.TabularInline):
    """The figures policies ask about (investment, revenue, approvals...), each with its date and source."""

    model = EnterpriseFact
    extra = 0
    fields = ["kind", "value", "code", "reference", "as_of", "source", "source_is_public", "verified_on"]
    classes = ["collapse"]
    verbose_name_plural = _("facts for policies (staff only unless the source is public)")


@admin.register(EnterpriseFact)
class EnterpriseFactAdmin(TrackedRecordAdmin):
    """Every enterprise's facts in one list, with their history; imported as the kind “facts”."""

    form = forms.ModelForm
    actions = []
    list_display = ["enterprise", "kind", "value", "code", "as_of", "source", "source_is_public", "verified_on"]
    list_filter = ["kind", "source_is_public", "as_of"]
    list_select_related = ["enterprise"]
    search_fields = ["enterprise__name_zh", "enterprise__name_en", "enterprise__credit_code", "source"]
    autocomplete_fields = ["enterprise"]
    date_hierarchy = "as_of"
    fields = [
        "enterprise",
        "kind",
        ("value", "code", "reference"),
        "as_of",
        ("source", "source_is_public"),
        "verified_on",
        ("created_at", "updated_at"),
    ]


@admin.register(StatedFigure)
class StatedFigureAdmin(TrackedRecordAdmin):
    """Headline figures as sources state them, shown on the dashboard beside the record counts."""

    list_display = ["metric_en", "metric_zh", "value", "unit", "as_of", "kind", "status", "verified_on"]
    list_filter = ["status", "kind"]
    search_fields = ["metric_zh", "metric_en", "value", "source"]
    fieldsets = [
        (None, {"fields": (("metric_zh", "metric_en"), ("value", "unit"), ("as_of", "kind"), "note", "sort_order")}),
        PROVENANCE_FIELDSET,
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("source", "verification_note"):
            kwargs["widget"] = forms.Textarea(attrs={"class": "vLargeTextField", "rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Enterprise)
class EnterpriseAdmin(PlaceAdmin):
    search_fields = ["name_zh", "name_en", "credit_code"]
    list_display = ["name_zh", "name_en", "credit_code", "park", "ownership", "size_band", "status", "verified_on"]
    list_filter = ["status", "ownership", "size_band", "segments__stage", "honours", "park", "position_is_approximate"]
    list_select_related = ["park"]
    autocomplete_fields = ["park", "segments", "honours"]
    inlines = [ProductInline, EnterpriseFactInline]
    fieldsets = place_fieldsets(
        (
            _("Company"),
            {
                "fields": (
                    "credit_code",
                    ("founded_on", "registered_capital_wan"),
                    ("ownership", "size_band", "registered_in_nansha"),
                    "park",
                    "segments",
                    "honours",
                    ("website", "contact_phone", "contact_email"),
                )
            },
        ),
    )


@admin.register(Product)
class ProductAdmin(RecordAdmin):
    list_display = ["name_zh", "enterprise", "kind", "development_stage", "status", "verified_on"]
    list_filter = ["status", "kind", "development_stage"]
    list_select_related = ["enterprise"]
    search_fields = ["name_zh", "name_en", "enterprise__name_zh", "enterprise__name_en"]
    autocomplete_fields = ["enterprise", "segment"]


@admin.register(Hospital)
class HospitalAdmin(PlaceAdmin):
    list_display = ["name_zh", "grade", "is_drug_trial_institution", "has_stem_cell_filing", "status", "verified_on"]
    list_filter = ["status", "grade", "is_drug_trial_institution", "has_stem_cell_filing", "position_is_approximate"]
    fieldsets = place_fieldsets(
        (
            _("Clinical resources"),
            {
                "fields": (
                    "grade",
                    ("is_drug_trial_institution", "has_stem_cell_filing"),
                    ("specialties_zh", "specialties_en"),
                    "website",
                )
            },
        ),
    )


@admin.register(ResearchInstitution)
class ResearchInstitutionAdmin(PlaceAdmin):
    list_display = ["name_zh", "kind", "status", "has_position", "verified_on"]
    list_filter = ["status", "kind", "position_is_approximate"]
    autocomplete_fields = ["segments"]
    fieldsets = place_fieldsets(
        (_("Talent and research"), {"fields": ("kind", ("disciplines_zh", "disciplines_en"), "segments", "website")}),
    )


@admin.register(Fund)
class FundAdmin(PlaceAdmin):
    list_display = ["name_zh", "kind", "fund_size_wan", "status", "verified_on"]
    list_filter = ["status", "kind", "stages", "focus_segments"]
    autocomplete_fields = ["stages", "focus_segments"]
    fieldsets = place_fieldsets(
        (
            _("Finance"),
            {"fields": ("kind", ("manager_zh", "manager_en"), "fund_size_wan", "stages", "focus_segments", "website")},
        ),
    )


@admin.register(ServicePlatform)
class ServicePlatformAdmin(PlaceAdmin):
    list_display = ["name_zh", "park", "status", "has_position", "verified_on"]
    list_select_related = ["park"]
    autocomplete_fields = ["park", "segments"]
    fieldsets = place_fieldsets(
        (_("Services"), {"fields": (("services_zh", "services_en"), "segments", "park", "website")}),
    )


@admin.register(SignedProject)
class SignedProjectAdmin(RecordAdmin):
    list_display = [
        "name_zh",
        "investor_zh",
        "park",
        "amount_wan",
        "expected_annual_output_wan",
        "signed_on",
        "status",
    ]
    list_filter = ["status", "amounts_are_estimates", "park"]
    list_select_related = ["park"]
    search_fields = ["name_zh", "name_en", "investor_zh", "investor_en"]
    autocomplete_fields = ["enterprise", "park", "segments"]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    ("name_zh", "name_en"),
                    "aliases",
                    ("investor_zh", "investor_en"),
                    "enterprise",
                    "park",
                    "segments",
                )
            },
        ),
        (
            _("Figures"),
            {"fields": (("amount_wan", "expected_annual_output_wan"), "amounts_are_estimates", "signed_on")},
        ),
        (None, {"fields": ("description_zh", "description_en")}),
        PROVENANCE_FIELDSET,
    ]


@admin.register(ClinicalProject)
class ClinicalProjectAdmin(RecordAdmin):
    list_display = ["name_zh", "hospital", "enterprise", "stage", "patients_treated", "status", "verified_on"]
    list_filter = ["status", "stage", "hospital"]
    list_select_related = ["hospital", "enterprise"]
    search_fields = ["name_zh", "name_en", "indication_zh", "indication_en"]
    autocomplete_fields = ["hospital", "enterprise", "segments"]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    ("name_zh", "name_en"),
                    "aliases",
                    ("indication_zh", "indication_en"),
                    ("technology_zh", "technology_en"),
                    ("hospital", "enterprise"),
                    "segments",
                )
            },
        ),
        (
            _("Progress"),
            {"fields": ("stage", ("started_on", "ended_on"), "patients_treated", ("outcome_zh", "outcome_en"))},
        ),
        (None, {"fields": ("description_zh", "description_en")}),
        PROVENANCE_FIELDSET,
    ]
