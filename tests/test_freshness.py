"""Freshness: staff see which records nobody has checked for too long and mark them verified; stale
space listings leave the public map until re-confirmed; public cards say when a record was verified."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from industry.models import (
    ClinicalProject,
    Enterprise,
    Fund,
    Hospital,
    Product,
    ResearchInstitution,
    ServicePlatform,
    SignedProject,
    StatedFigure,
)
from nansha.records.models import PublicRecordQuerySet
from nansha.staff import freshness_views
from nansha.staff.freshness import mark_verified, record_kinds, stale, stale_page, verified_fields
from parks.models import Park, Space
from policies.models import Policy

from .factories import SOURCE, enterprise, hospital, park, space

pytestmark = pytest.mark.django_db

URL = "/admin/freshness/"
TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - timedelta(days=n)


def one_of_each(verified_on, *, tag="", published=True):
    """A record of every kind, all verified on the same day (or never)."""
    status = "published" if published else "draft"
    common = {"source": SOURCE, "status": status, "verified_on": verified_on}
    host = Park.objects.create(name_zh=f"园区{tag}", kind="industrial_park", **common)
    company = Enterprise.objects.create(name_zh=f"企业{tag}", **common)
    clinic = Hospital.objects.create(name_zh=f"医院{tag}", **common)
    return {
        "enterprise": company,
        "product": Product.objects.create(enterprise=company, name_zh=f"产品{tag}", kind="pipeline", **common),
        "hospital": clinic,
        "researchinstitution": ResearchInstitution.objects.create(name_zh=f"院所{tag}", kind="institute", **common),
        "fund": Fund.objects.create(name_zh=f"基金{tag}", **common),
        "serviceplatform": ServicePlatform.objects.create(name_zh=f"平台{tag}", park=host, **common),
        "signedproject": SignedProject.objects.create(name_zh=f"签约{tag}", enterprise=company, park=host, **common),
        "clinicalproject": ClinicalProject.objects.create(
            name_zh=f"临床{tag}", hospital=clinic, enterprise=company, stage="ongoing", **common
        ),
        "park": host,
        "space": Space.objects.create(park=host, use="office", usable_area_m2=Decimal(100), unit=tag, **common),
        "policy": Policy.objects.create(title_zh=f"政策{tag}", level="district", **common),
        "statedfigure": StatedFigure.objects.create(
            metric_en=f"firms{tag}", value="约400", as_of="2024", kind="actual", **common
        ),
    }


def staff(django_user_model, username, *codenames):
    """A staff member holding exactly these permissions ("app.codename")."""
    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    for name in codenames:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return user, client


def refreshed(record):
    record.refresh_from_db()
    return record


# --- which records are stale --------------------------------------------------------------------


def test_every_kind_of_public_record_is_checked():
    assert [kind.key for kind in record_kinds()] == [
        "enterprise",
        "product",
        "statedfigure",  # headline figures as sources state them
        "hospital",
        "researchinstitution",
        "fund",
        "serviceplatform",
        "signedproject",
        "clinicalproject",
        "park",
        "space",
        "policy",
    ]


def test_never_verified_and_old_records_are_stale_published_first_then_oldest_first(settings):
    settings.RECORD_STALE_AFTER_DAYS = 365
    enterprise("新核实", verified_on=days_ago(10))
    enterprise("刚好一年", verified_on=days_ago(365))  # not older than the age: still fresh
    old = enterprise("一年多", verified_on=days_ago(366))
    older = enterprise("两年", verified_on=days_ago(800))
    never = enterprise("从未核实")
    old_draft = enterprise("旧草稿", verified_on=days_ago(900), published=False)
    never_draft = enterprise("未核实草稿", published=False)
    kind = next(k for k in record_kinds() if k.model is Enterprise)
    assert list(stale(kind, today=TODAY)) == [never, older, old, never_draft, old_draft]
    page = stale_page(kind, today=TODAY)
    assert (page.total, page.published, page.days) == (5, 3, 365)


def test_space_listings_use_their_own_shorter_age_and_a_chosen_age_applies_to_every_kind(settings):
    settings.RECORD_STALE_AFTER_DAYS = 365
    settings.SPACE_LISTING_STALE_AFTER_DAYS = 90
    records = one_of_each(days_ago(100))
    by_key = {kind.key: kind for kind in record_kinds()}
    assert [k for k, kind in by_key.items() if stale_page(kind, today=TODAY).total] == ["space"]
    assert records["space"].is_stale  # the page and the public map agree
    assert all(stale_page(kind, today=TODAY, days=99).total == 1 for kind in by_key.values())
    assert not any(stale_page(kind, today=TODAY, days=100).total for kind in by_key.values())


def test_one_query_per_kind_however_many_records(django_assert_num_queries):
    for tag in "abc":
        one_of_each(None, tag=tag)
    one_of_each(days_ago(1000), tag="d", published=False)
    kinds = record_kinds()
    with django_assert_num_queries(len(kinds)):  # 12: rows, total and published count in one query each
        pages = [stale_page(kind, today=TODAY, per_page=10) for kind in kinds]
        names = [str(record) for page in pages for record in page.records]  # a space's name reads its park
    assert all((page.total, page.published) == (4, 3) for page in pages)
    assert len(names) == 48


def test_a_page_past_the_end_gives_the_last_page():
    for n in range(5):
        enterprise(f"企业{n}")
    kind = next(k for k in record_kinds() if k.model is Enterprise)
    page = stale_page(kind, today=TODAY, number=9, per_page=2)
    assert (page.number, page.num_pages, len(page.records), page.total) == (3, 3, 1, 5)


# --- the staff page -----------------------------------------------------------------------------


def test_the_page_lists_stale_records_of_every_kind_with_links_to_their_change_pages(admin_client):
    records = one_of_each(None)
    company = enterprise("旧企业", verified_on=days_ago(400))
    enterprise("新企业", verified_on=TODAY)
    response = admin_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Records to re-verify" in page and 'class="breadcrumbs"' in page
    for record in records.values():
        opts = record._meta
        assert reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]) in page
    assert "旧企业" in page and "新企业" not in page
    assert "never" in page and f'<time datetime="{company.verified_on:%Y-%m-%d}">' in page
    assert ">400<" in page  # days ago
    assert "hidden from the public map until re-confirmed" in page  # the published space
    assert 'name="record"' in page and "Mark verified today" in page


def test_the_admin_index_links_to_the_page(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert f'href="{URL}"' in page and "Records to re-verify" in page


def test_the_page_costs_one_query_per_kind(admin_client, django_assert_num_queries):
    for tag in "abc":
        one_of_each(None, tag=tag)
    # the session, the user, then one query per kind: nothing grows with the number of records
    with django_assert_num_queries(2 + len(record_kinds())):  # 13
        assert admin_client.get(URL).status_code == 200
    with django_assert_num_queries(2 + 1):
        assert admin_client.get(URL, {"kind": "space"}).status_code == 200


def test_only_listings_already_off_the_public_map_are_flagged_so(admin_client, settings):
    settings.SPACE_LISTING_STALE_AFTER_DAYS = 90
    host = park("园区甲")
    space(host, unit="甲", verified_on=days_ago(40))
    space(host, unit="乙", verified_on=days_ago(100))
    page = admin_client.get(URL, {"kind": "space", "days": "30"}).content.decode()
    assert "园区甲 甲" in page and "园区甲 乙" in page
    assert page.count("hidden from the public map until re-confirmed") == 1


def test_filter_by_kind_and_age(admin_client):
    enterprise("老企业", verified_on=days_ago(40))
    enterprise("新企业", verified_on=days_ago(10))
    hospital("老医院", verified_on=days_ago(40))
    response = admin_client.get(URL, {"kind": "enterprise", "days": "30"})
    page = response.content.decode()
    assert response.status_code == 200 and response.context["notes"] == []
    assert "老企业" in page and "新企业" not in page and "老医院" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "castle"}, "There is no kind “castle” you may see"),
        ({"days": "abc"}, "“abc” is not a number of days"),
        ({"days": "-3"}, "“-3” is not a number of days"),
        ({"days": "1e400"}, "is not a number of days"),
        ({"days": "99999999999999999999"}, "is not a number of days"),
        ({"kind": "enterprise", "page": "zero"}, "“zero” is not a page number"),
        ({"kind": "enterprise", "page": "0"}, "is not a page number"),
        ({"kind": "enterprise", "page": "100000000000000000000"}, "is not a page number"),
        ({"kind": ["enterprise", "'; DROP TABLE x"], "days": "½"}, "is not a number of days"),
    ],
)
def test_bad_filter_values_are_explained_and_replaced_by_the_defaults(admin_client, query, message):
    enterprise("从未核实")
    response = admin_client.get(URL, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "从未核实" in response.content.decode()


def test_one_kind_is_paged(admin_client, monkeypatch):
    monkeypatch.setattr(freshness_views, "PER_PAGE", 2)
    for n in range(5):
        enterprise(f"企业{n}", verified_on=days_ago(1000 - n))  # 企业0 is the oldest
    first = admin_client.get(URL, {"kind": "enterprise"}).content.decode()
    assert "企业0" in first and "企业1" in first and "企业2" not in first and "Page 1 of 3" in first
    last = admin_client.get(URL, {"kind": "enterprise", "page": "3"}).content.decode()
    assert "企业4" in last and "企业3" not in last
    assert "Page 3 of 3" in admin_client.get(URL, {"kind": "enterprise", "page": "99"}).content.decode()


def test_the_overview_shows_a_few_per_kind_and_links_to_all(admin_client, monkeypatch):
    monkeypatch.setattr(freshness_views, "PREVIEW", 2)
    for n in range(3):
        enterprise(f"企业{n}")
    page = admin_client.get(URL).content.decode()
    assert "企业0" in page and "企业2" not in page and "All 3" in page and "?kind=enterprise" in page


def test_anonymous_and_non_staff_users_are_sent_to_the_login(client, django_user_model):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    user = django_user_model.objects.create_user("public", password="x")
    client.force_login(user)
    assert client.get(URL)["Location"].startswith("/admin/login/")
    assert client.post(URL, {"record": "enterprise:1"})["Location"].startswith("/admin/login/")


def test_staff_see_only_the_kinds_they_may_view(django_user_model):
    company = enterprise("企业甲")
    park("园区甲")
    _user, client = staff(django_user_model, "viewer", "industry.view_enterprise")
    response = client.get(URL)
    page = response.content.decode()
    assert [section["page"].kind.key for section in response.context["sections"]] == ["enterprise"]
    assert "企业甲" in page and "园区甲" not in page
    assert reverse("admin:industry_enterprise_change", args=[company.pk]) in page
    assert "There is no kind “park” you may see" in client.get(URL, {"kind": "park"}).content.decode()


def test_viewers_get_no_checkboxes_and_a_forged_post_is_refused_and_changes_nothing(django_user_model):
    company = enterprise("企业甲", verified_on=days_ago(500))
    version = company.version
    _user, client = staff(django_user_model, "viewer", "industry.view_enterprise")
    page = client.get(URL).content.decode()
    assert "企业甲" in page
    assert 'name="record"' not in page and "Mark verified today" not in page
    response = client.post(URL, {"record": f"enterprise:{company.pk}"})
    assert response.status_code == 403
    company = refreshed(company)
    assert (company.verified_on, company.version) == (days_ago(500), version)


def test_staff_without_any_permission_see_an_empty_page(django_user_model):
    enterprise("企业甲")
    _user, client = staff(django_user_model, "nobody")
    response = client.get(URL)
    assert response.status_code == 200 and "企业甲" not in response.content.decode()
    assert client.post(URL, {"record": "enterprise:1"}).status_code == 403


def test_editors_mark_records_verified_today_through_save(django_user_model):
    company = enterprise("企业甲", verified_on=days_ago(500))
    other = enterprise("企业乙")
    untouched = enterprise("企业丙")
    version, history = company.version, company.history.count()
    user, client = staff(django_user_model, "editor", "industry.view_enterprise", "industry.change_enterprise")
    assert 'name="record"' in client.get(URL).content.decode()
    response = client.post(
        f"{URL}?kind=enterprise", {"record": [f"enterprise:{company.pk}", f"enterprise:{other.pk}"]}, follow=True
    )
    assert response.redirect_chain == [(f"{URL}?kind=enterprise", 302)]
    page = response.content.decode()
    assert f"2 records marked verified on {TODAY.isoformat()}." in page
    assert "企业甲" not in page and "企业丙" in page
    company = refreshed(company)
    assert company.verified_on == TODAY and refreshed(other).verified_on == TODAY
    assert refreshed(untouched).verified_on is None
    assert company.version == version + 1  # a form a colleague opened before is now refused
    assert company.history.count() == history + 1
    assert company.history.first().history_user == user and company.history.first().verified_on == TODAY
    entry = LogEntry.objects.get(object_id=str(company.pk), user=user)
    assert entry.is_change() and entry.get_change_message() == "Changed verified on."


def test_a_post_naming_a_kind_the_user_may_only_view_changes_nothing(django_user_model):
    company = enterprise("企业甲", verified_on=days_ago(500))
    host = park("园区甲", verified_on=days_ago(500))
    _user, client = staff(
        django_user_model, "editor", "industry.view_enterprise", "industry.change_enterprise", "parks.view_park"
    )
    page = client.get(URL).content.decode()
    assert f'value="enterprise:{company.pk}"' in page and f'value="park:{host.pk}"' not in page
    response = client.post(URL, {"record": [f"enterprise:{company.pk}", f"park:{host.pk}"]})
    assert response.status_code == 403
    assert refreshed(company).verified_on == days_ago(500) and refreshed(host).verified_on == days_ago(500)


def test_a_record_deleted_meanwhile_is_reported_and_the_others_are_marked(admin_client):
    gone = enterprise("已删除")
    kept = enterprise("保留")
    gone_pk = gone.pk
    gone.delete()
    garbled = ["enterprise:abc", "enterprise:²", "enterprise:" + "9" * 30]  # ignored
    response = admin_client.post(
        URL, {"record": [f"enterprise:{gone_pk}", f"enterprise:{kept.pk}", *garbled]}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 record no longer exists (deleted meanwhile) and was skipped." in page
    assert "1 record marked verified on" in page
    assert refreshed(kept).verified_on == TODAY


def after_reading(monkeypatch, colleague):
    """Let `colleague(records)` act right after mark_verified has read the records, before it saves them."""
    real_in_bulk = PublicRecordQuerySet.in_bulk

    def in_bulk(self, *args, **kwargs):
        found = real_in_bulk(self, *args, **kwargs)
        colleague(found)
        return found

    monkeypatch.setattr(PublicRecordQuerySet, "in_bulk", in_bulk)


def test_a_record_deleted_between_reading_and_saving_is_reported(monkeypatch):
    company = enterprise("企业甲")
    after_reading(monkeypatch, lambda found: Enterprise.objects.filter(pk__in=found).delete())
    result = mark_verified(Enterprise, [company.pk], today=TODAY)
    assert (result.marked, result.missing, result.conflicts) == ([], [company.pk], [])


def test_a_record_saved_by_a_colleague_at_the_same_moment_is_a_conflict_not_an_error(admin_client, monkeypatch):
    company = enterprise("企业甲")

    def colleague_saves(found):
        colleague = Enterprise.objects.get(pk=company.pk)
        colleague.name_en = "Colleague's edit"
        colleague.save()

    after_reading(monkeypatch, colleague_saves)
    response = admin_client.post(URL, {"record": f"enterprise:{company.pk}"}, follow=True)
    assert "1 record was saved by someone else at the same moment" in response.content.decode()
    company = refreshed(company)
    assert company.name_en == "Colleague's edit" and company.verified_on is None


def test_nothing_ticked_is_explained(admin_client):
    response = admin_client.post(URL, {}, follow=True)
    assert "Tick the records you have checked" in response.content.decode()


def test_marking_writes_the_date_the_timestamp_and_the_version():
    assert verified_fields(Enterprise) == ["verified_on", "updated_at", "version"]
    assert verified_fields(Space) == ["verified_on", "updated_at", "version"]


def test_the_page_is_in_chinese(admin_client):
    enterprise("从未核实")
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    page = admin_client.get("/admin/freshness/").content.decode()
    assert "待重新核实的记录" in page and "从未核实" in page and "标记为今天已核实" in page
    assert "数据时效" in admin_client.get("/admin/").content.decode()


# --- the public side ----------------------------------------------------------------------------


def public_sightings(client, listing):
    """Where the public sees the listing: map data, park page, API, match page."""
    host = listing.park
    seen = set()
    rows = client.get("/map/data.json", {"layers": "parks", "free_space": "true"}).json()["layers"]["parks"]["rows"]
    if any(row[0] == host.pk for row in rows):
        seen.add("map")
    card = client.get(f"/parks/{host.pk}/?card=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    if 'data-label="Usable area (m²)">120</td>' in card and 'data-label="Use">Wet lab</td>' in card:
        seen.add("card")  # the park card's table of free spaces
    if any(s["id"] == listing.pk for s in client.get("/api/v1/spaces/").json()["results"]):
        seen.add("api")
    if any(m.space.pk == listing.pk for m in client.get("/match/", {"use": "wet_lab"}).context["result"].spaces):
        seen.add("match")
    return seen


def test_a_listing_leaves_the_public_map_when_stale_and_returns_when_marked_verified(client, admin_client, settings):
    settings.SPACE_LISTING_STALE_AFTER_DAYS = 30
    listing = space(park("横沥园"), use="wet_lab", area=120, verified_on=days_ago(29))
    everywhere = {"map", "card", "api", "match"}
    assert public_sightings(client, listing) == everywhere

    # Time passes and nobody re-confirms the listing: update() moves the date without a save.
    Space.objects.filter(pk=listing.pk).update(verified_on=days_ago(31))
    settings.PUBLIC_DATA_CACHE_SECONDS = 0  # the cache would only hide the change until it expires
    assert public_sightings(client, listing) == set()
    page = admin_client.get(URL, {"kind": "space"}).content.decode()
    assert f'value="space:{listing.pk}"' in page and "hidden from the public map" in page

    settings.PUBLIC_DATA_CACHE_SECONDS = 600
    assert admin_client.post(URL, {"record": f"space:{listing.pk}"}).status_code == 302
    assert refreshed(listing).verified_on == TODAY
    assert public_sightings(client, listing) == everywhere


DETAIL_PAGES = {
    "enterprise": (lambda **f: enterprise("企业甲", **f), "/enterprises/{}/"),
    "park": (lambda **f: park("园区甲", **f), "/parks/{}/"),
    "hospital": (lambda **f: hospital("医院甲", **f), "/hospitals/{}/"),
    "institution": (
        lambda **f: ResearchInstitution.objects.create(
            name_zh="院所甲", kind="university", source=SOURCE, status="published", **f
        ),
        "/institutions/{}/",
    ),
    "fund": (lambda **f: Fund.objects.create(name_zh="基金甲", source=SOURCE, status="published", **f), "/funds/{}/"),
    "platform": (
        lambda **f: ServicePlatform.objects.create(name_zh="平台甲", source=SOURCE, status="published", **f),
        "/platforms/{}/",
    ),
}


@pytest.mark.parametrize("kind", DETAIL_PAGES)
@pytest.mark.parametrize("suffix", ["?card=1", ""])
def test_cards_and_pages_say_when_the_record_was_verified(client, kind, suffix):
    make, url = DETAIL_PAGES[kind]

    def page(language):
        return client.get(url.format(checked.pk) + suffix, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    checked = make(verified_on=TODAY.replace(month=3, day=5) if TODAY.month > 3 else TODAY.replace(day=1))
    date = checked.verified_on
    english = page("en")
    assert "Verified on" in english and f'<time datetime="{date:%Y-%m-%d}">' in english
    assert date.strftime("%B") in english  # the month spelt out in English
    chinese = page("zh-hans")
    assert "核实日期" in chinese and f"{date.year}年{date.month}月{date.day}日" in chinese

    type(checked).objects.filter(pk=checked.pk).update(verified_on=None)
    assert "not yet verified" in page("en") and "尚未核实" in page("zh-hans")
