import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heartmon.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402

from heartmon.core.checks import refuse_to_serve_if_misconfigured  # noqa: E402

refuse_to_serve_if_misconfigured()
# Load the URLconf, and with it every view, as each worker starts rather than in the first
# request it serves (which would otherwise take about a second).
get_resolver().url_patterns  # noqa: B018
