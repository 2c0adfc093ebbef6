// The vital signs the pages show, in the order a monitor shows them.

export const METRICS = [
  { key: "heart_rate", label: "Heart rate", short: "HR", unit: "bpm", digits: 0, color: "#4ade80" },
  { key: "spo2", label: "SpO₂", short: "SpO₂", unit: "%", digits: 0, color: "#67d4f5" },
  { key: "resp_rate", label: "Respiration", short: "RR", unit: "/min", digits: 0, color: "#f5d76e" },
  { key: "temperature", label: "Temperature", short: "Temp", unit: "°C", digits: 1, color: "#f0a3ff" },
];

// A reading older than this is shown as stale (dimmed, with its age).
export const STALE_AFTER_MS = 5 * 60 * 1000;

export function formatValue(metric, value) {
  return Number(value).toFixed(metric.digits);
}
