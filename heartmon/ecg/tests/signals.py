"""Upload files built from MIT-BIH record 100 (360 Hz, 2 leads, gain 200, baseline 1024) with
the field's own writers."""

import io
import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyedflib
import wfdb
from django.core.files.uploadedfile import SimpleUploadedFile

RECORD = Path(__file__).parent / "data" / "mitdb-100" / "100"
RATE = 360
GAIN, BASELINE = 200.0, 1024.0
LEADS = ["MLII", "V5"]
START = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


@cache
def _record() -> np.ndarray:
    return wfdb.rdrecord(str(RECORD), physical=False, sampto=RATE * 600).d_signal.astype(np.int16)


def mitdb(seconds: float, offset: float = 0) -> np.ndarray:
    """(n, 2) int16 ADC values of record 100 from `offset` seconds on."""
    first = round(offset * RATE)
    return _record()[first : first + round(seconds * RATE)].copy()


def wfdb_files(samples: np.ndarray, fmt: str = "212", name: str = "rec") -> tuple[bytes, bytes]:
    """(.hea, .dat) bytes of a WFDB record."""
    with tempfile.TemporaryDirectory() as folder:
        wfdb.wrsamp(
            name,
            fs=RATE,
            units=["mV"] * samples.shape[1],
            sig_name=LEADS[: samples.shape[1]],
            d_signal=samples.astype(np.int64),
            fmt=[fmt] * samples.shape[1],
            adc_gain=[GAIN] * samples.shape[1],
            baseline=[int(BASELINE)] * samples.shape[1],
            write_dir=folder,
        )
        return (Path(folder, f"{name}.hea").read_bytes(), Path(folder, f"{name}.dat").read_bytes())


def edf_file(samples: np.ndarray, rate: float = RATE, unit: str = "mV") -> bytes:
    """An EDF+ file of these ADC values; "uV" states the same physical values in microvolts."""
    scale = 1000.0 if unit == "uV" else 1.0
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder, "rec.edf"))
        writer = pyedflib.EdfWriter(path, samples.shape[1], pyedflib.FILETYPE_EDFPLUS)
        writer.setSignalHeaders(
            [
                {
                    "label": LEADS[index],
                    "dimension": unit,
                    "sample_frequency": rate,
                    "physical_min": (-32768 - BASELINE) / GAIN * scale,
                    "physical_max": (32767 - BASELINE) / GAIN * scale,
                    "digital_min": -32768,
                    "digital_max": 32767,
                }
                for index in range(samples.shape[1])
            ]
        )
        writer.writeSamples(
            [samples[:, index].astype(np.int32) for index in range(samples.shape[1])], digital=True
        )
        writer.close()
        return Path(path).read_bytes()


def millivolts(samples: np.ndarray) -> np.ndarray:
    return (samples - BASELINE) / GAIN


def csv_file(samples: np.ndarray) -> bytes:
    text = io.StringIO()
    text.write(",".join(LEADS[: samples.shape[1]]) + "\n")
    np.savetxt(text, millivolts(samples), fmt="%.3f", delimiter=",")
    return text.getvalue().encode()


def upload_fields(
    *, device: Any, format: str = "wfdb", seconds: float = 10, **fields: Any
) -> dict[str, Any]:
    """A multipart body for an upload of `seconds` of record 100 as `format`."""
    samples = fields.pop("samples", None)
    samples = mitdb(seconds) if samples is None else samples
    body: dict[str, Any] = {
        "format": format,
        "data_id": "rec-1",
        "start_time": START.isoformat(),
        "device": str(device.pk) if device is not None else None,
    }
    if format == "wfdb":
        header, data = wfdb_files(samples)
        body |= {
            "header": SimpleUploadedFile("rec.hea", header),
            "file": SimpleUploadedFile("rec.dat", data),
        }
    elif format == "edf":
        body["file"] = SimpleUploadedFile("rec.edf", edf_file(samples))
    elif format == "csv":
        body |= {"file": SimpleUploadedFile("rec.csv", csv_file(samples)), "sample_rate": RATE}
    else:
        body |= {
            "file": SimpleUploadedFile("rec.bin", samples.astype("<i2").tobytes()),
            "sample_rate": RATE,
            "leads": ",".join(LEADS[: samples.shape[1]]),
            "gain": GAIN,
            "baseline": BASELINE,
        }
    body |= fields
    return {name: value for name, value in body.items() if value is not None}
