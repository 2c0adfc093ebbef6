"""The clinicians' pages beside the central station (the home page): patients, a patient, an
ECG recording. Each page is a frame; its script reads the REST API (which authorizes and audits
every read)."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse

from heartmon.clinic.selectors import patients_for
from heartmon.core.actor import Actor
from heartmon.ecg.selectors import recordings_for
from heartmon.web.pages import page, render_page


@page(("patients", "read"))
def patients(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_page(request, actor, "patients.html")


@page(("admissions", "read"))
def patient(request: HttpRequest, actor: Actor, pk: uuid.UUID) -> HttpResponse:
    if not patients_for(actor).filter(pk=pk).exists():
        raise Http404("No such patient.")
    return render_page(request, actor, "patient.html", patient_id=pk)


@page(("ecg_recordings", "signal"))
def ecg_viewer(request: HttpRequest, actor: Actor, pk: uuid.UUID) -> HttpResponse:
    if not recordings_for(actor).filter(pk=pk).exists():
        raise Http404("No such recording.")
    return render_page(request, actor, "ecg.html", recording_id=pk)
