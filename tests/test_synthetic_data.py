"""`generate_synthetic` makes a reproducible, clearly labelled data set for scale tests."""

import math
import statistics
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from industry.models import Enterprise, Fund
from nansha.datasets.synthetic import NANSHA_BOX, SYNTHETIC_SOURCE
from nansha.records.validators import validate_credit_code, validate_latitude, validate_longitude
from parks.models import Park, Space, SpaceUse
from policies.models import Policy

pytestmark = pytest.mark.django_db


def fingerprint():
    return list(
        Enterprise.objects.filter(source__startswith=SYNTHETIC_SOURCE)
        .order_by("credit_code")
        .values_list("name_zh", "credit_code", "lat", "lng", "founded_on", "ownership", "park__name_zh", "status")
    ), sorted(Enterprise.segments.through.objects.values_list("enterprise__credit_code", "chainsegment__code"))


def test_the_same_seed_gives_the_same_data_and_a_rerun_replaces_it(demo):
    call_command("generate_synthetic", enterprises=300, seed=7, verbosity=0)
    first = fingerprint()
    call_command("generate_synthetic", enterprises=300, seed=7, verbosity=0)
    assert fingerprint() == first
    assert Enterprise.objects.filter(source__startswith=SYNTHETIC_SOURCE).count() == 300
    call_command("generate_synthetic", enterprises=300, seed=8, verbosity=0)
    assert fingerprint() != first


def test_synthetic_records_say_they_are_synthetic_and_are_valid(demo):
    call_command("generate_synthetic", enterprises=200, seed=1, verbosity=0)
    synthetic = Enterprise.objects.filter(source__startswith=SYNTHETIC_SOURCE)
    assert all("示例" in e.name_zh and "Sample" in e.name_en for e in synthetic)
    assert all("示例" in p.name_zh for p in Park.objects.filter(source__startswith=SYNTHETIC_SOURCE))
    assert all("示例" in p.title_zh for p in Policy.objects.filter(source__startswith=SYNTHETIC_SOURCE))
    for enterprise in synthetic[:50]:
        validate_credit_code(enterprise.credit_code)
        validate_latitude(enterprise.lat)
        validate_longitude(enterprise.lng)
        assert enterprise.segments.exists()
    assert Space.objects.filter(source__startswith=SYNTHETIC_SOURCE).exists()
    assert synthetic.exclude(park=None).values("park").distinct().count() > 5


def test_the_demo_data_is_left_alone(demo):
    before = Enterprise.objects.exclude(source__startswith=SYNTHETIC_SOURCE).count()
    call_command("generate_synthetic", enterprises=50, seed=1, verbosity=0)
    assert Enterprise.objects.exclude(source__startswith=SYNTHETIC_SOURCE).count() == before
    assert Enterprise.objects.filter(name_zh="霖南基因科技(广东)有限公司").exists()


@pytest.mark.parametrize("count", [0, -5, 2_000_000])
def test_an_impossible_count_is_refused(count):
    with pytest.raises(CommandError, match="between 1 and 1,000,000"):
        call_command("generate_synthetic", enterprises=count, seed=1, verbosity=0)


def km(a, b):
    """Distance in km between two (lat, lng) points (equirectangular, good to 1% over the region)."""
    return math.hypot((a[0] - b[0]) * 111.0, (a[1] - b[1]) * 102.5)


def test_ten_thousand_sample_firms_look_like_a_city_not_a_grid(db):
    call_command("generate_synthetic", enterprises=10_000, seed=1, verbosity=0)
    firms = list(Enterprise.objects.filter(source__startswith=SYNTHETIC_SOURCE).values_list("lat", "lng"))
    parks = list(
        Park.objects.filter(source__startswith=SYNTHETIC_SOURCE).values_list("lat", "lng", "total_floor_area_m2")
    )
    assert len(set(firms)) > 0.99 * len(firms)  # no two firms share a grid node
    assert len({lat for lat, _lng in firms}) > 5000  # a grid has a few dozen rows
    nearest = [min(km(firm, park[:2]) for park in parks) for firm in firms]
    assert sum(d < 3 for d in nearest) > 0.7 * len(firms)  # most within a few km of a park
    assert sum(d > 10 for d in nearest) > 0.03 * len(firms)  # and a long tail
    # Quadrats over Nansha: counts vary far more than a grid's or a uniform scatter's (variance/mean near 0 or 1).
    box = NANSHA_BOX
    cells = Counter(
        (int((lat - box[0]) / (box[1] - box[0]) * 20), int((lng - box[2]) / (box[3] - box[2]) * 20))
        for lat, lng in firms
        if box[0] <= lat < box[1] and box[2] <= lng < box[3]
    )
    counts = [cells.get((i, j), 0) for i in range(20) for j in range(20)]
    mean = statistics.mean(counts)
    assert statistics.pvariance(counts) / mean > 10
    areas = sorted(float(area) for *_point, area in parks)
    assert statistics.mean(areas) > 1.3 * statistics.median(areas)  # a few big parks, many small ones


def test_sample_spaces_funds_and_firms_have_plausible_shapes(db):
    call_command("generate_synthetic", enterprises=2000, seed=2, verbosity=0)
    spaces = Space.objects.filter(source__startswith=SYNTHETIC_SOURCE)
    assert set(spaces.values_list("use", flat=True)) == set(SpaceUse.values)
    for use, low, high in [("office", 20, 150), ("warehouse", 10, 60), ("gmp_production", 30, 150)]:
        rents = [float(r) for r in spaces.filter(use=use).values_list("rent_yuan_m2_month", flat=True)]
        assert rents and low <= min(rents) and max(rents) <= high, use
    assert statistics.median(
        float(a) for a in spaces.filter(use="gmp_production").values_list("usable_area_m2", flat=True)
    ) > statistics.median(float(a) for a in spaces.filter(use="office").values_list("usable_area_m2", flat=True))
    funds = Fund.objects.filter(source__startswith=SYNTHETIC_SOURCE)
    assert funds.exists() and all("示例" in f.name_zh and "Sample" in f.name_en for f in funds)
    firms = Enterprise.objects.filter(source__startswith=SYNTHETIC_SOURCE)
    recent = firms.filter(founded_on__year__gte=2015).count()
    assert recent > firms.count() - recent  # more young firms than old
    with_honours = firms.filter(honours__isnull=False).distinct().count()
    assert 0.1 * firms.count() < with_honours < 0.5 * firms.count()
