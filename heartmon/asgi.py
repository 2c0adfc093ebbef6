"""The ASGI application: HTTP (Django) and the live WebSockets (`/ws/`, Channels). `make demo`
serves both from this one process; in production REST runs under WSGI workers and this serves
`/ws/` (see the README's "Live monitoring")."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heartmon.settings")
django_application = get_asgi_application()  # sets Django up before the consumers are imported

from channels.routing import ProtocolTypeRouter  # noqa: E402

from heartmon.core.checks import refuse_to_serve_if_misconfigured  # noqa: E402
from heartmon.live.routing import websockets  # noqa: E402

refuse_to_serve_if_misconfigured()
application = ProtocolTypeRouter({"http": django_application, "websocket": websockets})
