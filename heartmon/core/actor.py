"""Who acts: the one value every service takes to know who does something, in which organization
and from where. It is built once at the edge (a view, the MQTT ingester, the simulator, a Celery
task, a management command); services never see a request.

An actor holds ids and facts, not model instances, so it is cheap, immutable and can travel into a
background task as it is."""

import uuid
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, kw_only=True)
class Actor:
    organization_id: uuid.UUID | None
    user_id: uuid.UUID | None = None  # a person
    device_id: uuid.UUID | None = None  # a device, authenticated by its key
    role: str | None = None  # a person's role; devices and the system have none
    is_superuser: bool = False
    ip: str | None = None
    request_id: str = ""
    system: str = ""  # the part of heartmon acting on its own ("simulator", "alarms", ...)

    @classmethod
    def of_system(cls, name: str, *, organization_id: uuid.UUID | None = None) -> "Actor":
        return cls(organization_id=organization_id, system=name)

    def identified_as(self, principal: "Principal | None") -> "Actor":
        """The same caller, known to be `principal` when there is one (a sign-in, an activation
        link, a password reset name the account they concern)."""
        if principal is None:
            return self
        return principal.as_actor(ip=self.ip, request_id=self.request_id)

    @property
    def is_person(self) -> bool:
        return self.user_id is not None

    @property
    def is_device(self) -> bool:
        return self.device_id is not None

    @property
    def person_id(self) -> uuid.UUID:
        """The acting person, for records that must name one (who admitted, who made a key)."""
        if self.user_id is None:
            raise TypeError(f"Only a person does this, not {self!r}.")
        return self.user_id


ANONYMOUS = Actor(organization_id=None)


class Principal(Protocol):
    """What authenticates a request (a user, a device key) and knows the actor it stands for."""

    @property
    def is_authenticated(self) -> bool: ...

    def as_actor(self, *, ip: str | None, request_id: str) -> Actor: ...


def actor_of(request: Any) -> Actor:
    """The actor behind an HTTP request (Django's or DRF's), anonymous until authenticated.

    The client IP is the peer address: behind a proxy, have it set REMOTE_ADDR (uvicorn
    --proxy-headers with --forwarded-allow-ips) rather than trusting X-Forwarded-For here."""
    ip = request.META.get("REMOTE_ADDR") or None
    request_id = getattr(request, "request_id", "")
    principal: Principal | None = getattr(request, "user", None)
    if principal is None or not principal.is_authenticated:
        return Actor(organization_id=None, ip=ip, request_id=request_id)
    return principal.as_actor(ip=ip, request_id=request_id)
