"""A device's reading belongs to the patient the device was assigned to when it was measured
(recorded_at), whoever it is on when the reading arrives; an item naming another patient is
refused on its own (HTTP batches, heart rates, MQTT). A person may name the patient for a time the
device was on no one."""

from datetime import timedelta

import orjson
import pytest

from heartmon.clinic.models import Patient
from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceAssignment
from heartmon.telemetry.models import Reading
from heartmon.telemetry.mqtt import handle_message
from heartmon.telemetry.tests.seed import NOW, T0

URL = "/api/v1/readings/"
HOUR = timedelta(hours=1)
NOT_ON_THIS_PATIENT = (
    "The device was not on this patient at recorded_at: its readings belong to the patient it "
    "was assigned to then."
)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def heart_rate(at, value=70, **extra):
    return {"metric": "heart_rate", "value": value, "recorded_at": at.isoformat(), **extra}


def post(client, body):
    response = client.post(URL, orjson.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def filed():
    return list(Reading.objects.order_by("recorded_at").values_list("value", "patient_id"))


def assign(device, patient, alice, *, since, until=None):
    DeviceAssignment.objects.create(
        device=device, patient=patient, started_at=since, ended_at=until, assigned_by=alice
    )


@pytest.fixture
def moved(device, patient, patient2, alice):
    """The device was on patient2 from T0 - 1 h to T0 + 1 h, and has been on patient since."""
    assign(device, patient2, alice, since=T0 - HOUR, until=T0 + HOUR)
    assign(device, patient, alice, since=T0 + HOUR)
    return device


@pytest.mark.parametrize("with_an_invalid_item", [False, True])
def test_each_reading_goes_to_the_patient_the_device_was_on_when_measured(
    as_device, moved, patient, patient2, with_an_invalid_item
):
    body = [heart_rate(T0 - 2 * HOUR, 60), heart_rate(T0, 61), heart_rate(T0 + 2 * HOUR, 62)]
    if with_an_invalid_item:  # the item-by-item way rather than a column at a time
        body.append(heart_rate(T0, value=0))

    result = post(as_device, body)

    assert result["stored"] == 3
    assert filed() == [(60.0, None), (61.0, patient2.pk), (62.0, patient.pk)]


def test_a_device_on_one_patient_since_before_the_batch_files_it_all_in_their_chart(
    as_device, monitored, patient
):
    post(as_device, [heart_rate(T0), heart_rate(T0 + HOUR, 71)])

    assert filed() == [(70.0, patient.pk), (71.0, patient.pk)]


def test_a_device_may_not_file_a_reading_in_another_patients_chart(
    as_device, monitored, patient, patient2
):
    body = [heart_rate(T0, patient=str(patient2.pk)), heart_rate(T0 + HOUR, 71)]

    result = post(as_device, body)

    assert result["rejected"] == [{"index": 0, "errors": {"patient": [NOT_ON_THIS_PATIENT]}}]
    assert filed() == [(71.0, patient.pk)]


def test_a_device_may_name_the_patient_it_was_on(as_device, moved, patient2):
    result = post(as_device, [heart_rate(T0, patient=str(patient2.pk))])

    assert (result["stored"], result["rejected"]) == (1, [])
    assert filed() == [(70.0, patient2.pk)]


def test_a_device_on_no_one_may_not_name_a_patient(as_device, device, patient):
    result = post(as_device, [heart_rate(T0, patient=str(patient.pk))])

    assert result["rejected"] == [{"index": 0, "errors": {"patient": [NOT_ON_THIS_PATIENT]}}]
    assert not Reading.objects.exists()


def test_reference_items_name_the_patient_under_the_same_rule(
    as_device, monitored, patient2, org_a
):
    item = {"timestamp": int(T0.timestamp()), "reading": 0.5, "patient": str(patient2.pk)}

    result = post(as_device, [item])

    assert result["rejected"][0]["errors"] == {
        "patient": [NOT_ON_THIS_PATIENT.replace("recorded_at", "timestamp")]
    }


def test_a_person_may_not_file_a_devices_reading_for_another_patient_than_it_was_on(
    as_bob, moved, patient, patient2
):
    body = [
        heart_rate(T0, device=str(moved.pk), patient=str(patient.pk)),
        heart_rate(T0 + 2 * HOUR, 71, device=str(moved.pk)),
    ]

    result = post(as_bob, body)

    assert result["rejected"] == [{"index": 0, "errors": {"patient": [NOT_ON_THIS_PATIENT]}}]
    assert filed() == [(71.0, patient.pk)]


def test_a_person_names_the_patient_of_a_spot_check_with_a_device_on_no_one(
    as_bob, moved, patient2
):
    before_any_assignment = T0 - 2 * HOUR

    post(
        as_bob, [heart_rate(before_any_assignment, device=str(moved.pk), patient=str(patient2.pk))]
    )

    assert filed() == [(70.0, patient2.pk)]


def test_a_device_may_not_send_a_heart_rate_for_another_patient(as_device, monitored, patient2):
    response = as_device.post(
        "/api/v1/heart-rates/",
        {"bpm": 78, "recorded_at": T0.isoformat(), "patient": str(patient2.pk)},
        format="json",
    )

    problem = assert_problem(response, 400, field="patient")
    assert problem["errors"]["patient"] == [NOT_ON_THIS_PATIENT]
    assert not Reading.objects.exists()


def test_an_mqtt_message_may_not_file_a_reading_for_another_patient(
    monitored, patient, patient2, device_key
):
    readings = [heart_rate(T0, patient=str(patient2.pk)), heart_rate(T0 + HOUR, 71)]
    payload = orjson.dumps({"key": device_key, "readings": readings})

    reply = handle_message(serial=monitored.serial_number, payload=payload)

    assert reply is not None
    assert reply["rejected"] == [{"index": 0, "errors": {"patient": [NOT_ON_THIS_PATIENT]}}]
    assert filed() == [(71.0, patient.pk)]


def test_another_organizations_patient_stays_unknown(as_device, monitored, org_b_patient):
    result = post(as_device, [heart_rate(T0, patient=str(org_b_patient.pk))])

    assert result["rejected"] == [{"index": 0, "errors": {"patient": ["Unknown patient."]}}]


def test_a_new_patient_of_the_organization_is_no_exception(as_device, monitored, org_a):
    other = Patient.objects.create(
        organization=org_a, patient_number="P-2", given_name="Alan", family_name="Turing"
    )

    result = post(as_device, [heart_rate(T0, patient=str(other.pk))])

    assert result["rejected"] == [{"index": 0, "errors": {"patient": [NOT_ON_THIS_PATIENT]}}]
    assert not Reading.objects.exists()
