// Module worker: decodes and windows the image on view, off the page's
// thread. It holds one ImageView (the WASM decoder) at a time and draws into
// the page's canvas, transferred here as an OffscreenCanvas; where a browser
// cannot transfer a canvas, each frame's RGBA goes back to the page instead.
//
// Requests: { id, op, ... } → { id, result } or { id, error }.
//   open  { file, canvas?, regions } → the image's facts
//   draw  { center, width, frame, voiLut, overlays, boxes } → { range, rgba? }
//   pixel { x, y } → [r, g, b, a] (for tests)
//   close
import init, { ImageView } from './pkg/dicom_inspector.js';

const ready = init();
let view = null;
let ctx = null;
let image = null;
let regions = [];
let session = 0;

function facts() {
  return {
    session,
    width: view.width(),
    height: view.height(),
    frames: view.frames(),
    window: view.window(),
    range: view.range(),
    isColor: view.is_color(),
    presets: view.is_color() ? [] : view.presets(),
    hasVoiLut: view.has_voi_lut(),
    hasOverlays: view.has_overlays(),
  };
}

async function open({ file, canvas, regions: r }) {
  view?.free();
  view = null;
  const bytes = new Uint8Array(await file.arrayBuffer());
  view = new ImageView(bytes);
  session += 1;
  regions = r ?? [];
  const [w, h] = [view.width(), view.height()];
  if (canvas) {
    canvas.width = w;
    canvas.height = h;
    ctx = canvas.getContext('2d');
    image = ctx.createImageData(w, h);
  } else {
    ctx = null;
    image = null;
  }
  return facts();
}

function draw({ center, width, frame, voiLut, overlays, boxes }) {
  if (!view) throw new Error('no image is open');
  if (frame !== view.frame()) view.set_frame(frame);
  view.set_voi_lut(Boolean(voiLut));
  view.set_overlays(overlays !== false);
  view.render(center, width);
  const result = { range: view.range() };
  if (!ctx) {
    // No OffscreenCanvas: the page draws a copy.
    result.rgba = new Uint8ClampedArray(view.rgba());
    return result;
  }
  image.data.set(view.rgba());
  ctx.putImageData(image, 0, 0);
  if (boxes) {
    ctx.strokeStyle = '#ff3b30';
    ctx.lineWidth = Math.max(1, Math.round(view.width() / 256));
    for (const region of regions.filter((x) => x.frame === view.frame())) {
      for (const b of region.boxes) ctx.strokeRect(b.x - 1, b.y - 1, b.width + 2, b.height + 2);
    }
  }
  return result;
}

self.onmessage = async ({ data }) => {
  const { id, op } = data;
  try {
    await ready;
    let result = null;
    if (op === 'open') result = await open(data);
    else if (op === 'draw') result = draw(data);
    else if (op === 'pixel') result = ctx ? [...ctx.getImageData(data.x, data.y, 1, 1).data] : null;
    else if (op === 'close') {
      view?.free();
      view = null;
    }
    const transfer = result?.rgba ? [result.rgba.buffer] : [];
    self.postMessage({ id, result }, transfer);
  } catch (err) {
    self.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
};
