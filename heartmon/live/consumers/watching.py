"""The subscriptions of one live socket: which streams it watches (each a `Grant`), which
patients' groups it is in because of them, resuming from a sequence number, and following
patients in and out of watched places. Mixed into `LiveConsumer`."""

import uuid
from collections import Counter
from typing import Any

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async

from heartmon.core.actor import Actor
from heartmon.core.errors import DomainError, InvalidInput
from heartmon.live import access
from heartmon.live.consumers.protocol import error_message
from heartmon.live.history import history
from heartmon.live.outbox import Outbox
from heartmon.live.streams import Stream, parse


class Watching:
    actor: Actor
    outbox: Outbox
    channel_layer: Any
    channel_name: str

    async def check_account(self) -> None:
        """Reloads the actor and re-authorizes every grant (the consumer's)."""
        raise NotImplementedError

    def start_watching(self) -> None:
        self.grants: dict[str, access.Grant] = {}
        self.followed: Counter[uuid.UUID] = Counter()  # patient -> grants that carry them
        self.groups_in: set[str] = set()
        self.replaying: dict[str, list[dict[str, Any]]] = {}  # stream -> held live messages

    async def subscribe(self, message: dict[str, Any]) -> None:
        stream = parse(message.get("stream"))
        resume = message.get("resume") or {}
        if not isinstance(resume, dict):
            raise InvalidInput("resume maps stream names to the last seq seen.", field="resume")
        grant = self.grants.get(stream.name) or await self._grant(stream)
        self.outbox.put(
            {
                "type": "subscribed",
                "stream": stream.name,
                "patients": sorted(str(patient) for patient in grant.patient_ids),
            }
        )
        for name, group in self._streams_of(grant):
            if isinstance(resume.get(name), int):
                await self._resume(name, group, resume[name])

    async def _grant(self, stream: Stream) -> access.Grant:
        def authorize_and_audit() -> access.Grant:
            grant = access.authorize(self.actor, stream)
            access.audit_subscription(self.actor, grant)
            return grant

        grant = await database_sync_to_async(authorize_and_audit)()
        self.grants[stream.name] = grant
        await self._join(stream.group(grant.organization_id))
        for patient_id in grant.patient_ids:
            await self._follow(patient_id)
        return grant

    async def unsubscribe(self, message: dict[str, Any]) -> None:
        stream = parse(message.get("stream"))
        await self._drop(stream.name)
        self.outbox.put({"type": "unsubscribed", "stream": stream.name})

    async def _drop(self, name: str) -> None:
        grant = self.grants.pop(name, None)
        if grant is None:
            return
        await self._leave(grant.stream.group(grant.organization_id))
        for patient_id in grant.patient_ids:
            await self._unfollow(patient_id)

    def _streams_of(self, grant: access.Grant) -> list[tuple[str, str]]:
        """(name, group) of the grant's own stream and of its patients' streams."""
        own = [(grant.stream.name, grant.stream.group(grant.organization_id))]
        patients = [Stream.patient(patient) for patient in sorted(grant.patient_ids)]
        return own + [
            (stream.name, stream.group()) for stream in patients if stream != grant.stream
        ]

    async def _resume(self, name: str, group: str, last_seq: int) -> None:
        """What the stream sent after `last_seq`, then what came live meanwhile, or `reset`."""
        self.replaying[name] = []
        try:
            missed = await sync_to_async(history().since, thread_sensitive=False)(group, last_seq)
        finally:
            held = self.replaying.pop(name)
        if missed is None:
            self.outbox.put({"type": "reset", "stream": name})
            missed = []
        newest = max([last_seq, *(message["seq"] for message in missed)])
        for message in missed + [message for message in held if message["seq"] > newest]:
            self.outbox.put(message)

    async def _follow(self, patient_id: uuid.UUID) -> None:
        self.followed[patient_id] += 1
        if self.followed[patient_id] == 1:
            await self._join(Stream.patient(patient_id).group())

    async def _unfollow(self, patient_id: uuid.UUID) -> None:
        self.followed[patient_id] -= 1
        if self.followed[patient_id] <= 0:
            del self.followed[patient_id]
            await self._leave(Stream.patient(patient_id).group())

    async def _join(self, group: str) -> None:
        self.groups_in.add(group)
        await self.channel_layer.group_add(group, self.channel_name)

    async def _leave(self, group: str) -> None:
        self.groups_in.discard(group)
        await self.channel_layer.group_discard(group, self.channel_name)

    async def leave_all(self) -> None:
        for group in list(getattr(self, "groups_in", ())):
            await self._leave(group)

    # Events from the channel layer (`publish`).

    async def live_message(self, event: dict[str, Any]) -> None:
        message = event["message"]
        name = message["stream"]
        if not self._carries(message):
            return
        if name in self.replaying:
            self.replaying[name].append(message)
        else:
            self.outbox.put(message)
        if message["type"] == "admission":
            await self._admission_moved(message)

    async def live_frame(self, event: dict[str, Any]) -> None:
        watched = uuid.UUID(event["patient"]) in self.followed
        if watched and any(grant.ecg for grant in self.grants.values()):
            self.outbox.put_frame(event["frame"])

    def _carries(self, message: dict[str, Any]) -> bool:
        """Whether the socket watches the message's stream: its own patients' vitals and
        alarms, and admissions only of the streams it subscribed to (a place's watchers get them
        from the place, once)."""
        name = message["stream"]
        if name.startswith("patient:") and message["type"] != "admission":
            return uuid.UUID(name.partition(":")[2]) in self.followed
        return name in self.grants

    async def _admission_moved(self, message: dict[str, Any]) -> None:
        """Follow a patient into a watched place, stop following them out of it; a patient's
        own subscription is re-checked when they are discharged or moved."""
        patient_id = uuid.UUID(message["patient"])
        if message["stream"].startswith("patient:"):
            await self.check_account()
            return
        grant = self.grants[message["stream"]]
        inside = str(grant.stream.id) in message["under"]
        if inside and patient_id not in grant.patient_ids:
            follow = database_sync_to_async(access.may_follow)
            if await follow(self.actor, patient_id, via=grant.stream):
                grant.patient_ids.add(patient_id)
                await self._follow(patient_id)
        elif not inside and patient_id in grant.patient_ids:
            grant.patient_ids.discard(patient_id)
            await self._unfollow(patient_id)

    async def reauthorize_all(self) -> None:
        for name in list(self.grants):
            await self._reauthorize(name)

    async def _reauthorize(self, name: str) -> None:
        """Keep the grant while the actor may still watch the stream, else end it and say why."""
        grant = self.grants.get(name)
        if grant is None:
            return
        try:
            again = await database_sync_to_async(access.authorize)(self.actor, grant.stream)
        except DomainError as exc:
            await self._drop(name)
            self.outbox.put(error_message(exc, {"type": "subscribe", "stream": name}))
            return
        grant.ecg = again.ecg
