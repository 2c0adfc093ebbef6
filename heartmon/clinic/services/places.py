"""Places: an organization's tree of hospitals, clinics, wards and beds."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.clinic.models import PARENT_KINDS, Place
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, InvalidInput, organization_id_of


def _check_parent(place: Place, parent: Place | None) -> None:
    if parent is not None and parent.organization_id != place.organization_id:
        raise InvalidInput("The parent place belongs to another organization.", field="parent")
    if not place.may_sit_under(parent):
        allowed = sorted(kind or "nothing (top level)" for kind in PARENT_KINDS[place.kind])
        raise InvalidInput(
            f"A {place.kind} sits under {' or '.join(allowed)}, "
            f"not under {parent.kind if parent else 'nothing'}.",
            field="parent",
        )


def _save(place: Place) -> None:
    try:
        with transaction.atomic():
            place.save()
    except IntegrityError as exc:
        raise Conflict(
            f"There already is a place named {place.name!r} here.", field="name"
        ) from exc


@transaction.atomic
def create_place(*, kind: str, name: str, parent: Place | None = None, actor: Actor) -> Place:
    organization_id = organization_id_of(actor, what="manage this organization's data")
    place = Place(organization_id=organization_id, kind=kind, name=name, parent=parent)
    _check_parent(place, parent)
    _save(place)
    record_event(AuditAction.PLACE_CREATED, actor=actor, target=place, details={"kind": kind})
    return place


@transaction.atomic
def update_place(*, place: Place, changes: dict[str, Any], actor: Actor) -> Place:
    """Rename or move a place; its kind is fixed at creation."""
    if "parent" in changes:
        _check_parent(place, changes["parent"])
        place.parent = changes["parent"]
    place.name = changes.get("name", place.name)
    _save(place)
    record_event(
        AuditAction.PLACE_UPDATED,
        actor=actor,
        target=place,
        details={"fields": sorted(changes)},
    )
    return place


@transaction.atomic
def delete_place(*, place: Place, actor: Actor) -> None:
    """Only a place nothing refers to goes: no sub-places, devices or admission history."""
    place_id = place.pk
    try:
        with transaction.atomic():
            place.delete()
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise Conflict(
            f"This place still has {', '.join(kinds)}: move or remove them first.",
            code="place_in_use",
        ) from exc
    record_event(
        AuditAction.PLACE_DELETED,
        actor=actor,
        details={"place_id": str(place_id), "kind": place.kind, "name": place.name},
    )
