"""Staff workflows that lose nothing: history with revert, refused concurrent edits, roles."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from industry.models import ChainSegment, Enterprise
from nansha.staff.roles import EDITORS, VIEWERS
from parks.models import Park, Space

from .admin_forms import form_data

SOURCE = "test fixture"


def change_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def delete_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_delete", args=[record.pk])


def history_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_history", args=[record.pk])


def staff(username, group=None, superuser=False):
    user = User.objects.create_user(username, password="pw-" + username, is_staff=True, is_superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return user, client


@pytest.fixture
def enterprise(db):
    segment = ChainSegment.objects.create(code="car-t", name_zh="CAR-T", stage="midstream")
    record = Enterprise.objects.create(name_zh="甲生物", name_en="Alpha Bio", source=SOURCE, status="draft")
    record.segments.add(segment)
    return record


@pytest.fixture
def editors(db):
    return staff("alice", EDITORS)[1], staff("bob", EDITORS)[1]


# --- concurrent edits -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_colleagues_simultaneous_edit_is_refused_and_the_first_edit_survives(enterprise, editors):
    alice, bob = editors
    alice_form = form_data(alice.get(change_url(enterprise)))  # both open the record
    bob_form = form_data(bob.get(change_url(enterprise)))

    alice_form["name_en"] = "Alpha Biotech"
    response = alice.post(change_url(enterprise), alice_form)
    assert response.status_code == 302  # saved

    bob_form["name_en"] = "Alpha Biology"
    bob_form["contact_phone"] = "020-1234"
    response = bob.post(change_url(enterprise), bob_form)
    assert response.status_code == 200  # the form again, with the refusal
    page = response.content.decode()
    assert "Not saved: someone else saved this record after you opened it" in page
    assert "Last saved by alice" in page
    assert "name (english), public contact phone" in page.split("differs from your form in:")[1].split(".")[0].lower()
    assert 'value="Alpha Biology"' in page and 'value="020-1234"' in page  # Bob's input is still there

    enterprise.refresh_from_db()
    assert enterprise.name_en == "Alpha Biotech" and enterprise.contact_phone == ""
    assert enterprise.version == 2

    # Bob reopens the record, re-applies his change and saves.
    bob_form = form_data(bob.get(change_url(enterprise)))
    bob_form["contact_phone"] = "020-1234"
    assert bob.post(change_url(enterprise), bob_form).status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name_en, enterprise.contact_phone, enterprise.version) == ("Alpha Biotech", "020-1234", 3)


@pytest.mark.django_db
def test_a_stale_save_of_an_inline_space_is_refused_too(editors):
    alice, bob = editors
    park = Park.objects.create(name_zh="园区", kind="industrial_park", source=SOURCE)
    space = Space.objects.create(park=park, use="office", usable_area_m2=100, source=SOURCE)
    alice_form = form_data(alice.get(change_url(park)))
    bob_form = form_data(bob.get(change_url(park)))
    alice_form["spaces-0-usable_area_m2"] = "120"
    assert alice.post(change_url(park), alice_form).status_code == 302
    bob_form["spaces-0-usable_area_m2"] = "150"
    response = bob.post(change_url(park), bob_form)
    assert response.status_code == 200 and "Not saved: someone else saved this record" in response.content.decode()
    space.refresh_from_db()
    assert space.usable_area_m2 == 120


@pytest.mark.django_db
def test_a_record_deleted_meanwhile_is_reported_not_recreated(enterprise, editors):
    alice, bob = editors
    form = form_data(alice.get(change_url(enterprise)))
    Enterprise.objects.filter(pk=enterprise.pk).delete()
    response = alice.post(change_url(enterprise), form, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "deleted by someone else" in page or "doesn’t exist" in page or "does not exist" in page
    assert not Enterprise.objects.filter(pk=enterprise.pk).exists()


@pytest.mark.django_db
def test_a_tampered_version_is_a_bad_request_not_a_crash(enterprise, editors):
    alice, _bob = editors
    form = form_data(alice.get(change_url(enterprise)))
    form["version"] = "999"
    assert alice.post(change_url(enterprise), form).status_code == 400
    enterprise.refresh_from_db()
    assert enterprise.version == 1


# --- history ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_change_is_in_the_history_with_who_when_and_what(enterprise, editors):
    alice, _bob = editors
    other = ChainSegment.objects.create(code="stem-cells", name_zh="干细胞", stage="midstream")
    form = form_data(alice.get(change_url(enterprise)))
    form["name_en"] = "Alpha Biotech"
    form["segments"] = [str(other.pk)]
    assert alice.post(change_url(enterprise), form).status_code == 302

    history = enterprise.history.order_by("history_date", "history_id")
    latest = history.last()
    assert latest.history_user.username == "alice"
    assert latest.history_change_reason == "后台 admin"  # the channel: the admin form
    assert history.first().history_change_reason == "命令行 command line"  # made by the test, not a request
    assert latest.name_en == "Alpha Biotech"
    first = history.filter(history_type="+").get()
    changed = {change.field for change in latest.diff_against(first).changes}
    assert {"name_en", "segments"} <= changed

    page = alice.get(history_url(enterprise)).content.decode()
    assert "alice" in page and "Alpha Biotech" in page and "Alpha Bio" in page


@pytest.mark.django_db
def test_revert_restores_fields_and_links_and_is_itself_in_the_history(enterprise, editors):
    alice, _bob = editors
    original = enterprise.history.latest()  # with its segment
    car_t = enterprise.segments.get()
    other = ChainSegment.objects.create(code="stem-cells", name_zh="干细胞", stage="midstream")
    form = form_data(alice.get(change_url(enterprise)))
    form.update(name_en="Wrong name", segments=[str(other.pk)])
    assert alice.post(change_url(enterprise), form).status_code == 302

    revert_url = reverse("admin:industry_enterprise_simple_history", args=[enterprise.pk, original.history_id])
    response = alice.get(revert_url)
    assert response.status_code == 200
    revert_form = form_data(response)
    assert revert_form["name_en"] == "Alpha Bio" and revert_form["segments"] == [car_t.pk]
    assert alice.post(revert_url, revert_form).status_code == 302

    enterprise.refresh_from_db()
    assert enterprise.name_en == "Alpha Bio"
    assert list(enterprise.segments.all()) == [car_t]
    assert enterprise.history.latest().history_change_reason == "后台还原 admin revert"
    assert enterprise.history.filter(history_user__username="alice").count() >= 2


@pytest.mark.django_db
def test_hostile_history_addresses_are_not_found_not_a_crash(enterprise, editors):
    alice, _bob = editors
    base = reverse("admin:industry_enterprise_changelist")
    for path in (
        "1/change/history/",
        "abc/history/",
        "1/history/abc/",
        "x/history/1/",
        "999999/history/",
        "1/history/9999999/",
    ):
        assert alice.get(base + path).status_code in (302, 404), path


@pytest.mark.django_db
def test_publishing_in_bulk_goes_through_history_and_version(enterprise, editors):
    alice, _bob = editors
    url = reverse("admin:industry_enterprise_changelist")
    response = alice.post(url, {"action": "publish", "_selected_action": [enterprise.pk]})
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == "published" and enterprise.version == 2
    assert enterprise.history.latest().history_user.username == "alice"


@pytest.mark.django_db
def test_deletions_are_kept_in_the_history(enterprise, editors):
    alice, _bob = editors
    pk = enterprise.pk
    response = alice.post(delete_url(enterprise), {"post": "yes"})
    assert response.status_code == 302
    assert Enterprise.history.filter(id=pk, history_type="-").get().history_user.username == "alice"


# --- roles ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_viewers_read_everything_and_change_nothing(enterprise):
    _user, viewer = staff("vera", VIEWERS)
    changelist = viewer.get(reverse("admin:industry_enterprise_changelist"))
    assert changelist.status_code == 200
    assert "export_link" in changelist.content.decode() and "import_link" not in changelist.content.decode()
    page = viewer.get(change_url(enterprise))
    assert page.status_code == 200 and "Save" not in page.content.decode().split("submit-row")[-1]
    assert viewer.get(history_url(enterprise)).status_code == 200
    assert viewer.get(reverse("admin:industry_enterprise_add")).status_code == 403
    assert viewer.get(reverse("admin:industry_enterprise_import")).status_code == 403

    form = {"name_zh": "改名", "source": SOURCE, "status": "published", "version": "1"}
    assert viewer.post(change_url(enterprise), form).status_code == 403
    viewer.post(
        reverse("admin:industry_enterprise_changelist"), {"action": "publish", "_selected_action": [enterprise.pk]}
    )
    assert viewer.post(delete_url(enterprise), {"post": "yes"}).status_code == 403
    entry = enterprise.history.latest()
    revert = reverse("admin:industry_enterprise_simple_history", args=[enterprise.pk, entry.history_id])
    assert viewer.get(revert).status_code == 200  # viewers may look at an earlier state
    assert viewer.post(revert, {**form, "name_zh": "VIEWER WAS HERE"}).status_code == 403
    enterprise.refresh_from_db()
    assert (enterprise.name_zh, enterprise.status, enterprise.version) == ("甲生物", "draft", 1)


@pytest.mark.django_db
def test_editors_edit_publish_and_import_but_do_not_manage_users_or_keys(enterprise, editors):
    alice, _bob = editors
    assert alice.get(reverse("admin:industry_enterprise_add")).status_code == 200
    assert alice.get(reverse("admin:industry_enterprise_import")).status_code == 200
    assert alice.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert alice.get(reverse("admin:rest_framework_api_key_apikey_changelist")).status_code == 403
    assert alice.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


@pytest.mark.django_db
def test_staff_without_a_role_see_no_records():
    _user, nobody = staff("nora")
    assert nobody.get(reverse("admin:industry_enterprise_changelist")).status_code == 403


@pytest.mark.django_db
def test_roles_are_restored_by_migrate():
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.clear()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    assert editors.permissions.filter(codename="change_enterprise").exists()
    assert not Group.objects.get(name=VIEWERS).permissions.exclude(codename__startswith="view_").exists()


@pytest.mark.django_db
def test_a_nul_character_in_an_admin_filter_is_a_bad_request_naming_it(editors):
    alice, _bob = editors
    response = alice.get(reverse("admin:industry_enterprise_changelist"), {"status": "\x00"})
    assert response.status_code == 400 and "'status'" in response.content.decode()


@pytest.mark.django_db
def test_records_from_before_history_get_a_starting_entry_with_their_links(enterprise):
    from django.apps import apps

    from nansha.staff.history import STARTING_POINT, snapshot_existing_records

    Enterprise.history.all().delete()  # as on a database from before django-simple-history
    snapshot_existing_records("industry")(apps, None)
    entry = enterprise.history.get()
    assert (entry.history_type, entry.history_change_reason, entry.name_zh) == ("+", STARTING_POINT, "甲生物")
    assert [row.chainsegment.code for row in entry.segments.all()] == ["car-t"]
    snapshot_existing_records("industry")(apps, None)  # a second run adds nothing
    assert enterprise.history.count() == 1
