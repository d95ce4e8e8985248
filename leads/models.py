"""A lead (招商线索): an investor who asked the investment-promotion bureau to contact them, and its follow-ups."""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Letters and digits that cannot be misread over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PERSONAL_FIELDS = ("company", "contact_name", "phone", "email", "message")
ERASED = "已删除 erased"


def new_reference():
    """A reference an investor can quote: ZS-<yymmdd>-<5 characters>, e.g. ZS-261130-7KQ2M (31⁵ a day)."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(5))
    return f"ZS-{timezone.localdate():%y%m%d}-{code}"


class Stage(models.TextChoices):
    """The pipeline's stages, in order; LOST closes a lead at any stage (with a reason)."""

    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    SITE_VISIT = "site_visit", _("Site visit")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    LANDED = "landed", _("Landed")
    LOST = "lost", _("Lost")


PIPELINE = [Stage.NEW, Stage.CONTACTED, Stage.SITE_VISIT, Stage.NEGOTIATING, Stage.SIGNED, Stage.LANDED]
CLOSED = (Stage.LANDED, Stage.LOST)


class SourcePage(models.TextChoices):
    MATCH = "match", _("Precise matching (/match/)")
    SPACE = "space", _("A space of a park")
    PARK = "park", _("A park's page")
    ENTERPRISE = "enterprise", _("An enterprise's page")
    OTHER = "other", _("Elsewhere on the site")


class LeadQuerySet(models.QuerySet):
    def open(self):
        """Leads still being worked: not landed, not lost, not anonymised."""
        return self.exclude(stage__in=CLOSED).filter(anonymised_at__isnull=True)

    def due_for_anonymising(self, now=None):
        """Leads whose personal data has been kept LEADS_RETENTION_DAYS since their last stage change."""
        now = now or timezone.now()
        cutoff = now - timedelta(days=settings.LEADS_RETENTION_DAYS)
        return self.filter(anonymised_at__isnull=True, stage_changed_at__lt=cutoff)


class Lead(models.Model):
    """An investor's request to be contacted by the investment-promotion bureau (招商部门), and how it is worked.

    What the investor asked about is kept as the /match/ query they ran (`match_query`, a URL query string) or
    the record (space, park, enterprise) whose page they wrote from. Their personal data (PERSONAL_FIELDS) is
    processed under the consent they gave (`consent_text`, word for word as shown) and anonymised
    LEADS_RETENTION_DAYS after the last stage change, or at once when they ask (leads.privacy).
    """

    reference = models.CharField(
        verbose_name=_("reference"),
        max_length=20,
        unique=True,
        default=new_reference,
        editable=False,
    )
    received_at = models.DateTimeField(
        verbose_name=_("received at"),
        default=timezone.now,
        db_index=True,
    )
    source_page = models.CharField(
        verbose_name=_("sent from"),
        max_length=20,
        choices=SourcePage.choices,
        default=SourcePage.OTHER,
        db_index=True,
    )
    match_query = models.CharField(
        verbose_name=_("match query"),
        max_length=2000,
        blank=True,
        help_text=_("The needs the investor entered on /match/, as the page's query string."),
    )
    space = models.ForeignKey(
        to="parks.Space",
        verbose_name=_("space asked about"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    park = models.ForeignKey(
        to="parks.Park",
        verbose_name=_("park"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    enterprise = models.ForeignKey(
        to="industry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    segments = models.ManyToManyField(
        to="industry.ChainSegment",
        verbose_name=_("chain segments"),
        blank=True,
        related_name="leads",
    )
    language = models.CharField(
        verbose_name=_("language"),
        max_length=10,
        default="zh-hans",
    )
    # Personal data (PIPL): shown only to those with leads.view_personal_data.
    company = models.CharField(
        verbose_name=_("company"),
        max_length=200,
    )
    contact_name = models.CharField(
        verbose_name=_("contact name"),
        max_length=100,
    )
    phone = models.CharField(
        verbose_name=_("phone"),
        max_length=32,
        blank=True,
        help_text=_("In international form, e.g. +8613800138000."),
    )
    email = models.EmailField(
        verbose_name=_("e-mail"),
        blank=True,
    )
    message = models.TextField(
        verbose_name=_("message"),
        max_length=2000,
        blank=True,
    )
    consent_text = models.TextField(
        verbose_name=_("consent given"),
        help_text=_("The consent the investor ticked, word for word as the form showed it."),
    )
    # The staff's work.
    stage = models.CharField(
        verbose_name=_("stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.NEW,
        db_index=True,
    )
    stage_changed_at = models.DateTimeField(
        verbose_name=_("in this stage since"),
        default=timezone.now,
    )
    lost_reason = models.TextField(
        verbose_name=_("reason lost"),
        max_length=1000,
        blank=True,
    )
    owner = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    due_on = models.DateField(
        verbose_name=_("next step due"),
        null=True,
        blank=True,
    )
    project_name = models.CharField(
        verbose_name=_("project name"),
        max_length=200,
        blank=True,
    )
    investment_wan = models.DecimalField(
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
    signed_project = models.OneToOneField(
        to="industry.SignedProject",
        verbose_name=_("signed project record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead",
    )
    new_fits = models.CharField(
        verbose_name=_("new supply that fits"),
        max_length=500,
        blank=True,
        help_text=_("Set when a space, park or policy published or changed since fits this lead; cleared by staff."),
    )
    anonymised_at = models.DateTimeField(
        verbose_name=_("anonymised at"),
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(
        verbose_name=_("updated at"),
        auto_now=True,
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-received_at", "-pk"]
        permissions = [("view_personal_data", _("Can see the personal data of leads"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(stage="lost") | ~models.Q(lost_reason=""),
                name="lead_lost_has_reason",
                violation_error_message=_("Say why the lead was lost."),
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_stage_loaded", None)
        if loaded is not None and loaded != self.stage:
            self.stage_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "stage_changed_at"}
        super().save(*args, **kwargs)
        self._stage_loaded = self.stage

    @classmethod
    def from_db(cls, db, field_names, values):
        lead = super().from_db(db, field_names, values)
        lead._stage_loaded = lead.__dict__.get("stage")  # to see a change of stage without a query
        return lead

    @property
    def anonymise_after(self):
        """When the personal data will be anonymised (LEADS_RETENTION_DAYS after the last stage change)."""
        if self.anonymised_at:
            return None
        return self.stage_changed_at + timedelta(days=settings.LEADS_RETENTION_DAYS)

    @property
    def new_fits_text(self):
        """The flag without the markers of the records it counts ("[parks.Space:3]")."""
        return re.sub(r" \[[\w.]+:\d+\]", "", self.new_fits)

    @property
    def is_overdue(self):
        return bool(self.due_on and self.stage not in CLOSED and self.due_on < timezone.localdate())

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.stage == Stage.LOST and not self.lost_reason.strip():
            raise ValidationError({"lost_reason": _("Say why the lead was lost.")})


class FollowUp(models.Model):
    """A dated note of what staff did or agreed with the investor (a call, a visit, an offer)."""

    lead = models.ForeignKey(
        to="leads.Lead",
        verbose_name=_("lead"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    happened_on = models.DateField(
        verbose_name=_("date"),
        default=timezone.localdate,
    )
    note = models.TextField(
        verbose_name=_("note"),
        max_length=2000,
    )
    author = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["happened_on", "pk"]

    def __str__(self):
        return f"{self.happened_on}: {self.note[:40]}"
