"""Mail through a real SMTP server, by the outbox's worker. CI starts one and points the suite
at it:

python -m aiosmtpd -n -l 127.0.0.1:8025 -c aiosmtpd.handlers.Mailbox "$SMTP_TEST_MAILDIR"
EMAIL_URL=smtp://127.0.0.1:8025 SMTP_TEST_MAILDIR=... make test
"""

import mailbox
import os
import time
from email import message_from_bytes
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import time_machine

from heartmon.accounts.tests.mail import code_in, link_in
from heartmon.outbox.delivery import deliver_due
from heartmon.outbox.models import Message, Status

EMAIL_URL = os.environ.get("EMAIL_URL", "")
MAILDIR = os.environ.get("SMTP_TEST_MAILDIR", "")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (EMAIL_URL.startswith("smtp") and MAILDIR),
        reason="needs a local SMTP server: set EMAIL_URL=smtp://host:port and SMTP_TEST_MAILDIR "
        "to the Maildir of `python -m aiosmtpd ... -c aiosmtpd.handlers.Mailbox <maildir>`",
    ),
]


def received_by(address: str, timeout: float = 10) -> SimpleNamespace:
    """The newest message in the Maildir addressed to `address`, as {subject, body}."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for raw in mailbox.Maildir(MAILDIR, factory=None):
            message = message_from_bytes(raw.as_bytes())
            if address in message.get("To", ""):
                payload = message.get_payload(decode=True)
                assert isinstance(payload, bytes)
                body = payload.decode(message.get_content_charset() or "utf-8")
                return SimpleNamespace(subject=message["Subject"], body=body)
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address} arrived in {MAILDIR}")


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend pointed at the test server; returns a switch to break it."""
    server = urlsplit(EMAIL_URL)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5

    def reachable(up: bool) -> None:
        settings.EMAIL_HOST = server.hostname
        settings.EMAIL_PORT = (server.port or 25) if up else 1  # nothing listens on port 1

    reachable(True)
    return reachable


def unique(user) -> str:
    user.email = f"{user.first_name.lower()}+{time.time_ns()}@stmary.example"  # runs share it
    user.save()
    return user.email


def test_a_password_reset_travels_through_smtp(anonymous, bob, smtp):
    address = unique(bob)

    response = anonymous.post("/api/v1/auth/password/reset/", {"email": address})
    deliver_due()

    assert response.status_code == 202
    message = received_by(address)
    assert message.subject == "[heartmon] Reset your password"
    link = link_in(message, "reset-password")
    confirm = anonymous.post(
        "/api/v1/auth/password/reset/confirm/", {**link, "new_password": "delivered by smtp today"}
    )
    assert confirm.status_code == 204
    assert len(code_in(message)) == 6


def test_a_mail_refused_while_smtp_is_down_arrives_once_it_is_back(anonymous, bob, smtp):
    address = unique(bob)
    smtp(False)

    anonymous.post("/api/v1/auth/password/reset/", {"email": address})
    deliver_due()
    outbox = Message.objects.get(recipient=address)
    assert outbox.status == Status.PENDING
    smtp(True)
    with time_machine.travel(outbox.next_attempt_at):
        deliver_due()

    assert received_by(address).subject == "[heartmon] Reset your password"
    outbox.refresh_from_db()
    assert outbox.status == Status.SENT
    assert [attempt.ok for attempt in outbox.attempts.all()] == [False, True]
