"""The one-time links the account e-mails carry, checked when their page opens (nothing is used
up by opening it), and what to tell the person when a link cannot be followed."""

from dataclasses import dataclass

from django.http import HttpRequest

from heartmon.accounts.tokens import (
    ExpiredLinkError,
    InvalidLinkError,
    OneTimeLink,
    UsedLinkError,
)

# The form on a link's problem page that asks for a new e-mail, by the link's purpose.
ASK_AGAIN = {
    "activation": "web/activation_resend_form.html",
    "password reset": "web/reset_request_form.html",
}


@dataclass(frozen=True)
class LinkProblem:
    kind: str  # "expired", "used" or "invalid"
    title: str
    advice: str


INVALID = LinkProblem(
    "invalid",
    "This link does not work",
    "It is incomplete or damaged. Copy the whole link from the e-mail into the address bar, "
    "or ask for a new e-mail.",
)

ADVICE: dict[str, dict[str, LinkProblem]] = {
    "activation": {
        "expired": LinkProblem(
            "expired",
            "This activation link has expired",
            "Activation links are valid for a few days. Ask for a new one below.",
        ),
        "used": LinkProblem(
            "used", "This account is already active", "The link was used already: sign in."
        ),
    },
    "invitation": {
        "expired": LinkProblem(
            "expired",
            "This invitation has expired",
            "Ask the administrator who invited you to send a new invitation.",
        ),
        "used": LinkProblem(
            "used",
            "This invitation was already accepted",
            "You chose a password already: sign in, or reset the password if you forgot it.",
        ),
    },
    "password reset": {
        "expired": LinkProblem(
            "expired",
            "This password-reset link has expired",
            "Reset links are valid for an hour. Ask for a new one below.",
        ),
        "used": LinkProblem(
            "used",
            "This password-reset link was already used",
            "Your password was changed with it. Sign in, or ask for a new link below.",
        ),
    },
}


def link_problem(link: OneTimeLink, request: HttpRequest) -> LinkProblem | None:
    """What is wrong with the uid and token in the page's address, or None when they are good."""
    uid, token = request.GET.get("uid", ""), request.GET.get("token", "")
    try:
        link.check(uid, token)
    except ExpiredLinkError:
        return ADVICE[link.purpose]["expired"]
    except UsedLinkError:
        return ADVICE[link.purpose]["used"]
    except InvalidLinkError:
        return INVALID
    return None
