"""Getting people in: self-registration of a new organization, activation, invitations."""

from django.db import transaction

from heartmon.accounts import tasks
from heartmon.accounts.models import Organization, User
from heartmon.accounts.services.passwords import validate_new_password
from heartmon.accounts.tokens import UsedLinkError, activation_link, invitation_link
from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, organization_id_of
from heartmon.core.roles import Role


def normalize_email(email: str) -> str:
    return User.objects.normalize_email(email).lower()


@transaction.atomic
def register_organization(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    organization_name: str,
    phone: str = "",
    actor: Actor,
) -> None:
    """A new organization with the registrant as its admin, inactive until the e-mailed link is
    followed. An address that already has an account gets a notice instead (no enumeration)."""
    email = normalize_email(email)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        transaction.on_commit(
            lambda: tasks.send_already_registered_email.delay(str(existing.pk)), robust=True
        )
        return
    organization = Organization.objects.create(name=organization_name)
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        organization=organization,
        role=Role.ADMIN,
        is_active=False,
    )
    validate_new_password(password, user)
    user.set_password(password)
    user.save()
    record_event(AuditAction.REGISTERED, actor=actor.identified_as(user), target=user)
    transaction.on_commit(lambda: tasks.send_activation_email.delay(str(user.pk)), robust=True)


@transaction.atomic
def activate_account(*, uid: str, token: str, actor: Actor) -> User:
    try:
        user = activation_link.check(uid, token)
    except UsedLinkError as exc:
        raise UsedLinkError("This account is already active: sign in.") from exc
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_event(AuditAction.ACTIVATED, actor=actor.identified_as(user), target=user)
    return user


@transaction.atomic
def invite_user(*, email: str, first_name: str, last_name: str, role: str, actor: Actor) -> User:
    organization_id = organization_id_of(actor, what="invite people")
    email = normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise Conflict("A user with this e-mail address already exists.", field="email")
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        organization_id=organization_id,
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    record_event(AuditAction.USER_INVITED, actor=actor, target=user, details={"role": role})
    send_invitation(user=user, actor=actor)
    return user


def send_invitation(*, user: User, actor: Actor) -> None:
    if user.has_usable_password():
        raise Conflict("This user has already accepted the invitation.")
    inviter = User.objects.get(pk=actor.user_id)
    inviter_name = inviter.get_full_name() or inviter.email
    transaction.on_commit(
        lambda: tasks.send_invitation_email.delay(str(user.pk), inviter_name), robust=True
    )


@transaction.atomic
def accept_invitation(*, uid: str, token: str, password: str, actor: Actor) -> User:
    user = invitation_link.check(uid, token)
    validate_new_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    record_event(AuditAction.INVITATION_ACCEPTED, actor=actor.identified_as(user), target=user)
    return user
