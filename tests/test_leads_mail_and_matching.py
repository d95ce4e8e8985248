"""E-mail through a real SMTP server, sent by the background worker; supply that fits open leads; the funnel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leads.models import Lead, Stage
from nansha.staff.roles import INVESTMENT_PROMOTION
from tests import factories
from tests.job_worker import work_off
from tests.leads_helpers import filled, smtp_server, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings):
    controller, mailbox = smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # pytest-django's default keeps mail
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.DEFAULT_FROM_EMAIL = "zhaoshang@nansha.example"
    settings.SITE_URL = "https://map.example"
    yield mailbox
    controller.stop()


def test_the_investor_and_the_bureau_get_mail_after_the_request_not_in_it(
    client, mailbox, django_capture_on_commit_callbacks
):
    staff("zhao", INVESTMENT_PROMOTION, email="zhao@bureau.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", filled(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert mailbox.messages == []  # nothing sent in the request: the job waits for the worker
    work_off()
    lead = Lead.objects.get()
    by_recipient = {tuple(m["to"]): m for m in mailbox.messages}
    confirmation = by_recipient[("wang@example.com",)]
    assert lead.reference in confirmation["subject"] and lead.reference in confirmation["body"]
    assert "Dear 王小明" in confirmation["body"] and "730 days" in confirmation["body"]
    note = by_recipient[("zhao@bureau.example",)]
    assert f"https://map.example/admin/leads/lead/{lead.pk}/change/" in note["body"]
    assert "王小明" not in note["body"] and "13800138000" not in note["body"]  # personal data stays in the admin


def test_no_address_no_confirmation_and_the_owner_hears_of_an_assignment(
    client, mailbox, django_capture_on_commit_callbacks, admin_client
):
    owner, _client = staff("zhao", INVESTMENT_PROMOTION, email="zhao@bureau.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", filled(email=""))
    work_off()
    assert [m["to"] for m in mailbox.messages] == [["zhao@bureau.example"]]  # the bureau only
    lead = Lead.objects.get()
    from tests.admin_forms import form_data

    data = form_data(admin_client.get(f"/admin/leads/lead/{lead.pk}/change/"))
    data.pop("follow_ups-0-happened_on", None)
    data["owner"] = str(owner.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(f"/admin/leads/lead/{lead.pk}/change/", data).status_code == 302
    work_off()
    assigned = mailbox.messages[-1]
    assert (
        assigned["to"] == ["zhao@bureau.example"]
        and f"线索 {lead.reference} 已分配给您" in assigned["subject"]  # staff mail: the site's language
    )


def test_a_lead_in_chinese_gets_its_confirmation_in_chinese(client, mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", filled(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    work_off()
    assert "招商" in mailbox.messages[0]["subject"]


def test_a_newly_published_space_that_fits_flags_the_lead_and_mails_its_owner(
    mailbox, django_capture_on_commit_callbacks
):
    owner, _client = staff("zhao", INVESTMENT_PROMOTION, email="zhao@bureau.example")
    park = factories.park("南沙园区")
    lead = Lead.objects.create(
        company="甲", contact_name="王", consent_text="…", owner=owner, match_query="use=wet_lab&area_min=300"
    )
    landed = Lead.objects.create(
        company="乙", contact_name="李", consent_text="…", stage=Stage.LANDED, match_query="use=wet_lab"
    )
    with django_capture_on_commit_callbacks(execute=True):
        factories.space(park, use="office", area=500)  # another use: does not fit
        factories.space(park, use="wet_lab", area=500, published=False)  # a draft: not supply yet
    work_off()
    assert Lead.objects.get(pk=lead.pk).new_fits == ""
    with django_capture_on_commit_callbacks(execute=True):
        fitting = factories.space(park, use="wet_lab", area=500)
    work_off()
    lead.refresh_from_db()
    assert lead.new_fits_text == "1 处新空间匹配此线索"  # kept in the site's language
    assert Lead.objects.get(pk=landed.pk).new_fits == ""  # closed leads are not flagged
    assert mailbox.messages[-1]["to"] == ["zhao@bureau.example"]
    assert "1 处新空间匹配此线索。" in mailbox.messages[-1]["body"]  # staff mail: the site's language
    sent = len(mailbox.messages)
    with django_capture_on_commit_callbacks(execute=True):
        fitting.notes_en = "Re-confirmed"
        fitting.save()  # changed again: already flagged, not counted twice
    work_off()
    lead.refresh_from_db()
    assert lead.new_fits.count("新空间") == 1 and len(mailbox.messages) == sent


def test_the_admin_shows_what_fits_a_lead_today(admin_client):
    park = factories.park("南沙园区")
    factories.space(park, use="wet_lab", area=500, building="A栋")
    lead = Lead.objects.create(company="甲", contact_name="王", consent_text="…", match_query="use=wet_lab")
    page = admin_client.get(f"/admin/leads/lead/{lead.pk}/change/").content.decode()
    assert "1 space fits now" in page and "南沙园区 A栋" in page
    no_needs = Lead.objects.create(company="乙", contact_name="李", consent_text="…", park=park)
    assert "states no needs" in admin_client.get(f"/admin/leads/lead/{no_needs.pk}/change/").content.decode()


def test_a_failing_mail_server_does_not_fail_the_request(client, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 8729, 2  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/contact/", filled()).status_code == 302
    work_off()  # the task fails in the worker, recorded there
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get().status == "FAILED"
    assert Lead.objects.count() == 1


def test_the_funnel(admin_client):
    old = timezone.now() - timedelta(days=40)
    a = Lead.objects.create(company="甲", contact_name="王", consent_text="…", received_at=old, source_page="match")
    b = Lead.objects.create(company="乙", contact_name="李", consent_text="…", source_page="park")
    for stage in (Stage.CONTACTED, Stage.SITE_VISIT, Stage.NEGOTIATING, Stage.SIGNED):
        a.stage = stage
        a.save()
    b.stage, b.lost_reason = Stage.LOST, "budget"
    b.save()
    from leads import funnel

    figures = funnel.figures()
    assert figures["total"] == 2
    conversion = {label: (n, percent) for label, n, percent in figures["conversion"]}
    assert conversion["New"] == (2, 100.0) and conversion["Signed"] == (1, 50.0) and conversion["Landed"] == (0, 0)
    assert dict(figures["per_stage"])["Lost"] == 1
    time_in_stage = {label: (days, n) for label, days, n in figures["days_in_stage"]}
    assert time_in_stage["New"][1] == 2 and time_in_stage["Signed"][1] == 1 and time_in_stage["Landed"] == (None, 0)
    by_source = {label: (n, won) for label, n, won in figures["by_source"]}
    assert by_source["Precise matching (/match/)"] == (1, 1)
    assert sum(n for _month, n in figures["per_month"]) == 2
    page = admin_client.get("/admin/leads/lead/funnel/").content.decode()
    assert "Conversion: leads that reached each stage" in page and "Time in stage" in page
    assert "/admin/leads/lead/funnel/" in admin_client.get("/admin/leads/lead/").content.decode()
