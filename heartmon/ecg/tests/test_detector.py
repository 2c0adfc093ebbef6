"""Beat detection and the summary on synthetic leads whose beats we placed."""

import numpy as np
import pytest
from scipy import signal

from heartmon.ecg.findings import analyse

FS = 250.0
# (offset from the R peak in s, amplitude in mV, width in s): P, Q, R, S and T waves.
WAVES = [(-0.2, 0.15, 0.025), (-0.025, -0.1, 0.008), (0, 1.0, 0.01), (0.025, -0.25, 0.008)]
T_WAVE = (0.3, 0.3, 0.05)


def synthetic_ecg(beat_times: np.ndarray, *, duration: float, fs: float = FS) -> np.ndarray:
    """A lead in mV with a PQRST complex whose R peak is at each of `beat_times` (s)."""
    spikes = np.zeros(int(duration * fs))
    spikes[np.round(beat_times * fs).astype(int)] = 1.0
    offsets = np.arange(-0.4, 0.6, 1 / fs)
    template = sum(
        amplitude * np.exp(-0.5 * ((offsets - at) / width) ** 2)
        for at, amplitude, width in [*WAVES, T_WAVE]
    )
    centre = round(0.4 * fs)
    full = signal.fftconvolve(spikes, template)
    return full[centre : centre + len(spikes)]


def with_baseline_noise(lead: np.ndarray) -> np.ndarray:
    """A real lead is never exactly flat between beats: 10 µV of noise, as a flat line has not."""
    return lead + np.random.default_rng(0).normal(0, 0.01, len(lead))


def regular_beats(*, bpm: float, duration: float, first: float = 0.5) -> np.ndarray:
    return np.arange(first, duration - 0.5, 60 / bpm)


def matched(found: np.ndarray, expected: np.ndarray, *, fs: float = FS) -> bool:
    """Every expected beat found within 20 ms, and nothing else."""
    return len(found) == len(expected) and bool(np.all(np.abs(found / fs - expected) <= 0.02))


def test_it_finds_every_beat_of_a_clean_lead() -> None:
    beats = regular_beats(bpm=72, duration=60)

    analysis = analyse(synthetic_ecg(beats, duration=60), FS)

    assert matched(analysis.r_peaks, beats)
    assert analysis.beat_count == len(beats)


def test_it_finds_beats_through_wander_mains_hum_and_noise() -> None:
    beats = regular_beats(bpm=80, duration=120)
    t = np.arange(int(120 * FS)) / FS
    rng = np.random.default_rng(1)
    lead = (
        synthetic_ecg(beats, duration=120)
        + 0.4 * np.sin(2 * np.pi * 0.3 * t)
        + 0.1 * np.sin(2 * np.pi * 50 * t)
        + rng.normal(0, 0.05, len(t))
    )

    analysis = analyse(lead, FS)

    assert matched(analysis.r_peaks, beats)
    assert analysis.signal_quality > 0.8


def test_it_finds_beats_of_an_inverted_lead() -> None:
    beats = regular_beats(bpm=65, duration=60)

    analysis = analyse(-synthetic_ecg(beats, duration=60), FS)

    assert matched(analysis.r_peaks, beats)


def test_it_follows_a_rate_that_changes() -> None:
    intervals = np.concatenate([np.full(60, 1.0), np.linspace(1.0, 0.4, 60), np.full(100, 0.4)])
    beats = 0.5 + np.concatenate([[0], np.cumsum(intervals)])

    analysis = analyse(synthetic_ecg(beats, duration=beats[-1] + 1), FS)

    assert matched(analysis.r_peaks, beats)
    assert analysis.min_hr == pytest.approx(60, abs=0.5)
    assert analysis.max_hr == pytest.approx(150, abs=1)


def test_it_finds_beats_again_within_five_seconds_of_a_drop_in_amplitude() -> None:
    beats = regular_beats(bpm=75, duration=120)
    lead = synthetic_ecg(beats, duration=120)
    lead[int(60 * FS) :] *= 0.25

    analysis = analyse(lead, FS)

    kept = beats[(beats < 60) | (beats > 65)]
    found = analysis.r_peaks[(analysis.r_peaks < 60 * FS) | (analysis.r_peaks > 65 * FS)]
    assert matched(found, kept)


def test_it_does_not_count_a_tall_t_wave_as_a_beat() -> None:
    beats = regular_beats(bpm=60, duration=60)
    lead = synthetic_ecg(beats, duration=60)
    offsets = np.arange(len(lead)) / FS
    for beat in beats:  # a peaked T wave half as tall as the R wave
        lead += 0.5 * np.exp(-0.5 * ((offsets - beat - 0.28) / 0.04) ** 2)

    analysis = analyse(lead, FS)

    assert matched(analysis.r_peaks, beats)


def test_a_steady_rate_gives_that_rate_and_no_variability() -> None:
    beats = regular_beats(bpm=60, duration=60)

    analysis = analyse(synthetic_ecg(beats, duration=60), FS)

    assert analysis.mean_hr == pytest.approx(60, abs=0.1)
    assert analysis.min_hr == pytest.approx(60, abs=0.5)
    assert analysis.max_hr == pytest.approx(60, abs=0.5)
    assert analysis.sdnn_ms == pytest.approx(0, abs=3)
    assert analysis.rmssd_ms == pytest.approx(0, abs=3)


def test_sdnn_and_rmssd_are_those_of_the_intervals() -> None:
    intervals = np.tile([0.8, 0.9], 40)  # alternating: SDNN ≈ 50 ms, RMSSD = 100 ms
    beats = 0.5 + np.concatenate([[0], np.cumsum(intervals)])

    analysis = analyse(synthetic_ecg(beats, duration=beats[-1] + 1), FS)

    assert analysis.sdnn_ms == pytest.approx(np.std(intervals * 1000, ddof=1), abs=3)
    assert analysis.rmssd_ms == pytest.approx(100, abs=4)
    assert analysis.mean_hr == pytest.approx(60 / 0.85, abs=0.2)


def test_an_early_beat_counts_for_the_rate_but_not_for_variability() -> None:
    intervals = np.full(80, 0.8)
    intervals[40:42] = [0.5, 1.1]  # a premature beat and its compensatory pause
    beats = 0.5 + np.concatenate([[0], np.cumsum(intervals)])

    analysis = analyse(synthetic_ecg(beats, duration=beats[-1] + 1), FS)

    assert matched(analysis.r_peaks, beats)
    assert analysis.mean_hr == pytest.approx(75, abs=0.1)
    assert analysis.sdnn_ms == pytest.approx(0, abs=3)
    assert analysis.rmssd_ms == pytest.approx(0, abs=3)


def test_a_flat_line_has_no_beats_and_zero_quality() -> None:
    analysis = analyse(np.full(int(60 * FS), 0.7), FS)

    assert analysis.beat_count == 0
    assert analysis.signal_quality == 0
    assert np.all(np.isnan(analysis.heart_rate))
    assert analysis.mean_hr is None
    assert analysis.min_hr is None
    assert analysis.max_hr is None
    assert analysis.sdnn_ms is None
    assert analysis.rmssd_ms is None


def test_noise_scores_a_low_quality() -> None:
    noise = np.random.default_rng(7).normal(0, 0.3, int(120 * FS))

    assert analyse(noise, FS).signal_quality < 0.4


def test_a_clean_lead_scores_a_high_quality() -> None:
    beats = regular_beats(bpm=70, duration=120)

    assert analyse(synthetic_ecg(beats, duration=120), FS).signal_quality > 0.9


@pytest.mark.parametrize("length", [0, 1, 10, int(0.9 * FS)])
def test_a_signal_shorter_than_a_second_has_no_beats(length: int) -> None:
    analysis = analyse(np.zeros(length), FS)

    assert analysis.beat_count == 0
    assert analysis.signal_quality == 0
    assert len(analysis.heart_rate) == 0


def test_two_beats_give_one_interval_and_no_variability() -> None:
    beats = np.array([0.5, 1.5])

    analysis = analyse(synthetic_ecg(beats, duration=2.5), FS)

    assert matched(analysis.r_peaks, beats)
    assert analysis.mean_hr == pytest.approx(60, abs=0.5)
    assert analysis.sdnn_ms is None
    assert analysis.rmssd_ms is None


def test_beats_on_block_edges_are_found_once() -> None:
    fs = 100.0
    duration = 2 * 3600 + 600  # three one-hour blocks
    beats = regular_beats(bpm=75, duration=duration)

    analysis = analyse(synthetic_ecg(beats, duration=duration, fs=fs), fs)

    assert matched(analysis.r_peaks, beats, fs=fs)


def test_it_works_at_other_sampling_rates() -> None:
    for fs in (128.0, 360.0, 1000.0):
        beats = regular_beats(bpm=90, duration=30)

        analysis = analyse(synthetic_ecg(beats, duration=30, fs=fs), fs)

        assert matched(analysis.r_peaks, beats, fs=fs), fs


def test_it_takes_leads_as_columns_but_not_deeper_arrays() -> None:
    beats = regular_beats(bpm=70, duration=20)
    lead = synthetic_ecg(beats, duration=20)

    assert matched(analyse(np.stack([lead, -lead], axis=1), FS).r_peaks, beats)
    with pytest.raises(ValueError, match="one lead"):
        analyse(np.zeros((10, 2, 2)), FS)


def test_it_needs_a_positive_sampling_rate() -> None:
    with pytest.raises(ValueError, match="positive"):
        analyse(np.zeros(1000), 0)
