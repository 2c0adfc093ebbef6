"""Signing in and out, the pages the account e-mails link to, and your own account (2FA)."""

import io

import segno
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from heartmon.accounts.services.sessions import confirmed_totp_device
from heartmon.accounts.tokens import (
    OneTimeLink,
    activation_link,
    invitation_link,
    password_reset_link,
)
from heartmon.core.actor import Actor
from heartmon.core.roles import may
from heartmon.web.links import ASK_AGAIN, link_problem
from heartmon.web.pages import page, public_page, render_page
from heartmon.web.session import cookie_user


def home_of(actor: Actor) -> str:
    """Where a role starts its day: clinicians at the central station, staff at admissions,
    technicians with the devices."""
    if may(actor, "readings", "read"):
        return reverse("web:home")
    if may(actor, "admissions", "admit"):
        return reverse("web:admissions")
    return reverse("web:devices")


def qr_svg(text: str) -> bytes:
    """A standalone SVG file (dark on white, so it scans on any page background)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=5, border=2, light="#fff")
    return buffer.getvalue()


@public_page
def signin(request: HttpRequest) -> HttpResponse:
    user = cookie_user(request)
    if user is not None and "next" not in request.GET:
        return HttpResponseRedirect(home_of(user.as_actor()))
    return render(request, "web/signin.html", {"next": _safe_next(request)})


def _safe_next(request: HttpRequest) -> str:
    """Only a path on this site (never another host) is followed after signing in."""
    target = request.GET.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return reverse("web:home")


@public_page
def register(request: HttpRequest) -> HttpResponse:
    return render(request, "web/register.html")


def _link_page(
    request: HttpRequest, link: OneTimeLink, template: str, **context: object
) -> HttpResponse:
    problem = link_problem(link, request)
    if problem is not None:
        status = 400 if problem.kind == "invalid" else 410
        context.update(problem=problem, ask_again=ASK_AGAIN.get(link.purpose))
        return render(request, "web/link_problem.html", context, status=status)
    context.update(uid=request.GET["uid"], token=request.GET["token"])
    return render(request, f"web/{template}", context)


@public_page
def activate(request: HttpRequest) -> HttpResponse:
    return _link_page(request, activation_link, "activate.html")


@public_page
def accept_invite(request: HttpRequest) -> HttpResponse:
    return _link_page(request, invitation_link, "accept_invite.html")


@public_page
def reset_password(request: HttpRequest) -> HttpResponse:
    """By the e-mailed link (uid and token in the address) or, without one, by the e-mailed
    code; a link that fails says why and offers to send a new one."""
    if "uid" in request.GET or "token" in request.GET:
        return _link_page(request, password_reset_link, "reset_password.html")
    return render(request, "web/reset_password.html", {})


@page()
def home(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The central station for those who may read vitals; the others go to their own start."""
    if may(actor, "readings", "read"):
        return render_page(request, actor, "station.html")
    return HttpResponseRedirect(home_of(actor))


@page()
def account(request: HttpRequest, actor: Actor) -> HttpResponse:
    two_factor_on = confirmed_totp_device(request.user) is not None  # type: ignore[arg-type]
    return render_page(request, actor, "account.html", two_factor_on=two_factor_on)


@page()
def totp_qr(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The QR code of the authenticator being set up (the otpauth:// URI), drawn as SVG here so
    the secret never leaves the server for a third party."""
    pending = TOTPDevice.objects.filter(user_id=actor.user_id, confirmed=False).first()
    if pending is None:
        raise Http404("No two-factor set-up is in progress.")
    response = HttpResponse(qr_svg(pending.config_url), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response
