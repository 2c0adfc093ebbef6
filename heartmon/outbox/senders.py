"""How each kind of message leaves: e-mail through Django's mail backend, webhooks as a signed
JSON POST."""

import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from heartmon.outbox.models import Message

SIGNATURE_HEADER = "X-Heartmon-Signature"


class DeliveryError(Exception):
    """The receiver refused or could not be reached; the attempt is logged and retried."""

    def __init__(self, error: str, *, http_status: int | None = None) -> None:
        super().__init__(error)
        self.http_status = http_status


def send_email(message: Message) -> int | None:
    mail = EmailMultiAlternatives(
        message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient]
    )
    if message.html:
        mail.attach_alternative(message.html, "text/html")
    mail.send()
    return None


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of the body with the secret>`, what receivers check."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(message: Message) -> bytes:
    document = {
        "id": str(message.id),
        "event": message.event,
        "created_at": message.created_at.isoformat(),
        "data": message.payload,
    }
    return json.dumps(document, separators=(",", ":")).encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: following it could reach anywhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _refuse_private_address(url: str) -> None:
    """Organizations' admins choose the URL: unless allowed, it may not lead into the server's
    own network (loopback, private, link-local such as cloud metadata)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError as exc:
        raise DeliveryError(f"cannot resolve {host}: {exc}") from exc
    if any(not ipaddress.ip_address(address).is_global for address in addresses):
        raise DeliveryError(f"{host} resolves to a private address; refused")


def send_webhook(message: Message) -> int | None:
    assert message.webhook is not None  # noqa: S101 (a database constraint holds it)
    _refuse_private_address(message.webhook.url)
    body = webhook_body(message)
    request = urllib.request.Request(  # noqa: S310 (http and https only: a URLField)
        message.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "heartmon-webhooks",
            SIGNATURE_HEADER: signature(message.webhook.secret, body),
            "X-Heartmon-Event": message.event,
            "X-Heartmon-Delivery": str(message.id),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code} {exc.reason}", http_status=exc.code) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
