"""The leads pipeline in the admin: list, stages, owner, due dates, follow-ups, history, signing, personal data.

Who sees what (nansha/staff/roles.py): the investment-promotion role works leads and sees their personal data
(leads.view_personal_data); a user given only leads.view_lead sees the pipeline without names, numbers,
addresses, messages or follow-up notes; editors and viewers are given no permission on leads at all.
"""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from nansha.staff.admin import HistoryAdmin

from . import funnel, privacy, services, tasks
from .matching import fits_today
from .models import CLOSED, PERSONAL_FIELDS, FollowUp, Lead, Stage

PERSONAL_PERMISSION = "leads.view_personal_data"


def sees_personal_data(request):
    return request.user.has_perm(PERSONAL_PERMISSION)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    fields = ["happened_on", "note", "author"]
    readonly_fields = ["author"]
    extra = 1


class OverdueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("none", _("No due date"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.exclude(stage__in=CLOSED).filter(due_on__lt=timezone.localdate())
        if self.value() == "none":
            return queryset.filter(due_on__isnull=True)
        return queryset


@admin.register(Lead)
class LeadAdmin(HistoryAdmin):
    list_display = [
        "reference",
        "received_at",
        "company",
        "source_page",
        "stage",
        "owner",
        "due",
        "fits",
        "anonymise_on",
    ]
    list_filter = ["stage", OverdueFilter, "source_page", "owner"]
    list_select_related = ["owner"]
    list_per_page = 50
    date_hierarchy = "received_at"
    actions = ["make_signed_projects", "export_personal_data", "erase_personal_data"]
    readonly_fields = [
        "reference",
        "received_at",
        "source_page",
        "asked_about",
        "language",
        "consent_text",
        "stage_changed_at",
        "signed_project",
        "anonymise_on",
        "anonymised_at",
        "fits_today",
    ]
    personal_fieldset = (_("The investor (personal information)"), {"fields": list(PERSONAL_FIELDS)})
    autocomplete_fields = []
    raw_id_fields = ["space", "park", "enterprise"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["reference", "received_at", "source_page", "asked_about", "language"]}),
            (
                _("Pipeline"),
                {"fields": ["stage", "stage_changed_at", "lost_reason", "owner", "due_on", "new_fits"]},
            ),
            (
                _("The project"),
                {
                    "fields": [
                        "project_name",
                        "investment_wan",
                        "expected_annual_output_wan",
                        "space",
                        "park",
                        "enterprise",
                        "segments",
                        "signed_project",
                        "fits_today",
                    ]
                },
            ),
        ]
        if sees_personal_data(request):
            fieldsets.insert(1, self.personal_fieldset)
            fieldsets.append(
                (_("Consent and retention"), {"fields": ["consent_text", "anonymise_on", "anonymised_at"]})
            )
        return fieldsets

    def get_list_display(self, request):
        if sees_personal_data(request):
            return self.list_display
        return [name for name in self.list_display if name not in (*PERSONAL_FIELDS, "anonymise_on")]

    def get_search_fields(self, request):
        if sees_personal_data(request):
            return ["reference", "company", "contact_name", "email", "phone"]
        return ["reference"]

    def get_inlines(self, request, obj):
        return [FollowUpInline] if sees_personal_data(request) else []  # notes may name people

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not sees_personal_data(request):
            actions.pop("export_personal_data", None)
            actions.pop("erase_personal_data", None)
        return actions

    def history_view(self, request, object_id, extra_context=None):
        if not sees_personal_data(request):  # every entry holds the personal data as it was then
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not sees_personal_data(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False  # a lead is closed as lost or erased, never deleted: the funnel counts it

    # --- columns and read-only fields ----------------------------------------------------------------------

    @admin.display(description=_("next step due"), ordering="due_on")
    def due(self, lead):
        if lead.due_on is None:
            return "—"
        if lead.is_overdue:
            return format_html(
                '<strong class="overdue" style="color:#b71c1c">⚠ {} {}</strong>', lead.due_on, _("overdue")
            )
        return lead.due_on

    @admin.display(description=_("new supply that fits"))
    def fits(self, lead):
        return lead.new_fits_text

    @admin.display(description=_("asked about"))
    def asked_about(self, lead):
        parts = []
        for record in (lead.space, lead.park, lead.enterprise):
            if record is not None:
                parts.append(str(record))
        if lead.match_query:
            return format_html(
                '{} <a href="{}?{}">{}</a>',
                " · ".join(parts),
                reverse("match"),
                lead.match_query,
                _("its /match/ query"),
            )
        return " · ".join(parts) or "—"

    @admin.display(description=_("anonymised on"))
    def anonymise_on(self, lead):
        when = lead.anonymise_after
        return timezone.localdate(when) if when else "—"

    @admin.display(description=_("fits today"))
    def fits_today(self, lead):
        if lead.pk is None:
            return "—"
        fits = fits_today(lead)
        if fits is None:
            return _("The lead states no needs (it came from a park or an enterprise page).")
        spaces, policies = fits
        items = [
            (
                reverse("park-detail", args=[m.space.park_id]),
                f"{m.space.park} {m.space.building} {m.space.floor}",
                m.score,
            )
            for m in spaces
        ]
        return format_html(
            "{}<ul>{}</ul>{}",
            ngettext("%(n)s space fits now:", "%(n)s spaces fit now:", len(spaces)) % {"n": len(spaces)},
            format_html_join("", '<li><a href="{}">{}</a> ({})</li>', items),
            ngettext("%(n)s policy applies or may apply.", "%(n)s policies apply or may apply.", len(policies))
            % {"n": len(policies)},
        )

    # --- saving --------------------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "owner" in form.changed_data and obj.owner_id:
            transaction.on_commit(lambda: tasks.lead_assigned.enqueue(obj.pk))

    def save_formset(self, request, form, formset, change):
        for follow_up in formset.save(commit=False):
            if follow_up.author_id is None:
                follow_up.author = request.user
            follow_up.save()
        for gone in formset.deleted_objects:
            gone.delete()

    # --- actions -------------------------------------------------------------------------------------------

    @admin.action(description=_("Make signed-project records from the selected signed leads"), permissions=["change"])
    def make_signed_projects(self, request, queryset):
        made = 0
        for lead in queryset.select_related("enterprise", "park", "space__park"):
            try:
                project = services.make_signed_project(lead, user=request.user)
            except services.NotReadyToSign as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
                continue
            made += 1
            url = reverse("admin:industry_signedproject_change", args=[project.pk])
            self.message_user(
                request,
                format_html('{} <a href="{}">{}</a>', _("Signed-project record made (draft):"), url, project),
                messages.SUCCESS,
            )
        return made

    @admin.action(description=_("Export the personal data of the selected leads (JSON)"), permissions=["change"])
    def export_personal_data(self, request, queryset):
        data = [privacy.personal_data(lead) for lead in queryset.prefetch_related("follow_ups")]
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="leads-personal-data-{timezone.localdate()}.json"'
        return response

    @admin.action(description=_("Erase the personal data of the selected leads"), permissions=["change"])
    def erase_personal_data(self, request, queryset):
        count = sum(1 for lead in queryset if privacy.erase(lead, reason="erased on request"))
        self.message_user(
            request,
            ngettext("%(n)s lead anonymised.", "%(n)s leads anonymised.", count) % {"n": count},
            messages.SUCCESS,
        )

    # --- the funnel page -----------------------------------------------------------------------------------

    def get_urls(self):
        funnel_view = self.admin_site.admin_view(self.funnel_view)
        return [path("funnel/", funnel_view, name="leads_lead_funnel"), *super().get_urls()]

    def funnel_view(self, request):
        from django.template.response import TemplateResponse

        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": _("Leads funnel"), **funnel.figures()}
        return TemplateResponse(request, "admin/leads/funnel.html", context)


__all__ = ["LeadAdmin", "Stage"]
