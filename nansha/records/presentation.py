"""How a public record is shown on its card and detail page: its public fields as labelled rows.

Rows come from the model's fields, so a field added to a model shows without touching templates.
Bilingual pairs (x_zh / x_en) become one row in the page's language, falling back to Chinese.
Empty fields are left out: the product never shows a fact it does not have.
"""

import re
from dataclasses import dataclass

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from nansha.records.models import in_language

NOT_SHOWN = {
    "id",
    "status",
    "source",
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
}


@dataclass
class Row:
    label: str
    text: str
    url: str = ""

    @property
    def external(self):
        return "://" in self.url


def is_public(record):
    """A related record may be shown: there is none, or it is published (vocabularies have no status)."""
    return record is None or getattr(record, "status", "published") == "published"


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


def _value_rows(record, field):
    name = field.name
    if field.many_to_many:
        related = [r for r in getattr(record, name).all() if is_public(r)]
        if related:
            yield Row(_label(field), "、".join(str(r) for r in related))
        return
    value = getattr(record, name)
    if value in (None, "") or (isinstance(value, list) and not value):
        return
    if field.is_relation:
        if is_public(value):
            yield Row(_label(field), str(value), detail_url(value))
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
    elif isinstance(field, models.DecimalField | models.IntegerField):
        yield Row(_label(field), number_format(value, force_grouping=True))
    elif hasattr(field, "item_choices"):  # ChoiceListField
        labels = dict(field.item_choices)
        yield Row(_label(field), "、".join(str(labels.get(v, v)) for v in value))
    else:
        yield Row(_label(field), str(value))


def field_rows(record):
    """The record's public facts as (label, text, url) rows, in model order."""
    rows = []
    names = {f.name for f in record._meta.get_fields()}
    for field in record._meta.get_fields():
        if field.auto_created or not (field.concrete or field.many_to_many) or field.name in NOT_SHOWN:
            continue
        if field.name.endswith("_en") and f"{field.name[:-3]}_zh" in names:
            continue
        if field.name.endswith("_zh") and f"{field.name[:-3]}_en" in names:
            text = in_language(getattr(record, field.name), getattr(record, f"{field.name[:-3]}_en"))
            if text:
                rows.append(Row(_label(field), text))
            continue
        rows.extend(_value_rows(record, field))
    return rows
