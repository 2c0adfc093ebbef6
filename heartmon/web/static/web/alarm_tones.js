// Audible alarm signals with Web Audio, in the style of IEC 60601-1-8: a high priority alarm
// sounds a burst of 10 pulses repeated every 10 s, a medium one 3 pulses every 15 s, a low one 2
// pulses every 30 s. Only the most urgent open priority sounds. A nurse may pause the sound for
// 2 minutes; it comes back by itself (the pause is shown with its countdown).

const PATTERNS = {
  high: { pulses: 10, hz: 880, everyMs: 10_000 },
  medium: { pulses: 3, hz: 660, everyMs: 15_000 },
  low: { pulses: 2, hz: 523, everyMs: 30_000 },
};
const PULSE_S = 0.15;
const GAP_S = 0.1;
export const PAUSE_MS = 2 * 60_000;

export class AlarmTones {
  constructor() {
    this.context = null;
    this.priority = null;
    this.timer = 0;
    this.pausedUntil = 0;
    this.played = []; // the bursts sounded, read by the browser tests
  }

  // The most urgent priority that should sound now (null: silence).
  sound(priority) {
    if (priority === this.priority) return;
    this.priority = priority;
    clearInterval(this.timer);
    if (!priority || !PATTERNS[priority]) return;
    this.burst();
    this.timer = setInterval(() => this.burst(), PATTERNS[priority].everyMs);
  }

  pause(now = Date.now()) {
    this.pausedUntil = now + PAUSE_MS;
  }

  resume() {
    this.pausedUntil = 0;
  }

  pausedForMs(now = Date.now()) {
    return Math.max(0, this.pausedUntil - now);
  }

  burst() {
    if (this.pausedForMs() > 0 || !this.priority) return;
    const { pulses, hz } = PATTERNS[this.priority];
    this.played.push({ priority: this.priority, pulses });
    const context = this.audio();
    if (!context) return;
    const start = context.currentTime + 0.05;
    for (let pulse = 0; pulse < pulses; pulse += 1)
      this.pulse(context, hz, start + pulse * (PULSE_S + GAP_S));
  }

  pulse(context, hz, at) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = hz;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.2, at + 0.02);
    gain.gain.setValueAtTime(0.2, at + PULSE_S - 0.02);
    gain.gain.linearRampToValueAtTime(0, at + PULSE_S);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + PULSE_S);
  }

  // Browsers start audio only after a person interacted with the page; until then it is null.
  audio() {
    if (!this.context && window.AudioContext) this.context = new AudioContext();
    if (this.context?.state === "suspended") this.context.resume();
    return this.context;
  }
}
