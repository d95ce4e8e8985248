"""An investor goes from /match/ results to the bureau's contact form and leaves with a reference number."""

import time

import pytest

from leads.models import Lead, SourcePage
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_a_match_to_a_reference_number(page, live_server, settings):
    settings.LEADS_MIN_FILL_SECONDS = 1
    park = factories.park("南沙国际生物岛")
    factories.space(park, use="wet_lab", area=600, building="B栋")
    page.goto(f"{live_server.url}/match/?use=wet_lab&area_min=400")
    page.wait_for_selector(".brief")
    page.click(".brief .contact-bureau a")
    page.wait_for_selector("form.contact-form")
    assert "匹配页面填写的需求" in page.text_content(".asked-about")  # the page is in Chinese (zh-CN browser)
    assert page.is_hidden("#id_website") or page.locator(".honeypot").bounding_box()["x"] < 0  # out of sight

    page.fill("#id_company", "广州甲生物科技有限公司")
    page.fill("#id_contact_name", "王小明")
    page.fill("#id_phone", "12345")
    page.fill("#id_message", "<b>需要 500 m² 湿实验室</b>")
    time.sleep(1.2)  # a person takes longer than LEADS_MIN_FILL_SECONDS
    page.click("button.primary")
    page.wait_for_selector("#id_phone_errors")
    assert "不是有效号码" in page.text_content("#id_phone_errors") or "不是电话号码" in page.text_content(
        "#id_phone_errors"
    )
    assert page.input_value("#id_company") == "广州甲生物科技有限公司"  # nothing typed is lost
    page.click("button.primary")  # consent not given, number still wrong
    page.wait_for_selector("#id_consent_errors")

    page.fill("#id_phone", "+852 2123 4567")
    page.check("#id_consent")
    time.sleep(1.2)
    page.click("button.primary")
    page.wait_for_selector("[data-reference]")
    reference = page.text_content("[data-reference]").strip()
    lead = Lead.objects.get()
    assert reference == lead.reference
    assert lead.source_page == SourcePage.MATCH and lead.match_query == "use=wet_lab&area_min=400"
    assert lead.phone == "+85221234567" and lead.message == "<b>需要 500 m² 湿实验室</b>"
    assert lead.language == "zh-hans"
