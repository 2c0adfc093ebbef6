// How an alarm reads for a person: a message naming the value and the limit it crossed, e.g.
// "HR 134 > 120", and the order of urgency. (Its priority shows as a badge: app.css's .priority,
// a word and one to three marks, never colour alone.)

import { METRICS, formatValue } from "./metrics.js";

export const PRIORITIES = ["high", "medium", "low"];
const TECHNICAL = { no_data: "No data from the monitor", news2: "NEWS2" };

export function priorityRank(priority) {
  const rank = PRIORITIES.indexOf(priority);
  return rank < 0 ? PRIORITIES.length : rank;
}

// The most urgent of a patient's open alarms: highest priority, then newest.
export function mostUrgent(alarms) {
  return [...alarms].sort(
    (a, b) =>
      priorityRank(a.priority) - priorityRank(b.priority) ||
      Date.parse(b.raised_at) - Date.parse(a.raised_at),
  )[0];
}

// The limit the value went beyond, as "> 120" or "≤ 40", from the patient's effective rule.
function crossed(value, rule, metric) {
  if (!rule) return "";
  const limit = (number) => formatValue(metric, number);
  const { low, high, extreme_low: extremeLow, extreme_high: extremeHigh } = rule;
  if (extremeHigh !== null && value >= extremeHigh) return `≥ ${limit(extremeHigh)}`;
  if (extremeLow !== null && value <= extremeLow) return `≤ ${limit(extremeLow)}`;
  if (high !== null && value > high) return `> ${limit(high)}`;
  if (low !== null && value < low) return `< ${limit(low)}`;
  return "";
}

export function alarmMessage(alarm, rule) {
  const metric = METRICS.find((m) => m.key === alarm.condition);
  if (!metric) {
    const name = TECHNICAL[alarm.condition] || alarm.condition;
    return alarm.value === null ? name : `${name} ${alarm.value}`;
  }
  if (alarm.value === null) return `${metric.short} alarm`;
  const value = Number(alarm.value);
  return [metric.short, formatValue(metric, value), crossed(value, rule, metric)]
    .filter(Boolean)
    .join(" ");
}
