// The image viewer: the WASM core decodes once on this thread and re-windows
// on every drag; the canvas reads the RGBA through a view into WASM memory.
let core = null;

/** Loads the WASM module once (the same build the workers use). */
function loadCore() {
  core ??= import('./pkg/dicom_inspector.js').then(async (m) => {
    await m.default();
    return m;
  });
  return core;
}

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
  const m = await loadCore();
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const view = new m.ImageView(bytes);
  const [w, h] = [view.width(), view.height()];
  const controls = el('div', 'viewer-controls');
  const canvas = el('canvas', 'image');
  canvas.width = w;
  canvas.height = h;
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `Image ${w}×${h}, ${view.frames()} frame(s). Drag or use the arrow keys to change the window.`);
  const ctx = canvas.getContext('2d');
  // The canvas's own buffer: each frame is copied once, from the view into
  // WASM memory straight into it (ImageData cannot wrap WASM memory itself).
  const image = ctx.createImageData(w, h);
  let [center, width] = view.window();
  const wl = el('span', 'wl');
  let boxesOn = true;

  const draw = () => {
    view.render(center, width);
    image.data.set(view.rgba());
    ctx.putImageData(image, 0, 0);
    if (boxesOn) {
      ctx.strokeStyle = '#ff3b30';
      ctx.lineWidth = Math.max(1, Math.round(w / 256));
      for (const region of pixels.text_regions.filter((r) => r.frame === view.frame())) {
        for (const b of region.boxes) ctx.strokeRect(b.x - 1, b.y - 1, b.width + 2, b.height + 2);
      }
    }
    wl.textContent = view.is_color() ? 'colour image' : `window ${center.toFixed(0)} / ${width.toFixed(0)}`;
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
      view.set_voi_lut(false);
      e.preventDefault();
      draw();
    });
  }
  if (view.frames() > 1) {
    const slider = el('input', 'frame');
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
  if (view.has_overlays()) controls.append(toggle('Overlays', true, (on) => { view.set_overlays(on); draw(); }));
  if (pixels.text_regions.length) controls.append(toggle('Detected text', true, (on) => { boxesOn = on; draw(); }));
  controls.append(wl);
  status.replaceWith(controls);
  section.append(canvas);
  draw();
  section.dataset.ready = 'true';
}

function toggle(label, on, change) {
  const wrap = el('label', 'toggle-box');
  const box = el('input');
  box.type = 'checkbox';
  box.checked = on;
  box.addEventListener('change', () => change(box.checked));
  wrap.append(box, document.createTextNode(` ${label}`));
  return wrap;
}
