"""The smoke test of the production stack, as a hospital's first hour would go: an admin signs
in, sets up a bed, a patient and a monitor; the monitor sends readings over HTTP and MQTT and
uploads an ECG that the Celery worker analyses; the readings are read back; Prometheus scrapes
/metrics from the web workers and finds every process's samples added up."""

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import paho.mqtt.client as mqtt
import requests
from prometheus_client.parser import text_string_to_metric_families
from seed import PASSWORD

SMOKE_SERIAL = "SMOKE-001"
TOUR = Path(__file__).resolve().parents[2] / "docs/tour"
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Api:
    def __init__(self, base: str, authorization: str) -> None:
        self.base = f"{base}/api/v1"
        self.session = requests.Session()
        self.session.headers["Authorization"] = authorization

    def post(self, path: str, **kwargs: object) -> dict:
        response = self.session.post(f"{self.base}/{path}", timeout=30, **kwargs)  # type: ignore[arg-type]
        return answer(response, path)

    def get(self, path: str, **params: str) -> dict:
        response = self.session.get(f"{self.base}/{path}", params=params, timeout=30)
        return answer(response, path)


def answer(response: requests.Response, path: str) -> dict:
    return accepted(response, path).json()


def accepted(response: requests.Response, path: str) -> requests.Response:
    if response.status_code not in (200, 201):
        raise RuntimeError(f"{path} answered {response.status_code}: {response.text}")
    return response


def signed_in(base: str, email: str) -> Api:
    tokens = requests.post(
        f"{base}/api/v1/auth/token/", json={"email": email, "password": PASSWORD}, timeout=30
    ).json()
    return Api(base, f"Bearer {tokens['access']}")


def set_up_a_monitored_patient(admin: Api) -> tuple[str, str]:
    """The patient's id and the key of the device assigned to them."""
    hospital = admin.post("places/", json={"kind": "hospital", "name": "Smoke General"})
    ward = admin.post(
        "places/", json={"kind": "ward", "name": "Cardiology", "parent": hospital["id"]}
    )
    bed = admin.post("places/", json={"kind": "bed", "name": "Bed 1", "parent": ward["id"]})
    patient = admin.post(
        "patients/", json={"patient_number": "SMOKE-1", "given_name": "Ada", "family_name": "Smoke"}
    )
    device = admin.post(
        "devices/", json={"serial_number": SMOKE_SERIAL, "model": "HM-3L", "lead_count": 3}
    )
    key = admin.post(f"devices/{device['id']}/keys/", json={"name": "bedside"})["key"]
    admin.post(
        "admissions/",
        json={
            "patient": patient["id"],
            "place": bed["id"],
            "devices": [device["id"]],
            "reason": "Smoke test",
        },
    )
    return patient["id"], key


def publish_over_mqtt(key: str, port: int, moments: list[datetime]) -> None:
    """Publishes as the monitor (its broker account is its serial) and waits for the broker's
    acknowledgement."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=SMOKE_SERIAL)
    client.username_pw_set(SMOKE_SERIAL, "smoke-device-password")
    client.connect("127.0.0.1", port)
    client.loop_start()
    readings = [
        {"metric": "spo2", "value": 97, "recorded_at": moment.isoformat()} for moment in moments
    ]
    message = client.publish(
        f"heartmon/devices/{SMOKE_SERIAL}/readings",
        orjson.dumps({"key": key, "readings": readings}),
        qos=1,
    )
    message.wait_for_publish(10)
    client.loop_stop()
    client.disconnect()


def eventually(check, seconds: float = 60) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def metrics(web: str, token: str) -> dict[tuple[str, frozenset], float]:
    response = requests.get(
        f"{web}/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    accepted(response, "/metrics")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def sample(scraped: dict, name: str, **labels: str) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


def check_metrics(proxy: str, web: str, token: str) -> bool:
    healthz = {"view": "healthz", "method": "GET", "status": "200"}
    name = "django_http_responses_total_by_status_view_method_total"
    before = sample(metrics(web, token), name, **healthz)
    for _ in range(20):
        requests.get(f"{web}/healthz", timeout=10)
    scraped = metrics(web, token)
    counted = sample(scraped, name, **healthz) - before
    expected = {
        "healthz answers, added over the web workers": (counted, counted == 20),
        "readings stored from devices": (
            value := sample(scraped, "heartmon_readings_stored_total", source="device"),
            value >= 5,
        ),
        "MQTT messages stored (mqtt-ingest)": (
            value := sample(scraped, "heartmon_mqtt_messages_total", outcome="stored"),
            value >= 1,
        ),
        "ECG analyses done (Celery worker)": (
            value := sample(scraped, "heartmon_ecg_analysis_seconds_count", outcome="done"),
            value >= 1,
        ),
        "Celery tasks succeeded": (
            value := sample(
                scraped,
                "heartmon_celery_tasks_total",
                task="heartmon.ecg.tasks.process_recording",
                outcome="success",
            ),
            value >= 1,
        ),
    }
    labels = " ".join(value for key in scraped for _, value in key[1])
    expected["no id in any label"] = (len(ID.findall(labels)), not ID.search(labels))
    proxied = requests.get(f"{proxy}/metrics", timeout=10).status_code
    expected["/metrics not served through the proxy"] = (proxied, proxied == 404)
    for what, (value, ok) in expected.items():
        print(f"    metrics: {what}: {value:g} {'ok' if ok else 'WRONG'}")
    return all(ok for _, ok in expected.values())


def smoke_test(
    proxy: str, *, web: str, admin_email: str, broker_port: int, metrics_token: str
) -> bool:
    admin = signed_in(proxy, admin_email)
    patient, key = set_up_a_monitored_patient(admin)
    # Readings belong to the patient the device is assigned to when they are measured: from
    # the admission on (a few seconds ahead is within what the server accepts).
    now = datetime.now(UTC).replace(microsecond=0)
    moments = [now + timedelta(seconds=s) for s in range(1, 6)]
    over_http = [
        {"metric": "heart_rate", "value": 71, "recorded_at": m.isoformat()} for m in moments[:3]
    ]
    stored = Api(proxy, f"Device {key}").post("readings/", json=over_http)["stored"]
    publish_over_mqtt(key, broker_port, moments[3:])
    read_back = eventually(
        lambda: admin.get("readings/", patient=patient)["results"].__len__() == 5
    )
    with (TOUR / "100.hea").open("rb") as header, (TOUR / "100.dat").open("rb") as signal:
        recording = Api(proxy, f"Device {key}").post(
            "ecg/recordings/",
            data={
                "format": "wfdb",
                "kind": "raw",
                "data_id": "smoke-1",
                "start_time": (now - timedelta(minutes=10)).isoformat(),
            },
            files={"header": header, "file": signal},
        )
    analysed = eventually(
        lambda: admin.get(f"ecg/recordings/{recording['id']}/")["status"] == "done"
    )
    ready = requests.get(f"{proxy}/readyz", timeout=10).status_code == 200
    print(
        f"    smoke: {stored} readings over HTTP, 2 over MQTT; all 5 read back: {read_back}; "
        f"ECG analysed by the worker: {analysed}; /readyz: {ready}"
    )
    return (
        stored == 3
        and read_back
        and analysed
        and ready
        and check_metrics(proxy, web, metrics_token)
    )
