"""POST /api/v1/admissions/: staff and admins admit a patient to a bed or ward with devices."""

from heartmon.accounts.models import User
from heartmon.accounts.testing import client_for
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Admission, Place, PlaceKind
from heartmon.clinic.tests.admitting import admit
from heartmon.core.testing import assert_problem
from heartmon.devices.models import Device, DeviceAssignment, DeviceStatus


def test_staff_admit_a_patient_to_a_bed_with_a_device(as_sam, sam, patient, bed, device, dana):
    response = admit(as_sam, patient, bed, [device], attending=str(dana.pk))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["patient"] == {
        "id": str(patient.pk),
        "patient_number": "MRN-1",
        "given_name": "Ada",
        "family_name": "Okafor",
    }
    assert (body["place"]["id"], body["bed"], body["is_open"]) == (str(bed.pk), str(bed.pk), True)
    assert body["attending"]["id"] == str(dana.pk)
    assert [d["device"]["serial_number"] for d in body["devices"]] == ["HM-0001"]
    admission = Admission.objects.get()
    assert (admission.admitted_by, admission.bed) == (sam, bed)
    assignment = DeviceAssignment.objects.get()
    assert (assignment.admission, assignment.patient, assignment.ended_at) == (
        admission,
        patient,
        None,
    )
    assert AuditEvent.objects.get(action=AuditAction.ADMISSION_CREATED).patient_id == patient.pk


def test_a_ward_admission_holds_no_bed(as_sam, patient, patient2, ward):
    assert admit(as_sam, patient, ward).json()["bed"] is None
    assert admit(as_sam, patient2, ward).status_code == 201


def test_an_occupied_bed_is_a_conflict(as_sam, patient, patient2, bed):
    admit(as_sam, patient, bed)

    body = assert_problem(admit(as_sam, patient2, bed), 409)
    assert body["type"].endswith("bed-occupied")
    assert not Admission.objects.filter(patient=patient2).exists()


def test_a_patient_has_one_open_admission(as_sam, patient, bed, bed2):
    admit(as_sam, patient, bed)

    body = assert_problem(admit(as_sam, patient, bed2), 409)
    assert body["type"].endswith("patient-already-admitted")
    assert Admission.objects.count() == 1


def test_a_device_already_assigned_is_a_conflict_and_nothing_is_kept(
    as_sam, patient, patient2, bed, bed2, device
):
    admit(as_sam, patient, bed, [device])

    body = assert_problem(admit(as_sam, patient2, bed2, [device]), 409)
    assert body["type"].endswith("device-already-assigned")
    assert not Admission.objects.filter(patient=patient2).exists()
    assert DeviceAssignment.objects.count() == 1


def test_a_device_not_in_service_cannot_be_used(as_sam, patient, bed, device):
    Device.objects.filter(pk=device.pk).update(status=DeviceStatus.MAINTENANCE)

    assert_problem(admit(as_sam, patient, bed, [device]), 409)
    assert not Admission.objects.exists()


def test_another_organizations_device_reads_as_unknown(as_sam, patient, bed, org_b):
    foreign = Device.objects.create(organization=org_b, serial_number="B-1", model="M")

    body = assert_problem(admit(as_sam, patient, bed, [foreign]), 400)
    assert any(field.startswith("devices") for field in body["errors"])
    assert "does not exist" in str(body["errors"])
    assert not Admission.objects.exists()


def test_the_attending_must_be_a_doctor_or_admin(as_sam, patient, bed, bob):
    assert_problem(admit(as_sam, patient, bed, attending=str(bob.pk)), 400, field="attending")
    assert not Admission.objects.exists()


def test_patients_are_admitted_to_beds_or_wards_only(as_sam, patient, hospital):
    assert_problem(admit(as_sam, patient, hospital), 400, field="place")
    assert not Admission.objects.exists()


def test_a_reason_is_required(as_sam, patient, bed):
    assert_problem(admit(as_sam, patient, bed, reason=""), 400, field="reason")
    assert not Admission.objects.exists()


def test_an_archived_patient_cannot_be_admitted(as_sam, patient, bed):
    as_sam.delete(f"/api/v1/patients/{patient.pk}/")

    assert_problem(admit(as_sam, patient, bed), 409)
    assert not Admission.objects.exists()


def test_doctors_nurses_and_technicians_may_not_admit(as_dana, as_bob, as_tess, patient, bed):
    for client in (as_dana, as_bob, as_tess):
        assert_problem(admit(client, patient, bed), 403)
    assert not Admission.objects.exists()


def test_another_organizations_patient_and_bed_read_as_unknown(as_charlie, patient, bed):
    body = assert_problem(admit(as_charlie, patient, bed), 400, field="patient")
    assert "place" in body["errors"]
    assert not Admission.objects.exists()


def test_a_superuser_cannot_mix_organizations_in_one_admission(patient, org_b):
    root = User.objects.create_superuser(
        email="root@heartmon.example", password="x", first_name="Root", last_name="User"
    )
    elsewhere = Place.objects.create(organization=org_b, kind=PlaceKind.WARD, name="B ward")

    assert_problem(admit(client_for(root), patient, elsewhere), 400, field="place")
    assert not Admission.objects.exists()


def test_a_device_already_assigned_to_the_same_patient_joins_the_admission(
    as_sam, patient, bed, monitored
):
    response = admit(as_sam, patient, bed, [monitored])

    assert response.status_code == 201, response.content
    assert [d["device"]["id"] for d in response.json()["devices"]] == [str(monitored.pk)]
    assignment = DeviceAssignment.objects.get()
    assert (assignment.admission, assignment.ended_at) == (Admission.objects.get(), None)
