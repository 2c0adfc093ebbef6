"""GET /api/v1/admissions/ and /api/v1/patients/{id}/admissions/: the admission history."""

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Admission, Patient, Place, PlaceKind
from heartmon.clinic.tests.admitting import admit
from heartmon.core.testing import assert_problem
from heartmon.devices.models import Device

URL = "/api/v1/admissions/"


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def history_url(patient: Patient) -> str:
    return f"/api/v1/patients/{patient.pk}/admissions/"


def test_open_admissions_filtered_by_place_and_patient(
    as_sam, as_bob, patient, patient2, bed, bed2
):
    old = admit(as_sam, patient, bed).json()["id"]
    as_sam.post(f"{URL}{old}/discharge/", {})
    current = admit(as_sam, patient, bed2).json()["id"]
    other = admit(as_sam, patient2, bed).json()["id"]

    assert ids(as_bob.get(URL, {"open": "true"})) == [other, current]
    assert ids(as_bob.get(URL, {"open": "false"})) == [old]
    assert ids(as_bob.get(URL, {"open": "true", "place": str(bed2.pk)})) == [current]
    assert ids(as_bob.get(URL, {"patient": str(patient.pk)})) == [current, old]


def test_filtering_by_a_ward_or_hospital_includes_the_beds_in_it(
    as_sam, as_bob, patient, bed, hospital
):
    admission_id = admit(as_sam, patient, bed).json()["id"]
    elsewhere = Place.objects.create(
        organization=hospital.organization, kind=PlaceKind.WARD, name="ICU", parent=hospital
    )

    assert ids(as_bob.get(URL, {"place": str(bed.parent_id)})) == [admission_id]
    assert ids(as_bob.get(URL, {"place": str(hospital.pk)})) == [admission_id]
    assert ids(as_bob.get(URL, {"place": str(elsewhere.pk)})) == []


def test_a_patients_history_lists_their_admissions_only(
    as_sam, as_dana, patient, patient2, bed, bed2
):
    mine = admit(as_sam, patient, bed).json()["id"]
    admit(as_sam, patient2, bed2)

    assert ids(as_dana.get(history_url(patient))) == [mine]
    event = AuditEvent.objects.get(action=AuditAction.ADMISSIONS_LISTED)
    assert (event.patient_id, event.details["admission_ids"]) == (patient.pk, [mine])


def test_the_detail_shows_devices_attending_and_transfers_and_is_audited(
    as_sam, as_bob, patient, bed, bed2, device, dana
):
    admission_id = admit(as_sam, patient, bed, [device], attending=str(dana.pk)).json()["id"]
    as_sam.post(f"{URL}{admission_id}/transfer/", {"place": str(bed2.pk)})

    body = as_bob.get(f"{URL}{admission_id}/").json()

    assert body["patient"]["patient_number"] == "MRN-1"
    assert body["attending"]["email"] == dana.email
    assert body["devices"][0]["device"]["id"] == str(device.pk)
    assert body["transfers"][0]["to_place"]["id"] == str(bed2.pk)
    assert AuditEvent.objects.get(action=AuditAction.ADMISSION_VIEWED).patient_id == patient.pk


def test_a_list_read_is_audited_with_the_patients_on_the_page(as_sam, as_bob, bob, patient, bed):
    admit(as_sam, patient, bed)

    as_bob.get(URL)

    event = AuditEvent.objects.get(action=AuditAction.ADMISSIONS_LISTED)
    assert (event.actor, event.details["patient_ids"]) == (bob, [str(patient.pk)])


def test_malformed_filters_are_a_400(as_bob, bed):
    assert_problem(as_bob.get(URL, {"place": "nope"}), 400, field="place")


def test_technicians_may_not_read_admissions(as_tess, patient):
    assert_problem(as_tess.get(URL), 403)
    assert_problem(as_tess.get(history_url(patient)), 403)


def test_another_organization_sees_none_of_it(as_sam, as_charlie, patient, bed):
    admission_id = admit(as_sam, patient, bed).json()["id"]

    assert ids(as_charlie.get(URL)) == []
    assert_problem(as_charlie.get(f"{URL}{admission_id}/"), 404)
    assert_problem(as_charlie.get(history_url(patient)), 404)


def test_the_list_takes_a_fixed_number_of_queries(
    as_bob, alice, org_a, ward, django_assert_max_num_queries
):
    for number in range(20):
        patient = Patient.objects.create(
            organization=org_a, patient_number=f"N{number}", given_name="G", family_name="F"
        )
        bed = Place.objects.create(organization=org_a, kind="bed", name=f"B{number}", parent=ward)
        admission = Admission.objects.create(
            organization=org_a,
            patient=patient,
            place=bed,
            bed=bed,
            reason="x",
            admitted_by=alice,
            attending=alice,
        )
        device = Device.objects.create(organization=org_a, serial_number=f"S{number}", model="M")
        admission.device_assignments.create(device=device, patient=patient, assigned_by=alice)
        admission.transfers.create(from_place=ward, to_place=bed, moved_by=alice)

    # count, page, device assignments, transfers, audit event
    with django_assert_max_num_queries(5):
        response = as_bob.get(URL, {"limit": 100})

    assert len(response.json()["results"]) == 20
