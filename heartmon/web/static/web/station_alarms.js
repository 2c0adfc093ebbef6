// The central station's alarms: each tile shows its patient's most urgent open alarm (priority by
// colour, marks and word, and a message such as "HR 134 > 120") with an Acknowledge button for
// those allowed; the most urgent unacknowledged priority of the ward sounds (alarm_tones.js),
// and a nurse may pause the sound for 2 minutes, shown with its countdown.

import { api } from "./api.js";
import { AlarmTones } from "./alarm_tones.js";
import { alarmMessage, mostUrgent } from "./alarm_text.js";
import { can } from "./ui.js";

// Unchanged text is left alone, so the tile's alert is announced once, not at every poll.
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export class StationAlarms {
  constructor({ pauseButton, audioState, onAcknowledged }) {
    this.tones = new AlarmTones();
    this.rules = new Map(); // patient id -> Map(metric -> effective rule)
    this.pauseButton = pauseButton;
    this.audioState = audioState;
    this.onAcknowledged = onAcknowledged;
    pauseButton.hidden = !can("alarms_acknowledge");
    pauseButton.addEventListener("click", () => this.togglePause());
    window.heartmonTones = this.tones; // read by the browser tests
    setInterval(() => this.showAudioState(), 1000);
  }

  async loadRules(patients) {
    this.rules.clear();
    if (!can("alarm_rules_read")) return;
    await Promise.all(
      patients.map(async (patient) => {
        const rules = await api(`/api/v1/patients/${patient}/alarm-rules/effective/`);
        this.rules.set(patient, new Map(rules.map((rule) => [rule.metric, rule])));
      }),
    );
  }

  // Every open alarm of the ward; tiles are found by patient.
  show(alarms, tilesByPatient) {
    for (const [patient, tile] of tilesByPatient) {
      const alarm = mostUrgent(alarms.filter((each) => each.patient === patient));
      this.showOnTile(tile.node, alarm);
    }
    const sounding = mostUrgent(alarms.filter((alarm) => !alarm.acknowledged_at));
    this.tones.sound(sounding?.priority || null);
    this.showAudioState();
  }

  showOnTile(node, alarm) {
    for (const priority of ["high", "medium", "low"])
      node.classList.toggle(`alarm-${priority}`, alarm?.priority === priority);
    node.classList.toggle("acknowledged", Boolean(alarm?.acknowledged_at));
    const box = node.querySelector(".alarm");
    box.hidden = !alarm;
    if (!alarm) return;
    const rule = this.rules.get(alarm.patient)?.get(alarm.condition);
    box.dataset.alarm = alarm.id;
    const badge = box.querySelector(".priority");
    badge.className = `priority ${alarm.priority}`;
    setText(badge, alarm.priority);
    setText(box.querySelector(".message"), alarmMessage(alarm, rule));
    const button = box.querySelector(".ack");
    button.hidden = Boolean(alarm.acknowledged_at) || !can("alarms_acknowledge");
    button.onclick = () => this.acknowledge(alarm, button);
    box.querySelector(".acked").hidden = !alarm.acknowledged_at;
  }

  async acknowledge(alarm, button) {
    button.disabled = true;
    try {
      await api(`/api/v1/alarms/${alarm.id}/acknowledge/`, { method: "POST", body: {} });
      await this.onAcknowledged();
    } finally {
      button.disabled = false;
    }
  }

  togglePause() {
    if (this.tones.pausedForMs() > 0) this.tones.resume();
    else this.tones.pause();
    this.showAudioState();
  }

  showAudioState() {
    const left = Math.ceil(this.tones.pausedForMs() / 1000);
    document.body.classList.toggle("audio-paused", left > 0);
    this.pauseButton.textContent = left > 0 ? "Resume audio" : "Pause audio (2 min)";
    const countdown = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    this.audioState.textContent = left > 0 ? `🔇 Audio paused · ${countdown}` : "";
  }
}
