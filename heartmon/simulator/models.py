import uuid
from datetime import datetime

from django.db import models
from django.utils import timezone


class RunQuerySet(models.QuerySet["Run"]):
    def alive(self, now: datetime) -> "RunQuerySet":
        return self.filter(alive_until__gte=now)

    def dead(self, now: datetime) -> "RunQuerySet":
        return self.filter(alive_until__lt=now)


class Run(models.Model):
    """A `heartmon simulate` that is running, or that died without ending: the device keys it
    made are its own, and it keeps renewing `alive_until` while its process lives (see
    heartmon.simulator.runs)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    # Where the process runs, to name it to a person; never used to judge whether it lives.
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    alive_until = models.DateTimeField()
    keys = models.ManyToManyField("devices.DeviceKey", related_name="simulator_runs")

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"pid {self.pid} on {self.host}, started {self.started_at:%Y-%m-%d %H:%M:%S} UTC"
