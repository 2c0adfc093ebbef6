// The patient page: identity, admission and ECG recordings for every clinical role; vitals,
// trends and readings for the roles that read them (patient_vitals.js); NEWS2, alarm limits and
// alarm history for those that read alarms (patient_alarms.js).

import { api } from "./api.js";
import { can, el, fullName, when } from "./ui.js";
import { showAlarms } from "./patient_alarms.js";
import { showVitals } from "./patient_vitals.js";

const root = document.getElementById("patient");
const patientId = root.dataset.patient;

function showIdentity(patient) {
  document.getElementById("patient-name").textContent = fullName(patient);
  document.title = `${fullName(patient)} · heartmon`;
  const sex = patient.sex === "unknown" ? null : patient.sex;
  const parts = [patient.patient_number, sex, patient.age !== null ? `${patient.age} y` : null];
  if (patient.birth_date) parts.push(`born ${patient.birth_date}`);
  document.getElementById("patient-identity").textContent = parts.filter(Boolean).join(" · ");
  const details = [
    ["Phone", patient.phone],
    ["E-mail", patient.email],
    ["Address", patient.address],
    ["Notes", patient.notes],
  ];
  const shown = details.filter(([, value]) => value);
  document
    .getElementById("details")
    .replaceChildren(
      ...shown.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]),
    );
  document.getElementById("details-card").hidden = !shown.length;
}

function showAdmission(admissions) {
  const box = document.getElementById("admission");
  const open = admissions.find((admission) => admission.is_open);
  if (!open) {
    box.replaceChildren(el("p", {}, "Not admitted."));
    return;
  }
  const devices = open.devices
    .filter((d) => !d.ended_at)
    .map((d) => `${d.device.serial_number} (${d.device.model})`);
  const attending = open.attending
    ? `${open.attending.first_name} ${open.attending.last_name}`
    : "—";
  box.replaceChildren(
    el(
      "dl",
      {},
      el("dt", {}, "Place"),
      el("dd", {}, open.place.name),
      el("dt", {}, "Since"),
      el("dd", {}, when(open.admitted_at)),
      el("dt", {}, "Reason"),
      el("dd", {}, open.reason),
      el("dt", {}, "Attending"),
      el("dd", {}, attending),
      el("dt", {}, "Devices"),
      el("dd", {}, devices.join(", ") || "none"),
    ),
  );
}

function recordingRow(recording) {
  const name = can("ecg_recordings_signal")
    ? el("a", { href: `/ecg/${recording.id}` }, recording.data_id)
    : recording.data_id;
  const minutes = recording.duration / 60;
  const duration = minutes < 1 ? `${recording.duration.toFixed(0)} s` : `${minutes.toFixed(1)} min`;
  return el(
    "tr",
    {},
    el("td", {}, name),
    el("td", {}, when(recording.start_time)),
    el("td", { class: "num" }, duration),
    el("td", {}, recording.leads.join(", ")),
    el("td", {}, recording.status),
  );
}

async function showRecordings() {
  const page = await api("/api/v1/ecg/recordings/", { query: { patient: patientId, limit: 50 } });
  const rows = page.results.map(recordingRow);
  if (!rows.length)
    rows.push(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "No recordings.")));
  document.getElementById("recordings").replaceChildren(...rows);
}

async function main() {
  const [patient, admissions] = await Promise.all([
    api(`/api/v1/patients/${patientId}/`),
    api(`/api/v1/patients/${patientId}/admissions/`, { query: { limit: 20 } }),
  ]);
  showIdentity(patient);
  showAdmission(admissions.results);
  await showRecordings();
  if (can("alarms_read")) await showAlarms(patientId);
  if (can("readings_read")) await showVitals(patientId);
}

main();
