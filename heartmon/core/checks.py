"""Refuse to serve with an embedded secret key unless DEBUG is on (production must set its own)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

GENERATED_KEY_HINT = (
    "SECRET_KEY is not set and DEBUG is off. Set SECRET_KEY to a long random value "
    "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or DEBUG=1 for a local trial."
)
NO_HOSTS_HINT = "ALLOWED_HOSTS is empty and DEBUG is off: set ALLOWED_HOSTS=your.host.name."


def serving_problems() -> list[str]:
    if settings.DEBUG:
        return []
    problems = []
    if not settings.SECRET_KEY_FROM_ENV:
        problems.append(GENERATED_KEY_HINT)
    if not settings.ALLOWED_HOSTS:
        problems.append(NO_HOSTS_HINT)
    return problems


def refuse_to_serve_if_misconfigured() -> None:
    """Called by the ASGI and WSGI entry points before they build the application."""
    problems = serving_problems()
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


@register(Tags.security, deploy=True)
def check_serving_configuration(app_configs: Any, **kwargs: Any) -> list[Error]:
    return [Error(problem, id="heartmon.E001") for problem in serving_problems()]
