"""docker compose runs the production settings (issue 12, item 7).

No Docker engine runs here: the compose file is read as compose reads it (YAML, ${VAR:-default} from the
environment), and the app's settings are loaded in a fresh process with exactly the environment compose gives
the app containers. Plain HTTP is for this machine only (PLAIN_HTTP_LOCALHOST, compose's default); a site others
reach runs HTTPS with secure cookies.
"""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from django.conf import settings
from django.core.management.utils import get_random_secret_key

BASE_DIR = settings.BASE_DIR
CHECK_DEPLOY = (
    "from django.core.management import call_command\ncall_command('check', deploy=True, fail_level='WARNING')"
)
# For a page rendered here: the image has collected static files, this checkout has not.
UNCOLLECTED = {"STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PLAIN_HTTP_PROBE = """
import json
from django.test import Client
client = Client(HTTP_HOST="localhost")
page = client.get("/admin/login/")
print(json.dumps([page.status_code, page.headers.get("Location"), page.headers.get("Strict-Transport-Security"),
                  page.cookies.output()]))
"""


def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def interpolate(value, shell):
    """What compose makes of ${NAME}, ${NAME:-default} and ${NAME:?error} given the `shell` environment."""

    def substitute(match):
        name, operator, word = match.group(1), match.group(2), match.group(3) or ""
        if shell.get(name):
            return shell[name]
        if operator == ":?":
            pytest.fail(f"compose refuses to start without {name}: {word}")
        return word if operator == ":-" else ""

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", substitute, str(value))


def app_environment(**shell):
    """The environment compose gives the app containers, with a made-up SECRET_KEY set in the shell."""
    shell = {"SECRET_KEY": get_random_secret_key(), **shell}
    return {name: interpolate(value, shell) for name, value in compose()["services"]["app"]["environment"].items()}


def run_app(code, environment, **overrides):
    """Run `code` after django.setup() in a fresh process with `environment` only (and this interpreter's PATH)."""
    env = {"PATH": os.environ.get("PATH", ""), **environment, **overrides}
    command = [sys.executable, "-c", "import django; django.setup()\n" + code]
    return subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120)


def test_every_app_container_runs_the_production_settings():
    services = compose()["services"]
    for name in ("migrate", "app", "worker"):
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "nansha.settings.production", name
    assert "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=nansha.settings.production" in (
        (BASE_DIR / "Dockerfile").read_text()
    )
    # Plain HTTP by default, so published on this machine's loopback address only.
    assert services["nginx"]["ports"] == ["${NGINX_PUBLISH:-127.0.0.1:8000}:80"]


def test_check_deploy_is_clean_with_the_environment_compose_gives():
    result = run_app(CHECK_DEPLOY, app_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_by_default_compose_serves_this_machine_over_plain_http():
    environment = app_environment()
    assert (environment["PLAIN_HTTP_LOCALHOST"], environment["ALLOWED_HOSTS"]) == ("1", "localhost,127.0.0.1")
    result = run_app(PLAIN_HTTP_PROBE, environment, DATABASE_URL="sqlite://:memory:", **UNCOLLECTED)
    status, location, hsts, cookies = json.loads(result.stdout.strip().splitlines()[-1])
    assert (status, location, hsts) == (200, None, None)  # no redirect to an https:// that nothing serves
    assert "csrftoken=" in cookies and "Secure" not in cookies  # a browser sends it back over HTTP


def test_served_to_others_compose_runs_https_with_secure_cookies():
    environment = app_environment(PLAIN_HTTP_LOCALHOST="0", ALLOWED_HOSTS="map.example.org")
    result = run_app(CHECK_DEPLOY, environment)
    assert result.returncode == 0, result.stdout + result.stderr
    probe = PLAIN_HTTP_PROBE.replace('HTTP_HOST="localhost"', 'HTTP_HOST="map.example.org"')
    result = run_app(probe, environment, DATABASE_URL="sqlite://:memory:", **UNCOLLECTED)
    status, location, hsts, _cookies = json.loads(result.stdout.strip().splitlines()[-1])
    assert (status, location) == (301, "https://map.example.org/admin/login/")
    secure = run_app(
        "from django.conf import settings; print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)",
        environment,
    )
    assert secure.stdout.split() == ["True", "True"], secure.stderr


@pytest.mark.parametrize("hosts", ["map.example.org", "localhost,map.example.org", "*", ""])
def test_plain_http_is_refused_for_any_host_but_this_machine(hosts):
    result = run_app("print('started')", app_environment(ALLOWED_HOSTS=hosts or " "))
    assert result.returncode != 0 and "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr and "PLAIN_HTTP_LOCALHOST=1 serves plain HTTP" in result.stderr


def test_nginx_passes_on_the_scheme_a_tls_proxy_in_front_saw():
    conf = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-Proto $forwarded_proto;" in conf
    assert re.search(r"map \$http_x_forwarded_proto \$forwarded_proto \{\s*default \$http_x_forwarded_proto;", conf)
