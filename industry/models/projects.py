"""Projects that show how fast Nansha turns research into treatment: investments signed, clinical studies run."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nansha.records.models import PublicRecord


class SignedProject(PublicRecord):
    """An investment project signed with Nansha (签约项目): who invests, how much, where."""

    investor_zh = models.CharField(verbose_name=_("investor (Chinese)"), max_length=200, blank=True)
    investor_en = models.CharField(verbose_name=_("investor (English)"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        to="industry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signed_projects",
    )
    park = models.ForeignKey(
        to="parks.Park",
        verbose_name=_("park"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signed_projects",
    )
    amount_wan = models.DecimalField(
        verbose_name=_("investment (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    expected_annual_output_wan = models.DecimalField(
        verbose_name=_("expected annual output (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    amounts_are_estimates = models.BooleanField(
        verbose_name=_("amounts are estimates"),
        default=False,
        help_text=_("Ticked when the source gives rounded or approximate figures (“about”)."),
    )
    signed_on = models.DateField(verbose_name=_("signed on"), null=True, blank=True)
    segments = models.ManyToManyField(
        to="industry.ChainSegment", verbose_name=_("chain segments"), blank=True, related_name="signed_projects"
    )

    _history_m2m_fields = ["segments"]  # kept in the record's history
    search_text_fields = (*PublicRecord.search_text_fields, "investor_zh", "investor_en")

    class Meta(PublicRecord.Meta):
        verbose_name = _("signed investment project")
        verbose_name_plural = _("signed investment projects")


class ClinicalStage(models.TextChoices):
    PLANNED = "planned", _("Planned")
    FILING = "filing", _("Being filed")
    ONGOING = "ongoing", _("Under way")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class ClinicalProject(PublicRecord):
    """A clinical research project or trial: an indication treated at a hospital with an enterprise's technology."""

    indication_zh = models.CharField(verbose_name=_("indication (Chinese)"), max_length=200, blank=True)
    indication_en = models.CharField(verbose_name=_("indication (English)"), max_length=200, blank=True)
    technology_zh = models.CharField(verbose_name=_("technology (Chinese)"), max_length=200, blank=True)
    technology_en = models.CharField(verbose_name=_("technology (English)"), max_length=200, blank=True)
    hospital = models.ForeignKey(
        to="industry.Hospital",
        verbose_name=_("hospital"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinical_projects",
    )
    enterprise = models.ForeignKey(
        to="industry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinical_projects",
    )
    segments = models.ManyToManyField(
        to="industry.ChainSegment", verbose_name=_("chain segments"), blank=True, related_name="clinical_projects"
    )
    stage = models.CharField(verbose_name=_("stage"), max_length=10, choices=ClinicalStage.choices, db_index=True)
    started_on = models.DateField(verbose_name=_("started on"), null=True, blank=True)
    ended_on = models.DateField(verbose_name=_("ended on"), null=True, blank=True)
    patients_treated = models.PositiveIntegerField(verbose_name=_("patients treated"), null=True, blank=True)
    outcome_zh = models.TextField(verbose_name=_("outcome so far (Chinese)"), blank=True)
    outcome_en = models.TextField(verbose_name=_("outcome so far (English)"), blank=True)

    _history_m2m_fields = ["segments"]  # kept in the record's history
    search_text_fields = (
        *PublicRecord.search_text_fields,
        "indication_zh",
        "indication_en",
        "technology_zh",
        "technology_en",
    )

    class Meta(PublicRecord.Meta):
        verbose_name = _("clinical project")
        verbose_name_plural = _("clinical projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(started_on__isnull=True)
                | models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="clinical_project_dates_in_order",
                violation_error_message=_("A project cannot end before it starts."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("A project cannot end before it starts.")})
