"""An enterprise's figures on record (industry.EnterpriseFact) as the calculator reads them, and how a missing
or too old figure is said.

A clause is judged on the latest figure of each kind that is current for its policy's period: on or after the
day the policy takes effect (else the day it was issued, else published); a year's figure (revenue, R&D
spending) may be of the year before, as policies ask for the last full year (上一年度). An older figure is
left out (the fact is then unknown, never guessed) and named as too old.
"""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from industry.models import FactKind
from industry.models.facts import ANNUAL_KINDS

from .clauses import MEASURES, Measure

# An EnterpriseFact kind -> the Profile attribute it fills.
FACT_ATTRIBUTES = {
    **{kind.value: MEASURES[Measure(kind.value)][0] for kind in FactKind if kind.value in Measure.values},
    FactKind.CLINICAL_STAGE.value: "clinical_stage",
    FactKind.APPROVAL.value: "approvals",
}


def facts_period_start(policy):
    """The day from which an enterprise's figures count for `policy`: when it takes effect, else when it was
    issued, else when it was made public (None: no date known, so no figure is too old)."""
    return policy.effective_from or policy.issued_on or policy.published_on


def too_old(kind, as_of, since):
    """A figure as of `as_of` is older than a period starting on `since`; a year's figure (revenue, R&D spending)
    may be of the year before (上一年度, as policies ask for the last full year)."""
    if since is None:
        return False
    if kind in ANNUAL_KINDS:
        return as_of < date(since.year - 1, 1, 1)
    return as_of < since


def apply_facts(profile, facts, since):
    """Fill `profile` from EnterpriseFact records: the latest figure of each kind (of each approval), if current."""
    profile.of_record, profile.since = True, since
    latest = {}
    for fact in facts:
        key = (fact.kind, fact.code if fact.kind == FactKind.APPROVAL else "")
        if key not in latest or fact.as_of > latest[key].as_of:
            latest[key] = fact
    held, stale_approvals = [], []
    for (kind, _code), fact in sorted(latest.items()):
        attr = FACT_ATTRIBUTES[kind]
        if too_old(kind, fact.as_of, since):
            if kind == FactKind.APPROVAL:
                stale_approvals.append(fact)
            else:
                profile.stale[attr] = fact.as_of
            continue
        if kind == FactKind.APPROVAL:
            held.append(fact)
            continue
        if kind == FactKind.CLINICAL_STAGE:
            profile.clinical_stage = fact.code
        elif kind == FactKind.HEADCOUNT:
            profile.headcount = int(fact.value)
        else:
            setattr(profile, attr, Decimal(fact.value))
        profile.as_of[attr] = fact.as_of
        profile.records[attr] = [fact]
    if held:
        profile.approvals = [f.code for f in held]
        profile.as_of["approvals"] = min(f.as_of for f in held)
        profile.records["approvals"] = held
    elif stale_approvals:
        profile.stale["approvals"] = max(f.as_of for f in stale_approvals)


def absent(needs, fact):
    """Why the fact named `fact` (a Profile attribute) is not known: not given, not on record, or too old."""
    if fact in needs.stale:
        return _("the figure on record is as of %(date)s, older than the policy's period (from %(since)s)") % {
            "date": needs.stale[fact].isoformat(),
            "since": needs.since.isoformat(),
        }
    return _("not on record") if needs.of_record else _("you did not give it")


def missing_name(needs, fact, label):
    """The missing fact's name, saying so when the one on record is too old."""
    if fact in needs.stale:
        return _("%(fact)s (the figure on record, as of %(date)s, is too old)") % {
            "fact": label,
            "date": needs.stale[fact].isoformat(),
        }
    return str(label)


def dated(needs, fact):
    """' (as of 2024-12-31)' for a figure from the records, else ''."""
    day = needs.as_of.get(fact)
    return _(" (as of %(date)s)") % {"date": day.isoformat()} if day else ""
