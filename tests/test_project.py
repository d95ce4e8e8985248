"""The project as a whole: migrations, settings, the home page (the health check: test_health.py)."""

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.utils import get_random_secret_key


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_settings_fixed_by_the_design():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "zh-hant", "en"]
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


def production(code, **environment):
    """Run `code` in a fresh process with the production settings and the given environment (nothing else)."""
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    env.update(DJANGO_SETTINGS_MODULE="nansha.settings.production", **environment)
    command = [sys.executable, "-c", "import django; django.setup()\n" + code]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_the_production_settings_pass_the_deployment_checks():
    result = production(
        "from django.core.management import call_command\ncall_command('check', deploy=True, fail_level='WARNING')",
        ALLOWED_HOSTS="map.example.org",
        SECRET_KEY=get_random_secret_key(),  # made up here: no key, not even a test one, is committed
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_keeps_debug_off_whatever_the_environment_says():
    result = production("from django.conf import settings; print(settings.DEBUG)", DEBUG="1", SECRET_KEY="k" * 50)
    assert result.stdout.split() == ["False"], result.stderr


@pytest.mark.parametrize("debug", ["0", "1"])
def test_production_refuses_to_start_without_a_secret_key(debug):
    # With DEBUG=1, base.py would make up a development key: production must not run with it.
    result = production("print('started')", DEBUG=debug)
    assert result.returncode != 0 and "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


PRODUCTION_HEADERS_PROBE = """
import json
from django.test import Client
client = Client()
plain = client.get("/api/docs/")
secure = client.get("/api/docs/", secure=True)
login = client.get("/admin/login/", secure=True)
print(json.dumps([plain.status_code, plain.headers.get("Location"), dict(secure.headers), login.cookies.output()]))
"""


def test_production_answers_over_https_only_with_the_security_headers(tmp_path):
    result = production(
        PRODUCTION_HEADERS_PROBE,
        ALLOWED_HOSTS="testserver",
        SECRET_KEY=get_random_secret_key(),
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",  # no collectstatic here
        # A database it cannot open, whatever this machine has under var/ or in DATABASE_URL: the answer is
        # the "try again shortly" page, which carries the headers like any other (an empty SQLite file that
        # the probe itself created in var/ answered 500 "no such table" once var/ existed).
        DATABASE_URL=f"sqlite:///{tmp_path}/absent/nansha.sqlite3",
    )
    assert result.stdout.strip(), result.stderr[-3000:]
    status, location, headers, cookies = json.loads(result.stdout.strip().splitlines()[-1])
    assert (status, location) == (301, "https://testserver/api/docs/")
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "csrftoken=" in cookies and "Secure" in cookies
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_no_secret_is_committed():
    """No .env file (where local secrets go) is tracked, and no key-length literal but the placeholders below."""
    try:
        tracked = subprocess.run(
            ["git", "ls-files"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert not [name for name in tracked if Path(name).name == ".env" or Path(name).name.startswith(".env.")]
    placeholders = {"insecure-local-development-key-do-not-use-in-production", "test-only-secret-key"}
    assignment = re.compile(r"""SECRET_KEY["']?\s*[:=,]\s*["']([^"']{20,})["']""")
    found = set()
    for name in tracked:
        path = settings.BASE_DIR / name
        if (
            path.suffix in {".py", ".toml", ".yml", ".yaml", ".cfg", ".ini", ".env", ".json", ".sh", ""}
            and path.is_file()
        ):
            found |= set(assignment.findall(path.read_text(errors="ignore")))
    assert found <= placeholders, found - placeholders


def test_a_secret_key_starting_with_a_dollar_sign_is_taken_as_it_is():
    # Django's generated keys may start with "$", which django-environ would read as a variable reference.
    result = production("from django.conf import settings; print(settings.SECRET_KEY)", SECRET_KEY="$" + "k" * 50)
    assert result.stdout.split() == ["$" + "k" * 50], result.stderr
