"""A company walks through /match/ and /chain/, and looks at /dashboard/, in Debian's Chromium."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from industry.models import Hospital

from ..factories import park, segment, space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gmp_offer(demo):
    Hospital.objects.filter(name_zh="中山大学附属第一(南沙)医院").update(is_drug_trial_institution=True)
    host = park("细胞园", lat=22.77, lng=113.55)
    host.focus_segments.set([segment("cell-therapy")])
    space(host, use="gmp_production", area=800, cleanroom_grade="gmp_c", rent_yuan_m2_month=80)
    space(host, use="gmp_production", area=5000, cleanroom_grade="gmp_d", rent_yuan_m2_month=120)
    return host


def test_a_cell_therapy_project_gets_a_ranked_explained_answer(page, live_server, gmp_offer):
    page.goto(f"{live_server.url}/match/")
    page.check('input[name="segments"][value="car-t"]')
    page.select_option("#id_use", "gmp_production")
    page.fill("#id_area_min", "500")
    page.fill("#id_area_max", "1000")
    page.select_option("#id_cleanroom", "gmp_c")
    page.fill("#id_rent_max", "100")
    page.fill("#id_move_in", (timezone.localdate() + timedelta(days=90)).isoformat())
    page.select_option("#id_ownership", "private")
    page.select_option("#id_registers_in_nansha", "yes")
    page.click("button.primary")
    page.wait_for_selector(".brief")
    first = page.locator(".space-match").first
    assert first.locator(".score").text_content().split()[-1] == "100"
    assert "细胞园" in first.text_content() and "800" in first.text_content()
    assert "中山大学附属第一(南沙)医院" in first.text_content()  # the clinical reason names the hospital
    assert page.locator(".space-match").count() == 2
    assert page.locator(".policy-match.status-eligible").count() >= 1
    shared = page.url
    assert parse_qs(urlparse(shared).query)["use"] == ["gmp_production"]

    page.goto(shared)  # the link reproduces the answer
    assert page.locator(".space-match").first.locator(".score").text_content().split()[-1] == "100"
    page.emulate_media(media="print")  # the brief prints without the form
    assert not page.locator(".match-form").is_visible() and page.locator(".brief").is_visible()


def test_impossible_needs_are_explained_next_to_the_field(page, live_server, gmp_offer):
    page.goto(f"{live_server.url}/match/?area_min=900&area_max=100")
    assert page.locator(".field.invalid #id_area_max").count() == 1
    assert "900" in page.text_content("#id_area_max_errors")
    assert page.locator(".brief").count() == 0


def test_the_chain_leads_to_the_map_and_shows_the_gaps(page, live_server, gmp_offer):
    page.goto(f"{live_server.url}/chain/")
    assert page.locator('.node[data-segment="gene-therapy"] .n').text_content().split()[0] == "1"
    assert page.locator("#gap-gene-therapy").is_visible()
    page.click('.node[data-segment="gene-therapy"]')
    page.wait_for_selector("#result-list li")
    assert page.is_checked('input[name="segment"][value="gene-therapy"]')


def test_the_dashboard_draws_its_charts_and_leads_to_the_records(page, live_server, gmp_offer):
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-segment svg")
    assert page.locator(".chart svg").count() >= 6
    page.click("#chart-segment + details summary")
    page.locator('table[data-figure="segment"] a').first.click()
    page.wait_for_url("**/?*segment=*")
    page.wait_for_selector("#result-total:not(:empty)")
    assert "layers=enterprises" in page.url
