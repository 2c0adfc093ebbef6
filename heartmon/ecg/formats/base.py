"""What every format reader shares: the upload it reads, the signal it produces, the error it
raises."""

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from heartmon.core.errors import InvalidInput

_LEAD_NAME = re.compile(r"[\x20-\x2b\x2d-\x7e]{1,32}")
MIN_SAMPLE_RATE, MAX_SAMPLE_RATE = 50.0, 10_000.0
BLOCK_VALUES = 1 << 20  # samples (all leads) decoded at a time
# Factor from each accepted voltage unit to millivolts; a blank unit is WFDB's default, mV.
MILLIVOLTS_PER_UNIT = {"": 1.0, "mv": 1.0, "uv": 1e-3, "µv": 1e-3, "μv": 1e-3, "v": 1e3, "nv": 1e-6}


class FormatError(InvalidInput):
    code = "invalid_ecg_file"
    title = "Invalid ECG file"

    def __init__(self, detail: str, *, field: str = "file") -> None:
        super().__init__(detail, field=field)


@dataclass
class Signal:
    """What a file says: `gains` in ADC units per mV, `baselines` the ADC value of 0 mV, and
    `blocks` yielding (n, leads) int16 arrays in order. `sample_count` is None when only reading
    the whole file tells (CSV)."""

    sample_rate: float
    leads: list[str]
    units: list[str]
    gains: list[float]
    baselines: list[float]
    sample_count: int | None
    blocks: Iterator[np.ndarray] = field(repr=False)


@dataclass(frozen=True)
class Upload:
    """The request's files and the parameters some formats need."""

    file: Any  # a Django UploadedFile
    header: Any = None  # WFDB: the .hea file
    sample_rate: float | None = None
    leads: list[str] | None = None
    gains: list[float] | None = None
    baselines: list[float] | None = None


def check_sample_rate(rate: float, field_name: str = "file") -> float:
    if not MIN_SAMPLE_RATE <= rate <= MAX_SAMPLE_RATE:
        raise FormatError(
            f"The sample rate is {rate:g} Hz; heartmon takes {MIN_SAMPLE_RATE:g} to "
            f"{MAX_SAMPLE_RATE:g} Hz.",
            field=field_name,
        )
    return rate


def check_lead_count(count: int, max_leads: int) -> None:
    """Refuse more leads than the device records, as soon as the file says how many: before
    anything parses or decodes them."""
    if count > max_leads:
        raise FormatError(f"The file has {count} leads; the device records {max_leads}.")


def gain_per_millivolt(gain: float, unit: str, lead: str) -> float:
    """Convert a gain in ADC units per `unit` to ADC units per mV."""
    factor = MILLIVOLTS_PER_UNIT.get(unit.strip().lower())
    if factor is None:
        raise FormatError(f"Lead {lead} is in {unit!r}, not a voltage (mV, uV or V).")
    if not gain > 0:
        raise FormatError(f"Lead {lead} has no usable gain ({gain:g}): it is uncalibrated.")
    return gain / factor


def block_rows(lead_count: int) -> int:
    return max(1, BLOCK_VALUES // lead_count)


def lead_names(names: list[str], field_name: str = "file") -> list[str]:
    """Lead names as stored: stripped, distinct, 1 to 32 printable ASCII characters other than
    a comma (they travel comma-separated in query strings and headers)."""
    cleaned = [name.strip() for name in names]
    if not cleaned or not all(_LEAD_NAME.fullmatch(name) for name in cleaned):
        raise FormatError(
            "Every lead needs a name of 1 to 32 printable ASCII characters, no comma.",
            field=field_name,
        )
    if len(set(cleaned)) != len(cleaned):
        raise FormatError(f"Lead names repeat: {', '.join(cleaned)}.", field=field_name)
    return cleaned


def place(file: Any, path: Path) -> None:
    """Make an uploaded file readable at `path` for a library that opens paths: a link to
    Django's temporary file when it was streamed to disk, else a copy of the small in-memory
    one."""
    if hasattr(file, "temporary_file_path"):
        path.symlink_to(file.temporary_file_path())
        return
    file.seek(0)
    with path.open("wb") as out:
        shutil.copyfileobj(file, out)
