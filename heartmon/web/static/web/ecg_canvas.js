// Drawing an ECG window on the standard grid: 10 mm per mV always, 25 mm/s when the window is
// 10 s (a 10-second strip fills the width, as on paper); beats marked with their class, the
// heart rate derived from each RR interval in a strip above, and the calipers.

const PAPER = { background: "#fffafa", minor: "#f6c9cf", major: "#e58a97", trace: "#111111" };
const STRIP_MM = 9; // the heart-rate strip above the leads
const LEAD_MM = 30; // each lead's row: 3 mV

export function layout(cssWidth, leadCount) {
  const pxPerMm = cssWidth / 250;
  return { pxPerMm, cssHeight: Math.round((STRIP_MM + LEAD_MM * leadCount) * pxPerMm) };
}

function drawGrid(ctx, view, width, height, mm) {
  const secondsPerPx = view.span / width;
  ctx.fillStyle = PAPER.background;
  ctx.fillRect(0, 0, width, height);
  const lines = [
    [0.04, 0.1, PAPER.minor],
    [0.2, 0.5, PAPER.major],
  ];
  for (const [seconds, millivolts, color] of lines) {
    const dx = seconds / secondsPerPx;
    const dy = millivolts * 10 * mm;
    ctx.strokeStyle = color;
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (dx >= 3) {
      const first = Math.ceil(view.offset / seconds) * seconds;
      for (let t = first; t <= view.offset + view.span; t += seconds) {
        const x = Math.round((t - view.offset) / secondsPerPx) + 0.5;
        ctx.moveTo(x, 0);
        ctx.lineTo(x, height);
      }
    }
    if (dy >= 3) {
      for (let y = STRIP_MM * mm; y <= height; y += dy) {
        ctx.moveTo(0, Math.round(y) + 0.5);
        ctx.lineTo(width, Math.round(y) + 0.5);
      }
    }
    ctx.stroke();
  }
}

function drawLead(ctx, window, leadIndex, row, view, width, mm) {
  const values = window.values[leadIndex];
  const centre = window.centres[leadIndex];
  const baseline = (STRIP_MM + LEAD_MM * row + LEAD_MM / 2) * mm;
  const x = (seconds) => ((seconds - view.offset) / view.span) * width;
  ctx.strokeStyle = PAPER.trace;
  ctx.lineWidth = Math.max(1, mm / 4);
  ctx.beginPath();
  for (let i = 0; i < values.length; i += 1) {
    const px = x(window.secondsAt(i));
    const py = baseline - (values[i] - centre) * 10 * mm;
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.stroke();
  ctx.fillStyle = PAPER.trace;
  ctx.font = `${3 * mm}px system-ui, sans-serif`;
  ctx.fillText(window.leads[leadIndex], 2 * mm, baseline + 12 * mm);
}

function drawBeats(ctx, beats, view, width, mm) {
  const stripBottom = STRIP_MM * mm;
  const rateY = (bpm) =>
    stripBottom - ((Math.min(Math.max(bpm, 30), 210) - 30) / 180) * (stripBottom - 2 * mm) - mm;
  ctx.font = `${2.6 * mm}px system-ui, sans-serif`;
  for (let i = 0; i < beats.seconds.length; i += 1) {
    const x = ((beats.seconds[i] - view.offset) / view.span) * width;
    const ventricular = beats.classes[i] === "V";
    ctx.fillStyle = ventricular ? "#b3123a" : "#0b5cad";
    if (view.span <= 60) ctx.fillText(beats.classes[i], x - mm, stripBottom + 3 * mm);
    if (i === 0) continue;
    const bpm = 60 / (beats.seconds[i] - beats.seconds[i - 1]);
    ctx.fillRect(x - mm / 2, rateY(bpm) - mm / 2, mm, mm);
    if (view.span <= 30) ctx.fillText(`${Math.round(bpm)}`, x + mm, rateY(bpm));
  }
  ctx.fillStyle = "#4f5762";
  ctx.fillText("HR (bpm, 30–210)", width - 26 * mm, 3 * mm);
}

function drawCalipers(ctx, calipers, view, width, height) {
  ctx.strokeStyle = "#0b5cad";
  ctx.lineWidth = 2;
  ctx.setLineDash([6, 4]);
  for (const seconds of calipers) {
    const x = Math.round(((seconds - view.offset) / view.span) * width) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, height);
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

export function drawEcg(ctx, width, height, state) {
  const ratio = window.devicePixelRatio || 1;
  const mm = layout(width / ratio, 1).pxPerMm * ratio;
  drawGrid(ctx, state.view, width, height, mm);
  if (!state.window) return;
  state.shownLeads.forEach((leadIndex, row) =>
    drawLead(ctx, state.window, leadIndex, row, state.view, width, mm),
  );
  if (state.beats) drawBeats(ctx, state.beats, state.view, width, mm);
  drawCalipers(ctx, state.calipers, state.view, width, height);
}
