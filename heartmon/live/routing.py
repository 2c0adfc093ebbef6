"""The WebSocket side of the ASGI application (`heartmon.asgi`)."""

from channels.routing import URLRouter
from django.urls import path

from heartmon.live.consumers.devices import DeviceConsumer
from heartmon.live.consumers.people import LiveConsumer

websockets = URLRouter(
    [
        path("ws/v1/live/", LiveConsumer.as_asgi()),
        path("ws/v1/device/", DeviceConsumer.as_asgi()),
    ]
)
