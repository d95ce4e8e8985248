"""The staff home page (/admin/mine/): my records to verify, recent changes by others, my jobs, and the
sections other apps register (nansha/staff/home.py). Each list shows only the kinds the user may view."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nansha.staff.freshness import record_kinds
from nansha.staff.home import CHANGES_DAYS, my_jobs, my_stale_records, other_sections, recent_changes_by_others


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def staff_home(request):
    kinds = [kind for kind in record_kinds() if admin.site._registry[kind.model].has_view_permission(request)]
    today, now = timezone.localdate(), timezone.now()
    stale = my_stale_records(request.user, kinds, today=today)
    for group in stale:
        group.links = [(record, _admin_url(group.kind.model, "change", record.pk)) for record in group.records]
        group.all_url = f"{reverse('freshness')}?kind={group.kind.key}"
    changes, changes_total = recent_changes_by_others(request.user, kinds, now=now)
    for change in changes:
        view = "history" if change.entry.history_type != "-" else None
        change.kind_name = change.kind.model._meta.verbose_name
        change.url = _admin_url(change.kind.model, view, change.entry.id) if view else ""
    context = {
        **admin.site.each_context(request),
        "title": _("My work"),
        "stale": stale,
        "stale_total": sum(group.total for group in stale),
        "changes": changes,
        "changes_total": changes_total,
        "changes_days": CHANGES_DAYS,
        "jobs": my_jobs(request.user),
        "sections": other_sections(request),
        "today": today,
    }
    return TemplateResponse(request, "admin/staff_home.html", context)


staff_home_view = admin.site.admin_view(staff_home)
