"""Reads and changes of patient data through the Django admin are audited like the API's."""

import pytest
from django.urls import reverse

from heartmon.accounts.models import User
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.telemetry.models import Metric, Reading, Source


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser(
        email="root@heartmon.example", password="x", first_name="Root", last_name="User"
    )


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def page(model, name: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def test_a_list_page_names_the_patients_on_it(admin_client, root, patient, patient2):
    response = admin_client.get(page(patient, "changelist"), {"q": "MRN"})

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.PATIENTS_LISTED)
    assert event.actor == root
    assert event.details["patient_ids"] == sorted([str(patient.pk), str(patient2.pk)])
    assert (event.details["via"], event.details["query"]) == ("admin", "q=MRN")


def test_an_object_page_names_its_patient(admin_client, patient):
    assert admin_client.get(page(patient, "change", patient.pk)).status_code == 200

    event = AuditEvent.objects.get(action=AuditAction.PATIENT_VIEWED)
    assert (event.patient_id, event.object_id) == (patient.pk, str(patient.pk))
    assert event.organization_id == patient.organization_id


def test_a_change_through_the_admin_is_audited_with_the_patient(admin_client, patient):
    form = {
        "organization": patient.organization_id,
        "patient_number": "MRN-1",
        "given_name": "Ada",
        "family_name": "Okafor-Smith",
        "sex": "unknown",
        "phone": patient.phone,
        "created_by": patient.created_by_id,
    }
    response = admin_client.post(page(patient, "change", patient.pk), form)

    assert response.status_code == 302, response.content
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGED)
    assert (event.patient_id, event.object_type) == (patient.pk, "clinic.patient")


def test_readings_and_recordings_are_audited_through_their_patient(
    admin_client, monitored, patient
):
    reading = Reading.objects.create(
        device=monitored,
        patient=patient,
        metric=Metric.HEART_RATE,
        value=72,
        recorded_at="2026-11-20T08:00:00Z",
        source=Source.DEVICE,
    )

    admin_client.get(page(reading, "changelist"))
    admin_client.get(page(reading, "change", reading.pk))

    events = AuditEvent.objects.filter(action=AuditAction.READINGS_VIEWED).order_by("at", "id")
    assert [event.details["patient_ids"] for event in events] == [[str(patient.pk)]] * 2


def test_pages_without_patient_data_write_nothing(admin_client, monitored):
    assert admin_client.get(page(monitored, "changelist")).status_code == 200

    assert not AuditEvent.objects.exists()
