// What the alarm pages share: the priority badge (mark and word, coloured), an alarm's state in
// words, the names of its patient and place (asked once each), and its timeline's rows.

import { api } from "./api.js";
import { el, fullName, when } from "./ui.js";

const STEPS = {
  raised: "Raised",
  escalated: "Escalated to high priority",
  acknowledged: "Acknowledged",
  cleared: "Condition cleared",
  notified: "Notified",
  reminded: "Reminded (unacknowledged)",
  closed: "Closed",
};

export function priorityBadge(priority) {
  return el("span", { class: `priority ${priority}` }, priority);
}

export function stateText(alarm) {
  if (alarm.state === "closed") return "closed";
  const parts = [alarm.active ? "active" : "cleared"];
  parts.push(alarm.acknowledged_at ? "acknowledged" : "unacknowledged");
  return parts.join(", ");
}

const names = new Map();

function nameOf(path, label) {
  if (!names.has(path)) names.set(path, api(path).then(label, () => "—"));
  return names.get(path);
}

export function patientName(id) {
  return id ? nameOf(`/api/v1/patients/${id}/`, fullName) : Promise.resolve("—");
}

export function placeName(id) {
  return id ? nameOf(`/api/v1/places/${id}/`, (place) => place.name) : Promise.resolve("—");
}

export function timelineRow(event, people = {}) {
  return el(
    "tr",
    {},
    el("td", {}, when(event.at)),
    el("td", {}, STEPS[event.step] || event.step),
    el("td", {}, event.priority ? priorityBadge(event.priority) : "—"),
    el("td", { class: "num" }, event.value ?? "—"),
    el("td", {}, event.by ? people[event.by] || "a colleague" : "heartmon"),
    el("td", {}, event.note || ""),
  );
}
