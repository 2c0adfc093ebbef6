// The central station's data from the live stream (/ws/v1/live/, signed in by the page's
// cookie): the ward's place stream (vitals of every patient admitted in it, admissions, ECG
// frames) and the organization's alarm feed. Same calls and callbacks as RestSource, plus
// onAdmission (the ward's beds changed). After a drop it reconnects and resumes from the last
// sequence number of each stream, the REST source polling meanwhile; told to `reset`, it
// reloads that stream by REST.
// The alarms start from the REST list and follow the feed's events.

import { listAll } from "./api.js";
import { RestSource } from "./station_source.js";
import { can } from "./ui.js";

const RETRY_MS = [500, 1000, 2000, 5000];
const ECG_MAGIC = "HMEG";

// A binary ECG frame (the live README's layout): patient, rate, and lead II (or the MIT-BIH
// recordings' modified lead II, MLII; else the first lead) in millivolts.
export function parseEcgFrame(buffer) {
  const view = new DataView(buffer);
  const magic = String.fromCharCode(...new Uint8Array(buffer, 0, 4));
  if (magic !== ECG_MAGIC) return null;
  const hex = [...new Uint8Array(buffer, 4, 16)]
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join("");
  const patient = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20)]
    .concat(hex.slice(20))
    .join("-");
  const rate = view.getFloat32(36, true);
  const scale = view.getFloat32(40, true);
  const count = view.getUint16(44, true);
  const leadCount = view.getUint8(46);
  const namesLength = view.getUint8(47);
  const names = String.fromCharCode(...new Uint8Array(buffer, 48, namesLength)).split(",");
  const lead = Math.max(0, names.indexOf("II"), names.indexOf("MLII"));
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i += 1)
    samples[i] = view.getInt16(48 + namesLength + 2 * (i * leadCount + lead), true) / scale;
  return { patient, rate, samples };
}

export class LiveSource {
  constructor({ onReading, onAlarms, onEcg, onAdmission, onError }) {
    Object.assign(this, { onReading, onAlarms, onEcg, onAdmission, onError });
    this.rest = new RestSource({ onReading, onAlarms, onError });
    this.seq = new Map(); // stream -> last seq seen
    this.alarms = new Map(); // open alarms of the watched patients, by id
    this.patients = new Set();
    this.ward = null;
    this.socket = null;
    this.retries = 0;
  }

  watch(patients, ward) {
    const moved = ward !== this.ward || !this.socket;
    this.patients = new Set(patients);
    this.ward = ward;
    if (moved) {
      this.seq.clear();
      this.rest.stop();
      this.close();
      this.connect();
    }
    this.rest.patients = patients;
    this.rest.poll(); // the latest values now; the stream brings the next ones
    this.refreshAlarms();
  }

  stop() {
    this.ward = null;
    this.rest.stop();
    this.close();
  }

  close() {
    if (!this.socket) return;
    this.socket.onclose = null;
    this.socket.close();
    this.socket = null;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/v1/live/`);
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = () => this.reconnect();
    this.socket = socket;
  }

  // While the stream is down, the REST source polls in its place.
  reconnect() {
    this.socket = null;
    if (!this.ward) return;
    if (!this.rest.ward) this.rest.watch([...this.patients], this.ward);
    const wait = RETRY_MS[Math.min(this.retries, RETRY_MS.length - 1)];
    this.retries += 1;
    setTimeout(() => this.ward && !this.socket && this.connect(), wait);
  }

  streams() {
    return [`place:${this.ward}`, ...(this.alarmsWatched() ? ["alarms"] : [])];
  }

  alarmsWatched() {
    return can("alarms_read");
  }

  subscribe() {
    const resume = Object.fromEntries(this.seq);
    for (const stream of this.streams())
      this.send({ type: "subscribe", stream, ...(this.seq.size ? { resume } : {}) });
  }

  send(message) {
    this.socket?.send(JSON.stringify(message));
  }

  receive(data) {
    if (data instanceof ArrayBuffer) {
      const frame = parseEcgFrame(data);
      if (frame && this.patients.has(frame.patient)) this.onEcg?.(frame);
      return;
    }
    const message = JSON.parse(data);
    if (message.stream && message.seq !== undefined) this.seq.set(message.stream, message.seq);
    const handle = this.handlers[message.type];
    if (handle) handle.call(this, message);
  }

  handlers = {
    welcome() {
      this.retries = 0;
      if (this.rest.ward) {
        this.rest.stop();
        this.refreshAlarms();
      }
      this.subscribe();
    },
    ping() {
      this.send({ type: "pong" });
    },
    vitals({ patient, values }) {
      for (const [metric, { value, at }] of Object.entries(values))
        this.onReading({ patient, metric, value, recorded_at: at });
    },
    alarm({ alarm }) {
      if (!this.patients.has(alarm.patient)) return;
      if (alarm.state === "open") this.alarms.set(alarm.id, alarm);
      else this.alarms.delete(alarm.id);
      this.onAlarms([...this.alarms.values()]);
    },
    admission() {
      this.onAdmission?.();
    },
    reset({ stream }) {
      this.seq.delete(stream);
      if (stream === "alarms") this.refreshAlarms();
      else this.rest.poll();
    },
    error({ problem }) {
      this.onError(new Error(problem?.detail || "The live stream refused a request."));
    },
  };

  async refreshAlarms() {
    const ward = this.ward;
    if (!ward || !this.alarmsWatched()) return;
    try {
      const open = await listAll("/api/v1/alarms/", { state: "open", place: ward });
      if (ward !== this.ward) return;
      this.alarms = new Map(open.map((alarm) => [alarm.id, alarm]));
      this.onAlarms([...this.alarms.values()]);
    } catch (error) {
      this.onError(error);
    }
  }
}
