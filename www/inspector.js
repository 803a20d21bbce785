// The embedding API: inspect(fileOrBytes, options) → Promise<Report>.
//
// Work runs in a pool of module workers, one per core (at most 8). Each
// worker takes one file at a time from a shared queue, so a slow file never
// holds up the files behind it, a queued file can be cancelled before it
// starts, and a running one by stopping its worker.
//
// A File or Blob goes to the worker as a handle, not as bytes: the worker
// reads it there (the whole file, or only its header through File.slice), so
// the page's own thread never holds a large file in memory.

const POOL_SIZE = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2));
/** Default time one file may take before its worker is stopped. */
export const DEFAULT_TIMEOUT_MS = 60_000;

const idle = [];
const busy = new Set();
const queue = [];
let spawned = 0;
let nextId = 1;

/** How many files are inspected at once. */
export const poolSize = POOL_SIZE;

/** Errors from the pool carry a `code`: `cancelled`, `time_limit` or `worker`. */
export class InspectError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'InspectError';
    this.code = code;
  }
}

function spawn() {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  spawned += 1;
  worker.onmessage = ({ data }) => {
    const job = worker.job;
    if (!job || data.id !== job.id) return;
    finish(worker, job);
    if (data.error) job.reject(new InspectError(data.error, 'worker'));
    else job.resolve(data.report);
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    const job = worker.job;
    retire(worker);
    job?.reject(new InspectError(event.message || 'the inspector worker stopped', 'worker'));
  };
  return worker;
}

/** Stops a worker (after a time limit, a cancel or a crash). */
function retire(worker) {
  clearTimeout(worker.timer);
  worker.job?.signal?.removeEventListener('abort', worker.job.onAbort);
  worker.job = null;
  busy.delete(worker);
  worker.terminate();
  spawned -= 1;
  pump();
}

function finish(worker, job) {
  clearTimeout(worker.timer);
  job.signal?.removeEventListener('abort', job.onAbort);
  worker.job = null;
  busy.delete(worker);
  idle.push(worker);
  pump();
}

function pump() {
  while (queue.length) {
    let worker = idle.pop();
    if (!worker) {
      if (spawned >= POOL_SIZE) return;
      worker = spawn();
    }
    start(worker, queue.shift());
  }
}

function start(worker, job) {
  worker.job = job;
  busy.add(worker);
  job.started = true;
  worker.timer = setTimeout(() => {
    const seconds = Math.round(job.timeout / 1000);
    retire(worker);
    job.reject(new InspectError(`integrity.limit: stopped after the time limit of ${seconds} s for one file`, 'time_limit'));
  }, job.timeout);
  const transfer = job.source instanceof ArrayBuffer ? [job.source] : [];
  worker.postMessage({ id: job.id, source: job.source, options: job.options }, transfer);
}

function toSource(input) {
  if (input instanceof Blob) return input;
  if (input instanceof ArrayBuffer) return input.slice(0);
  if (ArrayBuffer.isView(input)) return input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength);
  throw new TypeError('inspect() takes a File, Blob, ArrayBuffer or typed array');
}

/**
 * Inspects one file. `options` are the fields of the Rust `Options`
 * (docs/report.md: `path`, `elements`, `profile`, `pixel_scan`, ...) plus:
 * - `signal`: an AbortSignal; aborting rejects with code `cancelled`;
 * - `timeout_ms`: time limit for this file (default 60 s), code `time_limit`;
 * - `headers_only`: read only the file's header (File.slice), not its pixel data.
 * Resolves to the report with one entry in `files`.
 */
export function inspect(input, options = {}) {
  const { signal, timeout_ms: timeout = DEFAULT_TIMEOUT_MS, ...rest } = options;
  let source;
  try {
    source = toSource(input);
  } catch (err) {
    return Promise.reject(err);
  }
  const path = rest.path ?? input?.name ?? null;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new InspectError('cancelled', 'cancelled'));
      return;
    }
    const job = { id: nextId++, source, options: { ...rest, path }, resolve, reject, signal, timeout, started: false };
    job.onAbort = () => {
      if (job.started) {
        const worker = [...busy].find((w) => w.job === job);
        if (worker) retire(worker);
      } else {
        const i = queue.indexOf(job);
        if (i >= 0) queue.splice(i, 1);
      }
      reject(new InspectError('cancelled', 'cancelled'));
    };
    signal?.addEventListener('abort', job.onAbort, { once: true });
    queue.push(job);
    pump();
  });
}

/** Files waiting and running, for progress displays. */
export function load() {
  return { queued: queue.length, running: busy.size, workers: spawned };
}
