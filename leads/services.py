"""Writes on leads: receiving one from the public form, turning a signed one into a signed-project record."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from industry.models import SignedProject
from nansha.records.models import PublicationStatus

from .forms import consent_text
from .models import Lead, SourcePage, Stage


def _source_page(data):
    if data.get("space"):
        return SourcePage.SPACE
    if data.get("park"):
        return SourcePage.PARK
    if data.get("enterprise"):
        return SourcePage.ENTERPRISE
    if data.get("match"):
        return SourcePage.MATCH
    return SourcePage.OTHER


def _segments(data):
    from nansha.matching.forms import ProjectForm

    if data.get("match"):
        from django.http import QueryDict

        form = ProjectForm(QueryDict(data["match"]))
        if form.is_valid():
            return list(form.cleaned_data.get("segments") or [])
    if data.get("enterprise"):
        return list(data["enterprise"].segments.all())
    park = data.get("park") or (data["space"].park if data.get("space") else None)
    return list(park.focus_segments.all()) if park else []


@transaction.atomic
def receive_lead(*, data, language):
    """Keep a lead from the contact form's cleaned `data`; its e-mails are queued when the transaction commits.

    language: the page's language code; the investor's confirmation is written in it.
    Returns the Lead (its `reference` is what the investor quotes).
    """
    from . import tasks

    space = data.get("space")
    lead = Lead.objects.create(
        source_page=_source_page(data),
        match_query=data.get("match", ""),
        space=space,
        park=data.get("park") or (space.park if space else None),
        enterprise=data.get("enterprise"),
        language=language,
        company=data["company"],
        contact_name=data["contact_name"],
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        message=data.get("message", ""),
        consent_text=consent_text(),
    )
    lead.segments.set(_segments(data))
    transaction.on_commit(lambda: tasks.lead_received.enqueue(lead.pk))
    return lead


class NotReadyToSign(Exception):
    """The lead cannot become a signed-project record yet; the message says why."""


@transaction.atomic
def make_signed_project(lead, *, user=None):
    """A draft SignedProject from a signed (or landed) lead: investor, enterprise, park, amounts, segments.

    The record is left in draft for an editor to check and publish: a lead's figures are what the investor and
    staff agreed, not yet a public source. Raises NotReadyToSign when the lead is not signed or already has one.
    """
    if lead.stage not in (Stage.SIGNED, Stage.LANDED):
        raise NotReadyToSign(_("Lead %(ref)s is not signed yet.") % {"ref": lead.reference})
    if lead.signed_project_id:
        raise NotReadyToSign(_("Lead %(ref)s already has its signed-project record.") % {"ref": lead.reference})
    investor = lead.enterprise.name_zh if lead.enterprise else lead.company
    project = SignedProject(
        name_zh=lead.project_name or investor,
        investor_zh=investor,
        enterprise=lead.enterprise,
        park=lead.park or (lead.space.park if lead.space else None),
        amount_wan=lead.investment_wan,
        expected_annual_output_wan=lead.expected_annual_output_wan,
        signed_on=timezone.localdate(),
        status=PublicationStatus.DRAFT,
        source=_("Investment-promotion lead %(ref)s") % {"ref": lead.reference},
    )
    project.full_clean()
    project._history_user = user  # the record's first history entry names who made it
    project.save()
    project.segments.set(lead.segments.all())
    lead.signed_project = project
    lead.save()
    return project
