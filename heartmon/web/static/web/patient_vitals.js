// A patient's vitals: the latest reading of each metric with its age, trends of 1 h, 24 h or
// 7 days from the aggregate endpoint (min/max bands), and the readings table with CSV export.

import { api, apiUrl } from "./api.js";
import { METRICS, formatValue, isStale } from "./metrics.js";
import { TrendChart } from "./trend_chart.js";
import { ageText, el, when } from "./ui.js";

const WINDOWS = {
  "1h": { ms: 3600e3, bucketMinutes: 1 },
  "24h": { ms: 24 * 3600e3, bucketMinutes: 10 },
  "7d": { ms: 7 * 24 * 3600e3, bucketMinutes: 60 },
};
const charts = new Map();
let patientId = "";
let olderPage = null;

async function latest(metric) {
  const page = await api("/api/v1/readings/", {
    query: { patient: patientId, metric: metric.key, ordering: "-recorded_at", limit: 1 },
  });
  return page.results[0] || null;
}

function vitalCard(metric, reading) {
  if (!reading) {
    return el(
      "div",
      { class: `vital ${metric.key} nodata` },
      el("div", { class: "name" }, metric.label),
      el("div", { class: "value" }, "No data"),
    );
  }
  const stale = isStale(metric, reading);
  return el(
    "div",
    { class: `vital ${metric.key}${stale ? " stale" : ""}` },
    el("div", { class: "name" }, metric.label),
    el(
      "div",
      {},
      el("span", { class: "value" }, formatValue(metric, reading.value)),
      " ",
      el("span", { class: "unit" }, metric.unit),
    ),
    el("div", { class: "age" }, `${stale ? "stale · " : ""}${ageText(reading.recorded_at)}`),
  );
}

async function showLatest() {
  const readings = await Promise.all(METRICS.map(latest));
  document
    .getElementById("vitals")
    .replaceChildren(...METRICS.map((m, i) => vitalCard(m, readings[i])));
}

function seriesOf(answer) {
  const points = answer.data.flatMap((device) =>
    device.aggregated_values.map((bucket) => ({
      t: Date.parse(bucket.from),
      value: bucket.value,
      min: bucket.min,
      max: bucket.max,
    })),
  );
  return points.sort((a, b) => a.t - b.t);
}

async function showTrends(windowName) {
  const { ms, bucketMinutes } = WINDOWS[windowName];
  const end = Date.now();
  const start = end - ms;
  await Promise.all(
    METRICS.map(async (metric) => {
      const answer = await api("/api/v1/readings/aggregate/", {
        query: {
          patient: patientId,
          metric: metric.key,
          start: new Date(start).toISOString(),
          end: new Date(end).toISOString(),
          bucket_minutes: bucketMinutes,
          stats: "min,max",
        },
      });
      charts.get(metric.key).show(seriesOf(answer), start, end, bucketMinutes * 60e3);
    }),
  );
}

function buildTrends() {
  const box = document.getElementById("trends");
  for (const metric of METRICS) {
    const canvas = el("canvas", {
      class: "chart",
      role: "img",
      "aria-label": `${metric.label} trend`,
      dataset: { metric: metric.key },
    });
    box.append(
      el(
        "figure",
        { class: "card" },
        el("figcaption", {}, `${metric.label} (${metric.unit})`),
        canvas,
      ),
    );
    charts.set(metric.key, new TrendChart(canvas, metric.color));
  }
  for (const button of document.querySelectorAll("[data-window]")) {
    button.addEventListener("click", () => {
      for (const other of document.querySelectorAll("[data-window]"))
        other.setAttribute("aria-pressed", String(other === button));
      showTrends(button.dataset.window);
    });
  }
}

function readingRow(reading) {
  const metric = METRICS.find((m) => m.key === reading.metric);
  const value = metric
    ? `${formatValue(metric, reading.value)} ${metric.unit}`
    : String(reading.value);
  return el(
    "tr",
    {},
    el("td", {}, when(reading.recorded_at)),
    el("td", {}, metric?.label || reading.metric),
    el("td", { class: "num" }, value),
    el("td", {}, reading.source),
  );
}

async function showReadings(next = null) {
  const page = next
    ? await api(next)
    : await api("/api/v1/readings/", {
        query: { patient: patientId, ordering: "-recorded_at", limit: 50 },
      });
  const body = document.getElementById("readings");
  if (!next) body.replaceChildren();
  body.append(...page.results.map(readingRow));
  if (!body.children.length)
    body.append(el("tr", {}, el("td", { colspan: 4, class: "muted" }, "No readings.")));
  olderPage = page.next;
  document.getElementById("older").hidden = !olderPage;
}

export async function showVitals(id) {
  patientId = id;
  const weekAgo = new Date(Date.now() - WINDOWS["7d"].ms).toISOString();
  document.getElementById("csv-export").href = apiUrl("/api/v1/readings/", {
    patient: id,
    start: weekAgo,
    format: "csv",
  });
  document.getElementById("older").addEventListener("click", () => showReadings(olderPage));
  buildTrends();
  await Promise.all([showLatest(), showTrends("1h"), showReadings()]);
}
