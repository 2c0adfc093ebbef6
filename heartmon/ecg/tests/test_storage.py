"""Chunk storage: exact round trips, only the chunks a window needs, compact on real ECG."""

import uuid

import numpy as np
import pytest
import wfdb
from django.core.files.storage import default_storage

from heartmon.ecg import storage
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


def _stored(samples: np.ndarray, chunk_samples: int) -> Recording:
    prefix = storage.prefix_for(organization_id=1, recording_id=uuid.uuid4())
    blocks = [samples[start : start + 777] for start in range(0, len(samples), 777)]
    count = storage.write_chunks(prefix=prefix, blocks=blocks, chunk_samples=chunk_samples)
    lead_count = samples.shape[1]
    return Recording(
        storage_prefix=prefix,
        leads=[f"L{index}" for index in range(lead_count)],
        gains=[200.0] * lead_count,
        baselines=[1024.0] * lead_count,
        sample_rate=360,
        sample_count=count,
        chunk_samples=chunk_samples,
    )


@pytest.mark.parametrize(("start", "stop"), [(0, 1), (995, 1005), (0, 5000), (2999, 4001)])
def test_windows_across_chunk_boundaries_are_exact(start, stop):
    samples = signals.mitdb(5000 / 360)
    recording = _stored(samples, chunk_samples=1000)

    np.testing.assert_array_equal(storage.read_samples(recording, start, stop), samples[start:stop])
    np.testing.assert_array_equal(
        storage.read_samples(recording, start, stop, leads=[1]), samples[start:stop, [1]]
    )


def test_windows_are_clipped_to_the_recording():
    recording = _stored(signals.mitdb(1), chunk_samples=100)

    assert storage.read_samples(recording, -50, 10).shape == (10, 2)
    assert storage.read_samples(recording, 350, 10_000).shape == (10, 2)
    assert storage.read_samples(recording, 400, 500).shape == (0, 2)


def test_extreme_values_survive_the_delta_encoding():
    samples = np.array([[32767, -32768], [-32768, 32767], [0, 0], [32767, 1]], dtype=np.int16)

    recording = _stored(samples, chunk_samples=3)

    np.testing.assert_array_equal(storage.read_samples(recording, 0, 4), samples)


def test_blocks_come_chunk_by_chunk():
    samples = signals.mitdb(2500 / 360)
    recording = _stored(samples, chunk_samples=1000)

    blocks = list(storage.iter_samples(recording, 500, 2500))

    assert [len(block) for block in blocks] == [500, 1000, 500]
    np.testing.assert_array_equal(np.concatenate(blocks), samples[500:2500])


def test_a_chunk_gives_any_lead_decompressing_only_as_far_as_it():
    samples = np.arange(4 * 500, dtype=np.int16).reshape(500, 4)
    data = storage.encode_chunk(samples)

    for lead in range(4):
        decoded = storage.decode_chunk(data, lead_count=4, length=500, leads=[lead])
        np.testing.assert_array_equal(decoded[:, 0], samples[:, lead])


def test_a_chunk_of_another_size_than_stated_is_refused():
    data = storage.encode_chunk(np.zeros((500, 4), dtype=np.int16))

    with pytest.raises(OSError, match="expected 2400"):
        storage.decode_chunk(data, lead_count=4, length=600, leads=[0])


def test_physical_values_are_millivolts():
    recording = _stored(signals.mitdb(1), chunk_samples=360)

    millivolts = storage.physical(recording, np.array([[1224, 824]], dtype=np.int16))

    assert millivolts.tolist() == [[1.0, -1.0]]


def test_real_ecg_takes_under_one_and_a_half_bytes_per_sample():
    """All 30 minutes of MIT-BIH record 100: about 0.65 bytes per sample."""
    samples = wfdb.rdrecord(str(signals.RECORD), physical=False).d_signal.astype(np.int16)

    recording = _stored(samples, chunk_samples=storage.chunk_samples_for(360))

    folder = f"{recording.storage_prefix}/chunks"
    names = default_storage.listdir(folder)[1]
    size = sum(default_storage.size(f"{folder}/{name}") for name in names)
    assert size / samples.size < 1.5
    assert len(names) == 61  # 30 s chunks of 30 min 5.6 s


def test_files_are_deleted_with_their_folder():
    recording = _stored(signals.mitdb(1), chunk_samples=100)
    storage.write_beats(recording, np.array([3, 5]))

    storage.delete_files(recording.storage_prefix)

    assert not default_storage.exists(recording.storage_prefix)
