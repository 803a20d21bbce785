// The embedding API: inspect(fileOrBytes, options) → Promise<Report>.
//
// Work runs in a pool of module workers, one per core (at most 8), fed from
// one queue. Each worker holds at most two files: it inspects one while the
// next is read, and a slow file holds up at most one other. A queued file is
// cancelled by dropping it, a running one by stopping its worker (the
// worker's other file goes back to the front of the queue).
//
// A File or Blob goes to the worker as a handle, not as bytes: the worker
// reads it there (the whole file, or only its header through File.slice), so
// the page's own thread never holds a large file in memory. Bytes given as
// an ArrayBuffer are copied into the worker.

import { StringTable } from './strings.js';

const POOL_SIZE = Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency || 2));
/** Default time one file may take before its worker is stopped. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Files sent to one worker at once: while it inspects one, the next is
 * already being read, so reading never leaves a core idle. Headers-only
 * reads are small slices that mostly wait on the file system, so more of
 * them overlap (2,000 CT files: 660-800 -> 970-980 files/s); whole files
 * stay at two, each held in memory while it waits.
 */
const IN_FLIGHT = 2;
const IN_FLIGHT_HEADERS = 6;

function inFlight(job) {
  return job.options?.headers_only ? IN_FLIGHT_HEADERS : IN_FLIGHT;
}
const workers = [];
const queue = [];
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
  worker.jobs = new Map();
  // The worker's WASM numbers repeated strings; this is its table.
  worker.strings = new StringTable();
  workers.push(worker);
  worker.onmessage = ({ data }) => {
    // Every message brings the strings added since the last, job or not.
    if (data.strings) worker.strings.add(data.strings);
    const job = worker.jobs.get(data.id);
    if (!job) return;
    finish(worker, job);
    if (data.error) job.reject(new InspectError(data.error, 'worker'));
    else job.resolve(worker.strings.expand(data.packed));
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    // Which of its files brought the worker down is not known: each is
    // tried once more on a fresh worker, then fails.
    retire(worker, null, new InspectError(event.message || 'the inspector worker stopped', 'worker'));
  };
  return worker;
}

function release(worker, job) {
  clearTimeout(job.timer);
  job.signal?.removeEventListener('abort', job.onAbort);
  worker.jobs.delete(job.id);
}

/**
 * Stops a worker (after a time limit, a cancel or a crash). `culprit` is
 * rejected with `error`; the worker's other files go back to the front of
 * the queue, once.
 */
function retire(worker, culprit, error) {
  const others = [...worker.jobs.values()].filter((j) => j !== culprit);
  for (const job of worker.jobs.values()) release(worker, job);
  worker.terminate();
  workers.splice(workers.indexOf(worker), 1);
  if (culprit) culprit.reject(error);
  for (const job of others.reverse()) {
    if (job.signal?.aborted) {
      job.reject(new InspectError('cancelled', 'cancelled'));
      continue;
    }
    if (!culprit && job.retried) {
      job.reject(error);
      continue;
    }
    job.retried = true;
    job.started = false;
    job.signal?.addEventListener('abort', job.onAbort, { once: true });
    queue.unshift(job);
  }
  pump();
}

function finish(worker, job) {
  release(worker, job);
  pump();
}

/**
 * A File from a file input does not know its size until something asks:
 * Chromium then asks the browser process, a synchronous round trip on the
 * page's thread, and sending the File to a worker asks. With the workers
 * busy that round trip takes 0.5-0.9 ms instead of 0.1 (2,000 files
 * headers-only: 1.2 s of the page's 1.95 s went to it). So the pool asks
 * each queued file for its size before the batch loads the machine: in
 * slices of SIZE_SLICE_MS, between which the page can paint, while at most
 * the batch's first file runs (so that the first result does not wait).
 */
const SIZE_SLICE_MS = 8;
/** Queued jobs whose source has not been asked its size. */
let unsized = 0;
/** Runs the next slice; made on first use (a port in Node would keep the process alive). */
let sizeChannel = null;
let sizing = false;

function sizeSoon() {
  if (sizing) return;
  sizing = true;
  if (!sizeChannel) {
    sizeChannel = new MessageChannel();
    sizeChannel.port1.onmessage = sizeSlice;
    sizeChannel.port1.unref?.();
  }
  // A message, not setTimeout: nested timeouts wait at least 4 ms each.
  sizeChannel.port2.postMessage(null);
}

function sizeSlice() {
  sizing = false;
  const t0 = performance.now();
  for (const job of queue) {
    if (!unsized || performance.now() - t0 > SIZE_SLICE_MS) break;
    sized(job);
  }
  if (unsized) sizeSoon();
  pump();
}

/** Asks a job's source its size, once. */
function sized(job) {
  if (job.sized) return;
  void job.source.size;
  forget(job);
}

/** Counts a job as sized: asked, or no longer queued. */
function forget(job) {
  if (job.sized) return;
  job.sized = true;
  unsized -= 1;
}

function running() {
  return workers.reduce((n, w) => n + w.jobs.size, 0);
}

/** Starts queued files on the least busy worker, spawning up to the pool size. */
function pump() {
  while (queue.length) {
    // Sizes first, while the machine is quiet (see SIZE_SLICE_MS).
    if (unsized && running()) {
      sizeSoon();
      return;
    }
    let worker = null;
    const limit = inFlight(queue[0]);
    for (const w of workers) if (w.jobs.size < limit && (!worker || w.jobs.size < worker.jobs.size)) worker = w;
    if (!worker || (worker.jobs.size > 0 && workers.length < POOL_SIZE)) {
      if (workers.length < POOL_SIZE) worker = spawn();
    }
    if (!worker) return;
    const job = queue.shift();
    sized(job);
    start(worker, job);
  }
}

function start(worker, job) {
  worker.jobs.set(job.id, job);
  job.started = true;
  job.worker = worker;
  job.timer = setTimeout(() => {
    const seconds = Math.round(job.timeout / 1000);
    retire(worker, job, new InspectError(`integrity.limit: stopped after the time limit of ${seconds} s for one file`, 'time_limit'));
  }, job.timeout);
  // Bytes are copied into the worker, not transferred: the caller keeps
  // them, and a retried job can send them again.
  worker.postMessage({ id: job.id, source: job.source, options: job.options });
}

function toSource(input) {
  if (input instanceof Blob || input instanceof ArrayBuffer) return input;
  if (ArrayBuffer.isView(input)) {
    // A view of a whole buffer is sent as that buffer; a view of part of one
    // as a copy of its bytes (a clone would copy the whole buffer).
    const whole = input.byteOffset === 0 && input.byteLength === input.buffer.byteLength;
    return whole ? input.buffer : new Uint8Array(input.buffer, input.byteOffset, input.byteLength).slice().buffer;
  }
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
    const job = { id: nextId++, source, options: { ...rest, path }, resolve, reject, signal, timeout, started: false, sized: !(source instanceof Blob) };
    if (!job.sized) unsized += 1;
    job.onAbort = () => {
      if (job.started) {
        retire(job.worker, job, new InspectError('cancelled', 'cancelled'));
        return;
      } else {
        const i = queue.indexOf(job);
        if (i >= 0) {
          queue.splice(i, 1);
          forget(job);
        }
      }
      reject(new InspectError('cancelled', 'cancelled'));
    };
    signal?.addEventListener('abort', job.onAbort, { once: true });
    queue.push(job);
    pump();
  });
}

/**
 * The identity values of a report's `summary` (name, ID, accession number,
 * birth date): what a batch searches for in its other files, through the
 * `batch_identities` option (the CLI does the same).
 */
export function identitiesOf(summary) {
  if (!summary) return [];
  return [summary.patient_name, summary.patient_id, summary.accession_number, summary.patient_birth_date].filter(Boolean);
}

/**
 * Starts the pool's workers before any file comes, so that each has fetched
 * and compiled the WASM core by the time the user drops something: the
 * first result then costs one inspection, not a start-up. Call it when the
 * page is idle; calling it again does nothing.
 */
export function warmUp() {
  while (workers.length < POOL_SIZE) spawn();
}

/** Files waiting and running, for progress displays. */
export function load() {
  return { queued: queue.length, running: running(), workers: workers.length };
}
