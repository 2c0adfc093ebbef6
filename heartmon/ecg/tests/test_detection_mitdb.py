"""Beat detection scored the field's way on a real recording: MIT-BIH Arrhythmia Database record
100 against its reference annotations, a detection within 150 ms of a reference beat being a true
positive (`pytest -s` prints the figures)."""

import numpy as np
import wfdb
from wfdb import processing

from heartmon.ecg.detector import analyse
from heartmon.ecg.tests.signals import RECORD

# Annotation symbols that mark a beat (the others mark rhythm changes, noise, comments).
BEAT_SYMBOLS = frozenset("NLRBAaJSVrFejnE/fQ?")


def test_record_100_reaches_99_5_percent_sensitivity_and_positive_predictivity() -> None:
    record = wfdb.rdrecord(str(RECORD), channel_names=["MLII"])
    annotation = wfdb.rdann(str(RECORD), "atr")
    reference = np.array(
        [
            sample
            for sample, symbol in zip(annotation.sample, annotation.symbol, strict=True)
            if symbol in BEAT_SYMBOLS
        ]
    )

    analysis = analyse(record.p_signal[:, 0], record.fs)

    scored = processing.compare_annotations(
        reference, analysis.r_peaks, window_width=int(0.150 * record.fs)
    )
    print(
        f"MIT-BIH 100 (MLII): {len(reference)} reference beats, {analysis.beat_count} detected, "
        f"Se {scored.sensitivity:.2%}, +P {scored.positive_predictivity:.2%} "
        f"(FN {scored.fn}, FP {scored.fp})"
    )
    assert scored.sensitivity >= 0.995
    assert scored.positive_predictivity >= 0.995


def test_record_100_gives_a_plausible_summary() -> None:
    record = wfdb.rdrecord(str(RECORD), channel_names=["MLII"])

    analysis = analyse(record.p_signal[:, 0], record.fs)

    # 2,273 beats in 30:06 of sinus rhythm with a few premature beats.
    assert analysis.mean_hr is not None
    assert 74 < analysis.mean_hr < 77
    assert analysis.sdnn_ms is not None
    assert 20 < analysis.sdnn_ms < 60
    assert analysis.quality > 0.95
    assert len(analysis.heart_rate) == 1805
