// The image viewer. Decoding and windowing run in a worker
// (viewer-worker.js) that draws straight into the canvas, transferred to it
// as an OffscreenCanvas: a 4096×4096 drag or a large multi-frame file never
// blocks the page. The page keeps the controls, zoom and pan (a CSS
// transform) and sends the window; while one frame is drawn, only the
// latest request waits.
let worker = null;
let nextId = 1;
const calls = new Map();

/** Calls the viewer's worker, started on first use and shared by every image shown. */
function call(op, args = {}, transfer = []) {
  if (!worker) {
    worker = new Worker(new URL('./viewer-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => {
      const c = calls.get(data.id);
      calls.delete(data.id);
      if (!c) return;
      if (data.error) c.reject(new Error(data.error));
      else c.resolve(data.result);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      for (const c of calls.values()) c.reject(new Error(event.message || 'the viewer stopped'));
      calls.clear();
      worker.terminate();
      worker = null;
    };
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    calls.set(id, { resolve, reject });
    worker.postMessage({ id, op, ...args }, transfer);
  });
}

/** Largest file the viewer decodes (on the page's thread, whole). */
const VIEW_LIMIT = 512 * 1024 * 1024;
const ZOOM_MIN = 0.25;
const ZOOM_MAX = 16;

const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
};

/**
 * Builds the viewer section for a file. `pixels` is the report's `pixels`
 * entry; `blob` the file. Returns the section element at once and fills it.
 */
export function imageSection(blob, pixels) {
  const section = el('section', 'viewer');
  section.append(el('h3', null, 'Image'));
  if (blob.size > VIEW_LIMIT) {
    section.append(el('p', 'cannot-display', `The image is not displayed: the file is ${(blob.size / 2 ** 20).toFixed(0)} MiB, more than the viewer loads at once (${VIEW_LIMIT / 2 ** 20} MiB). Its header was inspected.`));
    return section;
  }
  if (!pixels.decodable) {
    section.append(el('p', 'cannot-display', `The image cannot be displayed: ${pixels.decode_error ?? 'the pixels were not decoded'}.`));
    return section;
  }
  const status = el('p', 'hint', 'Decoding…');
  section.append(status);
  show(section, status, blob, pixels).catch((err) => {
    console.error('viewer:', err);
    status.textContent = `The image cannot be displayed: ${err.message ?? err}`;
    status.className = 'cannot-display';
  });
  return section;
}

async function show(section, status, blob, pixels) {
  const canvas = el('canvas', 'image');
  const offscreen = typeof canvas.transferControlToOffscreen === 'function' && typeof OffscreenCanvas === 'function';
  const target = offscreen ? canvas.transferControlToOffscreen() : null;
  const facts = await call('open', { file: blob, canvas: target, regions: pixels.text_regions }, target ? [target] : []);
  const { width: w, height: h, frames } = facts;
  // What the worker draws with; `view` answers as the decoder did when it
  // lived on this thread.
  const state = { frame: 0, voiLut: facts.hasVoiLut, overlays: true, range: facts.range };
  const view = {
    frames: () => frames,
    frame: () => state.frame,
    is_color: () => facts.isColor,
    range: () => state.range,
    has_overlays: () => facts.hasOverlays,
    has_voi_lut: () => facts.hasVoiLut,
    presets: () => facts.presets,
    set_voi_lut: (on) => { state.voiLut = on; },
    set_overlays: (on) => { state.overlays = on; },
    set_frame: (i) => { state.frame = i; },
  };
  const controls = el('div', 'viewer-controls');
  if (!offscreen) {
    canvas.width = w;
    canvas.height = h;
  }
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `Image ${w}×${h}, ${frames} frame(s). Drag or use the arrow keys to change the window; the wheel or + and − zoom, Shift+drag pans, 0 resets; Page Up and Page Down change the frame.`);
  const stage = el('div', 'stage');
  stage.append(canvas);
  let zoom = 1;
  let pan = { x: 0, y: 0 };
  const place = () => {
    canvas.style.transform = `translate(${pan.x}px, ${pan.y}px) scale(${zoom})`;
    zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
  };
  const zoomBy = (factor) => {
    zoom = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, zoom * factor));
    if (zoom === 1) pan = { x: 0, y: 0 };
    place();
  };
  const zoomLabel = el('span', 'zoom-level', '100%');
  const ctx = offscreen ? null : canvas.getContext('2d');
  const image = offscreen ? null : ctx.createImageData(w, h);
  let [center, width] = facts.window;
  const wl = el('span', 'wl');
  let boxesOn = true;
  // One frame in flight; a request made meanwhile waits, and only the last.
  let drawing = null;
  let again = false;
  const draw = () => {
    wl.textContent = view.is_color() ? 'colour image' : `window ${center.toFixed(0)} / ${width.toFixed(0)}`;
    if (drawing) {
      again = true;
      return drawing;
    }
    drawing = call('draw', { center, width, frame: state.frame, voiLut: state.voiLut, overlays: state.overlays, boxes: boxesOn })
      .then((result) => {
        state.range = result.range;
        if (result.rgba) {
          image.data.set(result.rgba);
          ctx.putImageData(image, 0, 0);
          if (boxesOn) {
            ctx.strokeStyle = '#ff3b30';
            ctx.lineWidth = Math.max(1, Math.round(w / 256));
            for (const region of pixels.text_regions.filter((r) => r.frame === state.frame)) {
              for (const b of region.boxes) ctx.strokeRect(b.x - 1, b.y - 1, b.width + 2, b.height + 2);
            }
          }
        }
      })
      .catch((err) => { wl.textContent = `cannot draw: ${err.message ?? err}`; })
      .finally(() => {
        drawing = null;
        if (again) {
          again = false;
          draw();
        }
      });
    return drawing;
  };
  // For tests and tools: a pixel of the canvas as last drawn.
  section.pixelAt = async (x, y) => {
    while (drawing) await drawing;
    return offscreen ? call('pixel', { x, y }) : [...ctx.getImageData(x, y, 1, 1).data];
  };

  if (!view.is_color()) {
    const presets = el('select', 'presets');
    presets.setAttribute('aria-label', 'Window preset');
    const voiLut = view.has_voi_lut();
    const options = [...(voiLut ? [{ lut: true, explanation: 'VOI LUT from the file' }] : []), ...view.presets(), { center: null, width: null, explanation: 'full range' }];
    options.forEach((p, i) => {
      const o = el('option', null, p.lut ? 'VOI LUT (file)' : p.center === null ? 'Full range' : `${p.explanation || `Preset ${i + 1}`} (${p.center} / ${p.width})`);
      o.value = String(i);
      presets.append(o);
    });
    presets.addEventListener('change', () => {
      const p = options[Number(presets.value)];
      view.set_voi_lut(Boolean(p.lut));
      if (p.lut) {
        draw();
        return;
      }
      if (p.center === null) {
        const [lo, hi] = view.range();
        [center, width] = [(lo + hi) / 2, Math.max(1, hi - lo)];
      } else {
        [center, width] = [p.center, p.width];
      }
      draw();
    });
    controls.append(presets);
    let drag = null;
    canvas.addEventListener('pointerdown', (e) => {
      if (e.shiftKey || e.button !== 0) return;
      view.set_voi_lut(false);
      drag = { x: e.clientX, y: e.clientY, center, width };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const [lo, hi] = view.range();
      const scale = Math.max(1, hi - lo) / 256;
      width = Math.max(1, drag.width + (e.clientX - drag.x) * scale);
      center = drag.center + (e.clientY - drag.y) * scale;
      requestAnimationFrame(draw);
    });
    canvas.addEventListener('pointerup', () => { drag = null; });
    canvas.addEventListener('keydown', (e) => {
      const [lo, hi] = view.range();
      const step = Math.max(1, hi - lo) / 64;
      if (e.key === 'ArrowRight') width += step;
      else if (e.key === 'ArrowLeft') width = Math.max(1, width - step);
      else if (e.key === 'ArrowUp') center -= step;
      else if (e.key === 'ArrowDown') center += step;
      else return;
      if (e.shiftKey) return;
      view.set_voi_lut(false);
      e.preventDefault();
      draw();
    });
  }
  let frameSlider = null;
  if (view.frames() > 1) {
    const slider = el('input', 'frame');
    frameSlider = slider;
    slider.type = 'range';
    slider.min = '1';
    slider.max = String(view.frames());
    slider.value = '1';
    slider.setAttribute('aria-label', 'Frame');
    const label = el('span', null, `frame 1 / ${view.frames()}`);
    slider.addEventListener('input', () => {
      try {
        view.set_frame(Number(slider.value) - 1);
        label.textContent = `frame ${slider.value} / ${view.frames()}`;
        draw();
      } catch (err) {
        label.textContent = `frame ${slider.value}: ${err.message ?? err}`;
      }
    });
    controls.append(slider, label);
  }
  // Zoom and pan: the canvas keeps its pixels; a transform scales it.
  const zoomButton = (label, text, act) => {
    const b = el('button', 'button small', text);
    b.type = 'button';
    b.setAttribute('aria-label', label);
    b.addEventListener('click', act);
    return b;
  };
  const zoomBox = el('span', 'zoom');
  zoomBox.append(
    zoomButton('Zoom out', '−', () => zoomBy(1 / 1.25)),
    zoomLabel,
    zoomButton('Zoom in', '+', () => zoomBy(1.25)),
    zoomButton('Fit: reset zoom and pan', 'Fit', () => { zoom = 1; pan = { x: 0, y: 0 }; place(); }),
  );
  controls.append(zoomBox);
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    zoomBy(e.deltaY < 0 ? 1.15 : 1 / 1.15);
  }, { passive: false });
  let panning = null;
  canvas.addEventListener('pointerdown', (e) => {
    if (!(e.shiftKey || e.button === 1 || view.is_color())) return;
    e.preventDefault();
    panning = { x: e.clientX - pan.x, y: e.clientY - pan.y };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!panning) return;
    pan = { x: e.clientX - panning.x, y: e.clientY - panning.y };
    place();
  });
  canvas.addEventListener('pointerup', () => { panning = null; });
  canvas.addEventListener('keydown', (e) => {
    if (e.key === '+' || e.key === '=') zoomBy(1.25);
    else if (e.key === '-') zoomBy(1 / 1.25);
    else if (e.key === '0') { zoom = 1; pan = { x: 0, y: 0 }; place(); }
    else if (e.shiftKey && e.key.startsWith('Arrow')) {
      const d = 20;
      pan = { x: pan.x + (e.key === 'ArrowLeft' ? -d : e.key === 'ArrowRight' ? d : 0), y: pan.y + (e.key === 'ArrowUp' ? -d : e.key === 'ArrowDown' ? d : 0) };
      place();
    } else if ((e.key === 'PageDown' || e.key === 'PageUp') && frameSlider) {
      const next = Number(frameSlider.value) + (e.key === 'PageDown' ? 1 : -1);
      if (next >= 1 && next <= view.frames()) {
        frameSlider.value = String(next);
        frameSlider.dispatchEvent(new Event('input'));
      }
    } else return;
    e.preventDefault();
  });
  if (view.has_overlays()) controls.append(toggle('Overlays', true, (on) => { view.set_overlays(on); draw(); }));
  if (pixels.text_regions.length) controls.append(toggle('Detected text', true, (on) => { boxesOn = on; draw(); }, 'text'));
  controls.append(wl);
  status.replaceWith(controls);
  section.append(stage);
  place();
  await draw();
  // Called when a burned-in text finding is clicked: show the boxes and
  // draw the eye to them.
  section.showTextBoxes = () => {
    boxesOn = true;
    const box = controls.querySelector('.toggle-box.text input');
    if (box) box.checked = true;
    draw();
    stage.classList.remove('flash');
    void stage.offsetWidth;
    stage.classList.add('flash');
    canvas.focus({ preventScroll: true });
    section.scrollIntoView({ block: 'nearest' });
  };
  section.dataset.ready = 'true';
}

function toggle(label, on, change, kind) {
  const wrap = el('label', kind ? `toggle-box ${kind}` : 'toggle-box');
  const box = el('input');
  box.type = 'checkbox';
  box.checked = on;
  box.addEventListener('change', () => change(box.checked));
  wrap.append(box, document.createTextNode(` ${label}`));
  return wrap;
}
