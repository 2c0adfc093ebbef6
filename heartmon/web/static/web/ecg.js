// The ECG viewer: a recording on the standard grid, leads chosen, scrolled and zoomed across
// hours (the server downsamples to the canvas width with max_points, keeping each bucket's
// minimum and maximum), beats and heart rate from the analysis, calipers, exports.

import { api, apiUrl } from "./api.js";
import { drawEcg, layout } from "./ecg_canvas.js";
import { addWidget, invalidate } from "./render_loop.js";
import { el, when } from "./ui.js";

const root = document.getElementById("ecg");
const recordingId = root.dataset.recording;
const base = `/api/v1/ecg/recordings/${recordingId}`;
const canvas = document.getElementById("ecg-canvas");
const position = document.getElementById("position");
const state = {
  view: { offset: 0, span: 10 },
  window: null,
  beats: null,
  calipers: [],
  shownLeads: [],
};
const widget = addWidget({
  canvas,
  draw: (ctx, width, height) => drawEcg(ctx, width, height, state),
});
let recording = null;
let request = 0;

const iso = (seconds) => new Date(Date.parse(recording.start_time) + seconds * 1000).toISOString();

function sizeCanvas() {
  const { cssHeight } = layout(canvas.clientWidth, Math.max(state.shownLeads.length, 1));
  canvas.style.height = `${cssHeight}px`;
  invalidate(widget);
}

function windowOf(answer) {
  const first = (Date.parse(answer.start) - Date.parse(recording.start_time)) / 1000;
  const secondsAt = answer.times
    ? (i) => first + answer.times[i]
    : (i) => first + i / answer.sample_rate;
  return { ...answer, secondsAt };
}

async function load() {
  const mine = ++request;
  const { offset, span } = state.view;
  const leads = state.shownLeads.map((i) => recording.leads[i]).join(",");
  const query = { start: iso(offset), end: iso(offset + span), leads };
  const points = Math.round(canvas.clientWidth * 2);
  if (span * recording.sample_rate > points) query.max_points = points;
  const [samples, beats] = await Promise.all([
    leads ? api(`${base}/samples/`, { query }) : null,
    api(`${base}/beats/`, { query: { start: query.start, end: query.end } }),
  ]);
  if (mine !== request) return; // a newer view was asked for meanwhile
  state.window = samples && windowOf(samples);
  state.beats = beats;
  canvas.dataset.points = String(samples ? samples.values[0].length : 0);
  canvas.dataset.beats = String(beats.count);
  invalidate(widget);
}

function setView(offset, span = state.view.span) {
  const spanFit = Math.min(span, recording.duration);
  state.view = {
    span: spanFit,
    offset: Math.max(0, Math.min(offset, recording.duration - spanFit)),
  };
  position.max = String(Math.max(0, Math.floor(recording.duration - spanFit)));
  position.value = String(Math.round(state.view.offset));
  document.getElementById("position-text").textContent =
    `${when(iso(state.view.offset))} (+${state.view.offset.toFixed(0)} s)`;
  const speed = 250 / state.view.span;
  document.getElementById("scale-text").textContent =
    `${speed.toFixed(speed < 1 ? 2 : 1)} mm/s · 10 mm/mV · small squares 1 mm (0.1 mV)`;
  showExports();
  load();
}

function showCalipers() {
  const text = document.getElementById("caliper-text");
  if (state.calipers.length < 2) {
    text.textContent = state.calipers.length
      ? "Calipers: click the second point."
      : "Calipers: click two points on the trace to measure an interval.";
    return;
  }
  const seconds = Math.abs(state.calipers[1] - state.calipers[0]);
  text.textContent = `Calipers: ${(seconds * 1000).toFixed(0)} ms (${(60 / seconds).toFixed(0)} per minute)`;
}

canvas.addEventListener("click", (event) => {
  const rect = canvas.getBoundingClientRect();
  const seconds = state.view.offset + ((event.clientX - rect.left) / rect.width) * state.view.span;
  state.calipers = state.calipers.length >= 2 ? [seconds] : [...state.calipers, seconds];
  showCalipers();
  invalidate(widget);
});

function zoom(factor) {
  const spans = [...document.getElementById("span").options].map((o) => Number(o.value));
  const index = spans.indexOf(state.view.span);
  const next = spans[Math.max(0, Math.min(spans.length - 1, (index < 0 ? 1 : index) + factor))];
  document.getElementById("span").value = String(next);
  setView(state.view.offset + (state.view.span - next) / 2, next);
}

canvas.addEventListener("keydown", (event) => {
  const moves = { ArrowLeft: -0.5, ArrowRight: 0.5 };
  if (event.key in moves) setView(state.view.offset + moves[event.key] * state.view.span);
  else if (event.key === "+" || event.key === "=") zoom(-1);
  else if (event.key === "-") zoom(1);
  else return;
  event.preventDefault();
});

function showExports() {
  const window = { start: iso(state.view.offset), end: iso(state.view.offset + state.view.span) };
  const links = ["edf", "wfdb", "csv"].flatMap((format) => [
    el(
      "a",
      { class: "button", href: apiUrl(`${base}/export/`, { format, ...window }), download: true },
      `${format.toUpperCase()} (this window)`,
    ),
    el(
      "a",
      { class: "button secondary", href: apiUrl(`${base}/export/`, { format }), download: true },
      `${format.toUpperCase()} (whole)`,
    ),
  ]);
  document.getElementById("exports").replaceChildren(...links);
}

function showRecording() {
  document.getElementById("ecg-title").textContent = `ECG ${recording.data_id}`;
  const minutes = (recording.duration / 60).toFixed(1);
  document.getElementById("ecg-meta").textContent =
    `${when(recording.start_time)} · ${minutes} min · ${recording.sample_rate} Hz · ${recording.leads.length} leads · analysis ${recording.status}`;
  const summary = recording.summary;
  if (summary?.mean_hr) {
    document.getElementById("ecg-summary").textContent =
      `Heart rate ${summary.mean_hr.toFixed(0)} bpm (${summary.min_hr.toFixed(0)}–${summary.max_hr.toFixed(0)}) · ${summary.beat_count} beats · ${summary.pvc_count} ventricular`;
  }
  const choices = recording.leads.map((lead, index) =>
    el(
      "label",
      {},
      el("input", {
        type: "checkbox",
        value: String(index),
        checked: index < 3,
        onchange: chooseLeads,
      }),
      lead,
    ),
  );
  document.getElementById("lead-choices").replaceChildren(...choices);
  state.shownLeads = recording.leads.map((_, i) => i).filter((i) => i < 3);
}

function chooseLeads() {
  state.shownLeads = [...document.querySelectorAll("#lead-choices input:checked")].map((input) =>
    Number(input.value),
  );
  sizeCanvas();
  load();
}

async function main() {
  recording = await api(`${base}/`);
  showRecording();
  sizeCanvas();
  document
    .getElementById("span")
    .addEventListener("change", (event) => setView(state.view.offset, Number(event.target.value)));
  document
    .getElementById("earlier")
    .addEventListener("click", () => setView(state.view.offset - state.view.span));
  document
    .getElementById("later")
    .addEventListener("click", () => setView(state.view.offset + state.view.span));
  document.getElementById("clear-calipers").addEventListener("click", () => {
    state.calipers = [];
    showCalipers();
    invalidate(widget);
  });
  position.addEventListener("change", () => setView(Number(position.value)));
  window.addEventListener("resize", sizeCanvas);
  setView(0);
}

main();
