"""What every public record has in common: names in two languages, provenance, publication.

Concrete models in industry/, parks/ and policies/ inherit from these abstract models.
"""

import contextlib
import contextvars

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history import utils
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_m2m_records, pre_create_historical_m2m_records

from nansha.records.chinese import in_script
from nansha.records.fields import AliasListField
from nansha.records.pinyin import pinyin_key
from nansha.records.search import search_document
from nansha.records.validators import validate_latitude, validate_longitude


class RecordHistory(HistoricalRecords):
    """django-simple-history's HistoricalRecords, with one entry for a save and its links, and fewer queries.

    - A record's links (many-to-many) can only be added after it is saved, so the link snapshot of a
      creation made by post_save is always empty: it is not queried (a query per link field).
    - A caller that saves a record and then its links (an import row) sets `instance.defer_history`
      before the save and calls `record_deferred_history(instance)` after the links: the save and the
      link changes make one history entry ("+" or "~") holding the links, not one per step. Code that
      cannot reach the instance before it is saved (DRF's create) wraps the work in
      `one_history_entry_per_save()` instead.
    """

    def post_save(self, instance, created, using=None, **kwargs):
        deferring = _deferred_saves.get()
        if deferring is not None and not kwargs.get("raw", False):
            instance.defer_history = True
            deferring.setdefault(id(instance), instance)
        if getattr(instance, "defer_history", False) and not kwargs.get("raw", False):
            if "_pending_history" not in instance.__dict__:  # a creation saved again stays a creation
                instance._pending_history = (self, "+" if created else "~", using)
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if getattr(instance, "defer_history", False):
            return  # recorded once by record_deferred_history
        return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)

    def create_historical_record_m2ms(self, history_instance, instance):
        """simple-history's link snapshot, read as plain values: one query per link field, none for a creation.

        simple-history's own version rebuilds the record from its history row, loads the fields history
        leaves out, and reads every link with both its records joined (several queries per field).
        """
        if history_instance.history_type == "+" and not getattr(instance, "_links_saved", False):
            return  # saved a moment ago, by post_save: it has no links yet
        for field in history_instance._history_m2m_fields:
            m2m_history_model = self.m2m_models[field]
            through_model = getattr(instance, field.name).through
            columns = [f.attname for f in through_model._meta.fields]
            links = through_model.objects.filter(**{utils.get_m2m_field_name(field): instance.pk}).values(*columns)
            insert_rows = [m2m_history_model(history=history_instance, **link) for link in links]
            pre_create_historical_m2m_records.send(
                sender=m2m_history_model,
                rows=insert_rows,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
            created_rows = m2m_history_model.objects.bulk_create(insert_rows)
            post_create_historical_m2m_records.send(
                sender=m2m_history_model,
                created_rows=created_rows,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )


_deferred_saves = contextvars.ContextVar("deferred_saves", default=None)


@contextlib.contextmanager
def one_history_entry_per_save():
    """Within the block, every record saved gets one history entry holding its links, written as the block ends.

    For code that saves a record and then its links without a hook between (DRF's create and update). When
    the block raises, no entry is written (its transaction is rolled back with it).
    """
    if _deferred_saves.get() is not None:
        yield
        return
    saved = {}
    token = _deferred_saves.set(saved)
    try:
        yield
    finally:
        _deferred_saves.reset(token)
    for instance in saved.values():  # not reached when the block raised
        record_deferred_history(instance)


def record_deferred_history(instance):
    """Write the one history entry of a save made with `instance.defer_history` set (see RecordHistory)."""
    instance.defer_history = False
    pending = instance.__dict__.pop("_pending_history", None)
    if pending is None:
        return
    history, history_type, using = pending
    instance._links_saved = True
    try:
        history.create_historical_record(instance, history_type, using=using)
    finally:
        instance._links_saved = False


def in_language(zh, en):
    """The English text when the active language is English and there is one; else the Chinese, in traditional
    characters when the active language is traditional Chinese (nansha/records/chinese.py)."""
    if en and (get_language() or "").startswith("en"):
        return en
    return in_script(zh)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublicRecordQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)


class TrackedRecord(models.Model):
    """Provenance, publication status and timestamps: what the public may see and how we know it.

    Every save and delete is kept in the record's history (django-simple-history: who, when, the
    values before and after, many-to-many links listed in the model's `_history_m2m_fields`).
    `version` is an optimistic lock (django-concurrency): a save based on an older version than the
    one stored is refused, so two staff editing the same record cannot overwrite each other.
    """

    # The setting that says after how many days a record of this kind is stale, and whether the public stops
    # seeing it then (space listings do; see staff/freshness.py).
    stale_after_setting = "RECORD_STALE_AFTER_DAYS"
    hidden_when_stale = False

    status = models.CharField(
        verbose_name=_("publication status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text=_("Only published records are shown to the public."),
    )
    source = models.TextField(
        verbose_name=_("source"),
        help_text=_(
            "Where the facts come from: a document title or a URL; for several pages, one a line "
            "(publisher, date and the page's URL)."
        ),
    )
    verification_note = models.TextField(
        verbose_name=_("to verify"),
        blank=True,
        help_text=_(
            "For staff, not shown to the public: what must be checked against the source before the record is "
            "trusted (conflicting figures, sources of low reliability)."
        ),
    )
    verified_on = models.DateField(
        verbose_name=_("verified on"),
        null=True,
        blank=True,
        help_text=_("When staff last checked this record against its source."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)
    version = AutoIncVersionField(
        verbose_name=_("version"),
        help_text=_("Goes up by one with every save. A save based on an older version is refused."),
    )

    objects = PublicRecordQuerySet.as_manager()
    # The version is not kept in history: a revert starts from the current version, like any edit.
    # The search columns are derived from the other fields: rebuilt, never reverted.
    history = RecordHistory(inherit=True, excluded_fields=["version", "updated_at", "search_names", "search_text"])

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED


SEARCH_COLUMNS = ("search_names", "search_text")


class SearchableRecord(TrackedRecord):
    """A record the search box finds (nansha.records.search): by its names and aliases, and by its other text.

    `search_names` and `search_text` are the normalised columns the search reads. They are
    rebuilt on every save (admin, imports, API, commands); writes that skip save() (bulk_create,
    update()) must call `refresh_search_fields` or be followed by `manage.py rebuild_search_index`.
    """

    aliases = AliasListField(
        verbose_name=_("other names"),
        help_text=_("Short names, abbreviations and former names, one per line (e.g. 中山一院, HKUST)."),
    )
    search_names = models.TextField(verbose_name=_("names for search"), blank=True, editable=False)
    search_text = models.TextField(verbose_name=_("text for search"), blank=True, editable=False)

    # The record's own fields the search reads; a subclass adds its own to search_text_fields.
    search_name_fields = ("name_zh", "name_en")
    search_text_fields = ("description_zh", "description_en")

    class Meta(TrackedRecord.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *SEARCH_COLUMNS}
        super().save(*args, **kwargs)

    def refresh_search_fields(self):
        """Recompute search_names and search_text from the record's fields (no save)."""
        names = [getattr(self, field) or "" for field in self.search_name_fields]
        aliases = [name for name in (self.aliases or []) if isinstance(name, str)]
        own = getattr(self, "name_pinyin", "") or pinyin_key(names[0])  # a Place has computed it already
        pinyin = [own, *(pinyin_key(name) for name in aliases if not name.isascii())]
        texts = [getattr(self, field) or "" for field in self.search_text_fields]
        self.search_names, self.search_text = search_document([*names, *aliases], [*pinyin, *texts])


class PublicRecord(SearchableRecord):
    """A named public record: Chinese name required, English optional (falls back to Chinese)."""

    name_zh = models.CharField(verbose_name=_("name (Chinese)"), max_length=200, db_index=True)
    name_en = models.CharField(verbose_name=_("name (English)"), max_length=200, blank=True)
    description_zh = models.TextField(verbose_name=_("description (Chinese)"), blank=True)
    description_en = models.TextField(verbose_name=_("description (English)"), blank=True)

    class Meta(TrackedRecord.Meta):
        abstract = True
        ordering = ["name_zh"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_language(self.name_zh, self.name_en)

    @property
    def description(self):
        return in_language(self.description_zh, self.description_en)


class Place(PublicRecord):
    """A public record with an address and, when known, a WGS-84 position."""

    address_zh = models.CharField(verbose_name=_("address (Chinese)"), max_length=300, blank=True)
    address_en = models.CharField(verbose_name=_("address (English)"), max_length=300, blank=True)
    lat = models.FloatField(
        verbose_name=_("latitude"),
        null=True,
        blank=True,
        validators=[validate_latitude],
        help_text=_("WGS-84 decimal degrees, e.g. 22.80."),
    )
    lng = models.FloatField(
        verbose_name=_("longitude"),
        null=True,
        blank=True,
        validators=[validate_longitude],
        help_text=_("WGS-84 decimal degrees, e.g. 113.53."),
    )
    name_pinyin = models.CharField(
        verbose_name=_("name in pinyin"),
        max_length=400,
        blank=True,
        editable=False,
        help_text=_("Full pinyin and initials of the Chinese name, for search; kept up to date on save."),
    )
    position_is_approximate = models.BooleanField(
        verbose_name=_("position is approximate"),
        default=True,
        help_text=_("Ticked while the position is an estimate rather than surveyed or geocoded from the address."),
    )

    class Meta(PublicRecord.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name_zh" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin"}
        super().save(*args, **kwargs)

    def refresh_search_fields(self, pinyin=True):
        """Also the pinyin key of the Chinese name, unless `pinyin` is False (the caller has set it)."""
        if pinyin:
            self.name_pinyin = pinyin_key(self.name_zh)
        super().refresh_search_fields()

    @property
    def address(self):
        return in_language(self.address_zh, self.address_en)

    @property
    def has_position(self):
        return self.lat is not None and self.lng is not None

    def clean(self):
        super().clean()
        if (self.lat is None) != (self.lng is None):
            missing = "lng" if self.lng is None else "lat"
            raise ValidationError({missing: _("Give both latitude and longitude, or neither.")})


def place_constraints(prefix):
    """Database-level guards for a Place: both coordinates or none. Indexed for bbox queries."""
    return [
        models.CheckConstraint(
            condition=models.Q(lat__isnull=True, lng__isnull=True) | models.Q(lat__isnull=False, lng__isnull=False),
            name=f"{prefix}_lat_lng_together",
            violation_error_message=_("Give both latitude and longitude, or neither."),
        ),
    ]


def place_indexes(prefix):
    return [models.Index(fields=["lat", "lng"], name=f"{prefix}_lat_lng_idx")]
