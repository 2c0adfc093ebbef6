"""Getting people in: self-registration of a new organization, activation, invitations."""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from heartmon.accounts import emails
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
    followed. An address that already has an account gets a word instead (a new activation link
    if it still awaits one). Either way the same checks, the same password hashing and one
    e-mail: the answer and its time say nothing about the address."""
    email = normalize_email(email)
    registrant = User(email=email, first_name=first_name, last_name=last_name, phone=phone)
    validate_new_password(password, registrant)
    registrant.password = make_password(password)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        emails.send_account_state(existing, asked="to sign up")
        return
    registrant.organization = Organization.objects.create(name=organization_name)
    registrant.role = Role.ADMIN
    registrant.is_active = False
    registrant.save()
    record_event(AuditAction.REGISTERED, actor=actor.identified_as(registrant), target=registrant)
    emails.send_activation(registrant)


@transaction.atomic
def resend_activation(*, email: str, actor: Actor) -> None:
    """A new activation link for an account that awaits one; for any other address, one e-mail
    saying why there is none (the same answer for every address)."""
    user = User.objects.filter(email=normalize_email(email)).first()
    record_event(AuditAction.ACTIVATION_REQUESTED, actor=actor.identified_as(user), target=user)
    if user is None:
        emails.send_no_account(normalize_email(email), asked="for an activation link")
    else:
        emails.send_account_state(user, asked="for an activation link")


@transaction.atomic
def activate_account(*, uid: str, token: str, actor: Actor) -> User:
    try:
        user = activation_link.check(uid, token)
    except UsedLinkError as exc:
        raise UsedLinkError("This account is already active: sign in.") from exc
    user.is_active = True
    user.activated_at = timezone.now()
    user.save(update_fields=["is_active", "activated_at"])
    record_event(AuditAction.ACTIVATED, actor=actor.identified_as(user), target=user)
    return user


@transaction.atomic
def invite_user(*, email: str, first_name: str, last_name: str, role: str, actor: Actor) -> None:
    """An inactive user of the actor's organization, e-mailed a link to choose a password. An
    address with an account in another organization is told by e-mail instead; the inviter
    gets the same answer (an address in their own organization is a conflict they can see)."""
    organization_id = organization_id_of(actor, what="invite people")
    email = normalize_email(email)
    existing = User.objects.filter(email=email).first()
    if existing is not None and existing.organization_id == organization_id:
        raise Conflict("A user of your organization has this e-mail address.", field="email")
    if existing is not None:
        organization = Organization.objects.get(pk=organization_id)
        emails.send_invited_elsewhere(
            existing, inviter=_inviter_name(actor), organization=organization.name
        )
        record_event(AuditAction.USER_INVITED, actor=actor, details={"role": role})
        return
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


def _inviter_name(actor: Actor) -> str:
    inviter = User.objects.get(pk=actor.person_id)
    return inviter.get_full_name() or inviter.email


def send_invitation(*, user: User, actor: Actor) -> None:
    if user.has_usable_password():
        raise Conflict("This user has already accepted the invitation.")
    emails.send_invitation(user, inviter=_inviter_name(actor))


@transaction.atomic
def accept_invitation(*, uid: str, token: str, password: str, actor: Actor) -> User:
    user = invitation_link.check(uid, token)
    validate_new_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.activated_at = timezone.now()
    user.save(update_fields=["password", "is_active", "activated_at"])
    record_event(AuditAction.INVITATION_ACCEPTED, actor=actor.identified_as(user), target=user)
    return user
