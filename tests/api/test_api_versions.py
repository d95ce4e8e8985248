"""Writes through the API over real HTTP: optimistic locking (409), roles, history under the writer's name."""

import pytest
import requests
from django.contrib.auth.models import Group, User

from industry.models import Enterprise
from nansha.staff.roles import EDITORS, VIEWERS

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-password"


def login(live_server, username, role):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    session = requests.Session()
    url = f"{live_server.url}/admin/login/"
    session.get(url, timeout=10)
    response = session.post(
        url,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        headers={"Referer": url},
        timeout=10,
    )
    assert response.ok and "sessionid" in session.cookies
    session.headers.update({"X-CSRFToken": session.cookies["csrftoken"], "Referer": live_server.url})
    return session


@pytest.fixture
def enterprise():
    return Enterprise.objects.create(name_zh="甲生物", source="test fixture", status="published")


def test_a_change_based_on_an_older_version_is_refused_with_409(live_server, enterprise):
    alice, bob = login(live_server, "alice", EDITORS), login(live_server, "bob", EDITORS)
    url = f"{live_server.url}/api/v1/enterprises/{enterprise.pk}/"
    read_by_alice = alice.get(url, timeout=10).json()
    read_by_bob = bob.get(url, timeout=10).json()
    assert read_by_alice["version"] == read_by_bob["version"] == 1

    first = alice.patch(url, json={"name_en": "Alpha", "version": read_by_alice["version"]}, timeout=10)
    assert first.status_code == 200 and first.json()["version"] == 2

    second = bob.patch(url, json={"name_en": "Beta", "version": read_by_bob["version"]}, timeout=10)
    assert second.status_code == 409
    assert second.json()["current_version"] == 2 and second.json()["your_version"] == 1
    enterprise.refresh_from_db()
    assert enterprise.name_en == "Alpha"

    again = bob.patch(url, json={"name_en": "Beta", "version": 2}, timeout=10)
    assert again.status_code == 200
    entries = enterprise.history.order_by("history_date")[1:]
    assert [(h.history_user.username, h.history_change_reason) for h in entries] == [("alice", "API"), ("bob", "API")]


def test_a_change_without_a_version_is_a_400_naming_it(live_server, enterprise):
    alice = login(live_server, "alice", EDITORS)
    response = alice.patch(f"{live_server.url}/api/v1/enterprises/{enterprise.pk}/", json={"name_en": "A"}, timeout=10)
    assert response.status_code == 400 and "version" in response.json()
    for bad in ("one", -1, 10**30, None):
        response = alice.patch(
            f"{live_server.url}/api/v1/enterprises/{enterprise.pk}/", json={"name_en": "A", "version": bad}, timeout=10
        )
        assert response.status_code == 400 and "version" in response.json(), bad
    enterprise.refresh_from_db()
    assert enterprise.name_en == ""


def test_viewers_read_drafts_but_may_not_write(live_server, enterprise):
    Enterprise.objects.create(name_zh="草稿", source="test fixture")
    vera = login(live_server, "vera", VIEWERS)
    names = [
        row["name_zh"] for row in vera.get(f"{live_server.url}/api/v1/enterprises/", timeout=10).json()["results"]
    ]
    assert "草稿" in names
    url = f"{live_server.url}/api/v1/enterprises/{enterprise.pk}/"
    assert vera.patch(url, json={"name_en": "X", "version": 1}, timeout=10).status_code == 403
    assert vera.delete(url, timeout=10).status_code == 403
    created = vera.post(f"{live_server.url}/api/v1/enterprises/", json={"name_zh": "新", "source": "s"}, timeout=10)
    assert created.status_code == 403
    assert Enterprise.objects.count() == 2


def test_staff_without_a_role_see_only_published_records(live_server, enterprise):
    Enterprise.objects.create(name_zh="草稿", source="test fixture")
    User.objects.create_user("nora", password=PASSWORD, is_staff=True)
    session = requests.Session()
    url = f"{live_server.url}/admin/login/"
    session.get(url, timeout=10)
    session.post(
        url,
        data={"username": "nora", "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": url},
        timeout=10,
    )
    assert "sessionid" in session.cookies
    names = [
        row["name_zh"] for row in session.get(f"{live_server.url}/api/v1/enterprises/", timeout=10).json()["results"]
    ]
    assert names == ["甲生物"]
