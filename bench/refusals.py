"""Refusal benchmark: how long an ECG upload built to exhaust a worker takes to be refused, through
the real endpoint (multipart POST by a 3-lead device with its key), best of 3 each:

- the WFDB header of issue 13: 100,000 signal lines (a 3.7 MB .hea) and a tiny .dat, and one of
  1,500 lines (under the header size limit);
- an EDF whose header declares 9,999 signals (the most its 4-character field holds);
- a CSV whose header row names 100,000 leads;
- an int16 upload whose `leads` field names 10,000 leads.

Each must answer 400 in a small constant time, whatever the size of what it declares.

Run alone: `.venv/bin/python -m bench.refusals`, in a throwaway copy of the database DATABASE_URL
names (SQLite without it: the refusals touch no table that matters).
"""

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

Row = tuple[str, str, str]
RUNS = 3
TARGET = "< 100 ms"  # most of it receiving the multipart body, as for any upload
SIGNALS = 100_000


def wfdb_header(signals: int = SIGNALS) -> bytes:
    lines = [f"rec {signals} 360"]
    lines += [f"rec.dat 212 200 11 1024 0 0 0 S{index}" for index in range(signals)]
    return ("\n".join(lines) + "\n").encode()


def edf_file(signals: int = 9_999) -> bytes:
    """An EDF header declaring `signals` signals of 360 samples per 1 s record; the data is
    left out (a refusal never reaches it)."""

    def field(value: Any, width: int) -> bytes:
        return f"{value:<{width}}".encode()

    fixed = (
        field(0, 8)
        + field("X X X X", 80)
        + field("Startdate 01-MAR-2024 X X X", 80)
        + field("01.03.24", 8)
        + field("08.00.00", 8)
        + field(256 * (signals + 1), 8)
        + field("", 44)
        + field(1, 8)
        + field(1, 8)
        + field(signals, 4)
    )
    per_signal = [
        (16, "S{}"),
        (80, ""),
        (8, "mV"),
        (8, "-10"),
        (8, "10"),
        (8, "-32768"),
        (8, "32767"),
        (80, ""),
        (8, "360"),
        (32, ""),
    ]
    return fixed + b"".join(
        field(text.format(index), width) for width, text in per_signal for index in range(signals)
    )


def csv_file(leads: int = SIGNALS) -> bytes:
    names = ",".join(f"L{index}" for index in range(leads))
    return f"{names}\n".encode() + b"0.1\n" * 10


def _cast() -> tuple[Any, Any]:
    """A device key's API client for a 3-lead device on a patient."""
    from rest_framework.test import APIClient

    from heartmon.accounts.models import Organization
    from heartmon.accounts.testing import make_user
    from heartmon.clinic.models import Patient
    from heartmon.clinic.services.assignments import assign_device
    from heartmon.core.roles import Role
    from heartmon.devices.models import Device
    from heartmon.devices.services.keys import create_key

    organization = Organization.objects.create(name="Bench Refusals")
    admin = make_user(organization, "admin@refusals.example", Role.ADMIN)
    device = Device.objects.create(
        organization=organization, serial_number="BENCH-3", model="H3", lead_count=3
    )
    patient = Patient.objects.create(
        organization=organization, patient_number="R-1", given_name="Re", family_name="Fused"
    )
    assign_device(device=device, patient=patient, actor=admin.as_actor())
    _, key = create_key(device=device, name="bench", actor=admin.as_actor())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {key}")
    return client, device


def _refusal_ms(client: Any, form: Callable[[], dict[str, Any]]) -> float:
    """Best milliseconds to a 400 over RUNS uploads (the files built before the clock starts)."""
    times = []
    for _ in range(RUNS):
        fields = {"data_id": "hostile", "start_time": "2024-03-01T08:00:00Z", **form()}
        began = time.perf_counter()
        response = client.post("/api/v1/ecg/recordings/", fields, format="multipart")
        times.append((time.perf_counter() - began) * 1000)
        if response.status_code != 400:
            raise RuntimeError(f"answered {response.status_code}: {response.content[:300]!r}")
    return min(times)


def _uploads() -> list[tuple[str, Callable[[], dict[str, Any]]]]:
    edf, csv = edf_file(), csv_file()
    return [
        *(_wfdb(signals) for signals in (SIGNALS, 1_500)),
        (
            "EDF declaring 9,999 signals",
            lambda: {"format": "edf", "file": SimpleUploadedFile("rec.edf", edf)},
        ),
        (
            f"CSV naming {SIGNALS:,} leads",
            lambda: {
                "format": "csv",
                "sample_rate": "360",
                "file": SimpleUploadedFile("rec.csv", csv),
            },
        ),
        (
            "int16 naming 10,000 leads",
            lambda: {
                "format": "int16",
                "sample_rate": "360",
                "gain": "200",
                "leads": ",".join(f"L{index}" for index in range(10_000)),
                "file": SimpleUploadedFile("rec.i16", bytes(20_000 * 2)),
            },
        ),
    ]


def _wfdb(signals: int) -> tuple[str, Callable[[], dict[str, Any]]]:
    header = wfdb_header(signals)
    return (
        f"WFDB header of {signals:,} signal lines ({len(header) / 1e3:,.0f} kB)",
        lambda: {
            "format": "wfdb",
            "header": SimpleUploadedFile("rec.hea", header),
            "file": SimpleUploadedFile("rec.dat", bytes(30)),
        },
    )


def run() -> list[Row]:
    """The refusal figures as (figure, value, target) rows, in Django's test environment."""
    from django.test import override_settings

    client, _ = _cast()
    with (
        tempfile.TemporaryDirectory(prefix="heartmon-bench-refusals-") as folder,
        override_settings(MEDIA_ROOT=Path(folder) / "media"),
    ):
        return [
            (f"Refusing an upload: {title}", f"{_refusal_ms(client, form):.0f} ms", TARGET)
            for title, form in _uploads()
        ]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heartmon.settings")
    import django

    django.setup()
    from bench.ecg import print_table, throwaway_database

    with throwaway_database():
        print_table(run())


if __name__ == "__main__":
    main()
