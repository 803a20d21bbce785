// Module worker: runs the WASM core off the main thread, so the page stays
// responsive whatever the file. One file at a time per worker.
//
// What is read: a File or Blob is read here, not on the page. A file larger
// than FULL_READ_LIMIT, or any file when only headers are asked for, is read
// in growing slices from its start until the core says its header is
// complete (`partial.needs_bytes` is null): pixel data is never loaded.
// When the pixels are not to be scanned (no pixel scan, or the scan of an
// earlier report given as `earlier_pixels`), or the file is larger than
// the core reads whole for its pixel scan (`whole_read_max()`, 32 MiB), the
// core reads the file itself, a range at a time (FileReaderSync): its
// headers, what follows native pixel data and the native frames its pixel
// scan looks at (src/inspect.rs), for the whole report.
//
// Reports leave in packed form (www/strings.js): one array of numbers,
// strings among them given by their numbers, and each message carries the
// strings the table gained since the last one; the pool makes the reports
// on the page's side.
import init, { inspect_packed, version, whole_read_max as wholeReadMax } from './pkg/dicom_inspector.js';
import { PendingStrings, packedPartial } from './strings.js';

const ready = init();
const pending = new PendingStrings();

/** A packed report, `{texts, values}` (www/strings.js). */
function inspect(bytes, options) {
  return pending.keep(inspect_packed(bytes, options));
}
/** Files up to this size are read whole (pixel scan, trailing-data check). */
const FULL_READ_LIMIT = 512 * 1024 * 1024;
const FIRST_SLICE = 64 * 1024;

/** A File or Blob the core reads a range at a time, synchronously (workers only). */
function blobReader(blob) {
  const reader = new FileReaderSync();
  return { size: blob.size, read: (offset, length) => new Uint8Array(reader.readAsArrayBuffer(blob.slice(offset, offset + length))) };
}

/** Whether the core had better read a file itself: it leaves most of it unread. */
function coreReads(blob, options) {
  return blob.size > wholeReadMax() || options.pixel_scan === false || Boolean(options.earlier_pixels?.decodable);
}

async function readAll(source) {
  return new Uint8Array(source instanceof Blob ? await source.arrayBuffer() : source);
}

async function inspectHeader(blob, options) {
  let want = Math.min(blob.size, FIRST_SLICE);
  for (;;) {
    const bytes = new Uint8Array(await blob.slice(0, want).arrayBuffer());
    const packed = inspect(bytes, { ...options, file_size: blob.size });
    const needs = packedPartial(packed)?.needs_bytes;
    if (needs === null || needs === undefined || want >= blob.size) return packed;
    // Grow at least twice as fast as the header asks, so a long header
    // takes a few reads, not one read per element.
    want = Math.min(blob.size, Math.max(needs, want * 2));
  }
}

self.onmessage = async ({ data }) => {
  const { id, source, options } = data;
  try {
    await ready;
    const { headers_only: headersOnly, ...rest } = options ?? {};
    const blob = source instanceof Blob;
    let packed;
    if (blob && (headersOnly || source.size > FULL_READ_LIMIT)) packed = await inspectHeader(source, rest);
    else if (blob && coreReads(source, rest) && typeof FileReaderSync === 'function') packed = inspect(blobReader(source), rest);
    else packed = inspect(await readAll(source), rest);
    self.postMessage({ id, packed, strings: pending.take(), version: version() });
  } catch (err) {
    self.postMessage({ id, strings: pending.take(), error: String(err && err.message ? err.message : err) });
  }
};
