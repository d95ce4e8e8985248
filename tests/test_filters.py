"""The FilterSets the map, exports and API share give the right records on hand-made data."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from industry.filters import EnterpriseFilterSet
from industry.models import Enterprise
from parks.filters import ParkFilterSet
from parks.models import Park

from .factories import enterprise, founded, park, space

pytestmark = pytest.mark.django_db


def names(filterset_class, query, model):
    filterset = filterset_class(QueryDict(query), queryset=model.objects.published())
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("name_zh", flat=True))


def enterprises(query):
    return names(EnterpriseFilterSet, query, Enterprise)


def parks(query):
    return names(ParkFilterSet, query, Park)


@pytest.fixture
def firms(demo):
    host = park("甲园")
    enterprise(
        "CAR-T公司",
        name_en="Cart Co",
        segments=["car-t"],
        park=host,
        ownership="private",
        size_band="small",
        founded_on=founded(2018),
        honours=["high-tech"],
        credit_code="91440300708461136T",
    )
    enterprise(
        "干细胞公司",
        segments=["stem-cell", "gene-therapy"],
        ownership="foreign",
        size_band="medium",
        founded_on=founded(2021),
        honours=["high-tech", "little-giant"],
    )
    enterprise("试剂公司", segments=["reagents-consumables"], ownership="private", founded_on=founded(2010))
    enterprise("草稿公司", segments=["car-t"], published=False)
    return host


def test_a_parent_segment_finds_the_enterprises_below_it(firms):
    assert enterprises("segment=cell-therapy") == ["CAR-T公司", "干细胞公司"]
    assert enterprises("segment=car-t") == ["CAR-T公司"]


def test_several_segments_give_either_and_each_enterprise_once(firms):
    found = enterprises("segment=car-t&segment=gene-therapy&segment=stem-cell")
    assert sorted(found) == sorted(["CAR-T公司", "干细胞公司", "霖南基因科技(广东)有限公司"])


def test_drafts_never_appear(firms):
    assert "草稿公司" not in enterprises("")


def test_park_ownership_size_and_founding_years(firms):
    assert enterprises(f"park={firms.pk}") == ["CAR-T公司"]
    assert enterprises("ownership=private") == ["CAR-T公司", "试剂公司"]
    assert enterprises("ownership=private&ownership=foreign&size=medium") == ["干细胞公司"]
    assert enterprises("founded_from=2015") == ["CAR-T公司", "干细胞公司"]
    assert enterprises("founded_from=2015&founded_to=2019") == ["CAR-T公司"]


def test_every_honour_asked_for_must_be_held(firms):
    assert enterprises("honour=high-tech") == ["CAR-T公司", "干细胞公司"]
    assert enterprises("honour=high-tech&honour=little-giant") == ["干细胞公司"]


@pytest.mark.parametrize(
    "query",
    ["霖南", "linnan", "LinNan", "lnjy", "Linnan Gene", "linnan gene"],
)
def test_search_finds_by_chinese_english_full_pinyin_and_initials(demo, query):
    assert enterprises(f"q={query}") == ["霖南基因科技(广东)有限公司"]


def test_search_finds_by_credit_code(firms):
    assert enterprises("q=91440300708461136t") == ["CAR-T公司"]


def test_a_range_upside_down_is_refused_naming_the_bound():
    filterset = EnterpriseFilterSet(QueryDict("founded_from=2020&founded_to=2010"), queryset=Enterprise.objects.all())
    assert not filterset.is_valid()
    assert "founded_to" in filterset.errors


def test_free_space_conditions_hold_for_one_and_the_same_space(demo):
    both = park("一间园")  # one space that is a large wet lab
    space(both, use="wet_lab", area=800)
    split = park("两间园")  # a large office and a small wet lab: no large wet lab
    space(split, use="office", area=800)
    space(split, use="wet_lab", area=50)
    park("无空间园")
    assert parks("space_use=wet_lab&area_min=500") == ["一间园"]
    assert parks("space_use=wet_lab") == ["一间园", "两间园"]
    assert parks("free_space=true&q=园") == ["一间园", "两间园"]
    assert "无空间园" in parks("free_space=false")


def test_stale_leased_and_draft_spaces_are_not_free_space(demo, settings):
    settings.SPACE_LISTING_STALE_AFTER_DAYS = 30
    stale = park("过期园")
    space(stale, verified_on=timezone.localdate() - timedelta(days=31))
    leased = park("已租园")
    space(leased, availability="leased")
    draft = park("草稿空间园")
    space(draft, published=False)
    assert parks("free_space=true") == []


def test_bbox_keeps_what_is_inside(firms):
    enterprise("深圳公司", lat=22.54, lng=114.06)
    assert "深圳公司" not in enterprises("bbox=113.3,22.6,113.7,22.95")
    assert "深圳公司" in enterprises("bbox=113.9,22.4,114.2,22.7")


@pytest.mark.parametrize(
    "bbox", ["1,2,3", "1,2,3,4,5", "a,b,c,d", "113.3,22.9,113.7,22.6", "0,0,200,10", "nan,1,2,3", "0,-91,1,1"]
)
def test_a_malformed_bbox_is_refused(bbox):
    # minLng > maxLng is no mistake: the box crosses the antimeridian (tests/api/test_ogc_partners.py).
    filterset = EnterpriseFilterSet(QueryDict(f"bbox={bbox}"), queryset=Enterprise.objects.all())
    assert not filterset.is_valid() and "bbox" in filterset.errors
