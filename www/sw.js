// Service worker: after a first visit the inspector works with the network
// cut. The app shell and the WASM are cached at install; every request is
// tried on the network first (so an update is seen at once) and answered
// from the cache when the network is gone. Only this origin's GETs are
// handled; nothing is ever sent anywhere.
const CACHE = 'dicom-inspector-v1';
const SHELL = [
  './',
  'index.html',
  'style.css',
  'tree.css',
  'app.js',
  'dom.js',
  'inspector.js',
  'worker.js',
  'strings.js',
  'sources.js',
  'unzip-worker.js',
  'dashboard.js',
  'detail.js',
  'tree.js',
  'viewer.js',
  'viewer-worker.js',
  'export.js',
  'tour.js',
  'vendor/fflate.min.js',
  'pkg/dicom_inspector.js',
  'pkg/dicom_inspector_bg.wasm',
  'pkg/hand_over.js',
  'embed.html',
  'embed.css',
  'embed.js',
  'dicom-inspector.js',
  'demo/index.json',
];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // One by one: a file missing from a build does not stop the others.
    await Promise.all(SHELL.map((path) => cache.add(new Request(path, { cache: 'reload' })).catch(() => {})));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (err) {
      const cached = await cache.match(request, { ignoreSearch: true });
      if (cached) return cached;
      throw err;
    }
  })());
});
