// The embedding API: inspect(fileOrBytes, options) → Promise<Report>.
//
// Work runs in a small pool of module workers (one per core, at most 4).
// Bytes are transferred, not copied, into the worker.

const POOL_SIZE = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
const workers = [];
const pending = new Map();
let nextId = 1;
let turn = 0;

function spawn() {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  w.onmessage = ({ data }) => {
    const job = pending.get(data.id);
    if (!job) return;
    pending.delete(data.id);
    if (data.error) job.reject(new Error(data.error));
    else job.resolve(data.report);
  };
  w.onerror = (event) => {
    // A worker that dies takes its jobs with it: fail them and replace it.
    for (const [id, job] of pending) {
      if (job.worker === w) {
        pending.delete(id);
        job.reject(new Error(event.message || 'the inspector worker stopped'));
      }
    }
    const i = workers.indexOf(w);
    if (i >= 0) workers.splice(i, 1);
    w.terminate();
  };
  workers.push(w);
  return w;
}

function pick() {
  if (workers.length < POOL_SIZE) return spawn();
  turn = (turn + 1) % workers.length;
  return workers[turn];
}

async function toBuffer(input) {
  if (input instanceof ArrayBuffer) return input.slice(0);
  if (ArrayBuffer.isView(input)) return input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength);
  if (input && typeof input.arrayBuffer === 'function') return input.arrayBuffer();
  throw new TypeError('inspect() takes a File, Blob, ArrayBuffer or typed array');
}

/**
 * Inspects one file. `options`: { path, elements, value_preview_chars, ... }
 * (the fields of the Rust `Options`). Resolves to the report (docs/report.md)
 * with one entry in `files`.
 */
export async function inspect(input, options = {}) {
  const bytes = await toBuffer(input);
  const path = options.path ?? (input && input.name) ?? null;
  const w = pick();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, worker: w });
    w.postMessage({ id, bytes, options: { ...options, path } }, [bytes]);
  });
}
