// A lead II sweep at 25 mm/s, as a bedside monitor draws it: new samples are written from left
// to right over the old ones, with a gap ahead of the writing point. Samples arrive in frames
// (from the live stream) and are drawn as the clock reaches them; a widget of the page's one
// render loop, animated only while it has a stream.

import { addWidget, invalidate } from "./render_loop.js";

const MM_PER_S = 25;
const CSS_PX_PER_MM = 3.78; // 96 dpi
const GAP_S = 0.25;

export class Sweep {
  constructor(canvas) {
    this.canvas = canvas;
    this.samples = new Float32Array(0);
    this.rate = 0;
    this.firstAt = 0; // performance.now() of the stream's first sample
    this.received = 0;
    this.animated = false;
    addWidget(this);
  }

  get seconds() {
    return this.canvas.clientWidth / (MM_PER_S * CSS_PX_PER_MM);
  }

  // Millivolt samples at `rate` Hz, following the ones before without a break.
  push(samples, rate) {
    if (rate !== this.rate || !this.animated) this.reset(rate);
    const size = Math.ceil(this.seconds * rate);
    if (this.samples.length !== size) this.samples = new Float32Array(size);
    for (const value of samples) {
      this.samples[this.received % size] = value;
      this.received += 1;
    }
    invalidate(this); // wakes the render loop, idle while nothing animated
  }

  reset(rate) {
    this.rate = rate;
    this.received = 0;
    this.firstAt = performance.now();
    this.animated = true;
  }

  stop() {
    this.animated = false;
    this.dirty = true;
  }

  // The mean of what is shown: recordings carry the ADC's offset, drawn centred all the same.
  baseline(count) {
    let sum = 0;
    for (let i = 0; i < count; i += 1) sum += this.samples[i];
    return count ? sum / count : 0;
  }

  draw(ctx, width, height, now) {
    ctx.clearRect(0, 0, width, height);
    if (!this.animated || !this.samples.length) {
      const ratio = window.devicePixelRatio || 1;
      ctx.fillStyle = "#a9b4c0";
      ctx.font = `${12 * ratio}px system-ui, sans-serif`;
      ctx.fillText("ECG: no stream", 4 * ratio, height / 2);
      return;
    }
    const size = this.samples.length;
    const shown = Math.min(this.received, Math.floor(((now - this.firstAt) / 1000) * this.rate));
    const head = shown % size;
    const gap = Math.ceil(GAP_S * this.rate);
    const x = (i) => (i / size) * width;
    const baseline = this.baseline(Math.min(shown, size));
    const y = (mv) => height / 2 - (mv - baseline) * (height / 3);
    ctx.strokeStyle = "#4ade80";
    ctx.lineWidth = Math.max(1.5, (window.devicePixelRatio || 1) * 1.5);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < size; i += 1) {
      const ahead = (i - head + size) % size; // 0: the next sample to be written over
      const drawn = shown < size ? i < head : ahead > gap;
      if (drawn && pen) ctx.lineTo(x(i), y(this.samples[i]));
      else if (drawn) ctx.moveTo(x(i), y(this.samples[i]));
      pen = drawn;
    }
    ctx.stroke();
  }
}
