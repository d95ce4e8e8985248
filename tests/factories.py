"""The smallest records that show a behaviour: published, sourced, placed in Nansha unless told otherwise."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from industry.models import ChainSegment, Enterprise, Honour, Hospital
from parks.models import Park, Space

SOURCE = "test fixture"


def segment(code):
    return ChainSegment.objects.get(code=code)


def enterprise(name_zh, *, segments=(), honours=(), published=True, **fields):
    fields.setdefault("lat", 22.80)
    fields.setdefault("lng", 113.53)
    record = Enterprise.objects.create(
        name_zh=name_zh, source=SOURCE, status="published" if published else "draft", **fields
    )
    record.segments.set([segment(code) for code in segments])
    record.honours.set([Honour.objects.get(code=code) for code in honours])
    return record


def park(name_zh, *, published=True, **fields):
    fields.setdefault("kind", "industrial_park")
    fields.setdefault("lat", 22.75)
    fields.setdefault("lng", 113.50)
    return Park.objects.create(name_zh=name_zh, source=SOURCE, status="published" if published else "draft", **fields)


def space(park, *, use="office", area=100, verified_on=None, published=True, **fields):
    return Space.objects.create(
        park=park,
        use=use,
        usable_area_m2=Decimal(area),
        source=SOURCE,
        verified_on=verified_on or timezone.localdate(),
        status="published" if published else "draft",
        **fields,
    )


def hospital(name_zh, **fields):
    fields.setdefault("lat", 22.78)
    fields.setdefault("lng", 113.52)
    return Hospital.objects.create(name_zh=name_zh, source=SOURCE, status="published", **fields)


def founded(year):
    return date(year, 6, 1)
