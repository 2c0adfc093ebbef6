"""Probes of the role table for webhooks (see accounts/tests/role_probes.py)."""

from django.db.models import Model

from heartmon.accounts.models import Organization
from heartmon.accounts.tests.role_probes import Probe
from heartmon.outbox.models import Webhook

TARGETS = {"webhooks": "webhook"}

NEW = {"url": "https://alerts.stmary.example/hook", "secret": "s" * 32}

PROBES: dict[tuple[str, str], list[Probe]] = {
    ("webhooks", "read"): [
        Probe("webhook-list", "get", "list", 200, row="webhook"),
        Probe("webhook-detail", "get", "object", 200),
        Probe("webhook-deliveries", "get", "object", 200),
    ],
    ("webhooks", "write"): [
        Probe("webhook-list", "post", "create", 201, NEW, creates=Webhook),
        Probe("webhook-detail", "patch", "object", 200, {"active": False}),
        Probe("webhook-detail", "delete", "object", 204),
    ],
}


def build(org: Organization) -> dict[str, Model]:
    return {"webhook": Webhook.objects.create(organization=org, url=NEW["url"], secret="x" * 16)}
