import csv

from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from nansha.records.spreadsheet_cells import quote_formula
from nansha.staff.admin import PROVENANCE_FIELDSET, HistoryAdmin, RecordAdmin, VocabularyAdmin

from . import eligibility
from .models import Clause, Policy, SupportKind


class ClauseInline(admin.StackedInline):
    """A policy's clauses, edited on the policy's page; each clause's conditions and award checked on save."""

    model = Clause
    extra = 0
    autocomplete_fields = ["segments", "required_honours"]
    readonly_fields = ["qualifying"]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    ("number", "sort_order", "for_enterprises", "is_complete"),
                    "qualifying",
                    ("title_zh", "title_en"),
                    ("text_zh", "text_en"),
                    "source",
                )
            },
        ),
        (
            _("Conditions"),
            {
                "fields": (
                    "segments",
                    "ownership_kinds",
                    ("min_years_since_founding", "max_years_since_founding"),
                    ("requires_nansha_registration", "size_bands"),
                    "required_honours",
                    ("min_fixed_asset_investment_wan", "min_foreign_capital_wan"),
                    ("min_revenue_wan", "min_rd_spending_wan"),
                    ("min_headcount", "min_cleanroom_area_m2"),
                    "min_clinical_stage",
                    "required_approvals",
                    ("other_conditions_zh", "other_conditions_en"),
                )
            },
        ),
        (
            _("Award"),
            {
                "fields": (
                    "award_kind",
                    ("award_amount_wan", "award_percent", "award_basis", "award_cap_wan"),
                    ("award_note_zh", "award_note_en"),
                )
            },
        ),
    ]

    @admin.display(description=_("Granted without applying: who qualifies now"))
    def qualifying(self, clause):
        if clause.pk is None or not clause.for_enterprises:
            return "—"
        url = reverse("admin:policies_clause_qualifying", args=[clause.pk])
        return format_html('<a href="{}">{}</a> · <a href="{}?format=csv">CSV</a>', url, _("Enterprises"), url)


def _deciding_facts(result):
    return "; ".join(
        f"{'✔' if j.outcome == eligibility.MET else '?'} {j.reason}"
        for j in (*result.policy_judgements, *result.judgements)
    )


def _figures(result):
    return "; ".join(
        f"{fact.get_kind_display()}: {fact.shown_value} @ {fact.as_of.isoformat()} ({fact.source}"
        + (f", {_('verified on')} {fact.verified_on.isoformat()})" if fact.verified_on else f", {_('not verified')})")
        for fact in result.records
    )


def clause_qualifying_view(modeladmin, request, clause_pk):
    """免申即享 for one clause: the published enterprises that qualify now (or may, facts named), as a page or CSV."""
    if not modeladmin.has_view_permission(request):
        raise Http404
    clause = get_object_or_404(Clause.objects.select_related("policy"), pk=clause_pk)
    rows = eligibility.qualifying_for_clause(clause)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="clause-{clause.pk}-qualifying.csv"'
        response.write("\ufeff")  # so that Excel reads the Chinese as UTF-8
        writer = csv.writer(response)
        writer.writerow(
            ["enterprise", "credit_code", "status", "award", "missing_facts", "deciding_facts", "figures_on_record"]
        )
        for enterprise, result in rows:
            writer.writerow(
                [
                    quote_formula(enterprise.name_zh),
                    enterprise.credit_code,
                    result.status,
                    quote_formula(str(result.award.arithmetic)),
                    quote_formula("、".join(result.missing)),
                    quote_formula(_deciding_facts(result)),
                    quote_formula(_figures(result)),
                ]
            )
        return response
    context = {
        **modeladmin.admin_site.each_context(request),
        "clause": clause,
        "policy": clause.policy,
        "rows": rows,
        "eligible": sum(1 for _e, r in rows if r.status == eligibility.ELIGIBLE),
        "opts": modeladmin.model._meta,
        "title": _("Granted without applying: enterprises that qualify for clause %(number)s of “%(policy)s”")
        % {"number": clause.number, "policy": clause.policy},
    }
    return TemplateResponse(request, "admin/policies/clause_qualifying.html", context)


@admin.register(Clause)
class ClauseAdmin(HistoryAdmin):
    """Clauses one by one, with their history (who changed which condition or award, and when)."""

    list_display = ["__str__", "policy", "award_kind", "for_enterprises", "is_complete"]
    list_filter = ["award_kind", "for_enterprises", "is_complete"]
    search_fields = ["number", "title_zh", "title_en", "policy__title_zh"]
    list_select_related = ["policy"]
    autocomplete_fields = ["policy", "segments", "required_honours"]
    readonly_fields = ["qualifying"]
    fieldsets = [(None, {"fields": ("policy",)}), *ClauseInline.fieldsets]
    qualifying = ClauseInline.qualifying


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
    inlines = [ClauseInline]

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request, clause_pk: clause_qualifying_view(self, request, clause_pk))
        return [
            path("clauses/<int:clause_pk>/qualifying/", view, name="policies_clause_qualifying"),
            *super().get_urls(),
        ]

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
                    ("issued_on", "published_on", "effective_from", "effective_to"),
                    "official_url",
                    "completeness_note",
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
