"""Who sees what of a record (the one rule every public surface asks), and how a record is shown on its card
and detail page: its public fields as labelled rows.

Rows come from the model's fields, so a field added to a model shows without touching templates.
Bilingual pairs (x_zh / x_en) become one row in the page's language, falling back to Chinese.
Empty fields are left out: the product never shows a fact it does not have.
"""

import re
from dataclasses import dataclass, replace

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from nansha.records.chinese import in_script, join_items
from nansha.records.models import TrackedRecord, in_language
from nansha.records.numbers import grouped_number

NOT_SHOWN = {
    "id",
    "status",
    "source",
    "verification_note",
    "verified_on",
    "created_at",
    "updated_at",
    "version",
    "name_zh",
    "name_en",
    "name_pinyin",
    "search_names",
    "search_text",
    "aliases",
    "description_zh",
    "description_en",
    "lat",
    "lng",
    "outline",
    "position_is_approximate",
    "address_zh",
    "address_en",
}
LANGUAGE_SUFFIX = re.compile(r"\s*[(（](Chinese|中文)[)）]\s*$")

# Detail pages of the kinds of record that have one, by model label.
DETAIL_URLS = {
    "industry.enterprise": "enterprise-detail",
    "parks.park": "park-detail",
    "industry.hospital": "hospital-detail",
    "industry.researchinstitution": "institution-detail",
    "industry.fund": "fund-detail",
    "industry.serviceplatform": "platform-detail",
    "policies.policy": "policy-detail",
}


@dataclass
class Row:
    label: str
    text: str
    url: str = ""

    @property
    def external(self):
        return "://" in self.url


# Direct contacts of a record: shown only to partners and staff (README, "Who sees what"). Any e-mail field
# counts too, so that one added later stays hidden until someone decides otherwise.
CONTACT_FIELDS = {"contact_phone", "contact_email"}


def contact_fields(model):
    """The names of `model`'s direct contact fields (public contact phone and e-mail), in model order."""
    return [
        f.name for f in model._meta.concrete_fields if f.name in CONTACT_FIELDS or isinstance(f, models.EmailField)
    ]


def record_models():
    """The concrete models whose records have a publication status (drafts exist only for these)."""
    return [m for m in apps.get_models() if issubclass(m, TrackedRecord)]


@dataclass(frozen=True)
class Audience:
    """What one caller may see, reduced to what decides it (so it can key cached responses).

    contacts: the records' direct contact fields (CONTACT_FIELDS) are shown;
    drafts: labels ("parks.park") of the models whose drafts are shown and may be linked to.
    Everything else is public: published records, and records without a status (vocabularies).
    """

    contacts: bool = False
    drafts: frozenset = frozenset()

    def sees_drafts(self, model):
        return model._meta.label_lower in self.drafts

    def shows(self, record):
        """`record` may be shown, or linked to (name and id): it has no status, is published, or is a draft
        of a model whose drafts this audience sees. None (no record) is False: there is nothing to link."""
        if record is None:
            return False
        return not isinstance(record, TrackedRecord) or record.is_published or self.sees_drafts(record._meta.model)

    def records(self, model):
        """The queryset of `model`'s records this audience may see or be linked to."""
        manager = model._default_manager
        if not issubclass(model, TrackedRecord) or self.sees_drafts(model):
            return manager.all()
        return manager.published()

    def link_limits(self, model, names):
        """{name: queryset of the targets that may be shown} for each of `names` that is a foreign key of
        `model` (by name or attname, e.g. "park" or "park_id") to records this audience may not all see."""
        limits = {}
        for name in names:
            fk = next((f for f in model._meta.concrete_fields if f.many_to_one and name in (f.name, f.attname)), None)
            if (
                fk is not None
                and issubclass(fk.related_model, TrackedRecord)
                and not self.sees_drafts(fk.related_model)
            ):
                limits[name] = self.records(fk.related_model)
        return limits

    def published_only(self):
        """The same caller on the published map (pages, cards, map data, exports, OGC): no drafts, no links to them."""
        return replace(self, drafts=frozenset())

    @property
    def cache_key(self):
        return f"contacts={int(self.contacts)};drafts={','.join(sorted(self.drafts))}"


PUBLIC = Audience()


def presented_key(request):
    """The API key the caller sent (X-Api-Key), or None."""
    from rest_framework_api_key.permissions import KeyParser

    return KeyParser().get(getattr(request, "_request", request)) or None


def partner_key_is_valid(request):
    """The caller sent an API key that is known, not revoked and not expired (checked once per request)."""
    from rest_framework_api_key.models import APIKey

    request = getattr(request, "_request", request)
    if not hasattr(request, "_nansha_key_valid"):
        key = presented_key(request)
        request._nansha_key_valid = bool(key) and APIKey.objects.is_valid(key)
    return request._nansha_key_valid


def audience(request):
    """What the caller of `request` may see: THE rule of the product, asked by every surface.

    - direct contacts (CONTACT_FIELDS): partners with a valid API key and logged-in staff; anonymous visitors
      reach a company through the investment-promotion bureau instead;
    - drafts of a model: staff whose role may view that model (the admin's view permission; superusers all);
      never anonymous callers or partners.
    A key that is unknown, revoked or expired counts as no key here; the API refuses it (nansha.api.access).
    Worked out once per request (HttpRequest or DRF Request).
    """
    request = getattr(request, "_request", request)
    if not hasattr(request, "_nansha_audience"):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            drafts = frozenset(
                m._meta.label_lower
                for m in record_models()
                if user.has_perm(f"{m._meta.app_label}.view_{m._meta.model_name}")
            )
            request._nansha_audience = Audience(contacts=True, drafts=drafts)
        elif partner_key_is_valid(request):
            request._nansha_audience = Audience(contacts=True)
        else:
            request._nansha_audience = PUBLIC
    return request._nansha_audience


def is_public(record):
    """A related record may be shown to anyone: there is none, or it is published (vocabularies have no status)."""
    return record is None or PUBLIC.shows(record)


def detail_url(record):
    name = DETAIL_URLS.get(record._meta.label_lower)
    if name is None:
        return ""
    try:
        return reverse(name, args=[record.pk])
    except NoReverseMatch:
        return ""


def _label(field):
    return LANGUAGE_SUFFIX.sub("", str(field.verbose_name))


def _value_rows(record, field, audience):
    name = field.name
    if field.many_to_many:
        related = [r for r in getattr(record, name).all() if audience.shows(r)]
        if related:
            yield Row(_label(field), join_items(related))
        return
    value = getattr(record, name)
    if value in (None, "") or (isinstance(value, list) and not value):
        return
    if field.is_relation:
        if audience.shows(value):
            yield Row(_label(field), str(value), detail_url(value) if is_public(value) else "")
    elif field.choices:
        yield Row(_label(field), getattr(record, f"get_{name}_display")())
    elif isinstance(field, models.BooleanField):
        yield Row(_label(field), _("Yes") if value else _("No"))
    elif isinstance(field, models.URLField):
        yield Row(_label(field), value, value)
    elif isinstance(field, models.EmailField):
        yield Row(_label(field), value, f"mailto:{value}")
    elif isinstance(field, models.DateField):
        yield Row(_label(field), date_format(value))
    elif isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        yield Row(_label(field), grouped_number(value))
    elif hasattr(field, "item_choices"):  # ChoiceListField
        labels = dict(field.item_choices)
        yield Row(_label(field), join_items(labels.get(v, v) for v in value))
    else:
        yield Row(_label(field), in_script(str(value)) if isinstance(value, str) else str(value))


def contact_note():
    """What stands where a record's direct contacts would be, for those who may not see them."""
    return Row(_("Contact"), _("through the investment-promotion bureau"))


def field_rows(record, audience=PUBLIC):
    """The record's facts `audience` may see as (label, text, url) rows, in model order.

    Links to records the audience may not see are left out (name and link); direct contacts are shown only to
    an audience with contacts, and in their place the others read contact_note().
    """
    rows = []
    names = {f.name for f in record._meta.get_fields()}
    contacts = set(contact_fields(record._meta.model))
    for field in record._meta.get_fields():
        if field.auto_created or not (field.concrete or field.many_to_many) or field.name in NOT_SHOWN:
            continue
        if field.name in contacts and not audience.contacts:
            if contact_note() not in rows:
                rows.append(contact_note())
            continue
        if field.name.endswith("_en") and f"{field.name[:-3]}_zh" in names:
            continue
        if field.name.endswith("_zh") and f"{field.name[:-3]}_en" in names:
            text = in_language(getattr(record, field.name), getattr(record, f"{field.name[:-3]}_en"))
            if text:
                rows.append(Row(_label(field), text))
            continue
        rows.extend(_value_rows(record, field, audience))
    return rows
