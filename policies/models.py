"""Support policies (支持政策), national to district level, and who qualifies for them."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from industry.models import OwnershipKind, SizeBand
from nansha.records.fields import ChoiceListField
from nansha.records.models import SearchableRecord, in_language


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


class SupportKind(models.Model):
    """A kind of support a policy gives: funding, rent relief, talent, market access, fast-track approval, finance."""

    code = models.SlugField(verbose_name=_("code"), max_length=30, unique=True)
    name_zh = models.CharField(verbose_name=_("name (Chinese)"), max_length=50)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=50, blank=True)
    sort_order = models.PositiveSmallIntegerField(verbose_name=_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support kind")
        verbose_name_plural = _("support kinds")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return in_language(self.name_zh, self.name_en)


class Policy(SearchableRecord):
    """A support policy document, with its eligibility conditions as structured fields.

    The eligibility fields are what a matching engine evaluates against an enterprise; an empty
    condition means the policy sets none. Conditions that cannot be structured go in
    eligibility_notes.
    """

    title_zh = models.CharField(verbose_name=_("title (Chinese)"), max_length=300, db_index=True)
    title_en = models.CharField(verbose_name=_("title (English)"), max_length=300, blank=True)
    document_number = models.CharField(
        verbose_name=_("document number"),
        max_length=100,
        blank=True,
        help_text=_("The document number, e.g. 穗南开管办〔2024〕1号."),
    )
    issuing_body_zh = models.CharField(verbose_name=_("issuing body (Chinese)"), max_length=200, blank=True)
    issuing_body_en = models.CharField(verbose_name=_("issuing body (English)"), max_length=200, blank=True)
    level = models.CharField(verbose_name=_("level"), max_length=10, choices=PolicyLevel.choices, db_index=True)
    issued_on = models.DateField(verbose_name=_("issued on"), null=True, blank=True)
    effective_from = models.DateField(verbose_name=_("effective from"), null=True, blank=True)
    effective_to = models.DateField(verbose_name=_("effective to"), null=True, blank=True)
    official_url = models.URLField(verbose_name=_("official URL"), max_length=500, blank=True)
    summary_zh = models.TextField(verbose_name=_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(verbose_name=_("summary (English)"), blank=True)
    full_text = models.TextField(verbose_name=_("full text"), blank=True)
    support_kinds = models.ManyToManyField(
        to="policies.SupportKind", verbose_name=_("support kinds"), blank=True, related_name="policies"
    )
    max_amount_wan = models.DecimalField(
        verbose_name=_("maximum amount (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    target_segments = models.ManyToManyField(
        to="industry.ChainSegment",
        verbose_name=_("target segments"),
        blank=True,
        related_name="policies",
        help_text=_("Segments the policy supports; empty means all."),
    )

    # Eligibility (申报条件)
    min_years_since_founding = models.PositiveSmallIntegerField(
        verbose_name=_("minimum years since founding"), null=True, blank=True
    )
    max_years_since_founding = models.PositiveSmallIntegerField(
        verbose_name=_("maximum years since founding"), null=True, blank=True
    )
    eligible_ownership_kinds = ChoiceListField(
        verbose_name=_("eligible ownership kinds"),
        item_choices=OwnershipKind.choices,
        help_text=_("None ticked: any."),
    )
    eligible_size_bands = ChoiceListField(
        verbose_name=_("eligible size bands"), item_choices=SizeBand.choices, help_text=_("None ticked: any.")
    )
    required_honours = models.ManyToManyField(
        to="industry.Honour",
        verbose_name=_("required honours"),
        blank=True,
        related_name="policies_requiring",
        help_text=_("The enterprise must hold every honour listed."),
    )
    requires_nansha_registration = models.BooleanField(verbose_name=_("must be registered in Nansha"), default=False)
    eligibility_notes_zh = models.TextField(verbose_name=_("other conditions (Chinese)"), blank=True)
    eligibility_notes_en = models.TextField(verbose_name=_("other conditions (English)"), blank=True)
    published_on = models.DateField(
        verbose_name=_("published on"), null=True, blank=True, help_text=_("When the text was made public.")
    )
    completeness_note = models.TextField(
        verbose_name=_("what the source leaves out"),
        blank=True,
        help_text=_("Parts of the policy not read or not stated in the source, e.g. articles 4–9 not found."),
    )

    _history_m2m_fields = ["support_kinds", "target_segments", "required_honours"]  # kept in the record's history
    search_name_fields = ("title_zh", "title_en")
    search_text_fields = (
        "document_number",
        "issuing_body_zh",
        "issuing_body_en",
        "summary_zh",
        "summary_en",
        "eligibility_notes_zh",
        "eligibility_notes_en",
    )

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-issued_on", "title_zh"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_from__isnull=True)
                | models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="policy_effective_dates_in_order",
                violation_error_message=_("A policy cannot expire before it takes effect."),
            ),
            models.CheckConstraint(
                condition=models.Q(min_years_since_founding__isnull=True)
                | models.Q(max_years_since_founding__isnull=True)
                | models.Q(max_years_since_founding__gte=models.F("min_years_since_founding")),
                name="policy_founding_years_in_order",
                violation_error_message=_("The maximum years since founding is below the minimum."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return in_language(self.title_zh, self.title_en)

    @property
    def summary(self):
        return in_language(self.summary_zh, self.summary_en)

    def in_force_on(self, day):
        """Whether the policy is in effect on `day` (no start or end date given: open on that side)."""
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or self.effective_to >= day
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            errors["effective_to"] = _("A policy cannot expire before it takes effect.")
        if self.issued_on and self.effective_from and self.effective_from < self.issued_on:
            errors["effective_from"] = _("A policy cannot take effect before it is issued.")
        lo, hi = self.min_years_since_founding, self.max_years_since_founding
        if lo is not None and hi is not None and hi < lo:
            errors["max_years_since_founding"] = _("The maximum years since founding is below the minimum.")
        if errors:
            raise ValidationError(errors)


from .clauses import AwardKind, Clause, Measure  # noqa: E402,F401  (the clause models live beside, for size)
