// The ECG viewer: a recording on the standard grid, leads chosen, scrolled and zoomed across
// hours by menu, keys and wheel (the server downsamples to the canvas width with max_points,
// keeping each bucket's minimum and maximum), beats and heart rate from the analysis, calipers,
// exports.

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

function median(values) {
  const sorted = Float64Array.from(values).sort();
  return sorted.length ? sorted[sorted.length >> 1] : 0;
}

// Each lead is drawn around its own median, as a monitor's AC-coupled display does: a recording
// with a DC offset of a few millivolts (a device that sends ADC values without their zero) stays
// on its row instead of running off the paper; the waves keep their shape and size.
function windowOf(answer) {
  const first = (Date.parse(answer.start) - Date.parse(recording.start_time)) / 1000;
  const secondsAt = answer.times
    ? (i) => first + answer.times[i]
    : (i) => first + i / answer.sample_rate;
  return { ...answer, secondsAt, centres: answer.values.map(median) };
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

// The standard windows of the span menu; the wheel zooms anywhere between the first and last.
const spanSelect = document.getElementById("span");
const SPANS = [...spanSelect.options].filter((o) => o.value).map((o) => Number(o.value));
const FETCH_DELAY_MS = 200; // a wheel turn or a pinch is many events: fetch once it pauses
let pendingLoad = 0;

function spanText(seconds) {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

// The menu names the window: a standard one, else the window the wheel left, as its own entry.
function showSpan(span) {
  const custom = document.getElementById("span-custom");
  const standard = [...spanSelect.options].find((o) => o.value && Number(o.value) === span);
  custom.textContent = spanText(span);
  spanSelect.value = standard ? standard.value : "";
  canvas.dataset.span = String(span);
}

// Shows the window at once (the trace at hand redrawn to it); its samples follow, at once or,
// with `soon`, when the view has stopped changing for a moment.
function setView(offset, span = state.view.span, { soon = false } = {}) {
  const spanMs = Math.round(Math.min(Math.max(span, SPANS[0]), SPANS.at(-1)) * 1000);
  const spanFit = Math.min(spanMs / 1000, recording.duration);
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
  showSpan(state.view.span);
  showExports();
  invalidate(widget);
  clearTimeout(pendingLoad);
  if (soon) pendingLoad = setTimeout(load, FETCH_DELAY_MS);
  else load();
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

// The +/- keys: the next standard window in or out, around the middle.
function zoom(direction) {
  const { span } = state.view;
  const next =
    direction < 0
      ? (SPANS.findLast((standard) => standard < span) ?? SPANS[0])
      : (SPANS.find((standard) => standard > span) ?? SPANS.at(-1));
  setView(state.view.offset + (span - next) / 2, next);
}

canvas.addEventListener("keydown", (event) => {
  const moves = { ArrowLeft: -0.5, ArrowRight: 0.5 };
  if (event.key in moves) setView(state.view.offset + moves[event.key] * state.view.span);
  else if (event.key === "+" || event.key === "=") zoom(-1);
  else if (event.key === "-") zoom(1);
  else return;
  event.preventDefault();
});

// The wheel over the trace: with Ctrl (or ⌘, and a touchpad's pinch, which the browser sends
// as Ctrl + wheel) it zooms around the time under the pointer, a notch about a third; sideways
// (a horizontal wheel or swipe, or Shift + wheel) it scrolls. The plain wheel scrolls the page,
// as everywhere else, so reading down the page never changes the window by accident.
function wheel(event) {
  if (!recording) return;
  const pixels = [1, 16, canvas.clientWidth][event.deltaMode] ?? 1;
  const rect = canvas.getBoundingClientRect();
  const { offset, span } = state.view;
  if (event.ctrlKey || event.metaKey) {
    const at = (event.clientX - rect.left) / rect.width;
    const next = span * 2 ** ((event.deltaY * pixels) / 250);
    setView(offset + at * span - at * next, next, { soon: true });
  } else {
    const sideways = event.shiftKey ? event.deltaX || event.deltaY : event.deltaX;
    if (!sideways || (!event.shiftKey && Math.abs(event.deltaY) > Math.abs(event.deltaX))) return;
    setView(offset + ((sideways * pixels) / rect.width) * span, span, { soon: true });
  }
  event.preventDefault();
}

canvas.addEventListener("wheel", wheel, { passive: false });

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
    `${when(recording.start_time)} · ${minutes} min · ${recording.sample_rate} Hz · ${recording.leads.length} lead${recording.leads.length === 1 ? "" : "s"} · analysis ${recording.status}`;
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
  spanSelect.addEventListener("change", () =>
    setView(state.view.offset, Number(spanSelect.value)),
  );
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
