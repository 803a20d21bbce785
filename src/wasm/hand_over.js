// The JavaScript half of src/wasm.rs's boundary: the hand-over of a packed
// report, one call that parses the report's text (its new strings) and
// copies its values out of WASM memory into a plain array; and the options
// as JSON text. A plain array of small integers costs a
// third of a Float64Array copy to make (no buffer of its own to allocate)
// and its numbers read back without boxing; js-sys can only copy into a
// typed array or call Array.from, which is ten times slower.

/**
 * The packed report's `text` (JSON: `{base, strings, texts}`) as an object, with `values` (a
 * Float64Array viewing WASM memory, valid during this call only) copied
 * into its `values` as an array.
 */
export function hand_over_packed(text, values) {
  const report = JSON.parse(text);
  const n = values.length;
  const copy = new Array(n);
  for (let i = 0; i < n; i++) copy[i] = values[i];
  report.values = copy;
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
