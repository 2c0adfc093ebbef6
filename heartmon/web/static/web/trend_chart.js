// A trend on a canvas: per time bucket, the min-max band and the mean line, for one metric over
// a window; gaps (no bucket) break the line. Drawn by the page's render loop.

import { addWidget, invalidate } from "./render_loop.js";

const INK = { grid: "#2a3441", label: "#a9b4c0", band: "rgba(255,255,255,0.18)" };

function timeLabel(ms, span) {
  const options =
    span > 86400e3 ? { month: "short", day: "numeric" } : { hour: "2-digit", minute: "2-digit" };
  return new Date(ms).toLocaleString(undefined, options);
}

function range(series) {
  let low = Infinity;
  let high = -Infinity;
  for (const point of series) {
    low = Math.min(low, point.min ?? point.value);
    high = Math.max(high, point.max ?? point.value);
  }
  const pad = Math.max((high - low) * 0.1, 1);
  return [low - pad, high + pad];
}

function drawGrid(ctx, width, height, scale, [low, high], ratio) {
  ctx.strokeStyle = INK.grid;
  ctx.fillStyle = INK.label;
  ctx.lineWidth = 1;
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  for (let step = 0; step <= 4; step += 1) {
    const value = low + ((high - low) * step) / 4;
    const y = Math.round(scale.y(value)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
    ctx.stroke();
    ctx.fillText(value.toFixed(high - low < 10 ? 1 : 0), 4 * ratio, y - 3 * ratio);
  }
  ctx.fillText(scale.startLabel, 4 * ratio, height - 4 * ratio);
  const endWidth = ctx.measureText(scale.endLabel).width;
  ctx.fillText(scale.endLabel, width - endWidth - 4 * ratio, height - 4 * ratio);
}

function drawSeries(ctx, series, scale, bucketMs, color, ratio) {
  ctx.fillStyle = INK.band;
  for (const point of series) {
    const x = scale.x(point.t);
    const top = scale.y(point.max ?? point.value);
    const bottom = scale.y(point.min ?? point.value);
    ctx.fillRect(x, top, Math.max(scale.width(bucketMs), ratio), Math.max(bottom - top, ratio));
  }
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * ratio;
  ctx.beginPath();
  let previous = null;
  for (const point of series) {
    const x = scale.x(point.t + bucketMs / 2);
    const y = scale.y(point.value);
    if (previous === null || point.t - previous > 2 * bucketMs) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
    previous = point.t;
  }
  ctx.stroke();
  drawLonePoints(ctx, series, scale, bucketMs, color, ratio);
}

// A bucket with no neighbour makes no line: it gets a dot.
function drawLonePoints(ctx, series, scale, bucketMs, color, ratio) {
  const near = (a, b) => a && b && Math.abs(a.t - b.t) <= 2 * bucketMs;
  ctx.fillStyle = color;
  series.forEach((point, i) => {
    if (near(point, series[i - 1]) || near(point, series[i + 1])) return;
    ctx.beginPath();
    ctx.arc(scale.x(point.t + bucketMs / 2), scale.y(point.value), 3 * ratio, 0, 2 * Math.PI);
    ctx.fill();
  });
}

export class TrendChart {
  constructor(canvas, color) {
    this.canvas = canvas;
    this.color = color;
    this.series = [];
    addWidget(this);
  }

  // series: [{t (ms), value, min, max}] sorted by t; window [startMs, endMs]; bucket in ms.
  show(series, startMs, endMs, bucketMs) {
    Object.assign(this, { series, startMs, endMs, bucketMs });
    this.canvas.dataset.points = String(series.length);
    invalidate(this);
  }

  draw(ctx, width, height) {
    const ratio = window.devicePixelRatio || 1;
    ctx.fillStyle = "#0b0f14";
    ctx.fillRect(0, 0, width, height);
    if (!this.series.length) {
      ctx.fillStyle = INK.label;
      ctx.font = `${14 * ratio}px system-ui, sans-serif`;
      ctx.fillText("No readings in this window", 12 * ratio, height / 2);
      return;
    }
    const [low, high] = range(this.series);
    const span = this.endMs - this.startMs;
    const plotHeight = height - 18 * ratio;
    const scale = {
      x: (t) => ((t - this.startMs) / span) * width,
      width: (ms) => (ms / span) * width,
      y: (value) => plotHeight - ((value - low) / (high - low)) * (plotHeight - 16 * ratio),
      startLabel: timeLabel(this.startMs, span),
      endLabel: timeLabel(this.endMs, span),
    };
    drawGrid(ctx, width, height, scale, [low, high], ratio);
    drawSeries(ctx, this.series, scale, this.bucketMs, this.color, ratio);
  }
}
