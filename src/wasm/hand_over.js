// The JavaScript half of src/wasm.rs's boundary, for what js-sys can only
// do in several calls or with a new typed array each time: the bytes of a
// file copied into WASM memory; the hand-over of a packed report, one call
// that parses the report's text (its new strings) and copies its values
// out of WASM memory into a plain array; and the options as JSON text.
// A plain array of small integers costs a third of a Float64Array copy to
// make (no buffer of its own to allocate) and its numbers read back
// without boxing; js-sys can only copy into a typed array or call
// Array.from, which is ten times slower. WASM memory is read and written
// through views kept from call to call (made again when it grows).

let buffer = null;
let bytes = null;
let numbers = null;

/** Views of `memory` (the instance's WebAssembly.Memory) as it is now. */
function views(memory) {
  if (memory.buffer !== buffer) {
    buffer = memory.buffer;
    bytes = new Uint8Array(buffer);
    numbers = new Float64Array(buffer);
  }
}

/** The length of `value` if it is a Uint8Array, else -1. */
export function byte_length(value) {
  return value instanceof Uint8Array ? value.length : -1;
}

/** Copies `length` bytes of `source` (a Uint8Array) from `start` into WASM memory at `at`. */
export function copy_in(source, start, length, memory, at) {
  views(memory);
  bytes.set(start === 0 && length === source.length ? source : source.subarray(start, start + length), at);
}

/**
 * The packed report's `text` (JSON: `{base, strings, texts}`) as an
 * object, with the `count` numbers (f64) at `at` in WASM memory copied into
 * its `values` as an array.
 */
export function hand_over_packed(text, memory, at, count) {
  const report = JSON.parse(text);
  views(memory);
  const from = numbers;
  const first = at / 8;
  const values = new Array(count);
  for (let i = 0; i < count; i++) values[i] = from[first + i];
  report.values = values;
  return report;
}

/**
 * `options` as JSON text, for src/wasm.rs to read with serde_json: empty
 * for none (undefined or null), undefined for a value without JSON text (a
 * function).
 */
export function options_json(options) {
  return options === undefined || options === null ? '' : JSON.stringify(options);
}
