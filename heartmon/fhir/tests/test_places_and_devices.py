from heartmon.audit.models import AuditEvent
from heartmon.fhir.tests.fhir_checks import assert_outcome, fhir_json


def test_a_bed_is_a_location_part_of_its_ward(as_tess, bed, ward):
    body = fhir_json(as_tess.get(f"/fhir/R4/Location/{bed.pk}"))

    assert body["name"] == "Bed 1"
    assert body["physicalType"]["coding"][0]["code"] == "bd"
    assert body["partOf"] == {"reference": f"Location/{ward.pk}"}
    assert body["operationalStatus"]["code"] == "U"


def test_places_are_searched_within_the_organization(as_charlie, bed):
    assert fhir_json(as_charlie.get("/fhir/R4/Location"))["entry"] == []
    assert_outcome(as_charlie.get(f"/fhir/R4/Location/{bed.pk}"), 404)


def test_a_device_carries_serial_mac_model_and_its_patient(as_tess, monitored, patient):
    monitored.mac_address = "AA:BB:CC:DD:EE:FF"
    monitored.manufacturer = "Acme"
    monitored.firmware_version = "1.2.3"
    monitored.save()

    body = fhir_json(as_tess.get(f"/fhir/R4/Device/{monitored.pk}"))

    assert body["serialNumber"] == "HM-0001"
    assert body["modelNumber"] == "HM-3L"
    assert body["manufacturer"] == "Acme"
    assert body["status"] == "active"
    assert {"type": {"text": "MAC address"}, "value": "AA:BB:CC:DD:EE:FF"} in body["identifier"]
    assert body["version"] == [{"type": {"text": "firmware"}, "value": "1.2.3"}]
    assert body["patient"] == {"reference": f"Patient/{patient.pk}"}
    assert not AuditEvent.objects.filter(action__startswith="fhir.").exists()


def test_devices_are_searched_by_patient(as_bob, monitored, patient, patient2, org_b_device):
    found = fhir_json(as_bob.get("/fhir/R4/Device", {"patient": str(patient.pk)}))
    none = fhir_json(as_bob.get("/fhir/R4/Device", {"patient": str(patient2.pk)}))

    assert [entry["resource"]["id"] for entry in found["entry"]] == [str(monitored.pk)]
    assert none["entry"] == []


def test_another_organizations_device_is_not_found(as_bob, org_b_device):
    assert_outcome(as_bob.get(f"/fhir/R4/Device/{org_b_device.pk}"), 404)
