"""One language per page (issue 15): every public page, every admin page of every registered model and the API's
errors, in 简体中文, 繁體中文 and English, hold no text in another script outside content (tests/page_scripts.py).

The pages are read with Django's test client (fast); the API's errors over real HTTP, as partners meet them.
"""

import json
import re
from pprint import pformat

import pytest
import requests
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from industry.models import Enterprise, Fund, Hospital, ResearchInstitution, ServicePlatform
from nansha.datasets.demo import load_demo
from parks.models import Park
from policies.models import Policy

from .page_scripts import Content, texts_of_json, texts_of_page, wrong_script

LANGUAGES = {"zh-hans": "zh-CN", "zh-hant": "zh-HK", "en": "en"}
DETAIL_PAGES = {
    "enterprise-detail": Enterprise,
    "park-detail": Park,
    "hospital-detail": Hospital,
    "institution-detail": ResearchInstitution,
    "fund-detail": Fund,
    "platform-detail": ServicePlatform,
    "policy-detail": Policy,
}


@pytest.fixture
def walked(demo):
    """The demo data, and what its records hold (the content pages may show in Chinese)."""
    return Content()


def public_urls():
    first = {name: model.objects.published().order_by("pk").first() for name, model in DETAIL_PAGES.items()}
    park = first["park-detail"]
    urls = [
        "/",
        "/chain/",
        "/match/",
        "/match/?segments=car-t&use=gmp_production&area_min=300&area_max=3000",
        "/policies/",
        "/dashboard/",
        "/api/docs/",
        "/api/redoc/",
        "/no-such-page/",
        "/map/export.pdf",
        *(reverse(name, args=[record.pk]) for name, record in first.items() if record is not None),
        *(
            f"/ogc/{path}?f=html"
            for path in [
                "",
                "conformance",
                "collections",
                "collections/parks",
                "collections/parks/items",
                f"collections/parks/items/{park.pk}",
                "collections/parks/queryables",
            ]
        ),
    ]
    return urls


def admin_urls():
    """Each registered model's list, add form, change form and history (of its first record), and the admin's own
    pages."""
    urls = [reverse("admin:index"), reverse("admin:password_change"), reverse("freshness")]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        try:
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        except NoReverseMatch:
            pass
        record = model._default_manager.order_by("pk").first()
        if record is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[record.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[record.pk]))
        for page in ("import", "export"):
            try:
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{page}"))
            except NoReverseMatch:
                pass
    return urls


def faults_of(client, urls, language, content, stored_content=False):
    faults = {}
    for url in urls:
        response = client.get(url, follow=False)
        assert response.status_code < 500, url
        kind = response.get("Content-Type", "")
        if "html" in kind:
            texts = texts_of_page(response.content.decode())
        elif "json" in kind:
            texts = texts_of_json(response.json())
        else:
            continue
        wrong = wrong_script(texts, language, content, stored_content)
        if wrong:
            faults[url] = wrong
    return faults


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_are_in_one_language(walked, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])
    faults = faults_of(client, public_urls(), language, walked)
    assert not faults, "text in the wrong script:\n" + pformat(faults, width=119)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_pages_are_in_one_language(walked, admin_user, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])
    client.force_login(admin_user)
    faults = faults_of(client, admin_urls(), language, walked, stored_content=True)
    assert not faults, "text in the wrong script:\n" + pformat(faults, width=119)


API_ERRORS = [
    ("GET", "/api/v1/enterprises/?ownership=nonsense", {}),
    ("GET", "/api/v1/enterprises/?page=999", {}),
    ("GET", "/api/v1/enterprises/999999/", {}),
    ("GET", "/api/v1/enterprises/abc/", {}),
    ("GET", "/api/v1/no-such-resource/", {}),
    ("GET", "/api/v1/enterprises/", {"X-Api-Key": "not-a-key"}),
    ("POST", "/api/v1/enterprises/", {}),
    ("DELETE", "/api/v1/enterprises/", {}),
    ("GET", "/api/v1/enterprises/?bbox=1,2", {}),
    ("GET", "/ogc/collections/nothing", {}),
    ("GET", "/ogc/collections/parks/items?f=pdf", {}),
    ("GET", "/ogc/collections/parks/items?filter=name_zh%20LIKE", {}),
    ("GET", "/ogc/collections/parks/items/999999999", {}),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_api_errors_are_in_one_language(live_server, language):
    load_demo()
    content = Content()
    faults = {}
    for method, path, headers in API_ERRORS:
        response = requests.request(
            method, live_server.url + path, headers={"Accept-Language": LANGUAGES[language], **headers}, timeout=30
        )
        assert 400 <= response.status_code < 500, (path, response.status_code)
        wrong = wrong_script(texts_of_json(response.json()), language, content)
        if wrong:
            faults[f"{method} {path}"] = wrong
        if language != "en":  # an error in a Chinese language is not in English (the invalid key's was)
            assert any(wrong_script([text], "en", content) for text in texts_of_json(response.json())), (
                path,
                response.text,
            )
    assert not faults, "text in the wrong script:\n" + pformat(faults, width=119)


# What the walk cannot see (English is allowed on Chinese pages: codes, brands), checked where it was left in English.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "polygon"), [("zh-CN", "绘制多边形"), ("zh-HK", "繪製多邊形"), ("en", "Draw a polygon")]
)
def test_the_outline_tools_speak_the_page_language(walked, admin_user, language, polygon):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(admin_user)
    page = client.get(reverse("admin:parks_park_change", args=[Park.objects.order_by("pk").first().pk]))
    texts = re.search(
        r'<script id="id_outline_draw_texts" type="application/json">(.*?)</script>', page.content.decode()
    )
    assert json.loads(texts.group(1))["draw"]["toolbar"]["buttons"]["polygon"] == polygon


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "description", "link"),
    [
        ("zh-CN", "南沙生物医药与健康产业的企业。", "本集合"),
        ("en", "Enterprises of Nansha's biomedical and health industry.", "This collection"),
    ],
)
def test_ogc_collections_are_described_in_the_callers_language(walked, language, description, link):
    collection = Client(HTTP_ACCEPT_LANGUAGE=language).get("/ogc/collections/enterprises?f=json").json()
    assert collection["description"] == description
    assert [item["title"] for item in collection["links"] if item["rel"] == "self"] == [link]
