"""The site is not the easy way in: a Content-Security-Policy on every page, admin logins that cannot be guessed."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from industry.models import Enterprise, Fund, Hospital, ResearchInstitution, ServicePlatform
from nansha.settings.base import tile_origins
from parks.models import Park

PASSWORD = "a-long-test-password"


# Content-Security-Policy


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in header.split(";") if part.strip())}


def public_pages():
    return [
        "/",
        "/chain/",
        "/dashboard/",
        "/match/",
        "/match/?segments=car-t&use=office",
        *(
            reverse(name, args=[model.objects.filter(status="published").first().pk])
            for name, model in [
                ("enterprise-detail", Enterprise),
                ("park-detail", Park),
                ("hospital-detail", Hospital),
                ("institution-detail", ResearchInstitution),
                ("fund-detail", Fund),
                ("platform-detail", ServicePlatform),
            ]
            if model.objects.filter(status="published").exists()
        ),
        "/api/docs/",
        "/api/redoc/",
        "/api/v1/",
        "/api/v1/enterprises/",
        "/admin/login/",
        "/no-such-page/",
    ]


def staff_pages(user):
    """Every admin changelist, add and change page, and the pages history, spreadsheets and freshness add."""
    request = RequestFactory().get("/")
    request.user = user
    pages = ["/admin/", "/admin/freshness/", "/admin/password_change/", "/api/v1/enterprises/"]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        if record := model._default_manager.first():
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[record.pk]))
    enterprise = Enterprise.objects.first()
    pages += [
        f"/admin/industry/enterprise/{enterprise.pk}/history/",
        "/admin/industry/enterprise/import/",
        "/admin/industry/enterprise/export/",
    ]
    return pages


class InlineCode(HTMLParser):
    """Collects the scripts a page runs inline without a nonce, and its inline event handlers (onclick=...)."""

    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self._in_inline_script = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [f"<{tag} {name}=...>" for name in attrs if name.startswith("on")]
        if tag == "script":
            # A script with a src, or a data block (type="application/json"), runs nothing inline.
            runs_inline = "src" not in attrs and "json" not in (attrs.get("type") or "")
            self._in_inline_script = runs_inline and not attrs.get("nonce")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.scripts.append(data.strip()[:80])

    def handle_endtag(self, tag):
        self._in_inline_script = False


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.scripts + parser.handlers


def assert_strict_policy(response, path):
    assert "Content-Security-Policy" in response.headers, path
    directives = policy(response)
    scripts = directives["script-src"]
    assert "'self'" in scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, path
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"] and directives["font-src"] == ["'self'"]


@pytest.mark.django_db
def test_every_public_html_page_carries_a_strict_policy_and_runs_no_inline_code(client, demo):
    for path in public_pages():
        response = client.get(path, HTTP_ACCEPT="text/html")
        assert response["Content-Type"].startswith("text/html"), path
        assert_strict_policy(response, path)
        assert inline_code(response.content.decode()) == [], path


@pytest.mark.django_db
def test_every_staff_html_page_carries_a_strict_policy_and_runs_no_inline_code(admin_client, admin_user, demo):
    for path in staff_pages(admin_user):
        response = admin_client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), path
        assert_strict_policy(response, path)
        assert inline_code(response.content.decode()) == [], path


def test_the_inline_code_check_sees_inline_scripts_and_handlers():
    html = (
        '<script>alert(1)</script><script type="application/json">{}</script><script src="/a.js"></script>'
        '<script nonce="abc">ok()</script><button onclick="go()">x</button>'
    )
    assert inline_code(html) == ["alert(1)", "<button onclick=...>"]


def test_images_may_come_from_the_configured_tile_servers_only():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["img-src"][:3] == ["'self'", "data:", "blob:"]
    assert set(directives["img-src"][3:]) == {
        "https://tile.openstreetmap.org",
        *(f"https://webrd0{n}.is.autonavi.com" for n in "1234"),
    }


def test_tile_origins_expand_leaflet_subdomains_and_skip_tiles_served_here():
    tiles = [
        ("A", "https://{s}.tiles.example.org/{z}/{x}/{y}.png", {}),
        ("B", "https://maps{s}.example.cn/t?x={x}&y={y}&z={z}", {"subdomains": ["1", "2"]}),
        ("C", "/tiles/{z}/{x}/{y}.png", {}),
        ("D", "https://a.tiles.example.org/{z}/{x}/{y}.png", {}),
    ]
    assert tile_origins(tiles) == [
        "https://a.tiles.example.org",
        "https://b.tiles.example.org",
        "https://c.tiles.example.org",
        "https://maps1.example.cn",
        "https://maps2.example.cn",
    ]


@pytest.mark.django_db
def test_an_inline_script_gets_the_nonce_the_header_names(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">run()</script>')
    response = CSPMiddleware(lambda request: HttpResponse(template.render({}, request)))(rf.get("/"))
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in policy(response)["script-src"]


@pytest.mark.django_db
def test_swagger_ui_starts_from_a_script_url_without_the_online_validator(client):
    page = client.get("/api/docs/").content.decode()
    script_url = re.search(r'<script src="([^"]*\?script=[^"]*)"', page).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()
    assert re.search(r'"validatorUrl": null', script.content.decode())


@pytest.mark.django_db
def test_only_redoc_may_start_a_worker_from_a_blob(client):
    assert policy(client.get("/api/redoc/"))["worker-src"] == ["'self'", "blob:"]
    assert "worker-src" not in policy(client.get("/"))
    assert "fonts.googleapis.com" not in client.get("/api/redoc/").content.decode()


# Admin login throttling (django-axes)


@pytest.fixture
def staff(db):
    users = get_user_model().objects
    return users.create_superuser("editor", "editor@example.org", PASSWORD), users.create_superuser(
        "colleague", "colleague@example.org", PASSWORD
    )


def log_in(client, username, password, address="192.0.2.10", **headers):
    """A login through the admin's form, from `address`: 302 when in, 200 when refused, 429 when locked out."""
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, username, times, address="192.0.2.10", **headers):
    return [log_in(client, username, "wrong password", address, **headers).status_code for _ in range(times)]


def test_the_limits_are_small_and_the_lock_is_per_username_and_address():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS


def test_wrong_passwords_lock_the_account_for_that_address_even_with_the_right_password(client, staff):
    assert fail(client, "editor", 5) == [200, 200, 200, 200, 429]
    locked = log_in(client, "editor", PASSWORD)
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    page = locked.content.decode()
    assert "登录已暂时锁定" in page and "Sign-in temporarily locked" in page
    assert "editor" in page and "5 次密码错误" in page and "15 分钟" in page and "for 15 minutes" in page
    assert_strict_policy(locked, "lockout page")

    # The colleague at the same address, and the editor elsewhere, still get in.
    assert log_in(client.__class__(), "colleague", PASSWORD).status_code == 302
    assert log_in(client.__class__(), "editor", PASSWORD, address="198.51.100.7").status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_lock(client, staff):
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0  # no proxy trusted: REMOTE_ADDR only
    fail(client, "editor", 5)
    assert log_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_a_proxy_the_address_it_saw_counts(client, staff, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.2"
    assert fail(client, "editor", 5, proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")[-1] == 429
    # Another client behind the same proxy is not locked out; a forged first entry changes nothing.
    assert log_in(client, "editor", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302
    assert (
        log_in(client.__class__(), "editor", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5").status_code
        == 429
    )


def test_axes_reset_lets_them_in_again(client, staff):
    fail(client, "editor", 5)
    assert log_in(client, "editor", PASSWORD).status_code == 429
    call_command("axes_reset", verbosity=0)
    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, staff):
    fail(client, "editor", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, staff):
    assert fail(client, "editor", 4) == [200] * 4
    assert log_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    assert fail(client, "editor", 4) == [200] * 4  # four more may fail: the earlier four were forgotten
    assert log_in(client, "editor", PASSWORD).status_code == 302
