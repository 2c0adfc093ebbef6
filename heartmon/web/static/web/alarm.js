// One alarm: what, whose, where, its state, and its timeline; doctors and nurses acknowledge it
// here with a note while it is unacknowledged.

import { api } from "./api.js";
import { alarmMessage } from "./alarm_text.js";
import { patientName, placeName, priorityBadge, stateText, timelineRow } from "./alarm_view.js";
import "./forms.js";
import { el, when } from "./ui.js";

const alarmId = document.getElementById("alarm").dataset.alarm;
const people = JSON.parse(document.getElementById("people").textContent);

async function main() {
  const alarm = await api(`/api/v1/alarms/${alarmId}/`);
  const message = alarmMessage(alarm);
  document.getElementById("alarm-title").textContent = message;
  document.title = `${message} · heartmon`;
  const [patient, place] = await Promise.all([
    patientName(alarm.patient),
    placeName(alarm.place),
  ]);
  const terms = [
    ["Priority", priorityBadge(alarm.priority)],
    ["Patient", el("a", { href: `/patients/${alarm.patient}` }, patient)],
    ["Place", place],
    ["Kind", alarm.kind],
    ["State", stateText(alarm)],
    ["Raised", when(alarm.raised_at)],
    ["Acknowledged", when(alarm.acknowledged_at)],
    ["Cleared", when(alarm.cleared_at)],
    ["Closed", when(alarm.closed_at)],
  ];
  const pairs = terms.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]);
  document.getElementById("summary").replaceChildren(...pairs);
  const form = document.getElementById("acknowledge");
  if (form) form.hidden = Boolean(alarm.acknowledged_at) || alarm.state === "closed";
  document
    .getElementById("timeline")
    .replaceChildren(...alarm.timeline.map((event) => timelineRow(event, people)));
}

main();
