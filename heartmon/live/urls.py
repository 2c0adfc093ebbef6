from django.urls import path

from heartmon.live.views import TicketView

urlpatterns = [path("ticket/", TicketView.as_view(), name="live-ticket")]
