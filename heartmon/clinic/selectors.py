"""What an actor may see of the clinic: every view and app that needs clinic rows asks here."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from heartmon.clinic.models import Admission, Patient, Place, Transfer
from heartmon.core.actor import Actor
from heartmon.core.roles import may
from heartmon.devices.models import DeviceAssignment


def patients_for(actor: Actor) -> QuerySet[Patient]:
    """The patients an actor may open: their organization's, archived ones for admins only."""
    rows = Patient.objects.all() if may(actor, "patients", "archived") else Patient.objects.active()
    return rows.visible_to(actor).select_related("organization")


def places_for(actor: Actor) -> QuerySet[Place]:
    """The organization's places, each bed marked `occupied` when an open admission holds it."""
    open_in_bed = Admission.objects.filter(bed=OuterRef("pk"), discharged_at__isnull=True)
    return Place.objects.visible_to(actor).annotate(occupied=Exists(open_in_bed))


def admissions_for(actor: Actor) -> QuerySet[Admission]:
    """Admissions with everything their answer shows, in a fixed number of queries."""
    return (
        Admission.objects.visible_to(actor)
        .select_related("patient", "place", "attending")
        .prefetch_related(
            Prefetch("device_assignments", DeviceAssignment.objects.select_related("device")),
            Prefetch("transfers", Transfer.objects.select_related("from_place", "to_place")),
        )
    )
