"""The project as a whole: migrations, settings, the home page and the health check."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_settings_fixed_by_the_design():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_system_checks_pass():
    call_command("check", stdout=StringIO())


@pytest.mark.django_db
def test_the_home_page_is_the_map_in_chinese_by_default(client, demo):
    page = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in page and "广州南沙生物医药与健康产业地图" in page


@pytest.mark.django_db
def test_the_home_page_in_english(client, demo):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page and "Nansha biomedical" in page


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()["database"]) == (200, "ok")


HEALTH_PROBE = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps([response.status_code, response.json()]))
"""


def test_healthz_answers_503_when_the_database_refuses_connections():
    # A real app process whose database port refuses connections (nothing listens on port 9).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nansha.settings.test",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere",
    }
    result = subprocess.run([sys.executable, "-c", HEALTH_PROBE], env=env, capture_output=True, text=True, timeout=60)
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert (status, body["status"]) == (503, "unavailable")


def test_static_files_collect_for_production(tmp_path):
    """collectstatic with the production storage (hashed names, module imports rewritten) succeeds."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nansha.settings.base",
        "SECRET_KEY": "x",
        "DEBUG": "0",
        "STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    main = (tmp_path / manifest["nansha/map/main.js"]).read_text()
    assert f'from "./{manifest["nansha/map/state.js"].rsplit("/", 1)[1]}"' in main


def test_the_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nansha.settings.production",
        "ALLOWED_HOSTS": "map.example.org",
        "SECRET_KEY": "k7#Qz!p2VwX9&mL4rT8^bN1@cF6*hJ3%sD5(gY0)uE7-aR2+iO9=lP4~eW8",
        "DEBUG": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
