"""`GET /metrics`: the Prometheus text format for a scraper holding the bearer token
METRICS_TOKEN. Without the setting the endpoint is not served (404)."""

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from heartmon.core.errors import problem_response


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("Set METRICS_TOKEN to serve /metrics.")
    if not _bearer_matches(request, token):
        refused = problem_response(
            request,
            401,
            "Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.",
            "not_authenticated",
        )
        refused["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return refused
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


def _bearer_matches(request: HttpRequest, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


def _registry() -> CollectorRegistry:
    """Every process's samples when several processes serve (PROMETHEUS_MULTIPROC_DIR set),
    else this process's own."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry
