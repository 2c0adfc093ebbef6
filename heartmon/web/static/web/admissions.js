// Staff admit, transfer and discharge; the free beds are offered wherever a place is chosen.

import { listAll } from "./api.js";
import { bindForms } from "./forms.js";
import { cells, fillSelect, fillTable } from "./tables.js";
import { el, fullName, when } from "./ui.js";

let freePlaces = [];

const placeLabel = (place) => `${place.name} (${place.kind})`;

function actions(admission) {
  const transfer = el(
    "form",
    {
      class: "inline",
      dataset: { api: `/api/v1/admissions/${admission.id}/transfer/`, then: "reload" },
    },
    el("div", { class: "problem", role: "alert", hidden: true }),
    el("label", { class: "visually-hidden", for: `to-${admission.id}` }, "Transfer to"),
    el("select", { id: `to-${admission.id}`, name: "place", required: true }),
    el("button", { type: "submit", class: "secondary" }, "Transfer"),
  );
  fillSelect(transfer.querySelector("select"), freePlaces, placeLabel, undefined, "Transfer to…");
  const discharge = el(
    "form",
    {
      class: "inline",
      dataset: { api: `/api/v1/admissions/${admission.id}/discharge/`, then: "reload" },
    },
    el("div", { class: "problem", role: "alert", hidden: true }),
    el("label", { class: "visually-hidden", for: `why-${admission.id}` }, "Discharge reason"),
    el("input", { id: `why-${admission.id}`, name: "reason", placeholder: "Discharge reason" }),
    el(
      "button",
      { type: "submit", class: "danger" },
      `Discharge ${admission.patient.patient_number}`,
    ),
  );
  return el("div", {}, transfer, discharge);
}

function row(admission) {
  const monitors = admission.devices
    .filter((d) => !d.ended_at)
    .map((d) => d.device.serial_number)
    .join(", ");
  const patient = el(
    "a",
    { href: `/patients/${admission.patient.id}` },
    fullName(admission.patient),
  );
  return el(
    "tr",
    {},
    ...cells(patient, admission.place.name, when(admission.admitted_at), monitors || "none"),
    el("td", {}, actions(admission)),
  );
}

async function show() {
  const [patients, beds, wards, devices, admissions] = await Promise.all([
    listAll("/api/v1/patients/", { ordering: "family_name" }),
    listAll("/api/v1/places/", { kind: "bed", occupied: false }),
    listAll("/api/v1/places/", { kind: "ward" }),
    listAll("/api/v1/devices/", { assigned: false, status: "active" }),
    listAll("/api/v1/admissions/", { open: true }),
  ]);
  freePlaces = [...beds, ...wards];
  const admitted = new Set(admissions.map((a) => a.patient.id));
  fillSelect(
    document.getElementById("admit-patient"),
    patients.filter((p) => !admitted.has(p.id)),
    (p) => `${fullName(p)} · ${p.patient_number}`,
  );
  fillSelect(document.getElementById("admit-place"), freePlaces, placeLabel);
  fillSelect(
    document.getElementById("admit-devices"),
    devices,
    (d) => `${d.serial_number} (${d.model})`,
  );
  fillTable(document.getElementById("admissions"), admissions, row, "Nobody is admitted.");
  document.getElementById("free-beds").textContent =
    `${beds.length} free bed${beds.length === 1 ? "" : "s"}: ${beds.map((b) => b.name).join(", ") || "none"}`;
  bindForms(document.getElementById("admissions"));
}

document.getElementById("admit").addEventListener("api:done", (event) => {
  event.target.reset();
  show();
});
show();
