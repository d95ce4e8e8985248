"""Every app process serves the same public data and counts the same API throttle, with no Redis (issue 12, item 5).

Two real gunicorn servers (production settings, no REDIS_URL: the Dockerfile's set-up) share one database, a
SQLite file or a scratch PostgreSQL database. Their caches are warmed, the data is changed through one of them
(the admin's unpublish action) and from the command line (a bulk load, a restore), and the other serves the new
data at once; anonymous API requests spread over both are refused at the configured limit.
"""

import itertools
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from .test_health import BASE_DIR, database_url, free_port, scratch_postgres_database

THROTTLE_LIMIT = 6  # anonymous API requests per minute, for both servers together
PASSWORD = secrets.token_urlsafe(16)
MAP_DATA = "/map/data.json?layers=enterprises"
GEOJSON = "/api/v1/enterprises/geojson/"
CALLERS = itertools.count(1)
SETUP = """
import json
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo", verbosity=0)
get_user_model().objects.create_superuser("boss", "boss@example.org", {password!r})
from industry.models import Enterprise
record = Enterprise.objects.filter(status="published").order_by("pk").first()
print(json.dumps([record.pk, record.name_zh]))
call_command("backup", {backup!r}, verbosity=0)
"""


def environment(database):
    """The app's environment: production settings as deployed by the Dockerfile (no REDIS_URL), plain HTTP."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nansha.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PLAIN_HTTP_LOCALHOST": "1",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DATABASE_URL": database,
        "API_RATE_ANONYMOUS": f"{THROTTLE_LIMIT}/min",
        "API_NUM_PROXIES": "1",  # so that each test's requests are counted under an address of their own
    }
    for name in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"):
        env.pop(name, None)
    return env


def run(env, *args, timeout=180):
    result = subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result.stdout


class Server:
    """One gunicorn process (one sync worker) of the app."""

    def __init__(self, env, log_path):
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log_path = log_path
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "nansha.wsgi:application",
                    "--workers",
                    "1",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "3",
                ]
                + ["--bind", self.url.removeprefix("http://")],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{Path(self.log_path).read_text()}"
            try:
                if requests.get(self.url + "/healthz", timeout=30).status_code == 200:
                    return
            except requests.ConnectionError:
                pass  # not listening yet
            time.sleep(0.1)
        pytest.fail(f"gunicorn did not start within 30 s:\n{Path(self.log_path).read_text()}")

    def get(self, path, address):
        return requests.get(self.url + path, headers={"X-Forwarded-For": address}, timeout=30)

    def text(self, path):
        """The JSON answer as text (Chinese as it is), after checking it is a 200 (a new caller each time: these
        requests are not the throttle's test)."""
        response = self.get(path, address=f"192.0.2.{next(CALLERS)}")
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return json.dumps(response.json(), ensure_ascii=False)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Site:
    def __init__(self, database, tmp_path):
        self.env = environment(database)
        self.backup = str(tmp_path / "before.jsonl.gz")  # made once the demo data is loaded
        setup = SETUP.format(password=PASSWORD, backup=self.backup)
        output = run(self.env, "-c", "import django; django.setup()\n" + setup)
        self.record_pk, self.record_name = json.loads(output.strip().splitlines()[-1])
        self.servers = [Server(self.env, tmp_path / f"gunicorn-{n}.log") for n in (1, 2)]
        try:
            for server in self.servers:
                server.wait()
        except BaseException:
            self.stop()
            raise

    def manage(self, *args):
        return run(self.env, "manage.py", *args)

    def stop(self):
        for server in self.servers:
            server.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site on the suite's kind of database (CI runs the suite on both): a SQLite file or a scratch PostgreSQL
    database (two processes cannot share the suite's in-memory SQLite test database)."""
    tmp_path = tmp_path_factory.mktemp("shared")
    if connection.vendor == "sqlite":
        site = Site(f"sqlite:///{tmp_path / 'site.sqlite3'}", tmp_path)
        yield site
        site.stop()
    else:
        with scratch_postgres_database("shared") as name:
            site = Site(database_url(name), tmp_path)
            yield site
            site.stop()


def log_in(server):
    """A requests session logged in to the admin of `server` as a superuser."""
    session = requests.Session()
    session.get(server.url + "/admin/login/?next=/admin/", timeout=30)
    response = session.post(
        server.url + "/admin/login/?next=/admin/",
        {"username": "boss", "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=30,
    )
    assert response.status_code == 200 and response.url == server.url + "/admin/", response.text[:500]
    return session


def test_a_change_in_one_process_or_from_the_command_line_is_served_by_every_process_at_once(site):
    one, other = site.servers
    name = site.record_name
    for server in (one, other):  # both caches warm: the second request of each is served from its cache
        for _ in range(2):
            assert name in server.text(MAP_DATA) and name in server.text(GEOJSON)

    # Unpublished through one process's admin: the other serves the record no more.
    session = log_in(one)
    response = session.post(
        one.url + "/admin/industry/enterprise/",
        {
            "action": "unpublish",
            "_selected_action": [site.record_pk],
            "index": 0,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=30,
    )
    assert response.status_code == 200 and 'class="success"' in response.text, response.text[:500]
    for server in (other, one):
        assert name not in server.text(MAP_DATA) and name not in server.text(GEOJSON)

    # A bulk load from the command line (bulk_create sends no signal): both serve the new records.
    assert "示例" not in other.text(MAP_DATA)
    site.manage("generate_synthetic", "--enterprises", "3", "--verbosity", "0")
    for server in (other, one):
        assert "示例" in server.text(MAP_DATA) and "示例" in server.text(GEOJSON)

    # A restore from the command line: both serve the data restored (the record back, no synthetic records).
    site.manage("restore", site.backup, "--no-input")
    for server in (other, one):
        data = server.text(MAP_DATA)
        assert name in data and "示例" not in data


def test_the_anonymous_throttle_counts_the_requests_of_every_process(site):
    one, other = site.servers
    statuses = [(one, other)[n % 2].get("/api/v1/parks/", address="203.0.113.77").status_code for n in range(8)]
    assert statuses == [200] * THROTTLE_LIMIT + [429, 429]
    # Another caller is counted apart.
    assert other.get("/api/v1/parks/", address="203.0.113.78").status_code == 200
