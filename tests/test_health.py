"""/healthz and the site when the database goes away, hangs, and comes back.

The end-to-end tests run the app as a real gunicorn server (production settings, DEBUG off, persistent database
connections) whose PostgreSQL is reached through a TCP proxy in this module: stopping the proxy is the database
going away (nothing listens, open connections are cut), starting it again on the same port is the database coming
back, and a proxy that accepts connections and never answers is a database that hangs. The shared PostgreSQL
server itself is never stopped. They run in the SQLite suite too (the app under test has a scratch PostgreSQL
database of its own) and are skipped only when no PostgreSQL server answers.
"""

import contextlib
import json
import os
import secrets
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import environ
import psycopg
import pytest
import requests

from nansha.ops import health as views

BASE_DIR = Path(__file__).resolve().parent.parent
CONNECT_TIMEOUT = 2  # DB_CONNECT_TIMEOUT of the app under test (libpq's minimum)


# ---------------------------------------------------------------- in-process


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_stops_waiting_for_a_database_that_does_not_answer(client, monkeypatch):
    answer = threading.Event()
    monkeypatch.setattr(views, "probe_wait", lambda: 0.2)
    monkeypatch.setattr(views.DatabaseProbe, "ask", lambda probe: answer.wait(10))

    try:
        started = time.monotonic()
        responses = [client.get("/healthz") for _ in range(views.MAX_WAITING_PROBES)]
        assert [(r.status_code, r.json()["database"]) for r in responses] == [(503, "timeout")] * 4
        assert time.monotonic() - started < 0.2 * 4 + 1

        # As many probes as allowed are still waiting: the next request does not start another one.
        started = time.monotonic()
        assert client.get("/healthz").status_code == 503
        assert time.monotonic() - started < 0.1
    finally:
        answer.set()  # the database answers again; the waiting probes end
    monkeypatch.undo()
    for _ in range(50):
        if client.get("/healthz").status_code == 200:
            break
        time.sleep(0.05)
    else:
        pytest.fail("/healthz did not recover once the database answered")


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
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", HEALTH_PROBE], env=env, capture_output=True, text=True, timeout=60)
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert (status, body) == (503, {"status": "unavailable", "database": "unreachable"})
    assert time.monotonic() - started < 15  # Django's start-up included


# ---------------------------------------------------------------- scratch PostgreSQL databases (also test_backup)


def postgres_server():
    """The PostgreSQL server of DATABASE_URL when it names one, else the one every test machine has."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    config = environ.Env.db_url_config(url)
    return {
        "host": config["HOST"] or "127.0.0.1",
        "port": int(config["PORT"] or 5432),
        "user": config["USER"],
        "password": config["PASSWORD"],
    }


def database_url(name, *, port=None):
    server = postgres_server()
    password = f":{server['password']}" if server["password"] else ""
    return f"postgres://{server['user']}{password}@{server['host']}:{port or server['port']}/{name}"


@contextlib.contextmanager
def scratch_postgres_database(purpose):
    """A new PostgreSQL database for a process outside the test's transaction, dropped afterwards.

    Skips the test when no PostgreSQL server answers.
    """
    server = postgres_server()
    try:
        admin = psycopg.connect(**server, dbname="postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server at {server['host']}:{server['port']} ({error})")
    name = f"nansha_{purpose}_{uuid.uuid4().hex[:8]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, database_url, timeout=120):
    """Run `manage.py *args` against `database_url` in a process of its own; its output."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nansha.settings.test", "DATABASE_URL": database_url}
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


# ---------------------------------------------------------------- a database that goes away, hangs and comes back


def cut(sock):
    """Close `sock` with a reset, waking any thread blocked reading it."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def pipe(source, destination):
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            destination.sendall(data)
    with contextlib.suppress(OSError):
        destination.shutdown(socket.SHUT_WR)


class DatabaseProxy:
    """A TCP proxy in front of PostgreSQL that a test stops, starts again on the same port, or makes hang."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.port = 0  # the first start picks a free port; later starts reuse it
        self._sockets = set()
        self._lock = threading.Lock()
        self._stopping = None

    def start(self, *, answers=True):
        """Listen again; with answers=False accept connections and never pass anything on (a database that hangs)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._stopping = threading.Event()
        self._acceptor = threading.Thread(target=self._accept, args=(listener, answers, self._stopping), daemon=True)
        self._acceptor.start()
        self._listener = listener

    def stop(self):
        """Stop listening and cut every open connection, as a database server that goes down."""
        self._stopping.set()
        self._acceptor.join()
        self._listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            cut(sock)

    def _track(self, sock):
        with self._lock:
            self._sockets.add(sock)

    def _accept(self, listener, answers, stopping):
        while not stopping.is_set():
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            client.settimeout(None)
            self._track(client)
            if not answers:
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                cut(client)
                continue
            server.settimeout(None)
            self._track(server)
            threading.Thread(target=pipe, args=(client, server), daemon=True).start()
            threading.Thread(target=pipe, args=(server, client), daemon=True).start()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """The app under gunicorn, as deployed: one sync worker that keeps its database connection between requests."""

    def __init__(self, database_url, log_path):
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log_path = log_path
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "nansha.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),  # made per run: no key is committed
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP: no TLS proxy in front
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DATABASE_URL": database_url,
            "DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
            "CONN_MAX_AGE": "600",
        }
        for name in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
            env.pop(name, None)
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "nansha.wsgi:application", "--workers", "1", "--timeout", "60"]
                + ["--bind", self.url.removeprefix("http://")],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log()}"
            with contextlib.suppress(requests.ConnectionError):
                self.get("/healthz")
                return
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"gunicorn did not start within 30 s:\n{self.log()}")

    def get(self, path):
        """The response and how many seconds it took."""
        started = time.monotonic()
        response = requests.get(self.url + path, headers={"Accept": "application/json"}, timeout=30)
        return response, time.monotonic() - started

    def log(self):
        return Path(self.log_path).read_text()

    def worker_starts(self):
        return self.log().count("Booting worker")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def proxy():
    server = postgres_server()
    proxy = DatabaseProxy((server["host"], server["port"]))
    proxy.start()
    yield proxy
    proxy.stop()


MIGRATE_AND_LOAD_DEMO = (  # in one process: Django starts once
    "from django.core.management import call_command; "
    "call_command('migrate', interactive=False, verbosity=0); call_command('load_demo', verbosity=0)"
)


@pytest.fixture(scope="module")
def app(proxy, tmp_path_factory):
    with scratch_postgres_database("health") as name:
        manage("shell", "--command", MIGRATE_AND_LOAD_DEMO, database_url=database_url(name))
        server = AppServer(database_url(name, port=proxy.port), tmp_path_factory.mktemp("health") / "gunicorn.log")
        yield server
        server.stop()


def assert_clean_error(response):
    """An error page of the production site: no traceback, no exception names, no SQL."""
    for leak in ("Traceback", "OperationalError", "psycopg", "SELECT", 'File "'):
        assert leak not in response.text


def test_healthz_and_pages_follow_the_database_down_and_back(app, proxy):
    response, _seconds = app.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})
    parks, _seconds = app.get("/api/v1/parks/")
    assert parks.status_code == 200 and parks.json()["count"] > 0

    proxy.stop()  # the database goes away, and with it the worker's open connection
    for _ in range(3):
        response, seconds = app.get("/healthz")
        assert (response.status_code, response.json()) == (503, {"status": "unavailable", "database": "unreachable"})
        assert seconds < 2  # milliseconds, in fact: the connection is refused
        assert_clean_error(response)
    for path in ("/api/v1/parks/", "/api/v1/parks/", "/parks/1/"):
        response, seconds = app.get(path)
        assert response.status_code == 503 and seconds < 2, (path, response.status_code, seconds)
        assert response.headers["Retry-After"] == "30"
        assert_clean_error(response)

    proxy.start()  # the database is back, on the same address
    response, _seconds = app.get("/healthz")
    assert response.status_code == 200
    again, _seconds = app.get("/api/v1/parks/")
    assert (again.status_code, again.json()) == (200, parks.json())
    assert app.get("/")[0].status_code == 200
    assert app.worker_starts() == 1, "the app recovered by restarting"


def test_a_database_that_hangs_gives_503_within_the_connect_timeout(app, proxy):
    proxy.stop()
    proxy.start(answers=False)  # connections are accepted, and nothing ever answers
    try:
        for _ in range(2):
            response, seconds = app.get("/healthz")
            assert (response.status_code, response.json()["status"]) == (503, "unavailable")
            assert seconds < CONNECT_TIMEOUT + 1
        response, seconds = app.get("/api/v1/parks/")
        assert response.status_code == 503 and seconds < CONNECT_TIMEOUT + 1
        assert_clean_error(response)
    finally:
        proxy.stop()
        proxy.start()
    assert app.get("/healthz")[0].status_code == 200
    assert app.get("/api/v1/parks/")[0].status_code == 200
    assert app.worker_starts() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/parks/"])
def test_a_write_that_gave_up_waiting_for_a_long_import_asks_to_try_again(path):
    """SQLite: a login or save while the worker applies a large import waits SQLITE_TIMEOUT, then 503, not 500."""
    from django.db import OperationalError
    from django.test import RequestFactory

    from nansha.ops.middleware import DatabaseUnavailableMiddleware

    request = RequestFactory().post(path)
    response = DatabaseUnavailableMiddleware(lambda request: None).process_exception(
        request, OperationalError("database is locked")
    )
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    text = response.content.decode()
    assert ("busy" in text) and ("大批量导入" in text or path.startswith("/api/"))
