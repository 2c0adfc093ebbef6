// A lead II sweep at 25 mm/s, as a bedside monitor draws it: new samples are written from left
// to right over the old ones, with a gap ahead of the writing point. Samples arrive in frames
// (from the live stream) and are drawn as the clock reaches them; a widget of the page's one
// render loop, animated only while it has a stream. Each frame repaints only the columns where
// the trace was written or the gap moved on: the station's 16 sweeps redrawn whole at every
// frame kept a core busy rasterizing canvases (bench figure 10).

import { addWidget, invalidate } from "./render_loop.js";

const MM_PER_S = 25;
const CSS_PX_PER_MM = 3.78; // 96 dpi
const GAP_S = 0.25;
// The clock this far past the last sample received: the device stopped streaming, and a trace
// frozen on its last seconds must not pass for a live one.
const STALLED_S = 3;

export class Sweep {
  constructor(canvas) {
    this.canvas = canvas;
    this.samples = new Float32Array(0);
    this.rate = 0;
    this.firstAt = 0; // performance.now() of the stream's first sample
    this.received = 0;
    this.animated = false;
    this.painted = null; // what the canvas holds: {width, height, size, shown}
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
    this.painted = null;
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

  stalled(now) {
    return ((now - this.firstAt) / 1000 - STALLED_S) * this.rate > this.received;
  }

  draw(ctx, width, height, now) {
    if (this.animated && this.stalled(now)) this.stop();
    if (!this.animated || !this.samples.length) {
      this.painted = null;
      ctx.clearRect(0, 0, width, height);
      const ratio = window.devicePixelRatio || 1;
      ctx.fillStyle = "#a9b4c0";
      ctx.font = `${12 * ratio}px system-ui, sans-serif`;
      ctx.fillText("ECG: no stream", 4 * ratio, height / 2);
      return;
    }
    const size = this.samples.length;
    const shown = Math.min(this.received, Math.floor(((now - this.firstAt) / 1000) * this.rate));
    const last = this.painted;
    const same = last && last.width === width && last.height === height && last.size === size;
    if (same && shown === last.shown) return;
    const view = this.view(width, height, size, shown);
    if (same && shown > last.shown && shown - last.shown <= view.gap) {
      // The samples written since, and those the gap now hides, with their neighbours.
      const written = shown - last.shown;
      for (const from of [last.shown - 1, last.shown + view.gap])
        for (const [left, right] of view.columns(from, from + written + 1))
          this.paint(ctx, view, left, right);
    } else {
      this.paint(ctx, view, 0, width);
    }
    this.painted = { width, height, size, shown };
  }

  // Where each sample goes and whether it shows: what was written, but for the gap ahead of the
  // writing point (which wraps to the left edge as the point nears the right one).
  view(width, height, size, shown) {
    const head = shown % size;
    const gap = Math.ceil(GAP_S * this.rate);
    const baseline = this.baseline(Math.min(shown, size));
    const lineWidth = Math.max(1.5, (window.devicePixelRatio || 1) * 1.5);
    const pad = Math.ceil(lineWidth) + 1; // a stroke's reach beyond its points (round joins)
    const x = (i) => (i / size) * width;
    return {
      size,
      width,
      height,
      gap,
      lineWidth,
      pad,
      x,
      y: (mv) => height / 2 - (mv - baseline) * (height / 3),
      shows: (i) => i < shown && (i - head + size) % size > gap,
      // The pixel columns around samples `from` to `to`, positions in the stream (the span may
      // wrap past the right edge).
      columns(from, to) {
        const first = ((from % size) + size) % size;
        const last = first + (to - from);
        const around = (a, b) => [
          Math.max(0, Math.floor(x(a)) - pad),
          Math.min(width, Math.ceil(x(b)) + pad),
        ];
        if (last < size) return [around(first, last)];
        return [around(first, size - 1), around(0, last - size)];
      },
    };
  }

  // Clears the columns [left, right) and draws again, clipped to them, every segment of the
  // trace that reaches them: there, the pixels of a whole redraw.
  paint(ctx, view, left, right) {
    const { size, width, x, y } = view;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, right - left, view.height);
    ctx.clip();
    ctx.clearRect(left, 0, right - left, view.height);
    ctx.strokeStyle = "#4ade80";
    ctx.lineWidth = view.lineWidth;
    ctx.lineJoin = "round";
    ctx.beginPath();
    const first = Math.max(0, Math.floor(((left - view.pad) / width) * size) - 1);
    const last = Math.min(size - 1, Math.ceil(((right + view.pad) / width) * size) + 1);
    let pen = false;
    for (let i = first; i <= last; i += 1) {
      const shows = view.shows(i);
      if (shows && pen) ctx.lineTo(x(i), y(this.samples[i]));
      else if (shows) ctx.moveTo(x(i), y(this.samples[i]));
      pen = shows;
    }
    ctx.stroke();
    ctx.restore();
  }
}
