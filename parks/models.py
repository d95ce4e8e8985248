"""Parks and carriers (空间载体) and the space they offer for rent."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansha.records.models import Place, PublicRecordQuerySet, TrackedRecord, place_constraints, place_indexes
from nansha.records.validators import clean_outline, validate_outline


class ParkKind(models.TextChoices):
    INDUSTRIAL_PARK = "industrial_park", _("Industrial park")
    INCUBATOR = "incubator", _("Incubator")
    SCIENCE_PARK = "science_park", _("Science park")


class ParkLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


class DevelopmentStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    PLANNED = "planned", _("Planned")


class Park(Place):
    """An industrial park, incubator or science park that hosts biomedical enterprises."""

    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=ParkKind.choices, db_index=True)
    level = models.CharField(
        verbose_name=_("level"),
        max_length=10,
        choices=ParkLevel.choices,
        blank=True,
        help_text=_("Accreditation level, e.g. a national-level incubator."),
    )
    development_status = models.CharField(
        verbose_name=_("development status"),
        max_length=20,
        choices=DevelopmentStatus.choices,
        default=DevelopmentStatus.OPERATING,
        blank=True,
        db_index=True,
        help_text=_("Leave empty when no source states it."),
    )
    parent = models.ForeignKey(
        to="self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="phases",
        help_text=_("For a later phase or a sub-park, the park it belongs to."),
    )
    operator_zh = models.CharField(verbose_name=_("operator (Chinese)"), max_length=200, blank=True)
    operator_en = models.CharField(verbose_name=_("operator (English)"), max_length=200, blank=True)
    total_floor_area_m2 = models.DecimalField(
        verbose_name=_("total floor area (m²)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    outline = models.JSONField(
        verbose_name=_("outline"),
        null=True,
        blank=True,
        validators=[validate_outline],
        help_text=_("GeoJSON Polygon or MultiPolygon in WGS-84 [longitude, latitude]; draw it on the map."),
    )
    focus_segments = models.ManyToManyField(
        to="industry.ChainSegment", verbose_name=_("focus segments"), blank=True, related_name="parks"
    )
    facilities_zh = models.TextField(verbose_name=_("facilities (Chinese)"), blank=True)
    facilities_en = models.TextField(verbose_name=_("facilities (English)"), blank=True)
    website = models.URLField(verbose_name=_("website"), blank=True)

    _history_m2m_fields = ["focus_segments"]  # kept in the record's history
    search_text_fields = (*Place.search_text_fields, "operator_zh", "operator_en", "facilities_zh", "facilities_en")

    class Meta(Place.Meta):
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        constraints = place_constraints("park")
        indexes = place_indexes("park")

    def clean(self):
        super().clean()
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A park cannot be part of itself.")})
        try:
            self.outline = clean_outline(self.outline)  # unwraps a Feature, drops foreign members
        except ValidationError:
            pass  # the field's validator reports it next to the field


class SpaceUse(models.TextChoices):
    OFFICE = "office", _("Office")
    WET_LAB = "wet_lab", _("Wet lab")
    PILOT_PLANT = "pilot_plant", _("Pilot plant")
    GMP_PRODUCTION = "gmp_production", _("GMP production")
    WAREHOUSE = "warehouse", _("Warehouse")


class CleanroomGrade(models.TextChoices):
    """GMP grades (China GMP 2010 annex 1) and ISO 14644-1 classes."""

    GMP_A = "gmp_a", _("GMP grade A")
    GMP_B = "gmp_b", _("GMP grade B")
    GMP_C = "gmp_c", _("GMP grade C")
    GMP_D = "gmp_d", _("GMP grade D")
    ISO_5 = "iso_5", _("ISO class 5")
    ISO_6 = "iso_6", _("ISO class 6")
    ISO_7 = "iso_7", _("ISO class 7")
    ISO_8 = "iso_8", _("ISO class 8")


class SpaceStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    LEASED = "leased", _("Leased")


class SpaceQuerySet(PublicRecordQuerySet):
    def fresh(self, today=None):
        """Listings re-confirmed within SPACE_LISTING_STALE_AFTER_DAYS; the rest are stale."""
        today = today or timezone.localdate()
        return self.filter(verified_on__gte=today - timedelta(days=settings.SPACE_LISTING_STALE_AFTER_DAYS))


class Space(TrackedRecord):
    """A unit for rent within a park: an office floor, a wet lab, a pilot plant or a GMP suite.

    `verified_on` is when the listing was last confirmed; a listing nobody re-confirms within
    SPACE_LISTING_STALE_AFTER_DAYS is stale.
    """

    stale_after_setting = "SPACE_LISTING_STALE_AFTER_DAYS"
    hidden_when_stale = True  # a stale listing leaves the public map, the API and matching (SpaceQuerySet.fresh)

    park = models.ForeignKey(to="parks.Park", verbose_name=_("park"), on_delete=models.CASCADE, related_name="spaces")
    building = models.CharField(verbose_name=_("building"), max_length=100, blank=True)
    floor = models.CharField(verbose_name=_("floor"), max_length=20, blank=True)
    unit = models.CharField(verbose_name=_("unit"), max_length=50, blank=True)
    use = models.CharField(verbose_name=_("use"), max_length=20, choices=SpaceUse.choices, db_index=True)
    usable_area_m2 = models.DecimalField(
        verbose_name=_("usable area (m²)"), max_digits=10, decimal_places=1, validators=[MinValueValidator(1)]
    )
    cleanroom_grade = models.CharField(
        verbose_name=_("cleanroom grade"), max_length=10, choices=CleanroomGrade.choices, blank=True
    )
    floor_load_kn_m2 = models.DecimalField(
        verbose_name=_("floor load (kN/m²)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    ceiling_height_m = models.DecimalField(
        verbose_name=_("ceiling height (m)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    rent_yuan_m2_month = models.DecimalField(
        verbose_name=_("rent (yuan/m²/month)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    available_from = models.DateField(verbose_name=_("available from"), null=True, blank=True)
    availability = models.CharField(
        verbose_name=_("availability"),
        max_length=10,
        choices=SpaceStatus.choices,
        default=SpaceStatus.AVAILABLE,
        db_index=True,
    )
    notes_zh = models.TextField(verbose_name=_("notes (Chinese)"), blank=True)
    notes_en = models.TextField(verbose_name=_("notes (English)"), blank=True)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("space for rent")
        verbose_name_plural = _("spaces for rent")
        ordering = ["park", "building", "floor", "unit"]
        indexes = [models.Index(fields=["use", "availability"], name="space_use_availability_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(usable_area_m2__gt=0), name="space_area_positive"),
            models.CheckConstraint(
                condition=models.Q(rent_yuan_m2_month__isnull=True) | models.Q(rent_yuan_m2_month__gt=0),
                name="space_rent_positive",
            ),
        ]

    def __str__(self):
        where = " ".join(part for part in (self.building, self.floor, self.unit) if part)
        return f"{self.park} {where} · {self.get_use_display()} {self.usable_area_m2} m²".replace("  ", " ")

    @property
    def is_stale(self):
        if self.verified_on is None:
            return True
        age = timezone.localdate() - self.verified_on
        return age > timedelta(days=settings.SPACE_LISTING_STALE_AFTER_DAYS)
