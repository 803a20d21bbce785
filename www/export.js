// Batch report exports: JSON (the documented format), CSV (one row a
// finding), SARIF 2.1.0 (for security tools) and a printable HTML report.
// Pure functions from reports to text; values from files are escaped for
// each format (CSV cells that start a formula are neutralised).

const SEVERITIES = ['high', 'medium', 'low', 'info'];

/** One batch report from per-file reports (each `{tool, files: [f]}`). */
export function batchReport(reports) {
  const files = reports.flatMap((r) => r.files);
  const findings = { info: 0, low: 0, medium: 0, high: 0 };
  let highest = null;
  for (const f of files) {
    for (const x of f.findings) {
      findings[x.severity] += 1;
      if (highest === null || SEVERITIES.indexOf(x.severity) < SEVERITIES.indexOf(highest)) highest = x.severity;
    }
  }
  const withoutElements = files.map(({ elements, ...rest }) => rest);
  return {
    tool: reports[0]?.tool ?? { name: 'dicom-inspector', version: '' },
    files: withoutElements,
    summary: {
      files: files.length,
      dicom_files: files.filter((f) => f.is_dicom).length,
      not_dicom: files.filter((f) => !f.is_dicom).length,
      findings,
      highest_severity: highest,
    },
  };
}

export function toJson(batch) {
  return `${JSON.stringify(batch, null, 2)}\n`;
}

/** A CSV cell: quoted, quotes doubled, formula starts neutralised (OWASP). */
export function csvCell(value) {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replaceAll('"', '""')}"`;
}

export function toCsv(batch) {
  const header = ['file', 'code', 'severity', 'tag', 'path', 'offset', 'length', 'message', 'reference'];
  const rows = [header.map(csvCell).join(',')];
  for (const f of batch.files) {
    for (const x of f.findings) {
      rows.push([f.path, x.code, x.severity, x.tag, x.path, x.offset, x.length, x.message, x.reference].map(csvCell).join(','));
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

const SARIF_LEVEL = { high: 'error', medium: 'warning', low: 'note', info: 'note' };

export function toSarif(batch) {
  const rules = new Map();
  const results = [];
  for (const f of batch.files) {
    for (const x of f.findings) {
      if (!rules.has(x.code)) {
        rules.set(x.code, {
          id: x.code,
          name: x.code.replace(/[._]([a-z])/g, (_, c) => c.toUpperCase()),
          shortDescription: { text: x.code },
          fullDescription: { text: x.explanation ?? x.message },
          properties: { reference: x.reference ?? '', family: x.code.split('.')[0] },
        });
      }
      const region = x.offset === null ? undefined : { byteOffset: x.offset, ...(x.length ? { byteLength: x.length } : {}) };
      results.push({
        ruleId: x.code,
        level: SARIF_LEVEL[x.severity],
        message: { text: x.message },
        locations: [{
          physicalLocation: { artifactLocation: { uri: encodeURI(f.path || 'unnamed.dcm') }, ...(region ? { region } : {}) },
          ...(x.path ? { logicalLocations: [{ fullyQualifiedName: x.path, kind: 'element' }] } : {}),
        }],
        properties: { severity: x.severity, tag: x.tag },
      });
    }
  }
  return `${JSON.stringify({
    // No $schema or information URLs: the page names no address beyond its own.
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: batch.tool.name, version: batch.tool.version, rules: [...rules.values()] } },
      results,
    }],
  }, null, 2)}\n`;
}

const escapeHtml = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** A self-contained printable report (no script; styles inline in a <style>). */
export function toHtml(batch) {
  const families = ['phi', 'security', 'transfer', 'integrity'];
  const counts = families.map((fam) => SEVERITIES.map((sev) => batch.files.reduce((n, f) => n + f.findings.filter((x) => x.code.startsWith(`${fam}.`) && x.severity === sev).length, 0)));
  const max = Math.max(1, ...counts.flat());
  const colours = { high: '#b3261e', medium: '#b25e00', low: '#6b6f00', info: '#3a6a8c' };
  const bar = 16;
  const chart = `<svg width="640" height="${families.length * (SEVERITIES.length * bar + 14) + 10}" role="img" aria-label="Findings by family and severity">${
    families.map((fam, i) => {
      const y0 = i * (SEVERITIES.length * bar + 14) + 10;
      return `<text x="0" y="${y0 + 12}" font-size="12">${fam}</text>${SEVERITIES.map((sev, j) => {
        const w = Math.round((counts[i][j] / max) * 440);
        return `<rect x="110" y="${y0 + j * bar}" width="${w}" height="${bar - 3}" fill="${colours[sev]}"/><text x="${116 + w}" y="${y0 + j * bar + 11}" font-size="11">${sev} ${counts[i][j]}</text>`;
      }).join('')}`;
    }).join('')}</svg>`;
  const summaryRows = batch.files.map((f) => {
    const c = SEVERITIES.map((s) => f.findings.filter((x) => x.severity === s).length);
    return `<tr><td>${escapeHtml(f.path)}</td><td>${f.is_dicom ? escapeHtml(f.transfer_syntax?.name ?? '') : 'not DICOM'}</td>${c.map((n) => `<td class="n">${n}</td>`).join('')}</tr>`;
  }).join('');
  const details = batch.files.map((f) => `<section><h2>${escapeHtml(f.path)}</h2><table><thead><tr><th>severity</th><th>code</th><th>where</th><th>message</th><th>reference</th></tr></thead><tbody>${
    f.findings.map((x) => `<tr class="${x.severity}"><td>${x.severity}</td><td><code>${escapeHtml(x.code)}</code></td><td>${escapeHtml([x.path, x.offset !== null ? `@${x.offset}` : ''].filter(Boolean).join(' '))}</td><td>${escapeHtml(x.message)}</td><td>${escapeHtml(x.reference ?? '')}</td></tr>`).join('')
  }</tbody></table></section>`).join('');
  const s = batch.summary;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>DICOM inspection report</title><style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1c2330}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-size:.85rem}td,th{border:1px solid #ccd;padding:.2rem .4rem;text-align:left;vertical-align:top}td.n{text-align:right}tr.high td:first-child{color:#b3261e;font-weight:700}tr.medium td:first-child{color:#b25e00}h2{font-size:1rem;margin-top:1.5rem;overflow-wrap:anywhere}@media print{section{break-inside:avoid-page}}</style></head><body>
<h1>DICOM inspection report</h1>
<p>${escapeHtml(batch.tool.name)} ${escapeHtml(batch.tool.version)} · ${new Date().toISOString().slice(0, 10)} · processed locally, nothing uploaded.</p>
<p>${s.files} files (${s.dicom_files} DICOM, ${s.not_dicom} not DICOM) · findings: ${s.findings.high} high, ${s.findings.medium} medium, ${s.findings.low} low, ${s.findings.info} info.</p>
${chart}
<table><thead><tr><th>file</th><th>transfer syntax</th><th>high</th><th>medium</th><th>low</th><th>info</th></tr></thead><tbody>${summaryRows}</tbody></table>
${details}
</body></html>
`;
}
