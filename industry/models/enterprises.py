"""Enterprises and what they make."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nansha.records.models import Place, PublicRecord, place_constraints, place_indexes
from nansha.records.validators import normalize_credit_code, validate_credit_code


class OwnershipKind(models.TextChoices):
    PRIVATE = "private", _("Domestic private")
    STATE_OWNED = "state_owned", _("State-owned")
    MIXED = "mixed", _("Mixed ownership")
    FOREIGN = "foreign", _("Foreign-invested")
    HK_MACAO_TAIWAN = "hk_macao_taiwan", _("Hong Kong / Macao / Taiwan-invested")
    OTHER = "other", _("Other")


class SizeBand(models.TextChoices):
    """Enterprise size bands of the 2011 SME classification (工信部联企业〔2011〕300号)."""

    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class Enterprise(Place):
    """A company registered or operating in Nansha's biomedical and health industry."""

    credit_code = models.CharField(
        verbose_name=_("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("Unified social credit code, 18 characters (GB 32100-2015)."),
    )
    founded_on = models.DateField(verbose_name=_("founded on"), null=True, blank=True)
    registered_capital_wan = models.DecimalField(
        verbose_name=_("registered capital (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    ownership = models.CharField(
        verbose_name=_("ownership kind"), max_length=20, choices=OwnershipKind.choices, blank=True, db_index=True
    )
    size_band = models.CharField(
        verbose_name=_("size band"), max_length=10, choices=SizeBand.choices, blank=True, db_index=True
    )
    registered_in_nansha = models.BooleanField(
        verbose_name=_("registered in Nansha"), null=True, blank=True, help_text=_("Leave unknown when not known.")
    )
    segments = models.ManyToManyField(
        to="industry.ChainSegment", verbose_name=_("chain segments"), blank=True, related_name="enterprises"
    )
    park = models.ForeignKey(
        to="parks.Park",
        verbose_name=_("park"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    honours = models.ManyToManyField(
        to="industry.Honour", verbose_name=_("honours"), blank=True, related_name="enterprises"
    )
    website = models.URLField(verbose_name=_("website"), blank=True)
    contact_phone = models.CharField(verbose_name=_("public contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(verbose_name=_("public contact e-mail"), blank=True)

    _history_m2m_fields = ["segments", "honours"]  # kept in the record's history
    search_text_fields = (*Place.search_text_fields, "credit_code")

    class Meta(Place.Meta):
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            *place_constraints("enterprise"),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="enterprise_credit_code_unique",
                violation_error_message=_("Another enterprise already has this credit code."),
            ),
        ]
        indexes = [*place_indexes("enterprise"), models.Index(fields=["founded_on"], name="enterprise_founded_idx")]

    def clean(self):
        self.credit_code = normalize_credit_code(self.credit_code)
        super().clean()

    def save(self, *args, **kwargs):
        self.credit_code = normalize_credit_code(self.credit_code)
        super().save(*args, **kwargs)


class DevelopmentStage(models.TextChoices):
    DISCOVERY = "discovery", _("Discovery")
    PRECLINICAL = "preclinical", _("Preclinical")
    IND = "ind", _("IND filed / approved")
    PHASE_1 = "phase_1", _("Phase I")
    PHASE_2 = "phase_2", _("Phase II")
    PHASE_3 = "phase_3", _("Phase III")
    FILED = "filed", _("Marketing application filed")
    APPROVED = "approved", _("Approved / on the market")


class ProductKind(models.TextChoices):
    PRODUCT = "product", _("Product or service")
    PIPELINE = "pipeline", _("Pipeline candidate")


class Product(PublicRecord):
    """A product, service or pipeline candidate of an enterprise, with its development stage."""

    enterprise = models.ForeignKey(
        to="industry.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="products"
    )
    kind = models.CharField(
        verbose_name=_("kind"), max_length=10, choices=ProductKind.choices, default=ProductKind.PRODUCT
    )
    indication_zh = models.CharField(verbose_name=_("indication (Chinese)"), max_length=200, blank=True)
    indication_en = models.CharField(verbose_name=_("indication (English)"), max_length=200, blank=True)
    development_stage = models.CharField(
        verbose_name=_("development stage"), max_length=12, choices=DevelopmentStage.choices, blank=True
    )
    segment = models.ForeignKey(
        to="industry.ChainSegment",
        verbose_name=_("chain segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
    )

    search_text_fields = (*PublicRecord.search_text_fields, "indication_zh", "indication_en")

    class Meta(PublicRecord.Meta):
        verbose_name = _("product or pipeline")
        verbose_name_plural = _("products and pipelines")
