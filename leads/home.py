"""The staff home page's "My leads" section (nansha.staff.home): the open leads assigned to me, overdue first."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nansha.staff.home import HomeSection, register_section

from .models import Lead

SHOWN = 10


@register_section
def my_leads(request):
    """A HomeSection of the open leads the user owns (None for staff who may not view leads); two queries."""
    if not request.user.has_perm("leads.view_lead"):
        return None
    mine = Lead.objects.open().filter(owner=request.user)
    today = timezone.localdate()
    leads = list(mine.order_by("due_on", "-received_at")[:SHOWN])  # Django puts NULLs last in ascending order
    rows = []
    for lead in leads:
        due = ""
        if lead.due_on:
            late = lead.due_on < today
            due = (_("overdue since %(date)s") if late else _("due %(date)s")) % {"date": lead.due_on.isoformat()}
        text = " · ".join(part for part in [lead.reference, lead.get_stage_display(), due] if part)
        rows.append((text, reverse("admin:leads_lead_change", args=[lead.pk])))
    url = f"{reverse('admin:leads_lead_changelist')}?owner__id__exact={request.user.pk}"
    return HomeSection(title=_("My leads"), count=mine.count(), url=url, rows=rows)
