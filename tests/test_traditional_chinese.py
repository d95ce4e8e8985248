"""Traditional Chinese for Hong Kong and Macao readers: the interface from a catalogue, content by OpenCC."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from industry.models import ChainSegment, Enterprise
from nansha.management.commands.traditional_catalog import traditional_catalogue
from parks.models import Park

PARK_SIMPLIFIED, PARK_TRADITIONAL = "横沥生物医药产业园", "橫瀝生物醫藥產業園"
TITLE_TRADITIONAL = "廣州南沙生物醫藥與健康產業地圖"


def client_for(accept_language):
    return Client(HTTP_ACCEPT_LANGUAGE=accept_language)


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("browser_language", ["zh-HK", "zh-MO", "zh-TW", "zh-Hant", "zh-Hant-HK,zh;q=0.8"])
def test_hong_kong_macao_and_taiwan_browsers_get_traditional_chinese(browser_language):
    response = client_for(browser_language).get(reverse("map"))
    assert html_lang(response) == "zh-Hant"
    assert f"<title>{TITLE_TRADITIONAL}" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("browser_language", "lang"), [("zh-CN", "zh-Hans"), ("zh-SG", "zh-Hans"), ("en-GB", "en")])
def test_other_browsers_keep_simplified_chinese_or_english(browser_language, lang):
    assert html_lang(client_for(browser_language).get(reverse("map"))) == lang


@pytest.mark.django_db
def test_the_switcher_offers_traditional_chinese_and_remembers_it():
    client = client_for("zh-CN")
    page = client.get(reverse("map")).content.decode()
    assert re.search(r'<button[^>]*value="zh-hant"[^>]*>繁體中文</button>', page)
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    assert html_lang(client.get(reverse("map"))) == "zh-Hant"  # the cookie, whatever the browser asks
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert html_lang(client.get(reverse("map"))) == "zh-Hans"


@pytest.mark.django_db
def test_content_stored_in_simplified_reads_in_traditional_on_pages_map_search_and_api(demo):
    park = Park.objects.get(name_zh=PARK_SIMPLIFIED)
    client = client_for("zh-HK")
    page = client.get(reverse("park-detail", args=[park.pk])).content.decode()
    assert PARK_TRADITIONAL in page and PARK_SIMPLIFIED not in page
    data = client.get(reverse("map-data"), {"layers": "parks"}).json()
    names = [row[3] for row in data["layers"]["parks"]["rows"]]
    assert PARK_TRADITIONAL in names and PARK_SIMPLIFIED not in names
    suggestions = client.get(reverse("search-suggest"), {"q": "港科大"}).json()
    assert suggestions["groups"][0]["items"][0]["name"] == "香港科技大學(廣州)"
    assert suggestions["groups"][0]["label"] == "高校與科研院所"  # the interface's words, from the catalogue
    api = client.get(f"/api/v1/parks/{park.pk}/").json()
    assert api["name_zh"] == PARK_TRADITIONAL  # converted like the pages (tests/test_traditional_content.py)
    policies = client.get(reverse("policies")).content.decode()  # issuers, printed as stored before
    assert "广州市南沙区人民政府" not in policies and "廣州市南沙區人民政府" in policies
    simplified = client_for("zh-CN").get(reverse("park-detail", args=[park.pk])).content.decode()
    assert PARK_SIMPLIFIED in simplified and PARK_TRADITIONAL not in simplified


@pytest.mark.django_db
def test_lists_on_english_pages_use_a_comma_not_the_chinese_enumeration_comma():
    firm = Enterprise.objects.create(name_zh="甲", name_en="Alpha", source="test", status="published")
    firm.segments.set(
        [
            ChainSegment.objects.create(code="a", name_zh="细胞治疗", name_en="Cell therapy", stage="midstream"),
            ChainSegment.objects.create(code="b", name_zh="基因治疗", name_en="Gene therapy", stage="midstream"),
        ]
    )
    english = client_for("en").get(reverse("enterprise-detail", args=[firm.pk])).content.decode()
    assert "Cell therapy, Gene therapy" in english and "、" not in english
    chinese = client_for("zh-CN").get(reverse("enterprise-detail", args=[firm.pk])).content.decode()
    assert "细胞治疗、基因治疗" in chinese


@pytest.mark.django_db
def test_third_party_admin_labels_are_in_traditional_chinese_too(admin_user):
    client = client_for("zh-HK")
    client.force_login(admin_user)
    page = client.get(reverse("admin:industry_enterprise_changelist")).content.decode()
    assert "導入" in page and "导入" not in page  # django-import-export ships simplified Chinese only


def translations(catalogue):
    return {(entry.msgctxt, entry.msgid): (entry.msgstr, dict(entry.msgstr_plural)) for entry in catalogue}


def test_the_committed_traditional_catalogue_is_the_conversion_of_the_simplified_one():
    """`make messages` (manage.py traditional_catalog) was run after the last change to locale/zh_Hans."""
    committed = polib.pofile(str(Path(settings.BASE_DIR) / "locale/zh_Hant/LC_MESSAGES/django.po"))
    expected = traditional_catalogue()
    assert translations(committed) == translations(expected), "run `make messages` (or manage.py traditional_catalog)"


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Cell therapy, Gene therapy"), ("zh-hans", "细胞治疗、基因治疗")]
)
def test_templates_join_lists_with_the_separator_of_the_page(language, expected):
    from django.template import Context, Template
    from django.utils.translation import override

    items = ["Cell therapy", "Gene therapy"] if language == "en" else ["细胞治疗", "基因治疗"]
    with override(language):
        assert Template("{% load chinese %}{{ items|join_items }}").render(Context({"items": items})) == expected


@pytest.mark.django_db
def test_the_map_has_a_singular_for_one_result():
    page = client_for("en").get(reverse("map")).content.decode()
    assert '"oneResult": "%(n)s result"' in page and '"results": "%(n)s results"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("browser_language", "header", "title"),
    [
        ("zh-CN", "广州南沙生物医药与健康产业地图", "南沙产业地图管理后台"),
        ("zh-HK", "廣州南沙生物醫藥與健康產業地圖", "南沙產業地圖管理後台"),
        ("en", "Nansha biomedical &amp; health industry map", "Nansha industry map staff site"),
    ],
)
def test_the_admin_header_and_tab_title_are_in_the_page_language(admin_user, browser_language, header, title):
    client = client_for(browser_language)
    client.force_login(admin_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert header in page and title in re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "Nansha biomedical industry map" not in page  # the bilingual header of before


@pytest.mark.django_db
@pytest.mark.parametrize("browser_language", ["zh-CN", "zh-HK"])
def test_the_admin_index_names_third_party_apps_in_chinese(admin_user, browser_language):
    client = client_for(browser_language)
    client.force_login(admin_user)
    page = client.get(reverse("admin:index")).content.decode()
    names = [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(r"<caption>.*?</caption>|<th scope=\"row\".*?</th>", page, re.S)
    ]
    english = [name for name in names if not re.search(r"[\u4e00-\u9fff]", name)]
    # rest_framework_api_key names its model in plain, untranslatable strings: the one English left (issue 15).
    assert english == ["API keys"], english
