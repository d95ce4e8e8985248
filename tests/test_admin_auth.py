"""The admin's password change has the sign-in's attempt limit; a refused `next` after sign-in leads to the admin.

Issue 12, item 8. The limit is django-axes's (AXES_* in nansha/settings/base.py; tests/test_security.py tests it on
the sign-in form): 5 wrong passwords for one username from one address.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "another-long-password-9"
ADDRESS = "192.0.2.10"

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def signed_in(client_class, username="editor", address=ADDRESS):
    client = client_class(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def change_password(client, old_password):
    return client.post(
        "/admin/password_change/",
        {"old_password": old_password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def test_wrong_old_passwords_lock_the_account_at_the_sign_in_limit_and_end_the_session(client, editor):
    client = signed_in(client.__class__)
    statuses = [change_password(client, f"guess {n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]

    locked = client.get("/admin/")  # the session has ended
    assert locked.status_code == 302 and locked["Location"].startswith("/admin/login/")
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
    # Signing in from that address is locked, even with the right password; from elsewhere it is not.
    assert client.post("/admin/login/", {"username": "editor", "password": PASSWORD}).status_code == 429
    assert signed_in(client.__class__, address="198.51.100.7")


def test_each_wrong_old_password_says_how_many_are_left(client, editor):
    client = signed_in(client.__class__)
    page = change_password(client, "a guess").content.decode()
    assert "Your old password was entered incorrectly. 4 more wrong passwords from this address" in page
    assert "1 more wrong password from this address ends your session" in (
        [change_password(client, "a guess") for _ in range(3)][-1].content.decode()
    )


def test_the_lockout_page_says_why(client, editor):
    client = signed_in(client.__class__)
    for _ in range(4):
        change_password(client, "a guess")
    page = change_password(client, "a guess")
    text = page.content.decode()
    assert page.status_code == 429
    assert "Sign-in temporarily locked" in text and "editor" in text and "15 minutes" in text


def test_wrong_sign_ins_and_wrong_old_passwords_count_together(client, editor):
    session = signed_in(client.__class__)  # a session opened before the guessing began
    guesser = client.__class__(REMOTE_ADDR=ADDRESS)
    assert [guesser.post("/admin/login/", {"username": "editor", "password": "x"}).status_code for _ in range(3)] == [
        200
    ] * 3
    assert change_password(session, "a guess").status_code == 200
    assert change_password(session, "a guess").status_code == 429  # the fifth wrong password


def test_while_locked_not_even_the_right_old_password_changes_it(client, editor):
    session = signed_in(client.__class__)
    guesser = client.__class__(REMOTE_ADDR=ADDRESS)
    for _ in range(5):
        guesser.post("/admin/login/", {"username": "editor", "password": "x"})
    assert change_password(session, PASSWORD).status_code == 429
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_the_right_old_password_changes_it_and_the_attempts_keep_no_password(client, editor):
    client = signed_in(client.__class__)
    change_password(client, "secret guess 1")
    response = change_password(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/password_change/done/"
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)
    attempt = AccessAttempt.objects.get()
    assert "secret guess 1" not in attempt.post_data and NEW_PASSWORD not in attempt.post_data


# A `next` that is not this site's, or leads to no page of it


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example",
        "https://evil.example/admin/",
        "javascript:x",
        "/no-such-page/",
        "/admin/../no-such-page/",
        "/admin/no-such-page/",
    ],
)
@pytest.mark.parametrize("sent_in", ["query", "form"])
def test_a_refused_next_leads_to_the_admin_index(client, editor, next_url, sent_in):
    data = {"username": "editor", "password": PASSWORD}
    if sent_in == "query":
        response = client.post(f"/admin/login/?next={next_url}", data)
    else:
        response = client.post("/admin/login/", {**data, "next": next_url})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get(response["Location"]).status_code == 200


def test_a_next_that_leads_to_a_page_is_kept(client, editor):
    response = client.post(
        "/admin/login/?next=/admin/industry/enterprise/", {"username": "editor", "password": PASSWORD}
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/industry/enterprise/")
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD, "next": "/parks/1/?a=b"})
    assert response["Location"] == "/parks/1/?a=b"  # a page of the site (its record may be gone: that page says so)


def test_the_message_is_translated(client, editor):
    client = signed_in(client.__class__)
    page = client.post(
        "/admin/password_change/",
        {"old_password": "a guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert "原密码输入错误。从当前网络地址再输错 4 次" in page
