// Where the central station's data comes from. Today: the REST API, asked for the latest reading
// of each vital of each patient on the ward, again every REFRESH_MS. The live stream (a
// WebSocket at /ws/v1/live/) will be another source with the same two calls: watch(patients)
// and stop(), reporting through the same callbacks, onReading({patient, metric, value,
// recorded_at}) and, for ECG, onEcg({patient, samples, rate}).

import { api } from "./api.js";
import { METRICS } from "./metrics.js";

const REFRESH_MS = 15_000;

export class RestSource {
  constructor({ onReading, onError }) {
    this.onReading = onReading;
    this.onError = onError;
    this.timer = 0;
    this.patients = [];
  }

  watch(patients) {
    this.stop();
    this.patients = patients;
    this.poll();
    this.timer = setInterval(() => this.poll(), REFRESH_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.patients = [];
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
