"""/api/v1/patients/{id}/care-team/: the organization's people attached to a patient."""

from heartmon.accounts.testing import make_user
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import CareTeamMember, Patient
from heartmon.core.roles import Role
from heartmon.core.testing import assert_problem


def url(patient: Patient, member: CareTeamMember | None = None) -> str:
    base = f"/api/v1/patients/{patient.pk}/care-team/"
    return f"{base}{member.pk}/" if member else base


def test_staff_add_a_doctor_to_the_care_team(as_sam, patient, dana):
    response = as_sam.post(url(patient), {"user": str(dana.pk), "role": "attending"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["user"]["id"], body["user"]["role"], body["role"]) == (
        str(dana.pk),
        "doctor",
        "attending",
    )
    assert CareTeamMember.objects.get(patient=patient).user == dana
    event = AuditEvent.objects.get(action=AuditAction.CARE_TEAM_MEMBER_ADDED)
    assert (event.patient_id, event.details["user_id"]) == (patient.pk, str(dana.pk))


def test_a_nurse_reads_the_care_team_and_the_read_is_audited(as_bob, patient, dana, bob):
    CareTeamMember.objects.create(patient=patient, user=dana, role="attending")
    CareTeamMember.objects.create(patient=patient, user=bob, role="primary_nurse")

    response = as_bob.get(url(patient), {"role": "attending"})

    assert response.status_code == 200
    assert [row["user"]["email"] for row in response.json()["results"]] == [dana.email]
    assert AuditEvent.objects.get(action=AuditAction.CARE_TEAM_VIEWED).patient_id == patient.pk


def test_the_same_user_twice_is_a_conflict(as_sam, patient, dana):
    CareTeamMember.objects.create(patient=patient, user=dana, role="attending")

    assert_problem(as_sam.post(url(patient), {"user": str(dana.pk), "role": "consultant"}), 409)
    assert CareTeamMember.objects.count() == 1


def test_a_user_of_another_organization_reads_as_unknown(as_sam, patient, charlie):
    assert_problem(
        as_sam.post(url(patient), {"user": str(charlie.pk), "role": "consultant"}),
        400,
        field="user",
    )
    assert not CareTeamMember.objects.exists()


def test_an_inactive_user_cannot_join(as_sam, patient, org_a):
    gone = make_user(org_a, "gone@stmary.example", Role.DOCTOR, is_active=False)

    assert_problem(
        as_sam.post(url(patient), {"user": str(gone.pk), "role": "consultant"}), 400, field="user"
    )
    assert not CareTeamMember.objects.exists()


def test_an_unknown_team_role_is_refused(as_sam, patient, dana):
    assert_problem(
        as_sam.post(url(patient), {"user": str(dana.pk), "role": "boss"}), 400, field="role"
    )
    assert not CareTeamMember.objects.exists()


def test_staff_take_someone_off_the_team(as_sam, patient, dana):
    member = CareTeamMember.objects.create(patient=patient, user=dana, role="attending")

    assert as_sam.delete(url(patient, member)).status_code == 204
    assert not CareTeamMember.objects.exists()
    assert (
        AuditEvent.objects.get(action=AuditAction.CARE_TEAM_MEMBER_REMOVED).patient_id == patient.pk
    )


def test_a_member_is_only_reachable_through_its_own_patient(as_sam, patient, patient2, dana):
    member = CareTeamMember.objects.create(patient=patient, user=dana, role="attending")

    assert_problem(as_sam.delete(url(patient2, member)), 404)
    assert CareTeamMember.objects.count() == 1


def test_nurses_read_but_may_not_change_the_team(as_bob, patient, dana):
    member = CareTeamMember.objects.create(patient=patient, user=dana, role="attending")

    assert_problem(as_bob.post(url(patient), {"user": str(dana.pk), "role": "nurse"}), 403)
    assert_problem(as_bob.delete(url(patient, member)), 403)
    assert CareTeamMember.objects.count() == 1


def test_technicians_may_not_see_the_care_team(as_tess, patient):
    assert_problem(as_tess.get(url(patient)), 403)


def test_another_organization_gets_a_404(as_charlie, patient, dana, charlie):
    member = CareTeamMember.objects.create(patient=patient, user=dana, role="attending")

    assert_problem(as_charlie.get(url(patient)), 404)
    assert_problem(as_charlie.post(url(patient), {"user": str(charlie.pk), "role": "nurse"}), 404)
    assert_problem(as_charlie.delete(url(patient, member)), 404)
    assert list(CareTeamMember.objects.all()) == [member]
