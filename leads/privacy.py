"""Personal-data duties (PIPL arts. 45, 47): what is held about one person, its erasure, its end after retention.

Erasure keeps the lead (its stage, dates, source, needs: the funnel still counts it) and replaces the personal
fields, the follow-up notes and the same values in every history entry; the lead says when it was anonymised.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import ERASED, PERSONAL_FIELDS, FollowUp, Lead


def personal_data(lead):
    """Everything held about the person of a lead, as a JSON-ready dict (the lead, its follow-ups, its history)."""
    return {
        "reference": lead.reference,
        "received_at": lead.received_at.isoformat(),
        **{name: getattr(lead, name) for name in PERSONAL_FIELDS},
        "consent_text": lead.consent_text,
        "asked_about": {
            "match_query": lead.match_query,
            "space": str(lead.space) if lead.space_id else None,
            "park": str(lead.park) if lead.park_id else None,
            "enterprise": str(lead.enterprise) if lead.enterprise_id else None,
        },
        "stage": lead.stage,
        "follow_ups": [{"date": f.happened_on.isoformat(), "note": f.note} for f in lead.follow_ups.all()],
        "history": [
            {"date": h.history_date.isoformat(), **{name: getattr(h, name) for name in PERSONAL_FIELDS}}
            for h in lead.history.order_by("history_date")
        ],
        "anonymise_after": lead.anonymise_after.isoformat() if lead.anonymise_after else None,
    }


def find_person(text):
    """The leads whose e-mail, phone (E.164) or reference is `text` (what a person asking would quote)."""
    text = text.strip()
    return Lead.objects.filter(Q(email__iexact=text) | Q(phone=text) | Q(reference__iexact=text))


@transaction.atomic
def erase(lead, *, reason):
    """Anonymise one lead: personal fields, follow-up notes and their history. False if it already was."""
    if lead.anonymised_at:
        return False
    blank = {"company": ERASED, "contact_name": ERASED, "phone": "", "email": "", "message": ""}
    for name, value in blank.items():
        setattr(lead, name, value)
    lead.anonymised_at = timezone.now()
    lead._change_reason = reason
    lead.save()
    lead.history.update(**blank)  # the entries before this one held the data too
    FollowUp.objects.filter(lead=lead).update(note=ERASED)
    FollowUp.history.filter(lead_id=lead.pk).update(note=ERASED)
    return True


def anonymise_expired(now=None):
    """Anonymise every lead kept LEADS_RETENTION_DAYS since its last stage change; returns how many."""
    return sum(erase(lead, reason="retention period ended") for lead in Lead.objects.due_for_anonymising(now))
