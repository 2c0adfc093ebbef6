"""Audit events cannot be changed or deleted: the database refuses (migration 0002's trigger, on
SQLite and PostgreSQL alike) and the Django admin offers no way to."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction

from heartmon.accounts.models import User
from heartmon.audit.models import AuditEvent
from heartmon.audit.services import record_event
from heartmon.core.actor import ANONYMOUS, Actor


@pytest.fixture
def event(alice) -> AuditEvent:
    return record_event("auth.login", actor=alice.as_actor())


def test_saving_a_changed_event_is_refused(event):
    event.action = "forged"

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()

    assert AuditEvent.objects.get().action == "auth.login"


def test_a_queryset_update_is_refused(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.update(action="forged")

    assert AuditEvent.objects.get().action == "auth.login"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.delete()

    assert AuditEvent.objects.count() == 1


def test_a_queryset_delete_is_refused(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 1


def test_new_events_are_still_appended(event, alice):
    record_event("auth.logout", actor=alice.as_actor())

    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_still_works_and_keeps_the_guard(org_a):
    """`flush` (tests run it between transactional tests) wipes everything, audit included."""
    record_event("auth.login", actor=Actor.of_system("test", organization_id=org_a.pk))

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEvent.objects.exists()
    event = record_event("auth.login", actor=ANONYMOUS)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.delete()


@pytest.fixture
def admin_client(client, db):
    root = User.objects.create_superuser(
        email="root@heartmon.example", password="x", first_name="Root", last_name="User"
    )
    client.force_login(root)
    return client


def test_the_admin_shows_events(admin_client, event):
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200


def test_the_admin_refuses_to_add(admin_client, event):
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403
    assert admin_client.post("/admin/audit/auditevent/add/", {"action": "x"}).status_code == 403
    assert AuditEvent.objects.count() == 1


def test_the_admin_refuses_to_change(admin_client, event):
    response = admin_client.post(
        f"/admin/audit/auditevent/{event.pk}/change/", {"action": "forged"}
    )

    assert response.status_code == 403
    assert AuditEvent.objects.get().action == "auth.login"


def test_the_admin_refuses_to_delete(admin_client, event):
    url = f"/admin/audit/auditevent/{event.pk}/delete/"

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        "/admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code == 200  # the changelist offers no delete action: nothing happens
    assert AuditEvent.objects.count() == 1
