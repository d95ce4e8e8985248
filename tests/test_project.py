"""The project as a whole: migrations, settings, the home page and the health check."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from industry.models import Enterprise


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
def test_home_page_counts_published_records_in_chinese_by_default(client, demo):
    Enterprise.objects.create(name_zh="草稿企业", source="test")  # a draft: not counted
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "南沙生物医药与健康产业地图" in page
    counts = dict(response.context["counts"])
    assert counts[Enterprise._meta.verbose_name_plural] == 1


@pytest.mark.django_db
def test_home_page_in_english(client, demo):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nansha biomedical" in page and "Staff: keep the records right" in page


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
