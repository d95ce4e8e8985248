from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from nansha.staff.admin import PROVENANCE_FIELDSET, RecordAdmin, VocabularyAdmin

from . import eligibility
from .models import Policy, SupportKind


@admin.register(SupportKind)
class SupportKindAdmin(VocabularyAdmin):
    list_display = ["name_zh", "name_en", "sort_order", "code"]
    search_fields = ["name_zh", "name_en", "code"]


@admin.action(description=_("Which enterprises qualify? (one policy)"))
def qualifying_enterprises(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Select exactly one policy."), messages.WARNING)
        return None
    policy = queryset.get()
    rows = eligibility.qualifying_enterprises(policy)
    counts = {
        status: sum(1 for _e, s, _j in rows if s == status) for status in (eligibility.ELIGIBLE, eligibility.POSSIBLE)
    }
    context = {
        **modeladmin.admin_site.each_context(request),
        "policy": policy,
        "rows": rows,
        "counts": counts,
        "opts": modeladmin.model._meta,
        "title": _("Enterprises against “%(policy)s”") % {"policy": policy},
    }
    return TemplateResponse(request, "admin/policies/qualifying_enterprises.html", context)


@admin.register(Policy)
class PolicyAdmin(RecordAdmin):
    list_display = [
        "title_zh",
        "document_number",
        "level",
        "issued_on",
        "effective_to",
        "max_amount_wan",
        "status",
        "verified_on",
    ]
    list_filter = ["status", "level", "support_kinds", "target_segments", "requires_nansha_registration"]
    search_fields = ["title_zh", "title_en", "document_number", "issuing_body_zh"]
    autocomplete_fields = ["support_kinds", "target_segments", "required_honours"]
    date_hierarchy = "issued_on"
    actions = [*RecordAdmin.actions, qualifying_enterprises]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    ("title_zh", "title_en"),
                    "aliases",
                    "document_number",
                    ("issuing_body_zh", "issuing_body_en"),
                    "level",
                    ("issued_on", "effective_from", "effective_to"),
                    "official_url",
                )
            },
        ),
        (_("Content"), {"fields": (("summary_zh", "summary_en"), "full_text")}),
        (_("Support"), {"fields": ("support_kinds", "max_amount_wan", "target_segments")}),
        (
            _("Eligibility"),
            {
                "fields": (
                    ("min_years_since_founding", "max_years_since_founding"),
                    "eligible_ownership_kinds",
                    "eligible_size_bands",
                    "required_honours",
                    "requires_nansha_registration",
                    ("eligibility_notes_zh", "eligibility_notes_en"),
                )
            },
        ),
        PROVENANCE_FIELDSET,
    ]
