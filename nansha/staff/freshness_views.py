"""The staff's freshness page (/admin/freshness/): stale records by kind, and "Mark verified today".

Each kind shows only to staff who may view it in the admin; ticking and marking only to those who
may change it, and a POST naming a kind the user may not change is refused as a whole (403).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from nansha.staff.freshness import mark_verified, record_kinds, stale_page

PER_PAGE = 50  # one kind, paged
PREVIEW = 10  # each kind on the overview of all kinds
MAX_DAYS = 100 * 365


class FreshnessFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    days = forms.IntegerField(
        label=gettext_lazy("Not verified for more than (days)"), required=False, min_value=0, max_value=MAX_DAYS
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10**6, widget=forms.HiddenInput)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *((k.key, capfirst(k.label)) for k in kinds)]


def _model_admin(model):
    return admin.site._registry[model]  # every record kind has an admin


def _may_view(request, model):
    return _model_admin(model).has_view_permission(request)


def _may_change(request, model):
    return _model_admin(model).has_change_permission(request)


def _filters(request, kinds):
    """(kind or None, days or None, page, notes): what the query asked for, bad values replaced by defaults."""
    form = FreshnessFilterForm(request.GET, kinds=kinds)
    form.is_valid()
    notes = []
    if "kind" in form.errors:
        notes.append(_("There is no kind “%(kind)s” you may see: all kinds are shown.") % {"kind": form.data["kind"]})
    if "days" in form.errors:
        notes.append(
            _("“%(days)s” is not a number of days from 0 to %(max)d: each kind’s usual age is used.")
            % {"days": form.data["days"], "max": MAX_DAYS}
        )
    if "page" in form.errors:
        notes.append(
            _("Page “%(value)s” is not a page number; the first page is shown.") % {"value": form.data["page"]}
        )
    data = form.cleaned_data
    by_key = {k.key: k for k in kinds}
    return form, by_key.get(data.get("kind")), data.get("days"), data.get("page") or 1, notes


def _rows(page, today, may_change):
    """What the table shows of each record; no queries beyond the page's own."""
    opts = page.kind.model._meta
    rows = []
    for record in page.records:
        rows.append(
            {
                "record": record,
                "name": str(record),
                "value": f"{page.kind.key}:{record.pk}",
                "age_days": (today - record.verified_on).days if record.verified_on else None,
                "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
                "hidden_from_map": page.kind.hides_stale_records and record.is_published and record.is_stale,
            }
        )
    return {"page": page, "rows": rows, "may_change": may_change}


@require_http_methods(["GET", "HEAD", "POST"])
def freshness_page(request):
    kinds = [kind for kind in record_kinds() if _may_view(request, kind.model)]
    if request.method == "POST":
        return _mark_verified(request, kinds)
    today = timezone.localdate()
    form, chosen, days, number, notes = _filters(request, kinds)
    if chosen is not None:
        pages = [stale_page(chosen, today=today, days=days, number=number, per_page=PER_PAGE)]
    else:
        pages = [stale_page(kind, today=today, days=days, per_page=PREVIEW) for kind in kinds]
    sections = [_rows(page, today, _may_change(request, page.kind.model)) for page in pages]
    context = {
        **admin.site.each_context(request),
        "title": _("Records to re-verify"),
        "form": form,
        "notes": notes,
        "chosen": chosen,
        "days": days,
        "sections": sections,
        "may_mark": any(section["may_change"] and section["rows"] for section in sections),
        "record_days": settings.RECORD_STALE_AFTER_DAYS,
        "space_days": settings.SPACE_LISTING_STALE_AFTER_DAYS,
        "today": today,
    }
    return TemplateResponse(request, "admin/freshness.html", context)


def _mark_verified(request, kinds):
    """Mark the ticked records ("<kind>:<pk>") verified today, then back to the same list."""
    changeable = {kind.key: kind for kind in kinds if _may_change(request, kind.model)}
    if not changeable:
        raise PermissionDenied
    wanted = {}
    for value in request.POST.getlist("record"):
        key, _sep, pk = value.partition(":")
        if key not in changeable:
            raise PermissionDenied  # a kind the user may not change (or does not exist): change nothing
        if pk.isascii() and pk.isdigit() and len(pk) < 19:  # anything else the form never sends: ignored
            wanted.setdefault(changeable[key], []).append(int(pk))
    back = request.get_full_path()
    if not wanted:
        messages.warning(request, _("Tick the records you have checked, then mark them verified."))
        return HttpResponseRedirect(back)
    today = timezone.localdate()
    marked = missing = conflicts = 0
    for kind, pks in wanted.items():
        result = mark_verified(kind.model, pks, today=today)
        with translation.override(None):  # the admin stores field names untranslated, shows them translated
            message = [{"changed": {"fields": [str(kind.model._meta.get_field("verified_on").verbose_name)]}}]
        for record in result.marked:
            _model_admin(kind.model).log_change(request, record, message)
        marked += len(result.marked)
        missing += len(result.missing)
        conflicts += len(result.conflicts)
    if marked:
        messages.success(
            request,
            ngettext(
                "%(count)d record marked verified on %(date)s.",
                "%(count)d records marked verified on %(date)s.",
                marked,
            )
            % {"count": marked, "date": today.isoformat()},
        )
    if missing:
        messages.warning(
            request,
            ngettext(
                "%(count)d record no longer exists (deleted meanwhile) and was skipped.",
                "%(count)d records no longer exist (deleted meanwhile) and were skipped.",
                missing,
            )
            % {"count": missing},
        )
    if conflicts:
        messages.error(
            request,
            ngettext(
                "%(count)d record was saved by someone else at the same moment and was not marked; try again.",
                "%(count)d records were saved by someone else at the same moment and were not marked; try again.",
                conflicts,
            )
            % {"count": conflicts},
        )
    return HttpResponseRedirect(back)


freshness_view = admin.site.admin_view(freshness_page)
