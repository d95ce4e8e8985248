"""A lead's needs against today's supply, with /match/'s engine (nansha/matching/engine.py), both ways.

A lead's needs are its /match/ query when it has one; a lead from a space's link needs a space of that use and
cleanroom grade, at least SPACE_AREA_SHARE of that space's area (an assumption: staff see it is one); a lead
from a park or an enterprise page states no needs, and is not matched.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nansha.matching.engine import Needs, match
from nansha.matching.forms import ProjectForm

from .models import Lead

SPACE_AREA_SHARE = Decimal("0.8")
NOT_STATED_BY_INVESTOR = {"clinical"}  # the engine always judges nearness to hospitals: a bonus, not a need


def lead_needs(lead):
    """The Needs of a lead (nansha.matching.engine.Needs), or None when it states none."""
    if lead.match_query:
        form = ProjectForm(QueryDict(lead.match_query))
        if form.is_valid():
            return form.needs()
    if lead.space_id:
        space = lead.space
        return Needs(
            use=space.use,
            cleanroom=space.cleanroom_grade,
            area_min=(space.usable_area_m2 * SPACE_AREA_SHARE).quantize(Decimal("0.1")),
        )
    return None


def fits_today(lead):
    """What fits the lead now, or None when it states no needs: (spaces, policies).

    spaces: SpaceMatch of the spaces that fail none of the criteria the investor stated (a fact the listing lacks
    does not fail it); policies: PolicyMatch of the policies the project qualifies or may qualify for.
    """
    needs = lead_needs(lead)
    if needs is None:
        return None
    result = match(needs)
    spaces = [
        m
        for m in result.spaces
        if m.space.pk != lead.space_id
        and not any(j.criterion not in NOT_STATED_BY_INVESTOR for j in m.reasons_against)
    ]
    return spaces, result.useful_policies


def _fits(model_label, pk, fits):
    spaces, policies = fits
    if model_label == "parks.Space":
        return [m for m in spaces if m.space.pk == pk]
    if model_label == "parks.Park":
        return [m for m in spaces if m.space.park_id == pk]
    return [m for m in policies if m.policy.pk == pk]


def _note(model_label, count):
    if model_label == "policies.Policy":
        return ngettext("%(n)s new policy fits this lead", "%(n)s new policies fit this lead", count) % {"n": count}
    return ngettext("%(n)s new space fits this lead", "%(n)s new spaces fit this lead", count) % {"n": count}


def flag_leads_for(model_label, pk):
    """Flag the open leads with needs that the published record `model_label` `pk` now fits; returns those leads.

    The flag (`Lead.new_fits`) says how many spaces or policies fit, added to what it already said, until staff
    clear it. A record already named in the lead's history of flags is not counted twice.
    """
    flagged = []
    leads = Lead.objects.open().select_related("owner", "space").exclude(match_query="", space__isnull=True)
    for lead in leads:
        fits = fits_today(lead)
        if fits is None:
            continue
        found = _fits(model_label, pk, fits)
        if not found:
            continue
        marker = f"[{model_label}:{pk}]"
        if marker in lead.new_fits:
            continue
        with translation.override(settings.LANGUAGE_CODE):  # kept in the site's language, as staff read it
            note = f"{_note(model_label, len(found))} {marker}"
        lead.new_fits = f"{lead.new_fits}; {note}" if lead.new_fits else note
        with transaction.atomic():
            lead.new_fits = lead.new_fits[-500:]
            lead._change_reason = _("new supply fits")
            lead.save(update_fields=["new_fits", "updated_at"])
        flagged.append(lead)
    return flagged
