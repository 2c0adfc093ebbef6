// The alarm limits: the organization's defaults and places' overrides, one row each, for every
// role that reads them. For admins, the form starts from the rule that applies at the chosen place
// (its own, else the default); saving changes the place's own rule or makes one, copied from the
// default for what is left unsaid.

import { api, listAll } from "./api.js";
import { priorityBadge } from "./alarm_view.js";
import { METRICS, formatValue } from "./metrics.js";
import { fillSelect, fillTable } from "./tables.js";
import { can, clearProblem, el, formBody, showProblem } from "./ui.js";

const FIELDS = ["low", "high", "extreme_low", "extreme_high", "priority", "delay_seconds"];
const COPIED = [...FIELDS, "clear_margin", "extreme_delay_seconds", "clear_delay_seconds"];
const form = document.getElementById("rule-form");
let rules = [];
let placeNames = new Map();

const metricOf = (key) => METRICS.find((m) => m.key === key);
const limit = (metric, value) => (value === null ? "—" : formatValue(metric, value));
const whereOf = (rule) => (rule.place ? placeNames.get(rule.place) || "a place" : "Default");

function row(rule) {
  const metric = metricOf(rule.metric);
  const button = { type: "button", class: "secondary", onclick: () => removeRule(rule) };
  const remove = rule.place && can("alarm_rules_write") ? el("button", button, "Remove") : null;
  return el(
    "tr",
    { dataset: { rule: rule.id } },
    el("td", {}, whereOf(rule)),
    el("td", {}, metric.label),
    el("td", { class: "num" }, limit(metric, rule.low)),
    el("td", { class: "num" }, limit(metric, rule.high)),
    el("td", {}, `${limit(metric, rule.extreme_low)} / ${limit(metric, rule.extreme_high)}`),
    el("td", {}, priorityBadge(rule.priority)),
    el("td", { class: "num" }, `${rule.delay_seconds} s`),
    el("td", {}, remove),
  );
}

async function removeRule(rule) {
  await api(`/api/v1/alarm-rules/${rule.id}/`, { method: "DELETE" });
  await show();
}

function ruleAt(place, metric) {
  const own = rules.find((rule) => (rule.place || "") === place && rule.metric === metric);
  return own || rules.find((rule) => !rule.place && rule.metric === metric);
}

function fill() {
  const rule = ruleAt(form.elements.place.value, form.elements.metric.value);
  for (const name of FIELDS) form.elements[name].value = rule?.[name] ?? "";
}

async function save(event) {
  event.preventDefault();
  clearProblem(form);
  const { place, metric, ...changes } = formBody(form);
  const rule = ruleAt(place || "", metric);
  const own = rule && (rule.place || "") === (place || "");
  try {
    if (own) await api(`/api/v1/alarm-rules/${rule.id}/`, { method: "PATCH", body: changes });
    else {
      const base = Object.fromEntries(COPIED.map((name) => [name, rule[name]]));
      const body = { ...base, metric, place, ...changes };
      await api("/api/v1/alarm-rules/", { method: "POST", body });
    }
    form.querySelector(".done").textContent = "Saved.";
    form.querySelector(".done").hidden = false;
    await show();
  } catch (error) {
    showProblem(form, error);
  }
}

async function show() {
  rules = await listAll("/api/v1/alarm-rules/");
  const order = (rule) => [rule.place ? whereOf(rule) : "", METRICS.indexOf(metricOf(rule.metric))];
  rules.sort((a, b) => {
    const [placeA, metricA] = order(a);
    const [placeB, metricB] = order(b);
    return placeA.localeCompare(placeB) || metricA - metricB;
  });
  fillTable(document.getElementById("rules"), rules, row, "No rules.");
  if (form) fill();
}

async function main() {
  const places = await listAll("/api/v1/places/");
  placeNames = new Map(places.map((place) => [place.id, place.name]));
  if (!form) return show();
  fillSelect(form.elements.place, places, (place) => `${place.name} (${place.kind})`);
  form.elements.place.options[0].textContent = "Everywhere (the default)";
  fillSelect(form.elements.metric, METRICS, (metric) => metric.label, (metric) => metric.key, "");
  form.elements.metric.options[0].remove();
  form.elements.place.onchange = fill;
  form.elements.metric.onchange = fill;
  form.onsubmit = save;
  await show();
}

main();
