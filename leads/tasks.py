"""The leads' background tasks (django-tasks, run by `manage.py run_worker`): e-mails and matching, off the request.

A failing SMTP server fails the task (django-tasks records the error in its results, admin → Background task
records) and never the investor's request.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from nansha.staff.roles import INVESTMENT_PROMOTION

from .models import Lead


def admin_url(lead):
    return settings.SITE_URL.rstrip("/") + reverse("admin:leads_lead_change", args=[lead.pk])


def _send(*, to, template, context, language):
    with translation.override(language):
        subject = render_to_string(f"leads/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"leads/email/{template}.txt", context)
    EmailMessage(subject=" ".join(subject.split()), body=body, to=to).send()


def bureau_staff():
    """Active members of the investment-promotion role who have an e-mail address."""
    return get_user_model().objects.filter(groups__name=INVESTMENT_PROMOTION, is_active=True).exclude(email="")


@task()
def lead_received(lead_id):
    """A new lead: the investor's confirmation (when they gave an address) and a note to the bureau's staff.

    The staff's note holds the reference and a link to the admin, no personal data: that stays in the admin.
    """
    lead = Lead.objects.filter(pk=lead_id).first()
    if lead is None or lead.anonymised_at:
        return 0
    sent = 0
    if lead.email:
        context = {"lead": lead, "retention_days": settings.LEADS_RETENTION_DAYS}
        _send(to=[lead.email], template="confirmation", context=context, language=lead.language)
        sent += 1
    staff = [user.email for user in (bureau_staff() if lead.owner is None else [lead.owner]) if user.email]
    if staff:
        context = {"lead": lead, "url": admin_url(lead)}
        _send(to=staff, template="new_lead", context=context, language=settings.LANGUAGE_CODE)
        sent += 1
    return sent


@task()
def lead_assigned(lead_id):
    """Tell a lead's new owner it is theirs."""
    lead = Lead.objects.select_related("owner").filter(pk=lead_id).first()
    if lead is None or lead.owner is None or not lead.owner.email:
        return 0
    context = {"lead": lead, "url": admin_url(lead)}
    _send(to=[lead.owner.email], template="assigned", context=context, language=settings.LANGUAGE_CODE)
    return 1


@task()
def supply_changed(records):
    """Spaces, parks or policies were published or changed ([[model label, pk], ...]): flag the open leads they
    now fit and e-mail each owner once."""
    from .matching import flag_leads_for

    flagged = {}
    for model_label, pk in records:
        for lead in flag_leads_for(model_label, pk):
            flagged[lead.pk] = lead
    for lead in flagged.values():
        if lead.owner and lead.owner.email:
            context = {"lead": lead, "url": admin_url(lead)}
            _send(to=[lead.owner.email], template="new_fits", context=context, language=settings.LANGUAGE_CODE)
    return len(flagged)
