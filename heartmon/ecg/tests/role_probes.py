"""The ECG probes of the role table (see `accounts/tests/role_probes.py`) and their world: a
recording of a patient (with a fixed id, named in the patient-data query) from the devices'
monitoring device, its files in the world's temporary MEDIA_ROOT."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model

from heartmon.accounts.tests.role_probes import Probe, World
from heartmon.clinic.models import Patient
from heartmon.ecg import storage
from heartmon.ecg.models import Recording

TARGETS = {"ecg_recordings": "recording"}
PATIENT_ID = uuid.UUID("00000000-0000-4000-8000-00000000ec90")
START = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
RATE, SECONDS, LEADS = 250, 4, ["I", "II", "III"]
DATA_QUERY = f"patient={PATIENT_ID}&start=2024-03-01T08:00:00Z&end=2024-03-01T08:00:02Z"


def _upload(world: World) -> dict[str, Any]:
    samples = np.zeros((RATE, len(LEADS)), dtype="<i2")
    return {
        "format": "int16",
        "file": SimpleUploadedFile("probe.bin", samples.tobytes()),
        "sample_rate": RATE,
        "leads": ",".join(LEADS),
        "gain": 1000,
        "data_id": "probe-upload",
        "start_time": START.isoformat(),
        "device": world.id("device"),
    }


PROBES: dict[tuple[str, str], list[Probe]] = {
    ("ecg_recordings", "read"): [
        Probe("ecg-recording-list", "get", "list", 200, row="recording"),
        Probe("ecg-recording-detail", "get", "object", 200),
    ],
    ("ecg_recordings", "signal"): [
        Probe("ecg-recording-detail", "get", "object", 200, shows=("summary",)),
        Probe("ecg-recording-samples", "get", "object", 200),
        Probe("ecg-recording-beats", "get", "object", 200),
        Probe("ecg-recording-events", "get", "object", 200),
        Probe("ecg-recording-export", "get", "object", 200, query="format=csv"),
        Probe("ecg-recording-original", "get", "object", 200),
        Probe("ecg-data", "get", "list", 200, query=DATA_QUERY, row="recording"),
    ],
    ("ecg_recordings", "upload"): [
        Probe(
            "ecg-recording-list",
            "post",
            "create",
            201,
            _upload,
            format="multipart",
            creates=Recording,
            foreign_field="device",
        ),
    ],
    ("ecg_recordings", "delete"): [
        Probe("ecg-recording-detail", "delete", "object", 204),
    ],
}


def build(objects: dict[str, Any]) -> dict[str, Model]:
    org, device = objects["org_a"], objects["device"]
    patient = Patient.objects.create(
        id=PATIENT_ID, organization=org, patient_number="ECG-1", given_name="E", family_name="Cg"
    )
    recording_id = uuid.uuid4()
    prefix = storage.prefix_for(organization_id=org.pk, recording_id=recording_id)
    samples = (np.arange(RATE * SECONDS * len(LEADS)) % 200).astype(np.int16)
    count = storage.write_chunks(
        prefix=prefix,
        blocks=[samples.reshape(-1, len(LEADS))],
        chunk_samples=storage.chunk_samples_for(RATE),
    )
    storage.save_original(prefix=prefix, name="rec.bin", content=ContentFile(samples.tobytes()))
    recording = Recording.objects.create(
        id=recording_id,
        organization=org,
        patient=patient,
        device=device,
        data_id="probe-1",
        kind="raw",
        format="int16",
        start_time=START,
        end_time=START + timedelta(seconds=SECONDS),
        sample_rate=RATE,
        leads=LEADS,
        units=["mV"] * len(LEADS),
        gains=[1000.0] * len(LEADS),
        baselines=[0.0] * len(LEADS),
        sample_count=count,
        chunk_samples=storage.chunk_samples_for(RATE),
        codec=storage.CODEC,
        storage_prefix=prefix,
        original_name="rec.bin",
        original_size=samples.nbytes,
        checksum="0" * 64,
    )
    return {"recording": recording, "ecg_patient": patient}
