// Module worker: runs the WASM core off the main thread, so the page stays
// responsive whatever the file. One request at a time per worker.
import init, { inspect, version } from './pkg/dicom_inspector.js';

const ready = init();

self.onmessage = async ({ data }) => {
  const { id, bytes, options } = data;
  try {
    await ready;
    const report = inspect(new Uint8Array(bytes), options ?? {});
    self.postMessage({ id, report, version: version() });
  } catch (err) {
    self.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
};
