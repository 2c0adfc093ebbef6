// The organization's open alarms, highest priority and newest first; doctors and nurses
// acknowledge one with a note. Asked again every REFRESH_MS.

import { listAll } from "./api.js";
import { alarmMessage, mostUrgent, priorityRank } from "./alarm_text.js";
import { patientName, placeName, priorityBadge, stateText } from "./alarm_view.js";
import "./forms.js";
import { fillTable } from "./tables.js";
import { can, el, when } from "./ui.js";

const REFRESH_MS = 5_000;
const dialog = document.getElementById("acknowledge-dialog");
const form = document.getElementById("acknowledge");

function byUrgency(a, b) {
  return (
    priorityRank(a.priority) - priorityRank(b.priority) ||
    Date.parse(b.raised_at) - Date.parse(a.raised_at)
  );
}

function acknowledgeButton(alarm) {
  if (alarm.acknowledged_at || !can("alarms_acknowledge")) return "";
  return el("button", { type: "button", onclick: () => openDialog(alarm) }, "Acknowledge");
}

function row(alarm) {
  const patient = el("td", {}, "…");
  const place = el("td", {}, "…");
  patientName(alarm.patient).then((name) => {
    patient.replaceChildren(el("a", { href: `/patients/${alarm.patient}` }, name));
  });
  placeName(alarm.place).then((name) => {
    place.textContent = name;
  });
  const message = el("a", { href: `/alarms/${alarm.id}` }, alarmMessage(alarm));
  return el(
    "tr",
    { class: `alarm-row ${alarm.priority}`, dataset: { alarm: alarm.id } },
    el("td", {}, priorityBadge(alarm.priority)),
    el("td", {}, message),
    patient,
    place,
    el("td", {}, when(alarm.raised_at)),
    el("td", {}, stateText(alarm)),
    el("td", {}, acknowledgeButton(alarm)),
  );
}

function openDialog(alarm) {
  form.dataset.id = alarm.id;
  form.reset();
  document.getElementById("acknowledge-what").textContent = alarmMessage(alarm);
  dialog.showModal();
}

async function show() {
  const open = (await listAll("/api/v1/alarms/", { state: "open" })).sort(byUrgency);
  fillTable(document.getElementById("alarms"), open, row, "No open alarms.");
  const top = mostUrgent(open);
  document.getElementById("alarms-status").textContent = top
    ? `${open.length} open, the most urgent ${top.priority}`
    : "";
}

form?.addEventListener("api:done", () => {
  dialog.close();
  show();
});
dialog?.querySelector("[data-close]").addEventListener("click", () => dialog.close());
setInterval(show, REFRESH_MS);
show();
