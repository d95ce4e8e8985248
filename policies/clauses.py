"""Clauses (条款) of a policy: each with its own structured conditions and its own award formula.

A clause's conditions are judged against a company's facts by policies.eligibility.judge_clause;
its award is worked out there too, with the arithmetic shown. Money is in 万元 (10,000 yuan),
areas in m², headcounts in people.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from industry.models import ApprovalKind, DevelopmentStage, OwnershipKind, SizeBand
from nansha.records.fields import ChoiceListField
from nansha.records.models import in_language
from nansha.records.numbers import money_from_wan

# Ownership kinds that together make a domestic (内资) enterprise, as policies use the word.
DOMESTIC = [OwnershipKind.PRIVATE, OwnershipKind.STATE_OWNED, OwnershipKind.MIXED]


class Measure(models.TextChoices):
    """A number a clause can set a threshold on or compute an award from."""

    FIXED_ASSET_INVESTMENT = "fixed_asset_investment", _("fixed-asset investment")
    FOREIGN_CAPITAL = "foreign_capital", _("foreign capital injected")
    REVENUE = "revenue", _("revenue")
    RD_SPENDING = "rd_spending", _("R&D spending")
    HEADCOUNT = "headcount", _("headcount")
    CLEANROOM_AREA = "cleanroom_area", _("cleanroom area")


# measure -> (the company fact's name, also the clause's threshold field with "min_" before it; its unit)
MEASURES = {
    Measure.FIXED_ASSET_INVESTMENT: ("fixed_asset_investment_wan", "万元"),
    Measure.FOREIGN_CAPITAL: ("foreign_capital_wan", "万元"),
    Measure.REVENUE: ("revenue_wan", "万元"),
    Measure.RD_SPENDING: ("rd_spending_wan", "万元"),
    Measure.HEADCOUNT: ("headcount", _("people")),
    Measure.CLEANROOM_AREA: ("cleanroom_area_m2", "m²"),
}
MONEY_MEASURES = [m for m, (_fact, unit) in MEASURES.items() if unit == "万元"]


class AwardKind(models.TextChoices):
    NONE = "none", _("Support without money")
    FIXED = "fixed", _("Fixed amount")
    PERCENTAGE = "percentage", _("Percentage of a basis, with a cap")
    PER_UNIT = "per_unit", _("Amount per unit, with a cap")
    UP_TO = "up_to", _("Up to a cap, decided case by case")
    UNSTATED = "unstated", _("Not stated in the source")


def format_number(value):
    """12345.50 -> '12,345.5'; 20000 -> '20,000' (Decimal in, text out; no float rounding)."""
    value = Decimal(value)
    text = f"{value.quantize(Decimal('0.01')):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _amount_field(verbose_name, help_text="", max_digits=14):
    return models.DecimalField(
        verbose_name=verbose_name,
        max_digits=max_digits,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


class Clause(models.Model):
    """One numbered clause (条款) of a policy: who it is for (structured conditions) and what it gives.

    An empty condition means the clause sets none. Thresholds are minimums and an amount exactly at
    the threshold qualifies (“2亿元以上” includes 2亿元). Conditions that cannot be structured go in
    other_conditions_*: they are shown beside every result but not judged.
    """

    policy = models.ForeignKey(
        to="policies.Policy", verbose_name=_("policy"), on_delete=models.CASCADE, related_name="clauses"
    )
    number = models.CharField(
        verbose_name=_("number"), max_length=30, help_text=_("As the policy numbers it, e.g. 2.")
    )
    sort_order = models.PositiveSmallIntegerField(verbose_name=_("sort order"), default=0)
    title_zh = models.CharField(verbose_name=_("title (Chinese)"), max_length=200)
    title_en = models.CharField(verbose_name=_("title (English)"), max_length=200, blank=True)
    text_zh = models.TextField(verbose_name=_("text (Chinese)"), blank=True)
    text_en = models.TextField(verbose_name=_("text (English)"), blank=True)
    for_enterprises = models.BooleanField(
        verbose_name=_("for enterprises"),
        default=True,
        help_text=_("Untick for a measure government takes on itself (a target, a layout): not in the calculator."),
    )

    # Conditions (申报条件)
    segments = models.ManyToManyField(
        to="industry.ChainSegment",
        verbose_name=_("chain segments"),
        blank=True,
        related_name="policy_clauses",
        help_text=_("Empty means all."),
    )
    ownership_kinds = ChoiceListField(
        verbose_name=_("ownership kinds"),
        item_choices=OwnershipKind.choices,
        help_text=_("None ticked: any. Domestic is private, state-owned and mixed."),
    )
    min_years_since_founding = models.PositiveSmallIntegerField(
        verbose_name=_("minimum years since founding"), null=True, blank=True
    )
    max_years_since_founding = models.PositiveSmallIntegerField(
        verbose_name=_("maximum years since founding"), null=True, blank=True
    )
    requires_nansha_registration = models.BooleanField(verbose_name=_("must be registered in Nansha"), default=False)
    required_honours = models.ManyToManyField(
        to="industry.Honour",
        verbose_name=_("required honours"),
        blank=True,
        related_name="policy_clauses",
        help_text=_("The enterprise must hold every honour listed."),
    )
    size_bands = ChoiceListField(
        verbose_name=_("size bands"), item_choices=SizeBand.choices, help_text=_("None ticked: any.")
    )
    min_fixed_asset_investment_wan = _amount_field(_("fixed-asset investment at least (10,000 yuan)"))
    min_foreign_capital_wan = _amount_field(_("foreign capital injected at least (10,000 yuan)"))
    min_revenue_wan = _amount_field(_("revenue at least (10,000 yuan)"))
    min_rd_spending_wan = _amount_field(_("R&D spending at least (10,000 yuan)"))
    min_headcount = models.PositiveIntegerField(verbose_name=_("headcount at least"), null=True, blank=True)
    min_cleanroom_area_m2 = _amount_field(_("cleanroom area at least (m²)"), max_digits=12)
    min_clinical_stage = models.CharField(
        verbose_name=_("clinical stage reached at least"),
        max_length=12,
        choices=DevelopmentStage.choices,
        blank=True,
    )
    required_approvals = ChoiceListField(
        verbose_name=_("approvals held"),
        item_choices=ApprovalKind.choices,
        help_text=_("The enterprise must hold every approval ticked."),
    )
    other_conditions_zh = models.TextField(
        verbose_name=_("other conditions (Chinese)"), blank=True, help_text=_("Shown with every result, not judged.")
    )
    other_conditions_en = models.TextField(verbose_name=_("other conditions (English)"), blank=True)

    # Award (奖励)
    award_kind = models.CharField(
        verbose_name=_("award kind"), max_length=12, choices=AwardKind.choices, default=AwardKind.NONE
    )
    award_amount_wan = _amount_field(
        _("amount (10,000 yuan)"), help_text=_("The fixed amount, or the amount per unit of the basis.")
    )
    award_percent = models.DecimalField(
        verbose_name=_("percentage"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],  # over 100: refused by clean() with its own message, said once
        help_text=_("For a percentage award: 10 means 10%."),
    )
    award_basis = models.CharField(
        verbose_name=_("basis or unit"),
        max_length=30,
        choices=Measure.choices,
        blank=True,
        help_text=_("What the percentage is of, or what the amount is paid per."),
    )
    award_cap_wan = _amount_field(
        _("cap (10,000 yuan)"), help_text=_("The most the clause gives; empty: no cap stated.")
    )
    award_note_zh = models.TextField(verbose_name=_("award note (Chinese)"), blank=True)
    award_note_en = models.TextField(verbose_name=_("award note (English)"), blank=True)
    is_complete = models.BooleanField(
        verbose_name=_("stated in full"),
        default=True,
        help_text=_("Untick when the source leaves part of the clause out (conditions or award)."),
    )
    source = models.TextField(verbose_name=_("source"), blank=True, help_text=_("Where the clause is read from."))

    _history_m2m_fields = ["segments", "required_honours"]  # kept in the clause's history
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["policy", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "number"],
                name="clause_number_unique_in_policy",
                violation_error_message=_("This policy already has a clause with this number."),
            ),
            models.CheckConstraint(
                condition=models.Q(award_percent__isnull=True)
                | models.Q(award_percent__gte=0, award_percent__lte=100),
                name="clause_percent_0_to_100",
                violation_error_message=_("A percentage must lie between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def title(self):
        return in_language(self.title_zh, self.title_en)

    @property
    def heading(self):
        """'Clause 2 · 龙头企业奖励' in the page's language; 'Clause health-4' alone when the title only repeats it."""
        label = _("Clause %(number)s") % {"number": self.number}
        if not self.title_en and self.title_zh.strip() in (f"条款 {self.number}", f"条款{self.number}", ""):
            return label
        return f"{label} · {self.title}"

    @property
    def text(self):
        return in_language(self.text_zh, self.text_en)

    @property
    def other_conditions(self):
        return in_language(self.other_conditions_zh, self.other_conditions_en)

    @property
    def award_note(self):
        return in_language(self.award_note_zh, self.award_note_en)

    def thresholds(self):
        """[(measure, minimum, unit)] for each numeric condition the clause sets."""
        found = []
        for measure, (fact, unit) in MEASURES.items():
            minimum = getattr(self, f"min_{fact}")
            if minimum is not None:
                found.append((measure, Decimal(minimum), unit))
        return found

    def award_formula(self):
        """The award in words, e.g. '10% of fixed-asset investment, at most 10,000 万元'."""
        kind, cap = self.award_kind, self.award_cap_wan
        capped = (_(", at most %(cap)s") % {"cap": money_from_wan(cap)}) if cap is not None else ""
        if kind == AwardKind.FIXED and self.award_amount_wan is not None:
            return money_from_wan(self.award_amount_wan)
        if kind == AwardKind.PERCENTAGE and self.award_percent is not None and self.award_basis:
            return _("%(pct)s%% of %(basis)s") % {
                "pct": format_number(self.award_percent),
                "basis": Measure(self.award_basis).label,
            } + (capped or str(_(", no cap stated")))
        if kind == AwardKind.PER_UNIT and self.award_amount_wan is not None and self.award_basis:
            return _("%(amount)s per %(unit)s of %(basis)s") % {
                "amount": money_from_wan(self.award_amount_wan),
                "unit": MEASURES[self.award_basis][1],
                "basis": Measure(self.award_basis).label,
            } + (capped or str(_(", no cap stated")))
        if kind == AwardKind.UP_TO and cap is not None:
            return _("up to %(cap)s, decided case by case") % {"cap": money_from_wan(cap)}
        if kind == AwardKind.UNSTATED:
            return str(_("amount not stated in the source"))
        return str(_("support without money"))

    def clean(self):
        """Refuse awards and conditions that cannot be computed: each message names the field and the problem."""
        super().clean()
        errors = {}
        kind, amount, pct, basis, cap = (
            self.award_kind,
            self.award_amount_wan,
            self.award_percent,
            self.award_basis,
            self.award_cap_wan,
        )
        if pct is not None and pct > 100:
            errors["award_percent"] = _("A percentage cannot be over 100 (you gave %(pct)s).") % {
                "pct": format_number(pct)
            }
        if kind == AwardKind.FIXED and amount is None:
            errors["award_amount_wan"] = _("A fixed award needs its amount in 10,000 yuan.")
        if kind == AwardKind.PERCENTAGE:
            if pct is None:
                errors.setdefault("award_percent", _("A percentage award needs its percentage."))
            if not basis:
                errors["award_basis"] = _("A percentage award needs the basis it is a percentage of.")
            elif basis not in MONEY_MEASURES:
                errors["award_basis"] = _(
                    "A percentage can only be of an amount of money (10,000 yuan), not of %(basis)s."
                ) % {"basis": Measure(basis).label}
        if kind == AwardKind.PER_UNIT:
            if amount is None:
                errors["award_amount_wan"] = _("An award per unit needs the amount per unit in 10,000 yuan.")
            if not basis:
                errors["award_basis"] = _("An award per unit needs the unit it is paid per.")
        if kind == AwardKind.UP_TO and cap is None:
            errors["award_cap_wan"] = _("An award “up to a cap” needs the cap in 10,000 yuan.")
        if kind in (AwardKind.FIXED, AwardKind.PER_UNIT) and amount is not None and cap is not None and cap < amount:
            errors.setdefault(
                "award_cap_wan",
                _("The cap (%(cap)s) is below the amount (%(amount)s).")
                % {"cap": money_from_wan(cap), "amount": money_from_wan(amount)},
            )
        if kind == AwardKind.NONE and any(v not in (None, "") for v in (amount, pct, basis, cap)):
            errors["award_kind"] = _(
                "Support without money has no amount, percentage, basis or cap: choose another award kind "
                "or clear them."
            )
        if kind in (AwardKind.FIXED, AwardKind.UP_TO) and (pct is not None or basis):
            errors.setdefault(
                "award_basis", _("Only a percentage award or an award per unit has a percentage or a basis.")
            )
        lo, hi = self.min_years_since_founding, self.max_years_since_founding
        if lo is not None and hi is not None and hi < lo:
            errors["max_years_since_founding"] = _("The maximum years since founding is below the minimum.")
        if errors:
            raise ValidationError(errors)
