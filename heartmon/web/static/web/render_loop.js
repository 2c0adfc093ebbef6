// The one render loop of a page: every canvas widget on it is drawn from here, in one
// requestAnimationFrame callback, only when it changed (dirty) or while it animates (a sweep).
// A widget is {canvas, draw(ctx, width, height, now), animated?}; width and height are in device
// pixels (the canvas is kept at its CSS size times devicePixelRatio).

const widgets = new Set();
let frame = 0;

function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(canvas.clientWidth * ratio);
  const height = Math.round(canvas.clientHeight * ratio);
  if (canvas.width === width && canvas.height === height) return false;
  canvas.width = width;
  canvas.height = height;
  return true;
}

function tick(now) {
  frame = 0;
  let animating = false;
  for (const widget of widgets) {
    if (!widget.canvas.isConnected) {
      widgets.delete(widget);
      continue;
    }
    const resized = fit(widget.canvas);
    if (!(resized || widget.dirty || widget.animated)) continue;
    widget.dirty = false;
    const context = widget.canvas.getContext("2d");
    widget.draw(context, widget.canvas.width, widget.canvas.height, now);
    animating ||= Boolean(widget.animated);
  }
  if (animating) wake();
}

function wake() {
  frame ||= requestAnimationFrame(tick);
}

export function addWidget(widget) {
  widget.dirty = true;
  widgets.add(widget);
  wake();
  return widget;
}

export function invalidate(widget) {
  widget.dirty = true;
  wake();
}

window.addEventListener("resize", wake);
