"""ECG recordings: one row of metadata each; the samples live as compressed chunks and the
original upload byte-for-byte in Django's default storage (see `heartmon.ecg.storage`)."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models

from heartmon.core.tenancy import TenantQuerySet


class RecordingKind(models.TextChoices):
    RAW = "raw", "Raw signal"
    PROCESSED = "processed", "Processed signal"


class RecordingFormat(models.TextChoices):
    WFDB = "wfdb", "WFDB (PhysioNet)"
    EDF = "edf", "EDF / EDF+"
    CSV = "csv", "CSV"
    INT16 = "int16", "Little-endian int16, leads interleaved"


class ProcessingStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class RecordingQuerySet(TenantQuerySet["Recording"]):
    def overlapping(self, start: datetime, end: datetime) -> "RecordingQuerySet":
        """Recordings with at least one sample in [start, end)."""
        return self.filter(start_time__lt=end, end_time__gt=start)


class Recording(models.Model):
    """One ECG recording of one patient from one device. Samples are stored as int16 ADC values:
    the physical value in mV of lead i is (value - baselines[i]) / gains[i].

    `data_id` is the device's own name for the recording, unique in the organization; an
    overwrite replaces the row in one transaction once the new signal is fully stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="ecg_recordings"
    )
    patient = models.ForeignKey(
        "clinic.Patient", on_delete=models.PROTECT, related_name="ecg_recordings"
    )
    device = models.ForeignKey(
        "devices.Device", on_delete=models.PROTECT, related_name="ecg_recordings"
    )
    data_id = models.CharField(max_length=128)
    kind = models.CharField(max_length=16, choices=RecordingKind.choices)
    format = models.CharField(max_length=8, choices=RecordingFormat.choices)
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()  # just after the last sample
    sample_rate = models.FloatField()  # Hz
    leads = models.JSONField()  # lead names, in stored order
    units = models.JSONField()  # per lead, as the file stated them; samples convert to mV
    gains = models.JSONField()  # per lead, ADC units per mV
    baselines = models.JSONField()  # per lead, ADC value of 0 mV
    sample_count = models.PositiveBigIntegerField()  # samples per lead
    chunk_samples = models.PositiveIntegerField()  # samples per lead in each stored chunk
    codec = models.CharField(max_length=32)
    storage_prefix = models.CharField(max_length=200)  # folder of chunks, beats and original
    original_name = models.CharField(max_length=200)
    header_name = models.CharField(max_length=200, blank=True)  # WFDB: the uploaded .hea
    original_size = models.PositiveBigIntegerField()
    checksum = models.CharField(max_length=64)  # SHA-256 of the uploaded file, hex

    status = models.CharField(
        max_length=16, choices=ProcessingStatus.choices, default=ProcessingStatus.PENDING
    )
    status_reason = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when analysis last started
    beat_count = models.PositiveIntegerField(null=True, blank=True)
    mean_hr = models.FloatField(null=True, blank=True)
    min_hr = models.FloatField(null=True, blank=True)
    max_hr = models.FloatField(null=True, blank=True)
    sdnn_ms = models.FloatField(null=True, blank=True)
    rmssd_ms = models.FloatField(null=True, blank=True)
    signal_quality = models.FloatField(null=True, blank=True)  # 0 (unusable) to 1 (clean)
    pause_count = models.PositiveIntegerField(null=True, blank=True)  # intervals of 3 s or more
    longest_pause_s = models.FloatField(null=True, blank=True)
    asystole_count = models.PositiveIntegerField(null=True, blank=True)  # 4 s or more
    pvc_count = models.PositiveIntegerField(null=True, blank=True)
    pvc_burden = models.FloatField(null=True, blank=True)  # % of beats
    pvc_couplets = models.PositiveIntegerField(null=True, blank=True)
    pvc_runs = models.PositiveIntegerField(null=True, blank=True)  # 3 or more in a row
    bigeminy_episodes = models.PositiveIntegerField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )  # None when the device uploaded it with its key

    objects = RecordingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "data_id"], name="ecg_recording_unique_data_id"
            ),
            models.CheckConstraint(
                condition=models.Q(sample_rate__gte=50, sample_rate__lte=10000),
                name="ecg_recording_sample_rate_50_to_10000",
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="ecg_recording_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["patient", "device", "start_time"], name="ecg_recording_patient_dev"
            ),
            models.Index(fields=["device", "start_time"], name="ecg_recording_device"),
        ]

    def __str__(self) -> str:
        return self.data_id

    @property
    def lead_count(self) -> int:
        return len(self.leads)

    @property
    def duration(self) -> float:
        """Seconds."""
        return self.sample_count / self.sample_rate

    def time_of(self, sample: int) -> datetime:
        return self.start_time + timedelta(seconds=sample / self.sample_rate)
