// The patient page's alarm parts: NEWS2 with each part's points and age (missing or too old parts
// marked, the score then incomplete), the effective alarm limits and where each comes from (a
// doctor sets this patient's own, with a reason), and the alarm history, each alarm opening its
// timeline.

import { api, listAll } from "./api.js";
import { alarmMessage } from "./alarm_text.js";
import { priorityBadge, stateText, timelineRow } from "./alarm_view.js";
import { METRICS, formatValue } from "./metrics.js";
import { fillSelect, fillTable } from "./tables.js";
import { ageText, clearProblem, el, formBody, showProblem, when } from "./ui.js";

const PARTS = {
  respiration_rate: "Respiration rate",
  spo2: "SpO₂",
  air_or_oxygen: "Air or oxygen",
  systolic_bp: "Systolic BP",
  pulse: "Pulse",
  consciousness: "Consciousness",
  temperature: "Temperature",
};
const COPIED = [
  "low",
  "high",
  "extreme_low",
  "extreme_high",
  "clear_margin",
  "delay_seconds",
  "extreme_delay_seconds",
  "clear_delay_seconds",
  "priority",
  "latching",
];
const LEVELS = { place: "the place", organization: "the default" };
const TIMELINE_HEADINGS = ["When", "What", "Priority", "Value", "By", "Note"];

function partRow(part) {
  const missing = part.points === null;
  return el(
    "tr",
    { class: missing ? "missing" : "" },
    el("td", {}, PARTS[part.parameter] || part.parameter),
    el("td", { class: "num" }, part.value ?? "—"),
    el("td", { class: "num" }, missing ? "missing" : String(part.points)),
    el("td", {}, part.recorded_at ? ageText(part.recorded_at) : "—"),
  );
}

async function showNews2(patientId) {
  const news2 = await api(`/api/v1/patients/${patientId}/news2/`);
  const score = document.getElementById("news2-score");
  score.replaceChildren(
    el("strong", {}, `Score ${news2.score}`),
    news2.priority ? priorityBadge(news2.priority) : "",
    news2.complete
      ? ""
      : el("span", { class: "incomplete" }, `incomplete: ${news2.missing.length} missing`),
    news2.scale === 2 ? el("span", {}, "SpO₂ scale 2") : "",
  );
  fillTable(document.getElementById("news2-parts"), news2.parts, partRow);
}

function limitText(metric, value) {
  return value === null ? "—" : formatValue(metric, value);
}

function ruleRow(rule) {
  const metric = METRICS.find((m) => m.key === rule.metric);
  const extremes = [rule.extreme_low, rule.extreme_high].map((v) => limitText(metric, v));
  return el(
    "tr",
    { dataset: { metric: rule.metric } },
    el("td", {}, metric.label),
    el("td", { class: "num" }, limitText(metric, rule.low)),
    el("td", { class: "num" }, limitText(metric, rule.high)),
    el("td", {}, extremes.join(" / ")),
    el("td", {}, priorityBadge(rule.priority)),
    el("td", {}, rule.level === "patient" ? `this patient: ${rule.reason}` : LEVELS[rule.level]),
  );
}

async function showRules(patientId) {
  const rules = await api(`/api/v1/patients/${patientId}/alarm-rules/effective/`);
  const ordered = METRICS.map((m) => rules.find((rule) => rule.metric === m.key)).filter(Boolean);
  fillTable(document.getElementById("rules"), ordered, ruleRow, "No rules.");
  const form = document.getElementById("override");
  if (form) bindOverride(form, patientId, ordered);
}

// A new override starts as a copy of the rule it overrides (priority, delays, hysteresis).
function copied(rule) {
  return Object.fromEntries(COPIED.map((name) => [name, rule[name]]));
}

// The form starts from the effective limits of the chosen vital; saving makes this patient's
// override, or changes it when there is one.
function bindOverride(form, patientId, rules) {
  const select = form.elements.metric;
  const label = (rule) => METRICS.find((m) => m.key === rule.metric).label;
  fillSelect(select, rules, label, (rule) => rule.metric);
  const fill = () => {
    const rule = rules.find((each) => each.metric === select.value);
    for (const name of ["low", "high", "extreme_low", "extreme_high"])
      form.elements[name].value = rule?.[name] ?? "";
    form.elements.reason.value = rule?.level === "patient" ? rule.reason : "";
  };
  select.onchange = fill;
  form.onsubmit = async (event) => {
    event.preventDefault();
    clearProblem(form);
    const effective = rules.find((rule) => rule.metric === select.value);
    const { metric, ...changes } = formBody(form);
    const path = `/api/v1/patients/${patientId}/alarm-rules/`;
    try {
      if (effective.level === "patient")
        await api(`${path}${effective.id}/`, { method: "PATCH", body: changes });
      else await api(path, { method: "POST", body: { ...copied(effective), metric, ...changes } });
      await showRules(patientId);
      form.querySelector(".done").textContent = "Saved.";
      form.querySelector(".done").hidden = false;
    } catch (error) {
      showProblem(form, error);
    }
  };
}

function alarmItem(alarm) {
  const timeline = el("tbody", {});
  const details = el(
    "details",
    { class: "alarm-history-item" },
    el(
      "summary",
      {},
      priorityBadge(alarm.priority),
      ` ${alarmMessage(alarm)} · ${when(alarm.raised_at)} · ${stateText(alarm)}`,
    ),
    el(
      "div",
      { class: "table-wrap" },
      el(
        "table",
        {},
        el("thead", {}, el("tr", {}, ...TIMELINE_HEADINGS.map((heading) => el("th", {}, heading)))),
        timeline,
      ),
    ),
    el("a", { href: `/alarms/${alarm.id}` }, "Open the alarm"),
  );
  details.addEventListener("toggle", async () => {
    if (!details.open || timeline.childElementCount) return;
    const full = await api(`/api/v1/alarms/${alarm.id}/`);
    timeline.replaceChildren(...full.timeline.map((event) => timelineRow(event)));
  });
  return details;
}

async function showAlarmHistory(patientId) {
  const alarms = await listAll("/api/v1/alarms/", { patient: patientId }, 100);
  const box = document.getElementById("alarm-history");
  box.replaceChildren(...alarms.map(alarmItem));
  if (!alarms.length) box.append(el("p", { class: "muted" }, "No alarms."));
}

export function showAlarms(patientId) {
  return Promise.all([showNews2(patientId), showRules(patientId), showAlarmHistory(patientId)]);
}
