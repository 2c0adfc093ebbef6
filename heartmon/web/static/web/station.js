// The central station: pick a ward (remembered on this computer), one tile per bed with the
// patient, their vitals and the age of each value, their most urgent alarm (station_alarms.js)
// and a lead II sweep. Tiles are filled by the live stream (live_source.js, which falls back on
// the REST source of station_source.js) and every canvas is drawn by the page's one render loop.

import { listAll } from "./api.js";
import { METRICS, formatValue, isStale } from "./metrics.js";
import { StationAlarms } from "./station_alarms.js";
import { LiveSource } from "./live_source.js";
import { Sweep } from "./sweep.js";
import { ageText, el, fullName } from "./ui.js";

const WARD_KEY = "heartmon.station.ward";
const wardSelect = document.getElementById("ward");
const tilesBox = document.getElementById("tiles");
const status = document.getElementById("station-status");
const tilesByPatient = new Map();

class Tile {
  constructor(bed, admission) {
    this.node = document.getElementById("tile-template").content.firstElementChild.cloneNode(true);
    this.node.dataset.bed = bed.id;
    this.node.querySelector(".bed").textContent = bed.name;
    this.latest = new Map();
    this.readouts = new Map(METRICS.map((metric) => [metric.key, this.readout(metric)]));
    this.node.querySelector(".readouts").append(...this.readouts.values());
    this.sweep = new Sweep(this.node.querySelector("canvas"));
    if (!admission) {
      this.node.classList.add("empty");
      this.node.querySelector(".who").textContent = "Empty bed";
      return;
    }
    const patient = admission.patient;
    this.node.dataset.patient = patient.id;
    this.node.querySelector(".bed").href = `/patients/${patient.id}`;
    this.node.querySelector(".who").textContent =
      `${fullName(patient)} · ${patient.patient_number}`;
    this.node.setAttribute("aria-label", `${bed.name}: ${fullName(patient)}`);
  }

  readout(metric) {
    return el(
      "div",
      { class: `readout ${metric.key} nodata`, dataset: { metric: metric.key } },
      el("div", { class: "name" }, `${metric.short} ${metric.unit}`),
      el("div", { class: "value" }, "No data"),
      el("div", { class: "age" }, ""),
    );
  }

  update(reading) {
    const previous = this.latest.get(reading.metric);
    if (previous && Date.parse(previous.recorded_at) > Date.parse(reading.recorded_at)) return;
    this.latest.set(reading.metric, reading);
    const metric = METRICS.find((m) => m.key === reading.metric);
    const node = this.readouts.get(reading.metric);
    if (!metric || !node) return;
    node.classList.remove("nodata");
    node.querySelector(".value").textContent = formatValue(metric, reading.value);
    this.age(node, reading);
  }

  age(node, reading) {
    const stale = isStale(
      METRICS.find((m) => m.key === reading.metric),
      reading,
    );
    node.classList.toggle("stale", stale);
    node.querySelector(".age").textContent =
      `${stale ? "stale · " : ""}${ageText(reading.recorded_at)}`;
  }

  refreshAges() {
    for (const [key, reading] of this.latest) this.age(this.readouts.get(key), reading);
  }
}

const alarms = new StationAlarms({
  pauseButton: document.getElementById("audio-pause"),
  audioState: document.getElementById("audio-state"),
  onAcknowledged: () => source.refreshAlarms(),
});

const source = new LiveSource({
  onReading: (reading) => tilesByPatient.get(reading.patient)?.update(reading),
  onAlarms: (open) => alarms.show(open, tilesByPatient),
  onEcg: ({ patient, samples, rate }) => tilesByPatient.get(patient)?.sweep.push(samples, rate),
  onAdmission: () => showWard(wardSelect.value),
  onError: (error) => {
    status.textContent = `Could not refresh: ${error.message}`;
  },
});

async function showWard(wardId) {
  localStorage.setItem(WARD_KEY, wardId);
  const [beds, admissions] = await Promise.all([
    listAll("/api/v1/places/", { parent: wardId, kind: "bed" }),
    listAll("/api/v1/admissions/", { open: true, place: wardId }),
  ]);
  const byPlace = new Map(admissions.map((admission) => [admission.place.id, admission]));
  beds.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const tiles = beds.map((bed) => new Tile(bed, byPlace.get(bed.id)));
  tilesByPatient.clear();
  for (const tile of tiles)
    if (tile.node.dataset.patient) tilesByPatient.set(tile.node.dataset.patient, tile);
  tilesBox.replaceChildren(...tiles.map((tile) => tile.node));
  status.textContent = `${beds.length} beds, ${tilesByPatient.size} patients`;
  if (!beds.length) tilesBox.append(el("p", { class: "muted" }, "This ward has no beds yet."));
  await alarms.loadRules([...tilesByPatient.keys()]);
  source.watch([...tilesByPatient.keys()], wardId);
}

async function main() {
  const wards = await listAll("/api/v1/places/", { kind: "ward" });
  wards.sort((a, b) => a.name.localeCompare(b.name));
  wardSelect.replaceChildren(...wards.map((ward) => el("option", { value: ward.id }, ward.name)));
  if (!wards.length) {
    status.textContent = "No wards yet: an admin adds them on the Places page.";
    return;
  }
  const remembered = localStorage.getItem(WARD_KEY);
  wardSelect.value = wards.some((w) => w.id === remembered) ? remembered : wards[0].id;
  wardSelect.addEventListener("change", () => showWard(wardSelect.value));
  setInterval(() => {
    for (const tile of tilesByPatient.values()) tile.refreshAges();
  }, 1000);
  await showWard(wardSelect.value);
}

main();
