"""`generate_synthetic` makes a reproducible, clearly labelled data set for scale tests."""

import pytest
from django.core.management import CommandError, call_command

from industry.models import Enterprise
from nansha.datasets.synthetic import SYNTHETIC_SOURCE
from nansha.records.validators import validate_credit_code, validate_latitude, validate_longitude
from parks.models import Park, Space
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
