"""/api/v1/alarm-settings/: the organization's alarm timings; admins, doctors and nurses read,
admins change them (audited); each organization has its own."""

from heartmon.alarms.models import AlarmSettings
from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem

URL = "/api/v1/alarm-settings/"
DEFAULTS = {
    "high_escalation_seconds": 60,
    "medium_escalation_seconds": 180,
    "no_data_seconds": 30,
    "news2_max_age_minutes": 720,
}


def test_clinicians_read_the_organizations_settings(as_bob, as_dana, org_a):
    AlarmSettings.objects.filter(pk=org_a.pk).update(no_data_seconds=45)

    for client in (as_bob, as_dana):
        response = client.get(URL)
        assert response.status_code == 200
        assert response.json() == {**DEFAULTS, "no_data_seconds": 45}


def test_an_admin_changes_some_settings_and_it_is_audited(as_alice, alice, org_a):
    response = as_alice.patch(URL, {"high_escalation_seconds": 45}, format="json")

    assert response.status_code == 200
    assert response.json() == {**DEFAULTS, "high_escalation_seconds": 45}
    assert AlarmSettings.objects.get(pk=org_a.pk).high_escalation_seconds == 45
    event = AuditEvent.objects.get(action="alarm_settings.updated")
    assert event.actor_id == alice.pk
    assert event.details["before"]["high_escalation_seconds"] == 60
    assert event.details["after"]["high_escalation_seconds"] == 45


def test_each_organization_changes_only_its_own(as_charlie, org_a, org_b):
    response = as_charlie.patch(URL, {"no_data_seconds": 90}, format="json")

    assert response.status_code == 200
    assert AlarmSettings.objects.get(pk=org_b.pk).no_data_seconds == 90
    assert AlarmSettings.objects.get(pk=org_a.pk).no_data_seconds == 30


def test_bad_input_is_refused_and_nothing_changes(as_alice, org_a):
    bad = [
        ({"high_escalation_seconds": -1}, "high_escalation_seconds"),
        ({"no_data_seconds": "soon"}, "no_data_seconds"),
        ({"news2_max_age_minutes": 10**9}, "news2_max_age_minutes"),
        ({"escalate_to": "everyone"}, "escalate_to"),
    ]
    for body, field in bad:
        assert_problem(as_alice.patch(URL, body, format="json"), 400, field=field)
    assert_problem(as_alice.patch(URL, {}, format="json"), 400)

    assert AlarmSettings.objects.filter(pk=org_a.pk).values(*DEFAULTS).get() == DEFAULTS
    assert not AuditEvent.objects.filter(action="alarm_settings.updated").exists()


def test_clinicians_may_not_change_them(as_bob, as_dana, org_a):
    for client in (as_bob, as_dana):
        assert_problem(client.patch(URL, {"no_data_seconds": 5}, format="json"), 403)

    assert AlarmSettings.objects.get(pk=org_a.pk).no_data_seconds == 30


def test_staff_and_technicians_may_not_read_them(as_sam, as_tess):
    for client in (as_sam, as_tess):
        assert_problem(client.get(URL), 403)


def test_anonymous_is_refused(anonymous):
    assert_problem(anonymous.get(URL), 401)
