"""What admins do to the people of their organization, and what people do to their own profile."""

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from heartmon.accounts import lockout
from heartmon.accounts.models import Organization, User
from heartmon.accounts.services.passwords import sign_out_everywhere
from heartmon.accounts.services.signup import send_invitation
from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict
from heartmon.core.roles import Role

PROFILE_FIELDS = ("first_name", "last_name", "phone")


def _removes_last_admin(user: User, role: str, is_active: bool) -> bool:
    """Locks every active admin of the organization (the user included), so two admins demoting
    each other at once are serialized and the second sees the first's change."""
    if user.role != Role.ADMIN or not user.is_active or (role == Role.ADMIN and is_active):
        return False
    admins = User.objects.select_for_update().filter(
        organization_id=user.organization_id, role=Role.ADMIN, is_active=True
    )
    return not any(pk != user.pk for pk in admins.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def update_user(*, user: User, changes: dict[str, Any], actor: Actor) -> User:
    """Apply an admin's changes (names, phone, role, active); an organization keeps one admin."""
    role = changes.get("role", user.role)
    is_active = changes.get("is_active", user.is_active)
    if _removes_last_admin(user, role, is_active):
        raise Conflict("This is the organization's last active admin: appoint another one first.")
    if is_active and not user.is_active and not user.has_usable_password():
        raise Conflict("This user has not accepted the invitation yet: resend it instead.")
    before = {"role": user.role, "is_active": user.is_active}
    for field in (*PROFILE_FIELDS, "role", "is_active"):
        if field in changes:
            setattr(user, field, changes[field])
    user.save()
    _record_user_changes(user, before, changes, actor)
    return user


@transaction.atomic
def delete_user(*, user: User, actor: Actor) -> None:
    """Delete a user with no history (an invitation never accepted); one who signed in or is named
    by any record stays for the record, and the 409 says to deactivate them instead."""
    user = User.objects.select_for_update().get(pk=user.pk)
    has_history = Conflict(
        "This user has signed in or is named in the records, which keep them: deactivate them "
        f"with POST /api/v1/users/{user.pk}/deactivate/ instead.",
        code="user_has_history",
    )
    if user.last_login is not None:
        raise has_history
    if _removes_last_admin(user, user.role, is_active=False):
        raise Conflict("This is the organization's last active admin: appoint another one first.")
    record_event(AuditAction.USER_DELETED, actor=actor, target=user)
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError as exc:
        raise has_history from exc


def _record_user_changes(
    user: User, before: dict[str, Any], changes: dict[str, Any], actor: Actor
) -> None:
    if user.role != before["role"]:
        record_event(
            AuditAction.ROLE_CHANGED,
            actor=actor,
            target=user,
            details={"from": before["role"], "to": user.role},
        )
    if user.is_active != before["is_active"]:
        if not user.is_active:
            sign_out_everywhere(user)
        action = AuditAction.USER_REACTIVATED if user.is_active else AuditAction.USER_DEACTIVATED
        record_event(action, actor=actor, target=user)
    profile_changes = sorted(set(changes) & set(PROFILE_FIELDS))
    if profile_changes:
        record_event(
            AuditAction.USER_UPDATED,
            actor=actor,
            target=user,
            details={"fields": profile_changes},
        )


@transaction.atomic
def resend_invitation(*, user: User, actor: Actor) -> None:
    """A new invitation link; the old one keeps working until the password is set."""
    send_invitation(user=user, actor=actor)
    record_event(
        AuditAction.USER_INVITED,
        actor=actor,
        target=user,
        details={"role": user.role, "resent": True},
    )


@transaction.atomic
def unlock_user(*, user: User, actor: Actor) -> None:
    """Lift any sign-in lock on the user, from every address (an admin vouches for them)."""
    cleared = lockout.unlock(user)
    record_event(AuditAction.USER_UNLOCKED, actor=actor, target=user, details={"cleared": cleared})


@transaction.atomic
def update_profile(*, user: User, changes: dict[str, Any]) -> User:
    for field in PROFILE_FIELDS:
        if field in changes:
            setattr(user, field, changes[field])
    user.save(update_fields=[field for field in PROFILE_FIELDS if field in changes])
    return user


@transaction.atomic
def rename_organization(*, organization: Organization, name: str, actor: Actor) -> Organization:
    organization.name = name
    organization.save(update_fields=["name"])
    record_event(
        AuditAction.ORGANIZATION_UPDATED,
        actor=actor,
        organization_id=organization.pk,
        target=organization,
    )
    return organization
