"""The alarm detail page: for the roles that read alarms, a 404 page for another organization's
alarm, and the names of the people on its timeline."""

import uuid

import pytest
from django.utils import timezone

from heartmon.alarms.models import Alarm, AlarmEvent, Condition, Priority, Step

pytestmark = pytest.mark.django_db


def an_alarm(patient) -> Alarm:
    return Alarm.objects.create(
        organization=patient.organization,
        patient=patient,
        condition=Condition.HEART_RATE,
        priority=Priority.MEDIUM,
        value=134,
        raised_at=timezone.now(),
    )


def test_a_nurse_opens_an_alarm_with_the_names_on_its_timeline(page_as, bob, dana, patient):
    alarm = an_alarm(patient)
    AlarmEvent.objects.create(alarm=alarm, step=Step.ACKNOWLEDGED, at=timezone.now(), by=dana)

    response = page_as(bob).get(f"/alarms/{alarm.pk}")

    assert response.status_code == 200
    assert dana.get_full_name().encode() in response.content


def test_an_alarm_of_another_organization_is_a_404_page(page_as, bob, org_b_patient):
    alarm = an_alarm(org_b_patient)

    assert page_as(bob).get(f"/alarms/{alarm.pk}").status_code == 404
    assert page_as(bob).get(f"/alarms/{uuid.uuid4()}").status_code == 404


def test_roles_that_do_not_read_alarms_get_a_403_page(page_as, sam, tess, patient):
    alarm = an_alarm(patient)

    for user in (sam, tess):
        assert page_as(user).get(f"/alarms/{alarm.pk}").status_code == 403
