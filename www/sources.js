// Where files come from: a drop (files and whole folders, through the File
// System entries API), a file or folder picker, and ZIP archives inside
// either. Everything is streamed to `onFile(path, file)` as it is found, so
// inspection starts before a large folder has been listed.

/** The directory entry API lists a folder in pages; read until empty. */
function readAllEntries(reader) {
  return new Promise((resolve, reject) => {
    const all = [];
    const next = () => reader.readEntries((batch) => {
      if (!batch.length) resolve(all);
      else {
        all.push(...batch);
        next();
      }
    }, reject);
    next();
  });
}

function fileOf(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/**
 * Walks dropped entries depth first (iteratively: a hostile folder tree can
 * be deep). Calls `onFile(path, file)` for each file and `onError(path,
 * message)` for entries the browser cannot read.
 */
async function walkEntries(roots, { onFile, onError, signal }) {
  const stack = [...roots].reverse();
  while (stack.length) {
    if (signal?.aborted) return;
    const entry = stack.pop();
    const path = entry.fullPath?.replace(/^\//, '') || entry.name;
    try {
      if (entry.isDirectory) {
        const children = await readAllEntries(entry.createReader());
        children.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
      } else if (entry.isFile) {
        onFile(path, await fileOf(entry));
      }
    } catch (err) {
      onError(path, `the browser cannot read it: ${err.message ?? err}`);
    }
  }
}

/** Files of a drop: folder entries when the browser gives them, else plain files. */
export async function fromDataTransfer(transfer, handlers) {
  const items = [...(transfer.items ?? [])].filter((i) => i.kind === 'file');
  const entries = items.map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length && entries.length === items.length) {
    await walkEntries(entries, handlers);
    return;
  }
  for (const file of transfer.files ?? []) handlers.onFile(file.name, file);
}

/** Files of an <input type=file> (with `webkitdirectory`, each has its relative path). */
export function fromFileList(list, { onFile }) {
  for (const file of list) onFile(file.webkitRelativePath || file.name, file);
}

/**
 * Whether a file is a ZIP archive: a local file header at byte 0 and no
 * DICM prefix at 128 (a DICOM file whose preamble starts like a ZIP is
 * inspected as DICOM, and its preamble is reported).
 */
export async function isZip(file) {
  if (file.size < 22) return false;
  const head = new Uint8Array(await file.slice(0, 132).arrayBuffer());
  const local = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const dicm = head.length >= 132 && String.fromCharCode(...head.subarray(128, 132)) === 'DICM';
  return local && !dicm;
}

/**
 * Expands a ZIP archive in its own worker. Calls `onFile(path, file)` for
 * each member and `onError(path, message)` for members over a limit or
 * unreadable. Resolves when the archive is done; `signal` stops it.
 */
export function expandZip(zip, path, { onFile, onError, signal, limits = {} }) {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./unzip-worker.js', import.meta.url));
    const stop = () => {
      worker.terminate();
      resolve();
    };
    signal?.addEventListener('abort', stop, { once: true });
    worker.onmessage = ({ data }) => {
      if (data.type === 'entry') onFile(data.path, data.file);
      else if (data.type === 'error') onError(data.path, data.message);
      else if (data.type === 'done') {
        if (data.error) onError(path, data.error);
        signal?.removeEventListener('abort', stop);
        worker.terminate();
        resolve();
      }
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      onError(path, `the ZIP archive cannot be read: ${event.message || 'the worker stopped'}`);
      signal?.removeEventListener('abort', stop);
      worker.terminate();
      resolve();
    };
    worker.postMessage({ file: zip, prefix: `${path}/`, ...limits });
  });
}
