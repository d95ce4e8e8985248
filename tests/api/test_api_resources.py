"""The REST API: resources, filters, spatial filters, GeoJSON, errors and query counts."""

import math
from decimal import Decimal

import geojson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shapely.geometry import shape

from industry.models import ChainSegment, ClinicalProject, Enterprise, Fund, Product, SignedProject
from parks.models import Space
from policies.models import Policy, SupportKind

from ..factories import SOURCE, enterprise, hospital, park, space
from . import RESOURCES

pytestmark = pytest.mark.django_db

MAPPABLE = ["enterprises", "parks", "hospitals", "institutions", "funds", "platforms"]


def get(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:300]
    return response


def names(response):
    return [r.get("name_zh") or r.get("title_zh") for r in response.json()["results"]]


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_resource_lists_and_shows_published_records(client, demo, resource):
    host = park("示例园")
    space(host, use="wet_lab", area=300)
    Fund.objects.create(name_zh="示例基金", source=SOURCE, status="published", lat=22.8, lng=113.5)
    listing = get(client, f"/api/v1/{resource}/").json()
    assert listing["count"] >= 1
    first = listing["results"][0]
    assert get(client, f"/api/v1/{resource}/{first['id']}/").json()["id"] == first["id"]


def test_drafts_never_leak(client, demo):
    draft = enterprise("草稿企业", published=False)
    assert "草稿企业" not in names(get(client, "/api/v1/enterprises/?page_size=200"))
    get(client, f"/api/v1/enterprises/{draft.pk}/", status=404)
    assert "草稿企业" not in get(client, "/api/v1/enterprises/geojson/").content.decode()
    Product.objects.create(enterprise=draft, name_zh="草稿产品", source=SOURCE)
    published = enterprise("发布企业")
    Product.objects.create(enterprise=published, name_zh="未发布产品", source=SOURCE, status="draft")
    detail = get(client, f"/api/v1/enterprises/{published.pk}/").json()
    assert detail["products"] == []


def test_stale_spaces_and_spaces_of_draft_parks_are_not_public(client, demo, settings):
    settings.SPACE_LISTING_STALE_AFTER_DAYS = 30
    hidden_park = park("草稿园", published=False)
    space(hidden_park)
    old = space(park("公开园"), use="office")
    Space.objects.filter(pk=old.pk).update(verified_on="2000-01-01")
    assert get(client, "/api/v1/spaces/").json()["count"] == 0


def test_enterprise_filters_are_those_of_the_map(client, demo):
    enterprise("CAR-T公司", segments=["car-t"], ownership="private", founded_on="2019-01-01")
    enterprise("器械公司", segments=["medical-devices"], ownership="foreign")
    assert names(get(client, "/api/v1/enterprises/?segment=cell-therapy")) == ["CAR-T公司"]
    assert names(get(client, "/api/v1/enterprises/?ownership=foreign")) == ["器械公司"]
    assert names(get(client, "/api/v1/enterprises/?q=lnjy")) == ["霖南基因科技(广东)有限公司"]
    assert names(get(client, "/api/v1/enterprises/?founded_from=2018&founded_to=2020")) == ["CAR-T公司"]
    ordered = names(get(client, "/api/v1/enterprises/?ordering=-name_zh"))
    assert ordered == sorted(ordered, reverse=True)


def test_bbox_and_near_with_distance_and_ordering(client, demo):
    Enterprise.objects.all().delete()  # the demo's firms placed at their park's position are not these
    enterprise("近", lat=22.800, lng=113.530)
    enterprise("中", lat=22.830, lng=113.530)  # 3.34 km north
    enterprise("远", lat=23.100, lng=113.530)  # 33 km north
    inside = names(get(client, "/api/v1/enterprises/?bbox=113.5,22.79,113.56,22.84"))
    assert sorted(inside) == ["中", "近"]
    results = get(client, "/api/v1/enterprises/?near=22.8,113.53&radius_km=10").json()["results"]
    assert [r["name_zh"] for r in results] == ["近", "中"]
    expected = 6371.0088 * math.radians(0.03)
    assert results[1]["distance_km"] == pytest.approx(expected, abs=0.01)
    assert results[0]["distance_km"] == 0
    far = get(client, "/api/v1/enterprises/?near=22.8,113.53&radius_km=50").json()["results"]
    assert [r["name_zh"] for r in far] == ["近", "中", "远"]


@pytest.mark.parametrize("resource", MAPPABLE)
def test_geojson_is_valid_and_filtered(client, demo, resource):
    hospital("测试医院")
    Fund.objects.create(
        name_zh="测试基金", source=SOURCE, status="published", lat=22.8, lng=113.5, fund_size_wan=Decimal("12345.67")
    )
    response = get(client, f"/api/v1/{resource}/geojson/")
    assert response["Content-Type"] == "application/geo+json"
    collection = geojson.loads(response.content.decode())
    assert collection.is_valid, collection.errors()
    for feature in collection["features"]:
        if feature["geometry"]:
            assert shape(feature["geometry"]).is_valid
    if resource == "funds":
        [fund] = [f for f in collection["features"] if f["properties"]["name_zh"] == "测试基金"]
        assert fund["properties"]["fund_size_wan"] == 12345.67


def test_geojson_applies_the_filters_and_carries_codes(client, demo):
    enterprise("CAR-T公司", segments=["car-t"], honours=["high-tech"])
    features = get(client, "/api/v1/enterprises/geojson/?segment=car-t").json()["features"]
    assert [f["properties"]["name_zh"] for f in features] == ["CAR-T公司"]
    assert features[0]["properties"]["segments"] == ["car-t"]
    assert features[0]["properties"]["honours"] == ["high-tech"]
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [113.53, 22.8]}


def test_geojson_is_cache_friendly(client, demo):
    first = get(client, "/api/v1/hospitals/geojson/")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/api/v1/hospitals/geojson/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    zipped = get(client, "/api/v1/parks/geojson/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("segment=no-such", "segment"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("near=abc", "near"),
        ("near=22.8,113.5&radius_km=-1", "radius_km"),
        ("near=22.8,113.5&radius_km=99999", "radius_km"),
        ("founded_from=abc", "founded_from"),
        ("founded_from=2020&founded_to=2000", "founded_to"),
        ("ownership=martian", "ownership"),
        ("park=abc", "park"),
        ("park=99999999999999999999999", "park"),
        ("honour=nobody", "honour"),
    ],
)
def test_bad_parameters_give_400_naming_the_parameter(client, demo, query, parameter):
    for url in (f"/api/v1/enterprises/?{query}", f"/api/v1/enterprises/geojson/?{query}"):
        response = get(client, url, status=400)
        assert parameter in response.json()


def test_pages_past_the_end_are_404_and_page_size_is_capped(client, demo):
    response = get(client, "/api/v1/parks/?page=999", status=404)
    assert "page=999" in response.json()["detail"]
    get(client, "/api/v1/parks/?page=abc", status=404)
    for i in range(210):
        enterprise(f"企业{i:03d}")
    assert len(get(client, "/api/v1/enterprises/?page_size=100000").json()["results"]) == 200


def test_other_bad_input_is_never_a_server_error(client, demo):
    for url in [
        "/api/v1/enterprises/?ordering=nonsense",
        "/api/v1/enterprises/%00/",
        "/api/v1/enterprises/99999999999999999999999/",
        "/api/v1/policies/?in_force_on=2024-02-30",
        "/api/v1/spaces/?area_min=1e400",
        "/api/v1/enterprises/?q=%00",
        "/api/v1/segments/?parent=%ff",
    ]:
        assert client.get(url).status_code < 500, url


def test_policies_in_force_on_a_day(client, demo):
    from policies.models import Policy

    Policy.objects.create(
        title_zh="过期政策",
        level="district",
        source=SOURCE,
        status="published",
        effective_from="2020-01-01",
        effective_to="2021-12-31",
    )
    Policy.objects.create(
        title_zh="现行政策", level="district", source=SOURCE, status="published", effective_from="2024-01-01"
    )
    titles = names(get(client, "/api/v1/policies/?in_force_on=2025-06-01&level=district"))
    assert "现行政策" in titles and "过期政策" not in titles  # load_demo's real district policies are in force too


LIST_QUERIES = {
    # (anonymous) list page: count + page (+ one per prefetched relation)
    "enterprises": 5,
    "parks": 3,
    "hospitals": 2,
    "policies": 8,  # + its clauses, their segments and honours
    "clinical-projects": 3,
    "signed-projects": 3,
    "spaces": 2,
}


@pytest.mark.parametrize("resource", list(LIST_QUERIES))
def test_list_endpoints_run_a_constant_number_of_queries(client, demo, django_assert_num_queries, resource):
    def grow(n):
        host = park(f"园{n}")
        e = enterprise(f"企业{n}", segments=["car-t", "stem-cell"], honours=["high-tech"], park=host)
        Product.objects.create(enterprise=e, name_zh=f"产品{n}", source=SOURCE, status="published")
        space(host)
        hospital(f"医院{n}")
        ClinicalProject.objects.create(
            name_zh=f"项目{n}", stage="ongoing", source=SOURCE, status="published", hospital_id=None, enterprise=e
        )
        SignedProject.objects.create(name_zh=f"签约{n}", source=SOURCE, status="published", park=host)
        p = Policy.objects.create(title_zh=f"政策{n}", level="district", source=SOURCE, status="published")
        p.support_kinds.set(SupportKind.objects.all()[:2])
        p.target_segments.set(ChainSegment.objects.filter(code="car-t"))

    grow(0)
    with django_assert_num_queries(LIST_QUERIES[resource]):
        get(client, f"/api/v1/{resource}/?page_size=200")
    for n in range(1, 25):
        grow(n)
    with django_assert_num_queries(LIST_QUERIES[resource]):
        get(client, f"/api/v1/{resource}/?page_size=200")


@pytest.mark.parametrize("resource", MAPPABLE)
def test_geojson_runs_a_constant_number_of_queries(client, demo, resource):
    def count():
        with CaptureQueriesContext(connection) as queries:
            get(client, f"/api/v1/{resource}/geojson/")
        return len(queries)

    before = count()
    for n in range(20):
        enterprise(f"企业{n}", segments=["car-t"], honours=["high-tech"])
        park(f"园{n}")
        hospital(f"医院{n}")
    assert count() == before


@pytest.mark.parametrize("resource", MAPPABLE)
def test_the_database_built_geojson_equals_the_python_built_one(client, demo, resource):
    """The fast path (JSON built in SQL) and the general one (used with ordering=) give the same features."""
    enterprise(
        "全字段企业",
        segments=["car-t", "stem-cell"],
        honours=["high-tech"],
        founded_on="2020-02-02",
        registered_capital_wan=Decimal("1234.5"),
        ownership="private",
        credit_code="91440300708461136T",
    )
    hospital("布尔医院", grade="3a", is_drug_trial_institution=True, has_stem_cell_filing=False)
    Fund.objects.create(
        name_zh="小数基金", source=SOURCE, status="published", lat=22.8, lng=113.5, fund_size_wan=Decimal("100.25")
    )
    fast = get(client, f"/api/v1/{resource}/geojson/").json()["features"]
    general = get(client, f"/api/v1/{resource}/geojson/?ordering=name_zh").json()["features"]
    assert fast == general
    assert fast, resource


def test_links_to_drafts_stay_private(client, demo):
    hidden = park("草稿园区", published=False)
    enterprise("园内企业", park=hidden)
    result = get(client, "/api/v1/enterprises/?q=园内企业").json()["results"][0]
    assert (result["park"], result["park_name"]) == (None, None)
    card = client.get(f"/enterprises/{result['id']}/?card=1").content.decode()
    assert "草稿园区" not in card


def test_ordering_by_distance_without_near_is_ignored(client, demo):
    get(client, "/api/v1/enterprises/?ordering=distance_km")
    get(client, "/api/v1/enterprises/geojson/?ordering=distance_km")


def test_staff_cannot_loop_the_chain_or_delete_a_segment_others_hang_on(admin_client, demo):
    parent = ChainSegment.objects.get(code="cell-therapy")
    response = admin_client.patch(
        f"/api/v1/segments/{parent.pk}/", {"parent": "car-t"}, content_type="application/json"
    )
    assert response.status_code == 400 and "parent" in response.json()
    assert admin_client.delete(f"/api/v1/segments/{parent.pk}/").status_code == 409
    assert ChainSegment.objects.filter(pk=parent.pk, parent=None).exists()


def test_an_api_write_of_a_record_and_its_links_is_one_history_entry(admin_client, demo):
    """POST with links, then PATCH of the name and links: one entry each, holding the links (were 2 and 3)."""
    from industry.models import Enterprise

    response = admin_client.post(
        "/api/v1/enterprises/",
        {"name_zh": "接口企业", "source": SOURCE, "segments": ["car-t"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()
    record = Enterprise.objects.get(name_zh="接口企业")
    [created] = record.history.all()
    assert created.history_type == "+" and [link.chainsegment.code for link in created.segments.all()] == ["car-t"]
    response = admin_client.patch(
        f"/api/v1/enterprises/{record.pk}/",
        {"name_zh": "接口企业(改)", "segments": ["stem-cell"], "version": response.json()["version"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()
    changed, first = record.history.all()
    assert first == created and changed.history_type == "~" and changed.name_zh == "接口企业(改)"
    assert [link.chainsegment.code for link in changed.segments.all()] == ["stem-cell"]
