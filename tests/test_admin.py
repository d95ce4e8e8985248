"""Staff keep the records right in the admin: every page works, bad input is refused and explained."""

from datetime import date
from decimal import Decimal

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework_api_key.models import APIKey

from industry.models import (
    ChainSegment,
    ClinicalProject,
    Enterprise,
    EnterpriseFact,
    FactKind,
    Fund,
    Hospital,
    Product,
)
from jobs import services as jobs
from jobs.models import Job
from leads.models import FollowUp, Lead
from nansha.staff.background import export_file
from parks.models import Park, Space
from policies.models import Policy

from .admin_forms import form_data

SOURCE = "test fixture"
SQUARE = [[113.50, 22.80], [113.51, 22.80], [113.51, 22.81], [113.50, 22.81], [113.50, 22.80]]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def records(demo, client, admin_user):
    """The demo data plus one record of each model the article has none of."""
    client.post(reverse("admin:login"), {"username": "nobody", "password": "wrong"})  # a failed login
    client.post(reverse("admin:login"), {"username": admin_user.username, "password": "password"})  # and one in
    AccessFailureLog.objects.get_or_create(username="nobody", ip_address="127.0.0.1", path_info="/admin/login/")
    park = Park.objects.get(name_zh="广东医谷")
    enterprise = Enterprise.objects.get(name_zh="霖南基因科技(广东)有限公司")
    Product.objects.create(enterprise=enterprise, name_zh="示例管线", kind="pipeline", source=SOURCE)
    Fund.objects.create(name_zh="示例基金", source=SOURCE, fund_size_wan=Decimal(10000))
    Space.objects.create(park=park, use="wet_lab", usable_area_m2=Decimal(500), source=SOURCE)
    Group.objects.get_or_create(name="editors")
    lead = Lead.objects.create(company="示例公司", contact_name="王", consent_text="…", park=park)
    FollowUp.objects.create(lead=lead, note="示例跟进")
    APIKey.objects.create_key(name="Partner portal")
    EnterpriseFact.objects.create(
        enterprise=enterprise, kind=FactKind.REVENUE, value=Decimal(1200), as_of=date(2024, 12, 31), source=SOURCE
    )
    # an export job, queued the way the admin queues one (its task result is the queue's own record)
    jobs.start(export_file, owner=admin_user, kind=Job.Kind.EXPORT, model=Enterprise, file_format="csv")


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_page_renders_for_staff(admin_client, admin_user, rf, records, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    request = rf.get("/")
    request.user = admin_user
    may_add = admin.site._registry[model].has_add_permission(request)  # login attempts are only recorded
    assert admin_client.get(admin_url(model, "add")).status_code == (200 if may_add else 403)
    obj = model._default_manager.first()
    assert obj is not None, f"no {model._meta.label} to open"
    # a job's change page is its progress page (the admin redirects there)
    assert admin_client.get(admin_url(model, "change", obj.pk), follow=True).status_code == 200


@pytest.mark.django_db
def test_the_article_entities_are_listed_in_the_admin(admin_client, demo):
    page = admin_client.get(admin_url(Park, "changelist")).content.decode()
    assert "横沥生物医药产业园" in page and "广东医谷二期" in page
    page = admin_client.get(admin_url(Hospital, "changelist")).content.decode()
    assert "中山大学附属第一(南沙)医院" in page


@pytest.mark.django_db
def test_search_by_chinese_name_english_name_and_credit_code(admin_client, demo):
    Enterprise.objects.create(name_zh="甲生物", name_en="Alpha Bio", credit_code="91440300708461136T", source=SOURCE)
    url = admin_url(Enterprise, "changelist")
    for query in ("霖南", "Linnan", "91440300708461136T", "alpha"):
        result = admin_client.get(url, {"q": query}).context["cl"].result_list
        assert len(result) == 1, query


def changelist_queries(client, model):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(admin_url(model, "changelist")).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_changelists_cost_the_same_queries_for_2_and_40_rows(admin_client, demo):
    park = Park.objects.get(name_zh="广东医谷")
    hospital = Hospital.objects.first()
    segment = ChainSegment.objects.get(code="gene-therapy")

    def add_rows(start, stop):
        for i in range(start, stop):
            e = Enterprise.objects.create(name_zh=f"企业{i}", source=SOURCE, park=park)
            e.segments.add(segment)
            Park.objects.create(name_zh=f"园区{i}", kind="incubator", source=SOURCE)
            Space.objects.create(park=park, use="office", usable_area_m2=100, source=SOURCE)
            Product.objects.create(enterprise=e, name_zh=f"产品{i}", source=SOURCE)
            ClinicalProject.objects.create(
                name_zh=f"项目{i}", hospital=hospital, enterprise=e, stage="ongoing", source=SOURCE
            )
            Policy.objects.create(title_zh=f"政策{i}", level="district", source=SOURCE)

    models = [Enterprise, Park, Space, Product, ClinicalProject, Policy]
    add_rows(0, 2)
    few = {m: changelist_queries(admin_client, m) for m in models}
    add_rows(2, 40)
    many = {m: changelist_queries(admin_client, m) for m in models}
    assert few == many


@pytest.mark.django_db
def test_publish_and_unpublish_actions(admin_client, demo):
    drafts = [Enterprise.objects.create(name_zh=f"草稿{i}", source=SOURCE) for i in range(3)]
    url = admin_url(Enterprise, "changelist")
    pks = [d.pk for d in drafts]
    response = admin_client.post(url, {"action": "publish", "_selected_action": pks}, follow=True)
    assert "3" in str(list(response.context["messages"])[0])
    assert Enterprise.objects.filter(pk__in=pks, status="published").count() == 3
    admin_client.post(url, {"action": "unpublish", "_selected_action": pks[:1]})
    assert Enterprise.objects.get(pk=pks[0]).status == "draft"


def field_errors(response, field):
    return [str(e) for e in response.context["adminform"].form.errors.get(field, [])]


@pytest.mark.django_db
def test_a_bad_credit_code_is_explained_on_the_form_and_nothing_is_saved(admin_client, demo):
    url = admin_url(Enterprise, "add")
    data = form_data(admin_client.get(url))
    data.update(name_zh="新企业", source=SOURCE, credit_code="91440300708461136X")
    before = Enterprise.objects.count()
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "check character" in " ".join(field_errors(response, "credit_code"))
    assert 'class="errorlist' in response.content.decode()
    assert Enterprise.objects.count() == before


@pytest.mark.django_db
def test_a_good_enterprise_is_saved_with_its_segments_and_point(admin_client, demo):
    url = admin_url(Enterprise, "add")
    data = form_data(admin_client.get(url))
    segment = ChainSegment.objects.get(code="car-t")
    data.update(
        name_zh="新企业",
        source=SOURCE,
        credit_code="91440300708461136t",
        lat="22.8",
        lng="113.5",
        segments=[segment.pk],
        founded_on="2020-05-01",
        status="published",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Enterprise.objects.get(name_zh="新企业")
    assert (created.credit_code, created.lat, created.lng) == ("91440300708461136T", 22.8, 113.5)
    assert list(created.segments.all()) == [segment]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "outline",
            '{"type": "Polygon", "coordinates": [[[113.5, 22.8], [113.6, 22.8], [113.6, 22.9]]]}',
            "at least four",
        ),
        ("outline", "{not json", "JSON"),
        ("outline", '"\\ud800"', "lone UTF-16 surrogate"),  # an escape no UTF-8 page can show back
        ("outline", '{"type": "Polygon", "coordinates": [[["\\udfff", 1]]]}', "lone UTF-16 surrogate"),
        ("lat", "39.9", "outside Guangdong"),
        ("lat", "nan", "number"),
        ("lng", "1e999", "number"),
        ("total_floor_area_m2", "-10", "greater than or equal to 1"),
        ("total_floor_area_m2", "1e30", "digits"),
        ("kind", "castle", "valid choice"),
        ("name_zh", "bad\x00name", "Null characters"),
        ("name_zh", "", "required"),
        ("website", "javascript:alert(1)", "valid URL"),
        ("verified_on", "2025-02-30", "valid date"),
    ],
)
def test_a_bad_value_on_a_park_is_explained_and_the_park_is_unchanged(admin_client, demo, field, value, message):
    park = Park.objects.get(name_zh="横沥生物医药产业园")
    park.outline = {"type": "Polygon", "coordinates": [SQUARE]}
    park.save()
    before = Park.objects.filter(pk=park.pk).values().get()
    url = admin_url(Park, "change", park.pk)
    data = form_data(admin_client.get(url))
    data.update({"description_zh": "changed", field: value})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert message in " ".join(field_errors(response, field)), response.context["adminform"].form.errors
    assert Park.objects.filter(pk=park.pk).values().get() == before


@pytest.mark.django_db
def test_a_park_outline_drawn_as_a_feature_is_stored_as_a_polygon(admin_client, demo):
    park = Park.objects.get(name_zh="广东医谷")
    url = admin_url(Park, "change", park.pk)
    data = form_data(admin_client.get(url))
    data["outline"] = '{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": %s}}' % [
        SQUARE
    ]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    park.refresh_from_db()
    assert park.outline == {"type": "Polygon", "coordinates": [SQUARE]}


@pytest.mark.django_db
def test_spaces_are_edited_inline_on_their_park_and_bad_rows_are_explained(admin_client, demo):
    park = Park.objects.get(name_zh="广东医谷")
    url = admin_url(Park, "change", park.pk)
    data = form_data(admin_client.get(url))
    row = {
        "building": "A栋",
        "floor": "3F",
        "use": "gmp_production",
        "cleanroom_grade": "gmp_c",
        "usable_area_m2": "800",
        "rent_yuan_m2_month": "-1",
        "availability": "available",
        "status": "draft",
        "source": SOURCE,
    }
    data.update({f"spaces-0-{k}": v for k, v in row.items()}, **{"spaces-TOTAL_FORMS": "1"})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "rent_yuan_m2_month" in response.context["inline_admin_formsets"][0].formset.errors[0]
    assert not Space.objects.exists()

    data["spaces-0-rent_yuan_m2_month"] = "65"
    assert admin_client.post(url, data).status_code == 302
    space = Space.objects.get()
    assert (space.park, space.usable_area_m2, space.cleanroom_grade) == (park, Decimal("800.0"), "gmp_c")


@pytest.mark.django_db
def test_products_are_edited_inline_on_their_enterprise(admin_client, demo):
    enterprise = Enterprise.objects.get(name_zh="霖南基因科技(广东)有限公司")
    url = admin_url(Enterprise, "change", enterprise.pk)
    data = form_data(admin_client.get(url))
    data.update(
        {
            "products-TOTAL_FORMS": "1",
            "products-0-name_zh": "地贫基因治疗产品",
            "products-0-kind": "pipeline",
            "products-0-development_stage": "phase_1",
            "products-0-status": "draft",
            "products-0-source": SOURCE,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert enterprise.products.get().development_stage == "phase_1"


@pytest.mark.django_db
def test_policy_eligibility_choices_are_saved_and_bad_dates_explained(admin_client, demo):
    url = admin_url(Policy, "add")
    data = form_data(admin_client.get(url))
    data.update(
        title_zh="南沙区生物医药产业扶持办法",
        level="district",
        source=SOURCE,
        eligible_ownership_kinds=["private", "foreign"],
        effective_from="2025-01-01",
        effective_to="2024-01-01",
    )
    response = admin_client.post(url, data)
    assert "expire before" in " ".join(field_errors(response, "effective_to"))
    data["effective_to"] = "2027-12-31"
    assert admin_client.post(url, data).status_code == 302
    policy = Policy.objects.get(title_zh="南沙区生物医药产业扶持办法")
    assert (policy.eligible_ownership_kinds, policy.effective_to) == (["private", "foreign"], date(2027, 12, 31))


@pytest.mark.django_db
def test_the_admin_shows_the_point_map_and_the_outline_map(admin_client, demo):
    park = Park.objects.get(name_zh="横沥生物医药产业园")
    page = admin_client.get(admin_url(Park, "change", park.pk)).content.decode()
    assert "data-point-map" in page and "data-outline-map" in page
    assert "leaflet/leaflet.js" in page and "leaflet/draw/leaflet.draw.js" in page
    assert ">null</textarea>" not in page  # no outline yet: an empty box, not the JSON literal


@pytest.mark.django_db
def test_one_admin_save_of_text_and_links_is_one_history_entry_holding_the_links(admin_client):
    """Creating a record with links, then changing its name and links: one entry each (were 2 and 3)."""
    car_t = ChainSegment.objects.create(code="car-t", name_zh="CAR-T", stage="midstream")
    cdmo = ChainSegment.objects.create(code="cdmo", name_zh="CDMO", stage="upstream")
    data = form_data(admin_client.get(admin_url(Enterprise, "add")))
    data.update(name_zh="一次保存", source=SOURCE, segments=[car_t.pk])
    response = admin_client.post(admin_url(Enterprise, "add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    record = Enterprise.objects.get(name_zh="一次保存")
    [created] = record.history.all()
    assert created.history_type == "+" and [link.chainsegment for link in created.segments.all()] == [car_t]

    data = form_data(admin_client.get(admin_url(Enterprise, "change", record.pk)))
    data.update(name_zh="一次保存(改)", segments=[cdmo.pk])
    assert admin_client.post(admin_url(Enterprise, "change", record.pk), data).status_code == 302
    changed, first = record.history.all()
    assert first == created and changed.history_type == "~" and changed.name_zh == "一次保存(改)"
    assert [link.chainsegment for link in changed.segments.all()] == [cdmo]
