// The central station's fallback source: the REST API, asked for the latest reading of each
// vital of each patient on the ward every REFRESH_MS and for the ward's open alarms every
// ALARMS_MS, while the live stream (live_source.js) is down or until it has answered. It has the
// live source's calls, watch(patients, ward) and stop(), and reports through the same callbacks,
// onReading({patient, metric, value, recorded_at}) and onAlarms(every open alarm of the ward).

import { api, listAll } from "./api.js";
import { METRICS } from "./metrics.js";
import { can } from "./ui.js";

const REFRESH_MS = 15_000;
const ALARMS_MS = 3_000;

export class RestSource {
  constructor({ onReading, onAlarms, onError }) {
    this.onReading = onReading;
    this.onAlarms = onAlarms;
    this.onError = onError;
    this.timers = [];
    this.patients = [];
    this.ward = null;
  }

  watch(patients, ward) {
    this.stop();
    this.patients = patients;
    this.ward = ward;
    this.poll();
    this.pollAlarms();
    this.timers = [
      setInterval(() => this.poll(), REFRESH_MS),
      setInterval(() => this.pollAlarms(), ALARMS_MS),
    ];
  }

  stop() {
    for (const timer of this.timers) clearInterval(timer);
    this.patients = [];
    this.ward = null;
  }

  // Asked again now (after an acknowledgement, say) rather than at the next tick.
  refreshAlarms() {
    return this.pollAlarms();
  }

  async pollAlarms() {
    const ward = this.ward;
    if (!ward || !can("alarms_read")) return;
    try {
      const alarms = await listAll("/api/v1/alarms/", { state: "open", place: ward });
      if (ward === this.ward) this.onAlarms(alarms);
    } catch (error) {
      this.onError(error);
    }
  }

  async poll() {
    const asked = this.patients;
    const latest = asked.flatMap((patient) =>
      METRICS.map(async (metric) => {
        const page = await api("/api/v1/readings/", {
          query: { patient, metric: metric.key, ordering: "-recorded_at", limit: 1 },
        });
        if (page.results.length && asked === this.patients)
          this.onReading({ patient, ...page.results[0] });
      }),
    );
    try {
      await Promise.all(latest);
    } catch (error) {
      this.onError(error);
    }
  }
}
