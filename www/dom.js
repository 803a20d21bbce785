// Small DOM helpers shared by the page's modules.

export const SEVERITIES = ['high', 'medium', 'low', 'info'];

/** Creates an element with a class and text content (never markup). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** The highest severity among findings, or null. */
export function highestOf(findings) {
  return SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? null;
}

/** A button with a label for screen readers. */
export function button(text, label, onClick, className = 'button') {
  const b = el('button', className, text);
  b.type = 'button';
  if (label) b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}
