"""Headline figures as sources state them (e.g. "约400 biomedical enterprises in Nansha, 2024-04-29").

A stated figure is not a count of the records on the map: it is what a public page said, with
its wording, date and source, shown beside the counts and never added to them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from nansha.records.models import TrackedRecord, in_language


class FigureKind(models.TextChoices):
    ACTUAL = "actual", _("Reported")
    PLAN = "plan", _("Plan or layout")
    SIGNED = "signed", _("Signed or expected")
    TARGET = "target", _("Target")


class StatedFigure(TrackedRecord):
    """A figure as a source states it: the value is kept as text ("约400", ">500", "25.28 (7.14 / 8.08 / 10.06)").

    `as_of` is the date or period as stated ("2024-04-29", "2025-08", "target year 2026"); no date is guessed.
    """

    metric_zh = models.CharField(verbose_name=_("what is counted (Chinese)"), max_length=200, blank=True)
    metric_en = models.CharField(verbose_name=_("what is counted (English)"), max_length=200)
    value = models.CharField(verbose_name=_("value as stated"), max_length=200)
    unit = models.CharField(verbose_name=_("unit"), max_length=40, blank=True)
    as_of = models.CharField(verbose_name=_("as of (as stated)"), max_length=60)
    kind = models.CharField(verbose_name=_("kind"), max_length=10, choices=FigureKind.choices, db_index=True)
    note = models.TextField(verbose_name=_("note"), blank=True)
    sort_order = models.PositiveSmallIntegerField(verbose_name=_("sort order"), default=0)

    class Meta:
        verbose_name = _("headline figure")
        verbose_name_plural = _("headline figures")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return f"{self.metric}: {self.value} {self.unit}".strip()

    @property
    def metric(self):
        return in_language(self.metric_zh, self.metric_en) or self.metric_en
