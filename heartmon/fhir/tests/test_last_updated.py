"""`_lastUpdated` on the types whose last change is computed: an admission's from its transfers
and discharge, a device's from its latest event."""

from datetime import timedelta

from heartmon.clinic.services.admissions import admit_patient, transfer_patient
from heartmon.devices.models import DeviceEvent, DeviceEventKind
from heartmon.fhir.tests.fhir_checks import fhir_json


def ids(bundle):
    return [entry["resource"]["id"] for entry in bundle["entry"]]


def test_a_transfer_updates_the_encounter(as_dana, patient, bed, bed2, sam):
    admission = admit_patient(patient=patient, place=bed, reason="Chest pain", actor=sam.as_actor())
    admitted = admission.admitted_at
    moved = transfer_patient(admission=admission, place=bed2, reason="", actor=sam.as_actor())
    moved.transfers.update(moved_at=admitted + timedelta(hours=1))
    half_way = (admitted + timedelta(minutes=30)).isoformat()

    body = fhir_json(as_dana.get("/fhir/R4/Encounter", {"_lastUpdated": f"gt{half_way}"}))

    assert ids(body) == [str(admission.pk)]
    assert body["entry"][0]["resource"]["meta"]["lastUpdated"].startswith(
        (admitted + timedelta(hours=1)).date().isoformat()
    )


def test_a_device_event_updates_the_device(as_tess, device):
    later = device.created_at + timedelta(days=1)
    DeviceEvent.objects.create(device=device, kind=DeviceEventKind.STATUS_CHANGED, at=later)
    half_way = (device.created_at + timedelta(hours=12)).isoformat()

    found = fhir_json(as_tess.get("/fhir/R4/Device", {"_lastUpdated": f"ge{half_way}"}))
    before = fhir_json(as_tess.get("/fhir/R4/Device", {"_lastUpdated": f"lt{half_way}"}))

    assert ids(found) == [str(device.pk)]
    assert before["entry"] == []
