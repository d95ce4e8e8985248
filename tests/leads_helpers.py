"""What the leads tests share: a filled contact form, staff of each role, a real SMTP server to read e-mail from."""

import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group, User
from django.core import signing
from django.test import Client

from leads.forms import STARTED_SALT

SMTP_PORT = 8725  # in this worktree's range (COMMON.md)


def started(seconds_ago=10):
    """The form's own signed start time, as if shown `seconds_ago` seconds ago."""
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def filled(**changes):
    data = {
        "company": "广州甲生物科技有限公司",
        "contact_name": "王小明",
        "phone": "138 0013 8000",
        "email": "wang@example.com",
        "message": "We plan a GMP plant of 2,000 m².",
        "consent": "on",
        "started": started(),
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def staff(username, group=None, *, superuser=False, email=""):
    user = User.objects.create_user(
        username, password="pw", is_staff=True, is_superuser=superuser, email=email or f"{username}@bureau.example"
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return user, client


class Mailbox:
    """aiosmtpd's handler: every message the server accepted, as {"to", "subject", "body"} read back from MIME."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        body = message.get_body(preferencelist=("plain",)).get_content()
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(message["subject"]), "body": body})
        return "250 Message accepted for delivery"


def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    return controller, mailbox
