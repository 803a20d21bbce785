// Classic worker: expands a ZIP archive as a stream with fflate (its
// minified UMD build vendored in vendor/, version pinned by
// tests/e2e/package.json and checked by the tests).
//
// The archive is read chunk by chunk from the File, never whole. Each member
// comes back to the page as a File as soon as it is complete. Limits, each
// reported as an `integrity.limit` error row, never as a crash:
// - a member's inflated size (a ZIP bomb declares or hides a huge size):
//   bytes past `maxEntryBytes` are dropped and the member is reported;
// - the archive's total inflated size (`maxTotalBytes`);
// - the number of members (`maxEntries`).
importScripts('vendor/fflate.min.js');

const { Unzip, UnzipInflate } = self.fflate;

const MiB = 1024 * 1024;

function limitMessage(what, limit) {
  return `integrity.limit: ${what} past the limit of ${Math.round(limit / MiB).toLocaleString('en')} MiB; not inspected`;
}

self.onmessage = async ({ data }) => {
  const { file, maxEntryBytes = 256 * MiB, maxTotalBytes = 4096 * MiB, maxEntries = 100_000 } = data;
  const prefix = data.prefix ?? '';
  let total = 0;
  let entries = 0;
  let stopped = null;
  const open = new Set();
  const unzip = new Unzip((member) => {
    const path = `${prefix}${member.name}`;
    if (member.name.endsWith('/')) {
      member.ondata = () => {};
      member.start();
      return;
    }
    entries += 1;
    if (entries > maxEntries) {
      if (!stopped) stopped = `integrity.limit: more than ${maxEntries.toLocaleString('en')} members; the rest are not inspected`;
      member.ondata = () => {};
      member.start();
      return;
    }
    const chunks = [];
    let size = 0;
    let failed = null;
    open.add(path);
    member.ondata = (err, chunk, final) => {
      if (failed) return;
      if (err) {
        failed = `the ZIP member cannot be read: ${err.message ?? err}`;
      } else {
        size += chunk.length;
        total += chunk.length;
        if (size > maxEntryBytes) failed = limitMessage('the member expands', maxEntryBytes);
        else if (total > maxTotalBytes) failed = limitMessage('the archive expands', maxTotalBytes);
        else chunks.push(chunk);
      }
      if (failed) {
        chunks.length = 0;
        open.delete(path);
        self.postMessage({ type: 'error', path, message: failed, declared: member.originalSize ?? null });
        return;
      }
      if (final) {
        open.delete(path);
        self.postMessage({ type: 'entry', path, file: new File(chunks, path) });
      }
    };
    member.start();
  });
  unzip.register(UnzipInflate);
  try {
    const reader = file.stream().getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        unzip.push(new Uint8Array(0), true);
        break;
      }
      unzip.push(value, false);
    }
    for (const path of open) self.postMessage({ type: 'error', path, message: 'the ZIP member is cut short' });
  } catch (err) {
    for (const path of open) self.postMessage({ type: 'error', path, message: `the ZIP archive cannot be read: ${err.message ?? err}` });
    if (!open.size) stopped ??= `the ZIP archive cannot be read: ${err.message ?? err}`;
  }
  self.postMessage({ type: 'done', entries, error: stopped });
};
