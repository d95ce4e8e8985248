"""Staff work leads in the admin: the pipeline, who sees what, signing, personal data, and where leads never appear."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from industry.models import SignedProject
from leads.models import ERASED, FollowUp, Lead, Stage
from nansha.staff.roles import EDITORS, INVESTMENT_PROMOTION, VIEWERS
from tests import factories
from tests.leads_helpers import staff

pytestmark = pytest.mark.django_db

COMPANY = "秘密生物有限公司"


def a_lead(**fields):
    fields = {
        "company": COMPANY,
        "contact_name": "李四",
        "phone": "+8613800138000",
        "email": "li@example.com",
        "message": "想要一个实验室",
        "consent_text": "I agree ...",
        **fields,
    }
    return Lead.objects.create(**fields)


def change_url(lead):
    return f"/admin/leads/lead/{lead.pk}/change/"


# --- who sees what --------------------------------------------------------------------------------------------


def test_permission_matrix(admin_client):
    lead = a_lead()
    _user, promotion = staff("zhao", INVESTMENT_PROMOTION)
    _user, editor = staff("qian", EDITORS)
    _user, viewer = staff("sun", VIEWERS)
    expected = {  # role: (list, change page, personal data shown)
        "superuser": (admin_client, 200, 200, True),
        "investment promotion": (promotion, 200, 200, True),
        "editor": (editor, 403, 403, False),
        "viewer": (viewer, 403, 403, False),
    }
    for role, (client, list_status, change_status, personal) in expected.items():
        listing = client.get("/admin/leads/lead/")
        assert listing.status_code == list_status, role
        assert client.get(change_url(lead)).status_code == change_status, role
        assert (COMPANY in listing.content.decode()) is personal, role
        index = client.get("/admin/").content.decode()
        assert ("/admin/leads/lead/" in index) is (list_status == 200), role
        assert client.get("/admin/leads/lead/funnel/").status_code == list_status, role


def test_an_editor_given_the_pipeline_sees_no_personal_data():
    lead = a_lead()
    FollowUp.objects.create(lead=lead, note="打电话给李四 13800138000")
    user, editor = staff("qian", EDITORS)
    user.user_permissions.add(Permission.objects.get(codename="view_lead"))
    listing = editor.get("/admin/leads/lead/").content.decode()
    assert lead.reference in listing and COMPANY not in listing
    page = editor.get(change_url(lead)).content.decode()
    for secret in (COMPANY, "李四", "13800138000", "li@example.com", "想要一个实验室"):
        assert secret not in page
    assert editor.get(f"/admin/leads/lead/?q={COMPANY}").content.decode().count(lead.reference) == 0
    assert editor.get(f"/admin/leads/lead/{lead.pk}/history/").status_code == 403  # entries hold the data too
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per user object
    editor.force_login(user)
    assert COMPANY in editor.get(change_url(lead)).content.decode()  # "unless given it"


def test_the_investment_promotion_role_can_work_but_not_delete_leads():
    lead = a_lead()
    user, _client = staff("zhao", INVESTMENT_PROMOTION)
    assert user.has_perms(["leads.change_lead", "leads.add_followup", "leads.view_personal_data"])
    assert user.has_perms(["industry.add_signedproject", "parks.view_park", "industry.view_enterprise"])
    assert not user.has_perm("leads.delete_lead")
    assert not user.has_perm("industry.change_enterprise")
    assert _client.post(f"/admin/leads/lead/{lead.pk}/delete/").status_code == 403


def test_leads_never_appear_on_public_pages_the_api_or_the_freshness_page(client, admin_client):
    park = factories.park("公开园区")
    a_lead(park=park, company="ZZTOPSECRET")
    pages = [
        "/",
        f"/parks/{park.pk}/",
        "/map/data.json?layers=parks",
        "/map/export.csv?layers=parks",
        "/search/suggest.json?q=ZZTOP",
        "/api/v1/",
        "/api/v1/parks/",
        "/api/v1/schema/",
        "/ogc/collections",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code < 500, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"ZZTOPSECRET" not in body and b"/leads/" not in body, url
    freshness = admin_client.get("/admin/freshness/").content.decode()
    assert "ZZTOPSECRET" not in freshness and Lead.objects.get().reference not in freshness


def test_backups_include_leads(tmp_path):
    from nansha.ops.backup import backed_up_models

    assert Lead in backed_up_models() and FollowUp in backed_up_models()
    a_lead()
    call_command("backup", str(tmp_path / "site.jsonl.gz"), verbosity=0)
    import gzip

    text = gzip.open(tmp_path / "site.jsonl.gz", "rt", encoding="utf-8").read()
    assert '"leads.lead"' in text and COMPANY in text


# --- the pipeline ---------------------------------------------------------------------------------------------


def form_data(client, lead):
    """The change form's fields as the page gives them, for a POST."""
    from tests.admin_forms import form_data as read

    data = read(client.get(change_url(lead)))
    data.pop("follow_ups-0-happened_on", None)  # the empty row's default date: a browser also sends it as "initial"
    return data


def test_stages_owner_due_date_and_follow_ups_with_history():
    lead = a_lead()
    owner, promotion = staff("zhao", INVESTMENT_PROMOTION)
    data = form_data(promotion, lead)
    data.update(
        {
            "stage": "contacted",
            "owner": str(owner.pk),
            "due_on": str(timezone.localdate() + timedelta(days=7)),
            "follow_ups-0-happened_on": str(timezone.localdate()),
            "follow_ups-0-note": "Called; visit next week.",
        }
    )
    response = promotion.post(change_url(lead), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    lead.refresh_from_db()
    assert lead.stage == Stage.CONTACTED and lead.owner == owner
    assert lead.follow_ups.get().author == owner
    history = promotion.get(f"/admin/leads/lead/{lead.pk}/history/").content.decode()
    assert "zhao" in history
    assert [h.stage for h in lead.history.order_by("history_date")] == ["new", "contacted"]


def test_lost_needs_a_reason():
    lead = a_lead()
    _owner, promotion = staff("zhao", INVESTMENT_PROMOTION)
    data = form_data(promotion, lead)
    data.update({"stage": "lost", "lost_reason": ""})
    response = promotion.post(change_url(lead), data)
    assert response.status_code == 200
    assert "Say why the lead was lost." in response.content.decode()
    data["lost_reason"] = "Chose Suzhou"
    response = promotion.post(change_url(lead), data)
    assert response.status_code == 302, response.context["errors"]


def test_overdue_leads_are_highlighted_and_filtered(admin_client):
    late = a_lead(due_on=timezone.localdate() - timedelta(days=1))
    on_time = a_lead(due_on=timezone.localdate() + timedelta(days=3))
    a_lead(due_on=timezone.localdate() - timedelta(days=9), stage=Stage.LANDED)  # closed: not overdue
    page = admin_client.get("/admin/leads/lead/").content.decode()
    assert page.count('class="overdue"') == 1
    overdue = admin_client.get("/admin/leads/lead/?due=overdue").content.decode()
    assert late.reference in overdue and on_time.reference not in overdue


def test_admin_list_query_count_does_not_grow_with_leads(admin_client):
    owner, _client = staff("zhao", INVESTMENT_PROMOTION)
    for _ in range(3):
        a_lead(owner=owner)
    admin_client.get("/admin/leads/lead/")
    with CaptureQueriesContext(connection) as few:
        admin_client.get("/admin/leads/lead/")
    for _ in range(20):
        a_lead(owner=owner)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get("/admin/leads/lead/").status_code == 200
    assert len(many) == len(few) == 8, [q["sql"] for q in many.captured_queries]


def test_a_signed_lead_becomes_a_signed_project_without_retyping(admin_client):
    enterprise = factories.enterprise("甲生物")
    park = factories.park("南沙园区")
    lead = a_lead(enterprise=enterprise, park=park, project_name="甲生物 GMP 基地", investment_wan=50000)
    action = {"action": "make_signed_projects", "_selected_action": [lead.pk]}
    response = admin_client.post("/admin/leads/lead/", action, follow=True)
    assert "is not signed yet" in response.content.decode()
    assert not SignedProject.objects.exists()

    Lead.objects.filter(pk=lead.pk).update(stage=Stage.SIGNED)
    response = admin_client.post("/admin/leads/lead/", action, follow=True)
    assert "Signed-project record made (draft)" in response.content.decode()
    project = SignedProject.objects.get()
    assert (project.name_zh, project.enterprise, project.park, project.amount_wan) == (
        "甲生物 GMP 基地",
        enterprise,
        park,
        50000,
    )
    assert project.status == "draft" and lead.reference in project.source
    assert Lead.objects.get(pk=lead.pk).signed_project == project
    again = admin_client.post("/admin/leads/lead/", action, follow=True)
    assert "already has its signed-project record" in again.content.decode()
    assert SignedProject.objects.count() == 1


# --- personal data ------------------------------------------------------------------------------------------


def test_export_of_everything_held_about_a_person(admin_client):
    lead = a_lead()
    FollowUp.objects.create(lead=lead, note="Visited the park")
    response = admin_client.post(
        "/admin/leads/lead/", {"action": "export_personal_data", "_selected_action": [lead.pk]}
    )
    data = json.loads(response.content)
    assert data[0]["company"] == COMPANY and data[0]["email"] == "li@example.com"
    assert data[0]["follow_ups"][0]["note"] == "Visited the park"
    assert data[0]["consent_text"] == "I agree ..."


def test_erasure_keeps_the_lead_and_removes_the_person_everywhere(admin_client):
    lead = a_lead(stage=Stage.CONTACTED)
    lead.stage = Stage.SITE_VISIT
    lead.save()  # a second history entry that also held the data
    FollowUp.objects.create(lead=lead, note="李四 said yes")
    admin_client.post("/admin/leads/lead/", {"action": "erase_personal_data", "_selected_action": [lead.pk]})
    lead.refresh_from_db()
    assert lead.anonymised_at is not None and lead.stage == Stage.SITE_VISIT
    assert (lead.company, lead.contact_name, lead.phone, lead.email, lead.message) == (ERASED, ERASED, "", "", "")
    for entry in lead.history.all():
        assert COMPANY not in (entry.company, entry.contact_name) and entry.email == ""
    assert FollowUp.objects.get().note == ERASED
    assert not FollowUp.history.filter(note__contains="李四").exists()
    assert COMPANY not in admin_client.get(change_url(lead)).content.decode()


def test_retention_anonymises_old_leads_and_the_admin_says_when(admin_client, settings):
    settings.LEADS_RETENTION_DAYS = 30
    old = a_lead(stage_changed_at=timezone.now() - timedelta(days=31))
    recent = a_lead(stage_changed_at=timezone.now() - timedelta(days=29))
    page = admin_client.get(change_url(recent)).content.decode()
    day = timezone.localdate(recent.stage_changed_at + timedelta(days=30))
    assert "Anonymised on:</label>" in page and f'<div class="readonly">{day.isoformat()}</div>' in page
    call_command("anonymise_leads", stdout=open("/dev/null", "w"))
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anonymised_at is not None and old.company == ERASED
    assert recent.anonymised_at is None and recent.company == COMPANY


def test_the_command_finds_one_person_and_erases_on_request(capsys):
    lead = a_lead()
    call_command("lead_personal_data", "LI@example.com")
    printed = json.loads(capsys.readouterr().out)
    assert printed[0]["reference"] == lead.reference
    call_command("lead_personal_data", lead.reference, "--erase")
    lead.refresh_from_db()
    assert lead.anonymised_at is not None
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No lead has"):
        call_command("lead_personal_data", "nobody@example.com")


def test_the_staff_home_page_lists_my_open_leads_overdue_first(client):
    """The staff home page (issue 19) has a "My leads" section for whoever works leads; others do not get one."""
    worker, _client = staff("worker", INVESTMENT_PROMOTION)
    other, _client = staff("other", INVESTMENT_PROMOTION)
    today = timezone.localdate()
    late = a_lead(owner=worker, due_on=today - timedelta(days=3), stage=Stage.CONTACTED)
    later = a_lead(owner=worker, due_on=today + timedelta(days=5))
    a_lead(owner=worker, stage=Stage.LOST, lost_reason="went elsewhere")  # closed: not listed
    a_lead(owner=other)  # someone else's
    client.force_login(worker)
    html = client.get("/admin/mine/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = html.split("My leads")[1]
    assert late.reference in section and later.reference in section
    assert section.index(late.reference) < section.index(later.reference)
    assert f"overdue since {late.due_on.isoformat()}" in section
    assert f"/admin/leads/lead/{late.pk}/change/" in section
    assert Lead.objects.filter(owner=other).first().reference not in section
    client.force_login(staff("editor", EDITORS)[0])
    assert "My leads" not in client.get("/admin/mine/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
