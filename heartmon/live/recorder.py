"""A live ECG recording: one device's stream for one patient, appended frame by frame and closed
into the ECG app's 30 s compressed chunks, so that it reads like any uploaded recording.

The row is created when the first chunk closes and grows with each; the last, shorter chunk is
written when the recording closes (a gap in the sample index, another patient, other leads or
rate, an hour of signal, the stream's end). Its checksum is the SHA-256 of the int16 samples as
streamed (interleaved, little-endian), and its original file is that stream. Samples held for the
open chunk (under 30 s) live in this process' memory. Each closed chunk goes through beat
detection: its heart rate per second is stored as ECG-derived readings (and so pushed live), and
the closed recording is analysed in full like an upload."""

import hashlib
import io
import uuid
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.devices.models import Device
from heartmon.ecg import storage
from heartmon.ecg.events import rhythm_events
from heartmon.ecg.models import Recording, RecordingFormat, RecordingKind
from heartmon.ecg.services.analysis import analysis_lead
from heartmon.ecg.signals import rhythm_analysed
from heartmon.ecg.tasks import process_recording
from heartmon.live.beats import ChunkFindings, analyse_chunk, context_of
from heartmon.live.frames import Frame
from heartmon.telemetry.ingest import ReadingRow, store_readings
from heartmon.telemetry.models import Metric, Source

ORIGINAL_NAME = "stream.int16"


class LiveRecorder:
    def __init__(self, *, device: Device, patient_id: uuid.UUID, first: Frame) -> None:
        self.device, self.patient_id = device, patient_id
        self.leads, self.rate, self.scale = first.leads, first.sample_rate, first.scale
        self.first_sample, self.start_time = first.first_sample, first.first_time
        self.chunk_samples = storage.chunk_samples_for(self.rate)
        self.max_chunks = round(settings.LIVE_RECORDING_HOURS * 3600 / storage.CHUNK_SECONDS)
        self.id = uuid.uuid4()
        self.prefix = storage.prefix_for(
            organization_id=device.organization_id, recording_id=self.id
        )
        self.pending: list[np.ndarray] = []
        self.pending_rows = 0
        self.chunks = 0
        self.stored = 0  # samples per lead in closed chunks
        self.checksum = hashlib.sha256()
        self.lead = analysis_lead(list(self.leads))
        self.context = np.zeros(0, dtype=np.float32)  # the analysis lead's last seconds, mV
        self.beats: list[np.ndarray] = []
        self.recording: Recording | None = None

    def matches(self, frame: Frame, patient_id: uuid.UUID) -> bool:
        """Whether the frame may go on this recording: same patient, leads, rate and scale, and
        room left in it (the sample index is the stream's to check)."""
        return (
            patient_id == self.patient_id
            and (frame.leads, frame.sample_rate, frame.scale) == (self.leads, self.rate, self.scale)
            and frame.stop - self.first_sample <= self.max_chunks * self.chunk_samples
        )

    def append(self, frame: Frame) -> None:
        samples = np.ascontiguousarray(frame.samples, dtype="<i2")
        self.pending.append(samples)
        self.pending_rows += len(samples)
        while self.pending_rows >= self.chunk_samples:
            self._close_chunk(self._take(self.chunk_samples))

    def close(self) -> Recording | None:
        """Write what is held as the last chunk and hand the recording to the full analysis."""
        if self.pending_rows:
            self._close_chunk(self._take(self.pending_rows))
        if self.recording is None:
            return None
        storage.save_original(prefix=self.prefix, name=ORIGINAL_NAME, content=self._stream())
        recording_id = str(self.recording.pk)
        transaction.on_commit(lambda: process_recording.delay(recording_id), robust=True)
        return self.recording

    def _take(self, rows: int) -> np.ndarray:
        joined = np.concatenate(self.pending) if len(self.pending) > 1 else self.pending[0]
        rest = joined[rows:]
        self.pending, self.pending_rows = ([rest] if len(rest) else []), len(rest)
        return joined[:rows]

    def _close_chunk(self, block: np.ndarray) -> None:
        start, self.stored = self.stored, self.stored + len(block)
        storage.write_chunk(prefix=self.prefix, index=self.chunks, samples=block)
        self.chunks += 1
        self.checksum.update(block.tobytes())
        found = self._analyse(block)
        self.beats.append(found.beats + start)
        with transaction.atomic():
            recording = self._save_row()
            self._store_rates(recording.time_of(start), found)
        storage.write_beats(recording, np.concatenate(self.beats))
        self._announce(recording, start, found)

    def _analyse(self, block: np.ndarray) -> ChunkFindings:
        lead = block[:, self.lead].astype(np.float32) / np.float32(self.scale)
        found = analyse_chunk(self.context, lead, self.rate)
        self.context = context_of(np.concatenate([self.context, lead]), self.rate)
        return found

    def _announce(self, recording: Recording, start: int, found: ChunkFindings) -> None:
        """The chunk's pauses to the alarm engine; a chunk without one says the beats resumed."""
        pauses = [(start + pause.start, pause.seconds) for pause in found.pauses]
        rhythm_analysed.send_robust(
            sender=Recording,
            recording=recording,
            events=rhythm_events(recording, pauses),
            live=True,
        )

    def _save_row(self) -> Recording:
        if self.recording is None:
            self.recording = self._new_row()
            return self.recording
        recording = self.recording
        recording.sample_count = self.stored
        recording.end_time = self._end_time()
        recording.checksum = self.checksum.hexdigest()
        recording.original_size = self.stored * len(self.leads) * 2
        recording.save(update_fields=["sample_count", "end_time", "checksum", "original_size"])
        return recording

    def _end_time(self) -> datetime:
        return self.start_time + timedelta(seconds=self.stored / self.rate)

    def _new_row(self) -> Recording:
        leads = len(self.leads)
        recording = Recording.objects.create(
            id=self.id,
            organization_id=self.device.organization_id,
            patient_id=self.patient_id,
            device=self.device,
            data_id=f"live-{self.device.serial_number}-{self.start_time:%Y%m%dT%H%M%S.%fZ}",
            kind=RecordingKind.RAW,
            format=RecordingFormat.INT16,
            start_time=self.start_time,
            end_time=self._end_time(),
            sample_rate=self.rate,
            leads=list(self.leads),
            units=["mV"] * leads,
            gains=[self.scale] * leads,
            baselines=[0] * leads,
            sample_count=self.stored,
            chunk_samples=self.chunk_samples,
            codec=storage.CODEC,
            storage_prefix=self.prefix,
            original_name=ORIGINAL_NAME,
            original_size=self.stored * leads * 2,
            checksum=self.checksum.hexdigest(),
        )
        record_event(
            AuditAction.ECG_UPLOADED,
            actor=self.device.as_actor(),
            target=recording,
            patient_id=self.patient_id,
            details={"data_id": recording.data_id, "live": True},
        )
        return recording

    def _store_rates(self, chunk_time: datetime, found: ChunkFindings) -> None:
        rows = [
            ReadingRow(
                self.device.pk,
                self.patient_id,
                Metric.HEART_RATE.value,
                bpm,
                chunk_time + timedelta(seconds=second),
            )
            for second, bpm in found.rates
        ]
        store_readings(rows, source=Source.ECG)

    def _stream(self) -> io.BytesIO:
        """The samples as streamed: the chunks read back, interleaved int16."""
        assert self.recording is not None  # noqa: S101 (checked by the caller)
        blocks = storage.iter_samples(self.recording, 0, self.recording.sample_count)
        return io.BytesIO(b"".join(block.astype("<i2").tobytes() for block in blocks))
