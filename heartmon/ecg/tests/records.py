"""MIT-BIH records kept with the tests (`data/`), their reference beats, and heartmon's findings
on them, each analysed once per test process."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import wfdb
from wfdb import processing

from heartmon.ecg import heart_rate
from heartmon.ecg.classes import CODES, VENTRICULAR
from heartmon.ecg.findings import Findings, analyse

DATA = Path(__file__).parent / "data"
PATHS = {
    "100": DATA / "mitdb-100" / "100",
    **{name: DATA / "mitdb-dev" / name for name in ("105", "114", "200", "232")},
}
DEV = ("105", "114", "200", "232")
# Annotation symbols that mark a beat (the others mark rhythm changes, noise, comments).
BEAT_SYMBOLS = frozenset("NLRBAaJSVrFejnE/fQ?")
# Premature ventricular beats. Ventricular escape beats (E), which AAMI's VEB class adds, come
# late, not early, and are no PVCs; none of these records has one.
VENTRICULAR_SYMBOLS = frozenset("V")


@dataclass(frozen=True)
class Scored:
    findings: Findings
    fs: float
    reference: np.ndarray  # beat samples
    symbols: np.ndarray
    comparison: processing.Comparitor


@cache
def scored(name: str) -> Scored:
    """The record's every lead analysed (the preferred first), scored within 150 ms."""
    record = wfdb.rdrecord(str(PATHS[name]))
    annotation = wfdb.rdann(str(PATHS[name]), "atr")
    beat = np.isin(annotation.symbol, list(BEAT_SYMBOLS))
    reference = annotation.sample[beat]
    findings = analyse(record.p_signal.astype(np.float32), record.fs)
    comparison = processing.compare_annotations(reference, findings.r_peaks, int(0.150 * record.fs))
    return Scored(findings, record.fs, reference, np.asarray(annotation.symbol)[beat], comparison)


def reference_rate(name: str) -> np.ndarray:
    """The monitor's rate applied to the reference beats."""
    result = scored(name)
    seconds = len(result.findings.heart_rate)
    return heart_rate.monitor_rate(
        result.reference, result.fs, unusable_seconds=np.zeros(seconds, dtype=bool)
    )


def reference_pauses(name: str) -> list[heart_rate.Pause]:
    result = scored(name)
    known = np.ones(max(len(result.reference) - 1, 0), dtype=bool)
    return heart_rate.find_pauses(result.reference, result.fs, known=known)


def ventricular_counts(name: str) -> tuple[int, int, int]:
    """(reference V beats matched to a beat and called V, reference V beats matched to a beat,
    beats called V): sensitivity is the first over the second, positive predictivity the first
    over the third (a detection matching no reference beat and called V counts against it)."""
    result = scored(name)
    called = result.findings.classes == CODES.index(VENTRICULAR)
    tests = result.comparison.matched_test_inds
    truth = np.isin(result.symbols[result.comparison.matched_ref_inds], list(VENTRICULAR_SYMBOLS))
    return int((called[tests] & truth).sum()), int(truth.sum()), int(called.sum())
