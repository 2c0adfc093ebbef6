"""`POST /api/v1/live/ticket/`: a one-time ticket to sign in on the live socket."""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import Token

from heartmon.accounts.authentication import signed_in_user
from heartmon.core.schema import problems
from heartmon.live.auth import issue_ticket


class TicketView(APIView):
    @extend_schema(
        summary="A one-time ticket for the live socket (valid 30 s, single use)",
        description=(
            'Open `/ws/v1/live/` and send `{"type": "auth", "ticket": "..."}` as the '
            "first message. The socket's session ends when the token that asked for the ticket "
            "expires; ask for a new ticket and resume."
        ),
        request=None,
        responses={
            201: inline_serializer(
                "LiveTicket",
                {"ticket": serializers.CharField(), "expires_in": serializers.IntegerField()},
            ),
            **problems(401),
        },
        examples=[
            OpenApiExample("Ticket", response_only=True, value={"ticket": "b3J…", "expires_in": 30})
        ],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        token = request.auth
        token_exp = token.payload.get("exp") if isinstance(token, Token) else None
        ticket = issue_ticket(user=signed_in_user(request), token_exp=token_exp)
        body = {"ticket": ticket, "expires_in": settings.LIVE_TICKET_SECONDS}
        return Response(body, status=status.HTTP_201_CREATED)
