"""Rules a record obeys whichever way it is saved: through a form, the admin or code."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from industry.models import ChainSegment, ClinicalProject, Enterprise
from parks.models import Park, Space
from policies.models import Policy

pytestmark = pytest.mark.django_db

SOURCE = "test fixture"
SQUARE = [[113.50, 22.80], [113.51, 22.80], [113.51, 22.81], [113.50, 22.81], [113.50, 22.80]]


def errors_of(record):
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    return error.value.message_dict


def test_english_name_falls_back_to_chinese():
    named = Enterprise(name_zh="霖南基因", name_en="Linnan Gene")
    unnamed = Enterprise(name_zh="某生物公司")
    with override("en"):
        assert (named.name, unnamed.name) == ("Linnan Gene", "某生物公司")
    with override("zh-hans"):
        assert named.name == "霖南基因"


def test_credit_code_is_normalised_and_unique_when_present():
    Enterprise.objects.create(name_zh="甲", source=SOURCE, credit_code=" 91440300708461136t ")
    assert Enterprise.objects.get().credit_code == "91440300708461136T"
    duplicate = Enterprise(name_zh="乙", source=SOURCE, credit_code="91440300708461136T")
    assert "Another enterprise already has this credit code." in str(errors_of(duplicate))
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_many_enterprises_may_have_no_credit_code():
    Enterprise.objects.create(name_zh="甲", source=SOURCE)
    second = Enterprise(name_zh="乙", source=SOURCE)
    second.full_clean()
    second.save()
    assert Enterprise.objects.filter(credit_code="").count() == 2


def test_a_position_needs_both_coordinates():
    assert "lng" in errors_of(Enterprise(name_zh="甲", source=SOURCE, lat=22.8))
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(name_zh="甲", source=SOURCE, lat=22.8)


def test_a_position_outside_the_region_is_refused_with_its_reason():
    errors = errors_of(Enterprise(name_zh="甲", source=SOURCE, lat=39.9, lng=116.4))
    assert "outside Guangdong" in errors["lat"][0]


def test_every_record_needs_a_source():
    assert "source" in errors_of(Enterprise(name_zh="甲"))


def test_space_area_and_rent_must_be_positive():
    park = Park.objects.create(name_zh="园", kind="incubator", source=SOURCE)
    errors = errors_of(Space(park=park, use="office", usable_area_m2=0, rent_yuan_m2_month=-5, source=SOURCE))
    assert {"usable_area_m2", "rent_yuan_m2_month"} <= errors.keys()
    with pytest.raises(IntegrityError), transaction.atomic():
        Space.objects.create(park=park, use="office", usable_area_m2=0, source=SOURCE)


def test_park_floor_area_must_be_positive():
    assert "total_floor_area_m2" in errors_of(
        Park(name_zh="园", kind="incubator", source=SOURCE, total_floor_area_m2=0)
    )


def test_park_outline_is_validated_and_normalised():
    park = Park(name_zh="园", kind="incubator", source=SOURCE)
    park.outline = {"type": "Polygon", "coordinates": [SQUARE[:-1]]}
    assert "not closed" in errors_of(park)["outline"][0]
    park.outline = {
        "type": "Feature",
        "properties": {"a": 1},
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }
    park.full_clean()
    assert park.outline == {"type": "Polygon", "coordinates": [SQUARE]}


def test_policy_dates_must_be_in_order():
    policy = Policy(
        title_zh="政策",
        level="district",
        source=SOURCE,
        issued_on=date(2024, 3, 1),
        effective_from=date(2024, 2, 1),
        effective_to=date(2024, 1, 1),
    )
    errors = errors_of(policy)
    assert {"effective_to", "effective_from"} <= errors.keys()
    policy.effective_from = None
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.create(
            title_zh="政策",
            level="district",
            source=SOURCE,
            effective_from=date(2024, 2, 1),
            effective_to=date(2024, 1, 1),
        )


def test_policy_founding_year_range_must_be_in_order():
    policy = Policy(
        title_zh="政策", level="district", source=SOURCE, min_years_since_founding=5, max_years_since_founding=2
    )
    assert "max_years_since_founding" in errors_of(policy)


def test_policy_eligibility_lists_only_hold_known_choices():
    policy = Policy(title_zh="政策", level="district", source=SOURCE, eligible_ownership_kinds=["private", "martian"])
    assert "martian" in errors_of(policy)["eligible_ownership_kinds"][0]


def test_clinical_project_cannot_end_before_it_starts():
    project = ClinicalProject(
        name_zh="项目", stage="completed", source=SOURCE, started_on=date(2025, 3, 1), ended_on=date(2025, 1, 1)
    )
    assert "ended_on" in errors_of(project)


def test_a_segment_cannot_sit_below_itself_or_change_stage_below_its_parent():
    top = ChainSegment.objects.create(code="t", name_zh="顶", stage="midstream")
    child = ChainSegment.objects.create(code="c", name_zh="子", stage="midstream", parent=top)
    top.parent = child
    assert "parent" in errors_of(top)
    top.parent = None
    stray = ChainSegment(code="s", name_zh="错", stage="upstream", parent=top)
    assert "stage" in errors_of(stray)


def test_a_space_listing_goes_stale_when_nobody_reconfirms_it(settings):
    settings.SPACE_LISTING_STALE_AFTER_DAYS = 30
    park = Park.objects.create(name_zh="园", kind="incubator", source=SOURCE)
    today = timezone.localdate()
    fresh = Space.objects.create(
        park=park, use="office", usable_area_m2=Decimal(100), source=SOURCE, verified_on=today
    )
    stale = Space.objects.create(
        park=park, use="office", usable_area_m2=Decimal(100), source=SOURCE, verified_on=today - timedelta(days=31)
    )
    never = Space.objects.create(park=park, use="office", usable_area_m2=Decimal(100), source=SOURCE)
    assert (fresh.is_stale, stale.is_stale, never.is_stale) == (False, True, True)
    assert list(Space.objects.fresh()) == [fresh]


def test_only_published_records_are_public():
    Enterprise.objects.create(name_zh="草稿", source=SOURCE)
    Enterprise.objects.create(name_zh="已发布", source=SOURCE, status="published")
    assert [e.name_zh for e in Enterprise.objects.published()] == ["已发布"]
