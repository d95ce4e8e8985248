"""The institutions around the enterprises: hospitals, universities and institutes, funds, platforms.

Why several models rather than one "institution" with a kind: each kind has its own facts
(a hospital's grade and clinical-trial filings, a university's disciplines, a fund's size and
stages), its own filters and its own map layer. One wide table would leave most columns empty
and make every rule conditional on the kind. They share what every place has through
nansha.records.models.Place.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nansha.records.models import Place, place_constraints, place_indexes


class HospitalGrade(models.TextChoices):
    """Grades of the national hospital accreditation (医院等级)."""

    GRADE_3A = "3a", _("Grade III-A")
    GRADE_3B = "3b", _("Grade III-B")
    GRADE_3 = "3", _("Grade III, unrated")
    GRADE_2A = "2a", _("Grade II-A")
    GRADE_2 = "2", _("Grade II")
    GRADE_1 = "1", _("Grade I")


class Hospital(Place):
    """A hospital: the clinical resource that turns research into treatment (临床速度)."""

    grade = models.CharField(
        verbose_name=_("grade"), max_length=3, choices=HospitalGrade.choices, blank=True, db_index=True
    )
    is_drug_trial_institution = models.BooleanField(
        verbose_name=_("registered drug clinical trial institution"),
        null=True,
        blank=True,
        help_text=_("Filed as a drug clinical trial institution. Leave unknown when not known."),
    )
    has_stem_cell_filing = models.BooleanField(
        verbose_name=_("stem-cell clinical research filing"),
        null=True,
        blank=True,
        help_text=_("Filed as a stem-cell clinical research institution. Leave unknown when not known."),
    )
    specialties_zh = models.TextField(verbose_name=_("specialties (Chinese)"), blank=True)
    specialties_en = models.TextField(verbose_name=_("specialties (English)"), blank=True)
    website = models.URLField(verbose_name=_("website"), blank=True)

    search_text_fields = (*Place.search_text_fields, "specialties_zh", "specialties_en")

    class Meta(Place.Meta):
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitals")
        constraints = place_constraints("hospital")
        indexes = place_indexes("hospital")


class ResearchInstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")


class ResearchInstitution(Place):
    """A university or research institute: the talent supply (人才供给) and research behind the industry."""

    kind = models.CharField(
        verbose_name=_("kind"), max_length=10, choices=ResearchInstitutionKind.choices, db_index=True
    )
    disciplines_zh = models.TextField(verbose_name=_("disciplines (Chinese)"), blank=True)
    disciplines_en = models.TextField(verbose_name=_("disciplines (English)"), blank=True)
    segments = models.ManyToManyField(
        to="industry.ChainSegment",
        verbose_name=_("chain segments served"),
        blank=True,
        related_name="research_institutions",
    )
    website = models.URLField(verbose_name=_("website"), blank=True)

    _history_m2m_fields = ["segments"]  # kept in the record's history
    search_text_fields = (*Place.search_text_fields, "disciplines_zh", "disciplines_en")

    class Meta(Place.Meta):
        verbose_name = _("university or research institute")
        verbose_name_plural = _("universities and research institutes")
        constraints = place_constraints("research")
        indexes = place_indexes("research")


class FundKind(models.TextChoices):
    FUND = "fund", _("Investment fund")
    INVESTOR = "investor", _("Investor")
    BANK = "bank", _("Bank")


class Fund(Place):
    """An investment fund, investor or bank financing the industry (金融支持)."""

    kind = models.CharField(verbose_name=_("kind"), max_length=10, choices=FundKind.choices, default=FundKind.FUND)
    manager_zh = models.CharField(verbose_name=_("manager (Chinese)"), max_length=200, blank=True)
    manager_en = models.CharField(verbose_name=_("manager (English)"), max_length=200, blank=True)
    fund_size_wan = models.DecimalField(
        verbose_name=_("fund size (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    stages = models.ManyToManyField(
        to="industry.InvestmentStage", verbose_name=_("investment stages"), blank=True, related_name="funds"
    )
    focus_segments = models.ManyToManyField(
        to="industry.ChainSegment", verbose_name=_("focus segments"), blank=True, related_name="funds"
    )
    website = models.URLField(verbose_name=_("website"), blank=True)

    _history_m2m_fields = ["stages", "focus_segments"]  # kept in the record's history
    search_text_fields = (*Place.search_text_fields, "manager_zh", "manager_en")

    class Meta(Place.Meta):
        verbose_name = _("fund or investor")
        verbose_name_plural = _("funds and investors")
        constraints = place_constraints("fund")
        indexes = place_indexes("fund")


class ServicePlatform(Place):
    """A public service platform (公共服务平台): shared labs, testing, regulatory and translation services."""

    services_zh = models.TextField(verbose_name=_("services (Chinese)"), blank=True)
    services_en = models.TextField(verbose_name=_("services (English)"), blank=True)
    segments = models.ManyToManyField(
        to="industry.ChainSegment", verbose_name=_("chain segments served"), blank=True, related_name="platforms"
    )
    park = models.ForeignKey(
        to="parks.Park",
        verbose_name=_("park"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="platforms",
    )
    website = models.URLField(verbose_name=_("website"), blank=True)

    _history_m2m_fields = ["segments"]  # kept in the record's history
    search_text_fields = (*Place.search_text_fields, "services_zh", "services_en")

    class Meta(Place.Meta):
        verbose_name = _("public service platform")
        verbose_name_plural = _("public service platforms")
        constraints = place_constraints("platform")
        indexes = place_indexes("platform")
