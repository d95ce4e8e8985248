"""Facts about an enterprise that support policies ask for (fixed-asset investment, revenue, approvals held...).

Why a model of its own rather than columns on Enterprise: each figure refers to its own date (revenue of
2024, headcount at 2025-06-30) and comes from its own source (an annual report, the company's filing, a staff
visit); a figure of one year does not replace another year's; and a clause judged with a figure must be able
to say how old the figure is. One row per figure, kept with history (who changed which figure, and when).

Units are fixed by the kind, as the policy clauses state thresholds (policies.clauses): money in 万元
(10,000 yuan; foreign capital too, converted at the rate of the day it was injected), headcount in people,
cleanroom area in m². Clinical stage and approvals are codes, not numbers.

These facts are the company's business figures: staff-only, except a figure whose source is public (an annual
report, an exchange filing, an official notice) and marked so, which the enterprise's public page may show.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enterprises import DevelopmentStage


class ApprovalKind(models.TextChoices):
    """Approvals and filings a clause can require (names as NMPA and NHC use them)."""

    DRUG_REGISTRATION = "drug_registration", _("Drug registration certificate")
    DRUG_MANUFACTURING = "drug_manufacturing", _("Drug manufacturing licence")
    DEVICE_CLASS_3 = "device_class_3", _("Class III medical device registration")
    DEVICE_CLASS_2 = "device_class_2", _("Class II medical device registration")
    CLINICAL_TRIAL = "clinical_trial", _("Clinical trial approval")
    STEM_CELL_FILING = "stem_cell_filing", _("Stem-cell clinical research filing")
    GENETIC_RESOURCES = "genetic_resources", _("Human genetic resources permit")


class FactKind(models.TextChoices):
    """What a fact is about. The numeric kinds have the codes of policies.clauses.Measure."""

    FIXED_ASSET_INVESTMENT = "fixed_asset_investment", _("fixed-asset investment")
    FOREIGN_CAPITAL = "foreign_capital", _("foreign capital injected")
    REVENUE = "revenue", _("revenue")
    RD_SPENDING = "rd_spending", _("R&D spending")
    HEADCOUNT = "headcount", _("headcount")
    CLEANROOM_AREA = "cleanroom_area", _("cleanroom area")
    CLINICAL_STAGE = "clinical_stage", _("clinical stage of the lead product")
    APPROVAL = "approval", _("approval held")


# kind -> unit of its value (numeric kinds only)
FACT_UNITS = {
    FactKind.FIXED_ASSET_INVESTMENT: "万元",
    FactKind.FOREIGN_CAPITAL: "万元",
    FactKind.REVENUE: "万元",
    FactKind.RD_SPENDING: "万元",
    FactKind.HEADCOUNT: "人",
    FactKind.CLEANROOM_AREA: "m²",
}
# Figures over a year (营业收入, 研发投入): a policy asks for the year before it (上一年度), so the year before its
# period counts as current. The others are states on a day (investment made, people employed, area, approvals).
ANNUAL_KINDS = {FactKind.REVENUE, FactKind.RD_SPENDING}
CODE_CHOICES = {FactKind.CLINICAL_STAGE: DevelopmentStage.choices, FactKind.APPROVAL: ApprovalKind.choices}
# 10^9 万元 is 10^13 yuan, above any company's figures (the calculator's bound too): beyond it, a typing slip.
MAX_VALUE = Decimal(10**9)


class EnterpriseFact(models.Model):
    """One figure about an enterprise on a date, with its source: e.g. revenue of 2024 = 12,000 万元, per the
    2024 annual report; or “holds a class III medical device registration” as of 2025-03-01.

    value: numeric kinds, in the unit of FACT_UNITS (万元, 人 or m²); code: clinical stage
    (industry DevelopmentStage) or approval (ApprovalKind). as_of: the day the figure is true on; for a
    year's figure (revenue, R&D spending) the last day of that year.
    """

    enterprise = models.ForeignKey(
        to="industry.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="facts"
    )
    kind = models.CharField(verbose_name=_("fact"), max_length=30, choices=FactKind.choices)
    value = models.DecimalField(
        verbose_name=_("value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Numbers only: 10,000 yuan for money (foreign capital converted), people, or m²."),
    )
    code = models.CharField(
        verbose_name=_("stage or approval"),
        max_length=30,
        blank=True,
        help_text=_("For a clinical stage or an approval: its code (e.g. phase_2, device_class_3)."),
    )
    unit = models.CharField(
        verbose_name=_("unit"),
        max_length=10,
        blank=True,
        help_text=_(
            "Set by the fact: 10,000 yuan, people or m² (blank for a stage or an approval). "
            "Left blank, it is filled in."
        ),
    )
    reference = models.CharField(
        verbose_name=_("reference"),
        max_length=100,
        blank=True,
        help_text=_("E.g. the certificate number (国械注准…) of an approval."),
    )
    as_of = models.DateField(
        verbose_name=_("as of"), help_text=_("The day the figure is true on; a year's figure: 31 December.")
    )
    source = models.CharField(
        verbose_name=_("source"),
        max_length=500,
        help_text=_("Where the figure comes from: annual report, the company's filing, a staff visit…"),
    )
    source_is_public = models.BooleanField(
        verbose_name=_("public source"),
        default=False,
        help_text=_("Tick only when the source is public (annual report, exchange filing, official notice)."),
    )
    verified_on = models.DateField(
        verbose_name=_("verified on"),
        null=True,
        blank=True,
        help_text=_("When staff last checked the figure against its source."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("enterprise fact")
        verbose_name_plural = _("enterprise facts")
        ordering = ["enterprise", "kind", "-as_of", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "code", "as_of"],
                name="enterprise_fact_unique_per_day",
                violation_error_message=_("This enterprise already has this fact for this date."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="enterprise_fact_value_not_negative",
                violation_error_message=_("A figure cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "as_of"], name="enterprise_fact_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.shown_value} ({self.as_of})"

    def save(self, *args, **kwargs):
        self.unit = self.unit or FACT_UNITS.get(self.kind, "")
        super().save(*args, **kwargs)

    @property
    def shown_value(self):
        if self.kind in CODE_CHOICES:
            return str(dict(CODE_CHOICES[self.kind]).get(self.code, self.code))
        if self.value is None:
            return ""
        text = f"{self.value.normalize():,f}" if isinstance(self.value, Decimal) else f"{self.value:,}"
        return f"{text} {self.unit}"

    def clean(self):
        """Each message names the field: a number for the numeric kinds, a known code for stage and approval."""
        super().clean()
        errors = {}
        kind = self.kind
        if kind in CODE_CHOICES:
            allowed = dict(CODE_CHOICES[kind])
            if not self.code:
                errors["code"] = _("Give the %(kind)s's code, one of: %(allowed)s.") % {
                    "kind": FactKind(kind).label,
                    "allowed": ", ".join(allowed),
                }
            elif self.code not in allowed:
                errors["code"] = _("“%(code)s” is not a %(kind)s; use one of: %(allowed)s.") % {
                    "code": self.code,
                    "kind": FactKind(kind).label,
                    "allowed": ", ".join(allowed),
                }
            if self.value is not None:
                errors["value"] = _("A %(kind)s has a code, not a number: clear the value.") % {
                    "kind": FactKind(kind).label
                }
        elif kind in FACT_UNITS:
            if self.value is not None and not isinstance(self.value, Decimal | int):
                pass  # not a number: the field's own check has said so
            elif self.value is None:
                errors["value"] = _("Give the %(kind)s in %(unit)s.") % {
                    "kind": FactKind(kind).label,
                    "unit": FACT_UNITS[kind],
                }
            elif self.value < 0:
                errors["value"] = _("A figure cannot be negative.")
            elif self.value > MAX_VALUE:
                errors["value"] = _("%(value)s %(unit)s is beyond any company's figure; check the unit.") % {
                    "value": self.value,
                    "unit": FACT_UNITS[kind],
                }
            elif kind == FactKind.HEADCOUNT and self.value != self.value.to_integral_value():
                errors["value"] = _("A headcount is a whole number of people.")
            if self.code:
                errors["code"] = _("Only a clinical stage or an approval has a code: clear it.")
        expected = FACT_UNITS.get(kind, "")
        if not self.unit:
            self.unit = expected
        elif kind in FactKind.values and self.unit.strip() != expected:
            errors["unit"] = (
                _(
                    "%(kind)s is kept in %(expected)s, not “%(unit)s”: convert the figure (foreign currency at "
                    "the rate of the day) and write %(expected)s."
                )
                % {"kind": FactKind(kind).label, "expected": expected, "unit": self.unit}
                if expected
                else _("A %(kind)s has no unit: clear it.") % {"kind": FactKind(kind).label}
            )
        if self.as_of and self.as_of > timezone.localdate():
            errors["as_of"] = _("A figure cannot be as of a future date (%(date)s).") % {"date": self.as_of}
        if errors:
            raise ValidationError(errors)
