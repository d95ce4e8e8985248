"""The industry chain (产业链) and the vocabularies that describe enterprises and investors."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nansha.records.fields import AliasListField
from nansha.records.models import in_language


class ChainStage(models.TextChoices):
    UPSTREAM = "upstream", _("Upstream")
    MIDSTREAM = "midstream", _("Midstream")
    DOWNSTREAM = "downstream", _("Downstream")


class ChainSegment(models.Model):
    """A link of the biomedical industry chain, e.g. "plasmid and viral-vector CDMO" or "CAR-T".

    Segments form a shallow tree (cell therapy above CAR-T and stem cells). An adjacency list
    with a parent is enough for a few dozen segments; descendants are gathered in Python.
    """

    code = models.SlugField(verbose_name=_("code"), max_length=60, unique=True)
    name_zh = models.CharField(verbose_name=_("name (Chinese)"), max_length=100)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=100, blank=True)
    stage = models.CharField(verbose_name=_("chain stage"), max_length=10, choices=ChainStage.choices, db_index=True)
    parent = models.ForeignKey(
        to="self",
        verbose_name=_("parent segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description_zh = models.TextField(verbose_name=_("description (Chinese)"), blank=True)
    description_en = models.TextField(verbose_name=_("description (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(verbose_name=_("sort order"), default=0)
    synonyms = AliasListField(
        verbose_name=_("synonyms"),
        help_text=_(
            "Other words people search this segment by, one per line (e.g. 细胞治疗, cell therapy); "
            "the search finds the records on it."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chain segment")
        verbose_name_plural = _("chain segments")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_language(self.name_zh, self.name_en)

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("A segment cannot sit below itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if self.parent is not None and self.parent.stage != self.stage:
            raise ValidationError(
                {
                    "stage": _("A segment must be at the same chain stage as its parent (%(stage)s).")
                    % {"stage": self.parent.get_stage_display()}
                }
            )


class Honour(models.Model):
    """A title an enterprise can hold, such as 高新技术企业 or 专精特新 "小巨人"."""

    code = models.SlugField(verbose_name=_("code"), max_length=60, unique=True)
    name_zh = models.CharField(verbose_name=_("name (Chinese)"), max_length=100)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["code"]

    def __str__(self):
        return in_language(self.name_zh, self.name_en)


class InvestmentStage(models.Model):
    """A financing round an investor takes part in: seed, angel, series A, ..."""

    code = models.SlugField(verbose_name=_("code"), max_length=30, unique=True)
    name_zh = models.CharField(verbose_name=_("name (Chinese)"), max_length=50)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=50, blank=True)
    sort_order = models.PositiveSmallIntegerField(verbose_name=_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investment stage")
        verbose_name_plural = _("investment stages")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return in_language(self.name_zh, self.name_en)
