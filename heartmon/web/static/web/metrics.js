// The vital signs the pages show, in the order a monitor shows them.

const MINUTE = 60_000;

export const METRICS = [
  {
    key: "heart_rate",
    label: "Heart rate",
    short: "HR",
    unit: "bpm",
    digits: 0,
    color: "#4ade80",
    staleMs: 2 * MINUTE,
  },
  {
    key: "spo2",
    label: "SpO₂",
    short: "SpO₂",
    unit: "%",
    digits: 0,
    color: "#67d4f5",
    staleMs: 2 * MINUTE,
  },
  {
    key: "resp_rate",
    label: "Respiration",
    short: "RR",
    unit: "/min",
    digits: 0,
    color: "#f5d76e",
    staleMs: 5 * MINUTE,
  },
  {
    key: "temperature",
    label: "Temperature",
    short: "Temp",
    unit: "°C",
    digits: 1,
    color: "#f0a3ff",
    staleMs: 60 * MINUTE,
  },
];

// Whether a reading is older than its metric is normally measured (shown dimmed, "stale").
export function isStale(metric, reading, now = Date.now()) {
  return now - Date.parse(reading.recorded_at) > metric.staleMs;
}

export function formatValue(metric, value) {
  return Number(value).toFixed(metric.digits);
}
