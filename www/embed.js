// The portal side of embed.html: loads <dicom-inspector>, wires the portal's
// own settings to the element's attributes, and logs the element's events.
// Everything from a file (names included) is written with textContent.
import './dicom-inspector.js';

const SEVERITIES = ['high', 'medium', 'low', 'info'];
const inspector = document.getElementById('inspector');
const log = document.getElementById('host-log');

function logLine(text, className, data = {}) {
  const li = document.createElement('li');
  if (className) li.className = className;
  for (const [key, value] of Object.entries(data)) li.dataset[key] = value ?? '';
  li.textContent = text;
  log.append(li);
  li.scrollIntoView({ block: 'nearest' });
}

function countText(counts) {
  const parts = SEVERITIES.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`);
  return parts.length ? parts.join(', ') : 'no findings';
}

inspector.addEventListener('findings', (event) => {
  const { file, findings, highest } = event.detail;
  const counts = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  logLine(`file ${file}: ${countText(counts)}`, highest, { event: 'findings', file, highest: highest ?? 'none', high: counts.high });
});

inspector.addEventListener('error', (event) => {
  const { file, message } = event.detail;
  logLine(`file ${file}: could not be inspected (${message})`, 'error', { event: 'error', file });
});

inspector.addEventListener('batchcomplete', (event) => {
  const { files, counts, highest } = event.detail;
  logLine(`batch of ${files} file${files === 1 ? '' : 's'} done: ${countText(counts)}`, 'batch',
    { event: 'batchcomplete', files, highest: highest ?? 'none' });
});

// The portal's own settings, as attributes of the element.
document.getElementById('theme').addEventListener('change', (e) => inspector.setAttribute('theme', e.target.value));
document.getElementById('profile').addEventListener('change', (e) => inspector.setAttribute('profile', e.target.value));
document.getElementById('compact').addEventListener('change', (e) => inspector.toggleAttribute('compact', e.target.checked));
document.getElementById('pixel-scan').addEventListener('change', (e) => {
  if (e.target.checked) inspector.removeAttribute('pixel-scan');
  else inspector.setAttribute('pixel-scan', 'off');
});

// A file dropped beside the element would otherwise open in this tab (and
// leave the portal): refuse drops that the element did not take.
document.addEventListener('dragover', (e) => {
  if (e.defaultPrevented) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'none';
});
document.addEventListener('drop', (e) => e.preventDefault());
