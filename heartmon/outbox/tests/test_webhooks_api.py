"""/api/v1/webhooks/: admins manage their organization's webhooks; the secret is write-only."""

import pytest

from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.outbox.delivery import deliver_due
from heartmon.outbox.models import Webhook
from heartmon.outbox.services import enqueue_webhook
from heartmon.outbox.testing import webhook_receiver

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks/"
NEW = {"url": "https://alerts.stmary.example/heartmon", "secret": "s" * 32}


@pytest.fixture
def webhook(org_a) -> Webhook:
    return Webhook.objects.create(organization=org_a, url=NEW["url"], secret=NEW["secret"])


@pytest.fixture
def org_b_webhook(org_b) -> Webhook:
    return Webhook.objects.create(organization=org_b, url=NEW["url"], secret=NEW["secret"])


def test_an_admin_adds_a_webhook_whose_secret_is_never_shown(as_alice, alice, org_a):
    response = as_alice.post(URL, {**NEW, "description": "Pager bridge"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert "secret" not in body
    assert (body["url"], body["active"], body["description"]) == (NEW["url"], True, "Pager bridge")
    created = Webhook.objects.get(pk=body["id"])
    assert (created.organization, created.secret) == (org_a, NEW["secret"])
    assert "secret" not in as_alice.get(f"{URL}{created.pk}/").json()
    assert AuditEvent.objects.filter(action="webhook.created", actor=alice).exists()


def test_the_list_shows_only_the_organizations_webhooks(as_alice, webhook, org_b_webhook):
    ids = [row["id"] for row in as_alice.get(URL).json()["results"]]

    assert ids == [str(webhook.pk)]


def test_an_admin_changes_and_deletes_a_webhook(as_alice, webhook):
    changed = as_alice.patch(f"{URL}{webhook.pk}/", {"active": False, "secret": "t" * 20})
    deleted = as_alice.delete(f"{URL}{webhook.pk}/")

    assert changed.status_code == 200
    assert changed.json()["active"] is False
    assert deleted.status_code == 204
    assert not Webhook.objects.exists()
    assert AuditEvent.objects.filter(action="webhook.deleted").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "url": "ftp://files.example/x"}, "url"),
        ({**NEW, "url": "not a url"}, "url"),
        ({**NEW, "secret": "short"}, "secret"),
        ({"url": NEW["url"]}, "secret"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(as_alice, alice, body, field):
    assert_problem(as_alice.post(URL, body), 400, field=field)
    assert not Webhook.objects.exists()


def test_another_organizations_webhook_is_not_found(as_charlie, webhook):
    assert_problem(as_charlie.get(f"{URL}{webhook.pk}/"), 404)
    assert_problem(as_charlie.patch(f"{URL}{webhook.pk}/", {"active": False}), 404)
    assert_problem(as_charlie.get(f"{URL}{webhook.pk}/deliveries/"), 404)
    webhook.refresh_from_db()
    assert webhook.active


@pytest.mark.parametrize("who", ["as_bob", "as_dana", "as_sam", "as_tess"])
def test_only_admins_manage_webhooks(request, webhook, who):
    client = request.getfixturevalue(who)

    assert_problem(client.get(URL), 403)
    assert_problem(client.post(URL, NEW), 403)
    assert_problem(client.get(f"{URL}{webhook.pk}/deliveries/"), 403)
    assert Webhook.objects.count() == 1


def test_the_delivery_log_lists_every_attempt(as_alice, org_a, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    with webhook_receiver(statuses=[502]) as receiver:
        webhook = Webhook.objects.create(organization=org_a, url=receiver.url, secret="x" * 16)
        enqueue_webhook(organization_id=org_a.pk, event="alarm.raised", payload={"a": 1})
        deliver_due()

    response = as_alice.get(f"{URL}{webhook.pk}/deliveries/")

    assert response.status_code == 200
    [delivery] = response.json()["results"]
    assert (delivery["event"], delivery["status"], delivery["attempt_count"]) == (
        "alarm.raised",
        "pending",
        1,
    )
    [attempt] = delivery["attempts"]
    assert (attempt["ok"], attempt["http_status"]) == (False, 502)
    assert "HTTP 502" in attempt["error"]
    assert attempt["duration_ms"] >= 0
