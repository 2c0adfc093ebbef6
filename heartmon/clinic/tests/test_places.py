"""/api/v1/places/: everyone reads the organization's tree; admins add, rename, move, delete."""

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Admission, Place, PlaceKind
from heartmon.core.testing import assert_problem
from heartmon.devices.models import Device

URL = "/api/v1/places/"


def url(place: Place) -> str:
    return f"{URL}{place.pk}/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [place["name"] for place in response.json()["results"]]


def test_an_admin_adds_a_bed_under_a_ward(as_alice, ward, org_a):
    response = as_alice.post(URL, {"kind": "bed", "name": "Bed 7", "parent": str(ward.pk)})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["name"], body["parent"], body["occupied"]) == (
        "bed",
        "Bed 7",
        str(ward.pk),
        False,
    )
    place = Place.objects.get(pk=body["id"])
    assert place.organization == org_a
    assert AuditEvent.objects.filter(
        action=AuditAction.PLACE_CREATED, object_id=body["id"]
    ).exists()


def test_a_hospital_stands_at_the_top(as_alice, alice):
    response = as_alice.post(URL, {"kind": "hospital", "name": "General"})

    assert response.status_code == 201, response.content
    assert response.json()["parent"] is None


def test_a_bed_cannot_sit_directly_under_a_hospital(as_alice, hospital):
    assert_problem(
        as_alice.post(URL, {"kind": "bed", "name": "Bed 9", "parent": str(hospital.pk)}),
        400,
        field="parent",
    )
    assert not Place.objects.filter(name="Bed 9").exists()


def test_a_ward_needs_a_hospital_or_clinic_above_it(as_alice, alice):
    assert_problem(as_alice.post(URL, {"kind": "ward", "name": "Loose"}), 400, field="parent")
    assert not Place.objects.filter(name="Loose").exists()


def test_an_unknown_kind_and_a_blank_name_are_refused(as_alice, hospital):
    assert_problem(as_alice.post(URL, {"kind": "castle", "name": "X"}), 400, field="kind")
    assert_problem(as_alice.post(URL, {"kind": "hospital", "name": " "}), 400, field="name")
    assert Place.objects.count() == 1


def test_another_organizations_parent_reads_as_unknown(as_charlie, ward):
    body = assert_problem(
        as_charlie.post(URL, {"kind": "bed", "name": "Sneaky", "parent": str(ward.pk)}),
        400,
        field="parent",
    )
    assert "does not exist" in body["errors"]["parent"][0]
    assert not Place.objects.filter(name="Sneaky").exists()


def test_two_siblings_cannot_share_a_name(as_alice, bed, ward):
    assert_problem(
        as_alice.post(URL, {"kind": "bed", "name": "Bed 1", "parent": str(ward.pk)}),
        409,
        field="name",
    )
    assert Place.objects.filter(name="Bed 1").count() == 1


def test_a_nurse_reads_but_may_not_add(as_bob, bed):
    assert names(as_bob.get(URL, {"kind": "bed"})) == ["Bed 1"]
    assert_problem(as_bob.post(URL, {"kind": "hospital", "name": "Mine"}), 403)
    assert not Place.objects.filter(name="Mine").exists()


def test_it_filters_by_kind_and_parent_and_searches_names(as_bob, hospital, ward, bed, bed2):
    assert names(as_bob.get(URL, {"parent": str(ward.pk)})) == ["Bed 1", "Bed 2"]
    assert names(as_bob.get(URL, {"kind": "ward"})) == ["Cardiology"]
    assert names(as_bob.get(URL, {"top_level": "true"})) == ["St Mary's"]
    assert names(as_bob.get(URL, {"search": "bed 2"})) == ["Bed 2"]
    assert names(as_bob.get(URL, {"ordering": "-name", "kind": "bed"})) == ["Bed 2", "Bed 1"]


def test_it_shows_which_beds_are_occupied(as_bob, alice, patient, bed, bed2):
    Admission.objects.create(
        organization=bed.organization,
        patient=patient,
        place=bed,
        bed=bed,
        reason="x",
        admitted_by=alice,
    )

    assert names(as_bob.get(URL, {"kind": "bed", "occupied": "false"})) == ["Bed 2"]
    assert as_bob.get(url(bed)).json()["occupied"] is True


def test_another_organization_sees_nothing_of_the_tree(as_charlie, ward):
    assert names(as_charlie.get(URL)) == []
    assert_problem(as_charlie.get(url(ward)), 404)
    assert_problem(as_charlie.patch(url(ward), {"name": "Mine"}), 404)
    assert_problem(as_charlie.delete(url(ward)), 404)
    ward.refresh_from_db()
    assert ward.name == "Cardiology"


def test_an_admin_renames_and_moves_a_bed(as_alice, org_a, hospital, bed):
    other_ward = Place.objects.create(
        organization=org_a, kind=PlaceKind.WARD, name="ICU", parent=hospital
    )

    response = as_alice.patch(url(bed), {"name": "ICU 1", "parent": str(other_ward.pk)})

    assert response.status_code == 200, response.content
    bed.refresh_from_db()
    assert (bed.name, bed.parent) == ("ICU 1", other_ward)


def test_the_kind_of_a_place_is_fixed(as_alice, bed):
    as_alice.patch(url(bed), {"kind": "ward"})

    bed.refresh_from_db()
    assert bed.kind == PlaceKind.BED


def test_a_ward_cannot_move_under_a_bed(as_alice, ward, bed2, hospital):
    other = Place.objects.create(
        organization=hospital.organization, kind=PlaceKind.WARD, name="ICU", parent=hospital
    )
    assert_problem(as_alice.patch(url(other), {"parent": str(bed2.pk)}), 400, field="parent")
    other.refresh_from_db()
    assert other.parent == hospital


def test_an_admin_deletes_an_unused_bed(as_alice, bed):
    assert as_alice.delete(url(bed)).status_code == 204
    assert not Place.objects.filter(pk=bed.pk).exists()
    assert AuditEvent.objects.get(action=AuditAction.PLACE_DELETED).details["place_id"] == str(
        bed.pk
    )


def test_a_place_with_children_cannot_be_deleted(as_alice, ward, bed):
    body = assert_problem(as_alice.delete(url(ward)), 409)
    assert "places" in body["detail"]
    assert Place.objects.filter(pk=ward.pk).exists()


def test_a_place_that_is_a_devices_home_cannot_be_deleted(as_alice, bed, org_a):
    Device.objects.create(organization=org_a, serial_number="S1", model="M", home_place=bed)

    assert_problem(as_alice.delete(url(bed)), 409)
    assert Place.objects.filter(pk=bed.pk).exists()


def test_a_bed_with_admission_history_cannot_be_deleted(as_alice, alice, patient, bed):
    Admission.objects.create(
        organization=bed.organization,
        patient=patient,
        place=bed,
        bed=bed,
        reason="x",
        admitted_by=alice,
        discharged_at="2026-01-01T00:00:00Z",
    )

    assert_problem(as_alice.delete(url(bed)), 409)
    assert Place.objects.filter(pk=bed.pk).exists()


def test_a_nurse_may_not_delete(as_bob, bed):
    assert_problem(as_bob.delete(url(bed)), 403)
    assert Place.objects.filter(pk=bed.pk).exists()


def test_the_list_takes_a_fixed_number_of_queries(as_bob, ward, django_assert_max_num_queries):
    for number in range(30):
        Place.objects.create(
            organization=ward.organization, kind=PlaceKind.BED, name=f"B{number}", parent=ward
        )

    with django_assert_max_num_queries(2):
        response = as_bob.get(URL, {"limit": 100})

    assert response.json()["count"] == 32


def test_a_technician_reads_the_tree_to_place_devices(as_tess, bed):
    assert names(as_tess.get(URL, {"kind": "bed"})) == ["Bed 1"]
    assert_problem(as_tess.patch(url(bed), {"name": "Mine"}), 403)
