"""A clause's award worked out for one company, with the arithmetic shown.

All money is Decimal 万元 (10,000 yuan), rounded half up to 0.01 万元 (100 yuan). A basis the
company did not give is unknown: the amount is then None and the missing fact is named, never
taken as zero.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from nansha.records.numbers import money_from_wan

from .clauses import MEASURES, AwardKind, Measure, format_number
from .facts import absent, dated, missing_name

CENT = Decimal("0.01")


@dataclass
class Award:
    """amount_wan: the award when it can be worked out; ceiling_wan: the most it can be (None: unbounded or unknown).

    missing: the fact needed to work it out (named), or "".
    """

    amount_wan: Decimal | None
    ceiling_wan: Decimal | None
    arithmetic: str
    missing: str = ""


def _wan(value):
    return money_from_wan(value)  # 30,000 万元, or ¥300,000,000 in English


def compute_award(clause, facts):
    """The Award of `clause` for a company whose facts (a policies.eligibility.Profile) are `facts`.

    Examples (hand-worked in tests/test_policy_clauses.py): 10% of 30,000 万元 capped at 10,000 gives
    "10% × 30,000 万元 = 3,000 万元, under the 10,000 万元 cap"; of 200,000 万元 it gives 10,000 万元, capped.
    """
    kind, cap = clause.award_kind, clause.award_cap_wan
    cap = Decimal(cap) if cap is not None else None
    if kind == AwardKind.NONE:
        return Award(Decimal(0), Decimal(0), _("support without money"))
    if kind == AwardKind.FIXED:
        amount = Decimal(clause.award_amount_wan)
        return Award(amount, amount, _("a fixed %(amount)s") % {"amount": _wan(amount)})
    if kind == AwardKind.UP_TO:
        return Award(None, cap, _("up to %(cap)s, decided case by case") % {"cap": _wan(cap)})
    if kind == AwardKind.UNSTATED:
        return Award(None, None, _("the amount is not stated in the source"))
    measure = Measure(clause.award_basis)
    fact, unit = MEASURES[measure]
    value = getattr(facts, fact)
    if kind == AwardKind.PERCENTAGE:
        rate = Decimal(clause.award_percent)
        factor, shown = rate / 100, f"{format_number(rate)}%"
    else:
        factor = Decimal(clause.award_amount_wan)
        shown = _("%(amount)s per %(unit)s") % {"amount": _wan(factor), "unit": unit}
    if value is None:
        if getattr(facts, "of_record", False):
            text = _("%(factor)s × %(basis)s: %(absent)s") % {
                "factor": shown,
                "basis": measure.label,
                "absent": absent(facts, fact),
            }
        else:
            text = _("%(factor)s × your %(basis)s, which you did not give") % {"factor": shown, "basis": measure.label}
        if cap is not None:
            text += _("; at most %(cap)s") % {"cap": _wan(cap)}
        return Award(None, cap, text, missing=missing_name(facts, fact, measure.label))
    value = Decimal(value)
    raw = (factor * value).quantize(CENT, rounding=ROUND_HALF_UP)
    basis = _wan(value) if unit == "万元" else f"{format_number(value)} {unit}"
    text = f"{shown} × {basis}{dated(facts, fact)} = {_wan(raw)}"
    if cap is None:
        return Award(raw, raw, text + _(" (no cap stated)"))
    if raw > cap:
        return Award(cap, cap, text + _(", capped at %(cap)s") % {"cap": _wan(cap)})
    return Award(raw, raw, text + _(", under the %(cap)s cap") % {"cap": _wan(cap)})
