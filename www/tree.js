// The element tree: a virtualised ARIA treegrid over a report's flat
// `elements` array (docs/report.md, "Elements").
//
//   const tree = createElementTree(file.elements, { onSelect(index, element) {…}, label });
//   parent.append(tree.node);
//   tree.select('(0040,0275)[0].(0010,0010)');   // a finding's path, or an index
//   tree.search('PatientName');                    // → number of matches
//
// How it stays fast with 100,000 elements:
// - One backward pass over the parent links gives every node the end of its
//   subtree. Elements are in document order, so the descendants of i are the
//   contiguous range i+1 .. end[i]-1 and folding is a range skip: the visible
//   list is rebuilt by `i = folded[i] ? end[i] : i + 1`, O(visible rows).
// - The visible list is ascending, so "which row shows element i" is a binary
//   search; nothing maps every element to a DOM node.
// - The scroll container holds a spacer as tall as all visible rows and a pool
//   of row elements: the rows in view plus an overscan. Row position p always
//   uses pool slot p % poolSize, so scrolling by one row rewrites one row; a
//   scroll frame does O(rows in view) work and creates no elements.
// Every value from the file is set as text (Text.data, textContent, title),
// never as markup.

const CONTAINERS = new Set(['sequence', 'item', 'pixel_sequence']);
const KINDS = new Set(['element', 'sequence', 'item', 'pixel_sequence', 'fragment']);
const COLUMNS = ['Tag', 'Name', 'VR', 'VM', 'Length', 'Offset', 'Value'];
const OVERSCAN = 8; // rows rendered above and below the viewport
const MAX_INDENT = 16; // deeper levels share the deepest indentation (aria-level stays exact)
const INDENT_REM = 0.8; // per level
const MAX_CELL_TEXT = 240; // the cell shows the start of a long value …
const MAX_TITLE = 2000; // … and its tooltip a longer start; search sees all of it
let instances = 0;

/** Creates an element with a class and, optionally, text. */
function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const clip = (text, max) => (text.length > max ? `${text.slice(0, max)}…` : text);
const TAG_QUERY = /^\(?\s*([0-9a-f]{4})\s*,?\s*([0-9a-f]{4})\s*\)?$/;

/**
 * Builds the tree for `elements` (the report's array, never modified).
 * Returns { node, select(pathOrIndex) → boolean, search(query) → matches,
 * next() → index | -1, previous() → index | -1, destroy() }.
 */
export function createElementTree(elements, { onSelect, label = 'Element tree' } = {}) {
  const n = elements.length;
  const uid = `element-tree-${++instances}`;

  // ---- Structure: parent, subtree end, position among siblings (one pass each way).
  const parentOf = new Int32Array(n);
  const end = new Int32Array(n);
  const posInSet = new Int32Array(n);
  const setSize = new Int32Array(n);
  const expandable = new Uint8Array(n);
  let maxDepth = 0;
  {
    const children = new Int32Array(n + 1); // slot n counts the top level
    for (let i = 0; i < n; i++) {
      const p = elements[i].parent;
      const q = Number.isInteger(p) && p >= 0 && p < i ? p : -1;
      parentOf[i] = q;
      posInSet[i] = ++children[q < 0 ? n : q];
      end[i] = i + 1;
      const depth = elements[i].depth;
      if (depth > maxDepth) maxDepth = depth;
    }
    for (let i = n - 1; i >= 0; i--) {
      const q = parentOf[i];
      if (q >= 0 && end[i] > end[q]) end[q] = end[i];
      setSize[i] = children[q < 0 ? n : q];
      expandable[i] = CONTAINERS.has(elements[i].kind) && end[i] > i + 1 ? 1 : 0;
    }
  }

  // ---- Visible rows.
  const folded = new Uint8Array(n);
  const visible = new Int32Array(n);
  let count = 0;
  function rebuild() {
    let c = 0;
    for (let i = 0; i < n; i = folded[i] ? end[i] : i + 1) visible[c++] = i;
    count = c;
  }
  /** The row position showing element i, or -1 when it is folded away. */
  function positionOf(i) {
    let lo = 0;
    let hi = count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = visible[mid];
      if (v === i) return mid;
      if (v < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  rebuild();

  // ---- State.
  let active = -1; // element index of the keyboard cursor
  let selected = -1; // element index highlighted by select(), a click or Enter
  const isMatch = new Uint8Array(n);
  let matches = [];
  let current = -1; // position in `matches`
  let lastQuery = '';
  let stamp = 0; // bumped when row state (classes, aria) must be rewritten
  let pathIndex = null; // Map path → index, built on the first select(path)
  let haystacks = null; // lower-cased tag, name and value texts, built on the first search
  let destroyed = false;

  // ---- DOM.
  const node = make('div', 'element-tree');
  // The tag column is as wide as the deepest (capped) indentation needs.
  node.style.setProperty('--et-indent', `${Math.min(maxDepth, MAX_INDENT) * INDENT_REM}rem`);
  const searchBar = make('div', 'et-search');
  searchBar.setAttribute('role', 'search');
  searchBar.setAttribute('aria-label', `Search the ${label.toLowerCase()}`);
  const input = make('input', 'et-query');
  input.type = 'search';
  input.id = `${uid}-query`;
  input.placeholder = 'Tag, keyword or value';
  input.autocomplete = 'off';
  input.spellcheck = false;
  const inputLabel = make('label', 'et-query-label', 'Search elements');
  inputLabel.htmlFor = input.id;
  const previousButton = make('button', 'et-previous', 'Previous');
  previousButton.type = 'button';
  previousButton.setAttribute('aria-label', 'Previous match');
  const nextButton = make('button', 'et-next', 'Next');
  nextButton.type = 'button';
  nextButton.setAttribute('aria-label', 'Next match');
  const status = make('span', 'et-status');
  status.setAttribute('role', 'status');
  status.id = `${uid}-status`;
  input.setAttribute('aria-describedby', status.id);
  searchBar.append(inputLabel, input, previousButton, nextButton, status);

  const grid = make('div', 'et-grid');
  grid.id = uid;
  grid.tabIndex = 0;
  grid.setAttribute('role', 'treegrid');
  grid.setAttribute('aria-label', label);
  grid.setAttribute('aria-colcount', String(COLUMNS.length));
  // Rows are rewritten on every scroll: never announce them, even when the
  // page puts the tree inside a live region.
  grid.setAttribute('aria-live', 'off');
  const hint = make('p', 'et-hint',
    'Up and Down arrows, Page Up, Page Down, Home and End move between elements; Right unfolds a sequence or item, Left folds it or goes to its parent; Enter selects.');
  hint.id = `${uid}-hint`;
  grid.setAttribute('aria-describedby', hint.id);
  const headGroup = make('div', 'et-head-group');
  headGroup.setAttribute('role', 'rowgroup');
  const head = make('div', 'et-head');
  head.setAttribute('role', 'row');
  head.setAttribute('aria-rowindex', '1');
  COLUMNS.forEach((title, c) => {
    const cell = make('div', `et-cell et-col-${c}`, title);
    cell.setAttribute('role', 'columnheader');
    head.append(cell);
  });
  headGroup.append(head);
  const body = make('div', 'et-body');
  body.setAttribute('role', 'rowgroup');
  grid.append(headGroup, body);
  node.append(searchBar, grid, hint);
  if (!n) node.append(make('p', 'et-empty', 'This file has no elements to list.'));

  // ---- Row pool.
  const pool = []; // { row, toggle, tagCell, texts[], nameCell, index, pos, stamp, depth }
  const slotOf = new WeakMap();
  function createSlot() {
    const row = make('div', 'et-row');
    row.setAttribute('role', 'row');
    row.hidden = true;
    const cells = COLUMNS.map((_, c) => {
      const cell = make('div', `et-cell et-col-${c}`);
      cell.setAttribute('role', 'gridcell');
      return cell;
    });
    const toggle = make('button', 'et-toggle');
    toggle.type = 'button';
    toggle.tabIndex = -1;
    const texts = cells.map(() => document.createTextNode(''));
    cells[0].append(toggle);
    cells.forEach((cell, c) => cell.append(texts[c]));
    row.append(...cells);
    const slot = { row, toggle, tagCell: cells[0], nameCell: cells[1], valueCell: cells[6], texts, index: -1, pos: -1, stamp: -1, depth: -1, cls: '', chosen: '', open: null };
    slotOf.set(row, slot);
    body.append(row);
    pool.push(slot);
    return slot;
  }

  /** Writes element i's own content into a slot (only when the slot changes element). */
  function writeContent(slot, i) {
    const e = elements[i];
    const { row, toggle, texts } = slot;
    slot.index = i;
    row.id = `${uid}-r${i}`;
    const depth = Number.isInteger(e.depth) && e.depth > 0 ? e.depth : 0;
    row.setAttribute('aria-level', String(depth + 1));
    row.setAttribute('aria-posinset', String(posInSet[i]));
    row.setAttribute('aria-setsize', String(setSize[i]));
    const indent = Math.min(depth, MAX_INDENT);
    if (slot.depth !== indent) {
      slot.tagCell.style.paddingLeft = `${0.3 + indent * INDENT_REM}rem`;
      slot.depth = indent;
    }
    const tag = String(e.tag ?? '');
    toggle.hidden = !expandable[i];
    if (expandable[i]) toggle.setAttribute('aria-label', `Contents of ${tag}`);
    texts[0].data = tag;
    const name = e.private_creator ? `${e.name ?? ''} [${e.private_creator}]` : String(e.name ?? '');
    texts[1].data = name;
    slot.nameCell.classList.toggle('private', Boolean(e.private_creator));
    texts[2].data = String(e.vr ?? '');
    texts[3].data = e.vm === null || e.vm === undefined ? '' : String(e.vm);
    texts[4].data = e.length === null || e.length === undefined ? 'undefined' : String(e.length);
    texts[5].data = e.offset === null || e.offset === undefined ? '' : String(e.offset);
    const value = e.value === null || e.value === undefined ? '' : String(e.value);
    texts[6].data = clip(value, MAX_CELL_TEXT);
    slot.valueCell.title = clip(value, MAX_TITLE);
  }

  /** Writes the row's position and state (fold, cursor, selection, match). */
  function fill(slot, p) {
    const i = visible[p];
    const { row } = slot;
    if (slot.index !== i) writeContent(slot, i);
    if (slot.pos !== p) {
      row.style.transform = `translateY(${p * rowHeight}px)`;
      row.setAttribute('aria-rowindex', String(p + 2));
      slot.pos = p;
    }
    const kind = KINDS.has(elements[i].kind) ? elements[i].kind : 'other';
    let cls = `et-row kind-${kind}`;
    if (i === active) cls += ' active';
    if (i === selected) cls += ' selected';
    if (isMatch[i]) cls += matches[current] === i ? ' match current-match' : ' match';
    if (slot.cls !== cls) row.className = slot.cls = cls;
    const chosen = i === selected ? 'true' : 'false';
    if (slot.chosen !== chosen) row.setAttribute('aria-selected', slot.chosen = chosen);
    const open = expandable[i] ? (folded[i] ? 'false' : 'true') : '';
    if (slot.open !== open) {
      slot.open = open;
      if (open) {
        row.setAttribute('aria-expanded', open);
        slot.toggle.setAttribute('aria-expanded', open);
      } else {
        row.removeAttribute('aria-expanded');
      }
    }
    slot.stamp = stamp;
    if (row.hidden) row.hidden = false;
  }

  // ---- Layout and rendering.
  let rowHeight = 0; // px, whole; 0 until the tree is laid out
  let viewHeight = 0; // px of the scroll container below the sticky header
  let pending = null; // { index, align } to reveal once laid out
  let activeId = '';

  function updateSpacer() {
    body.style.height = `${count * rowHeight}px`;
    grid.setAttribute('aria-rowcount', String(count + 1));
  }
  updateSpacer();

  /** Renders the rows in view: O(pool size), no allocation. */
  function render() {
    if (!rowHeight || destroyed) return;
    const top = grid.scrollTop;
    const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
    const last = Math.min(count, Math.ceil((top + viewHeight) / rowHeight) + OVERSCAN);
    const size = pool.length;
    for (let p = first; p < last; p++) {
      const slot = pool[p % size];
      if (slot.pos !== p || slot.index !== visible[p] || slot.stamp !== stamp) fill(slot, p);
    }
    for (let s = 0; s < size; s++) {
      const slot = pool[s];
      if (slot.pos !== -1 && (slot.pos < first || slot.pos >= last)) {
        slot.row.hidden = true;
        slot.pos = -1;
      }
    }
    const activePos = active >= 0 ? positionOf(active) : -1;
    const id = activePos >= first && activePos < last ? `${uid}-r${active}` : '';
    if (id !== activeId) {
      if (id) grid.setAttribute('aria-activedescendant', id);
      else grid.removeAttribute('aria-activedescendant');
      activeId = id;
    }
  }

  /** Measures row and header height and sizes the pool; runs on every resize. */
  function measure() {
    if (destroyed) return;
    const height = grid.clientHeight;
    if (!height) return; // not displayed
    if (!pool.length) createSlot();
    const probe = pool[0].row;
    const wasHidden = probe.hidden;
    node.style.removeProperty('--et-row-px');
    probe.hidden = false;
    const measured = Math.max(1, Math.round(probe.getBoundingClientRect().height) || 24);
    probe.hidden = wasHidden;
    // Whole pixels: rows are placed at p * rowHeight, and fractional heights drift.
    node.style.setProperty('--et-row-px', `${measured}px`);
    viewHeight = Math.max(0, height - headGroup.offsetHeight);
    // Never more rows than elements: a small file gets a small pool.
    const size = Math.max(1, Math.min(n, Math.ceil(viewHeight / measured) + 1 + 2 * OVERSCAN));
    const resized = size > pool.length;
    while (pool.length < size) createSlot();
    if (measured !== rowHeight || resized) {
      rowHeight = measured;
      for (const slot of pool) { slot.pos = -1; slot.row.hidden = true; }
      updateSpacer();
    }
    if (pending) {
      const { index, align } = pending;
      pending = null;
      scrollToIndex(index, align);
    }
    render();
  }
  const resizeObserver = new ResizeObserver(measure);
  resizeObserver.observe(grid);

  /** Scrolls so element i's row is in view ('nearest') or centred ('center'). */
  function scrollToIndex(i, align = 'nearest') {
    const p = positionOf(i);
    if (p < 0) return;
    if (!rowHeight) {
      pending = { index: i, align };
      return;
    }
    const top = p * rowHeight;
    const bottom = top + rowHeight;
    const scroll = grid.scrollTop;
    let target = scroll;
    if (align === 'center') {
      if (top < scroll || bottom > scroll + viewHeight) target = top - (viewHeight - rowHeight) / 2;
    } else if (top < scroll) {
      target = top;
    } else if (bottom > scroll + viewHeight) {
      target = bottom - viewHeight;
    }
    target = Math.max(0, Math.round(target));
    if (target !== scroll) grid.scrollTop = target;
    render();
  }

  /** Opens every folded ancestor of element i. */
  function unfoldAncestors(i) {
    let changed = false;
    for (let a = parentOf[i]; a >= 0; a = parentOf[a]) {
      if (folded[a]) {
        folded[a] = 0;
        changed = true;
      }
    }
    if (changed) {
      rebuild();
      updateSpacer();
    }
  }

  function setFolded(i, fold) {
    if (!expandable[i] || Boolean(folded[i]) === fold) return;
    folded[i] = fold ? 1 : 0;
    // The cursor never hides inside a folded container.
    if (fold && active > i && active < end[i]) active = i;
    rebuild();
    updateSpacer();
    stamp++;
    render();
  }

  /** Moves the keyboard cursor to row position p (clamped) and shows it. */
  function moveTo(p) {
    if (!count) return;
    active = visible[Math.max(0, Math.min(count - 1, p))];
    stamp++;
    scrollToIndex(active);
    render();
  }

  function choose(i) {
    selected = i;
    active = i;
    stamp++;
    render();
    if (typeof onSelect === 'function') onSelect(i, elements[i]);
  }

  // ---- Events.
  grid.addEventListener('scroll', render, { passive: true });

  grid.addEventListener('focus', () => {
    if (!count) return;
    const first = rowHeight ? Math.min(count - 1, Math.ceil(grid.scrollTop / rowHeight)) : 0;
    const last = rowHeight ? Math.floor((grid.scrollTop + viewHeight) / rowHeight) - 1 : count - 1;
    const p = active >= 0 ? positionOf(active) : -1;
    if (p < first || p > last) {
      active = visible[first];
      stamp++;
      render();
    }
  });

  grid.addEventListener('keydown', (event) => {
    if (!count || event.altKey || event.metaKey) return;
    const p = active >= 0 ? positionOf(active) : -1;
    const page = Math.max(1, Math.floor(viewHeight / (rowHeight || 1)) - 1);
    switch (event.key) {
      case 'ArrowDown': moveTo(p < 0 ? 0 : p + 1); break;
      case 'ArrowUp': moveTo(p < 0 ? 0 : p - 1); break;
      case 'PageDown': moveTo(p < 0 ? 0 : p + page); break;
      case 'PageUp': moveTo(p < 0 ? 0 : p - page); break;
      case 'Home': moveTo(0); break;
      case 'End': moveTo(count - 1); break;
      case 'ArrowRight':
        if (p < 0) moveTo(0);
        else if (expandable[active] && folded[active]) setFolded(active, false);
        else if (expandable[active]) moveTo(p + 1); // first child
        break;
      case 'ArrowLeft':
        if (p < 0) moveTo(0);
        else if (expandable[active] && !folded[active]) setFolded(active, true);
        else if (parentOf[active] >= 0) moveTo(positionOf(parentOf[active]));
        break;
      case 'Enter':
        if (p < 0) moveTo(0);
        else choose(active);
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  // Toggles never take focus from the grid (they are for the pointer).
  body.addEventListener('mousedown', (event) => {
    if (event.target.closest('.et-toggle')) event.preventDefault();
  });
  body.addEventListener('click', (event) => {
    const row = event.target.closest('.et-row');
    const slot = row && slotOf.get(row);
    if (!slot || slot.index < 0) return;
    if (event.target.closest('.et-toggle')) {
      active = slot.index;
      setFolded(slot.index, !folded[slot.index]);
      grid.focus({ preventScroll: true });
      return;
    }
    choose(slot.index);
  });

  // ---- Search.
  function buildHaystacks() {
    const tags = new Array(n);
    const names = new Array(n);
    const values = new Array(n);
    for (let i = 0; i < n; i++) {
      const e = elements[i];
      tags[i] = String(e.tag ?? '').toLowerCase();
      names[i] = (e.private_creator ? `${e.name ?? ''} [${e.private_creator}]` : String(e.name ?? '')).toLowerCase();
      values[i] = e.value === null || e.value === undefined ? '' : String(e.value).toLowerCase();
    }
    return { tags, names, values };
  }

  function showStatus() {
    if (!lastQuery) status.textContent = '';
    else if (!matches.length) status.textContent = 'No matches';
    else status.textContent = `${current + 1} of ${matches.length} ${matches.length === 1 ? 'match' : 'matches'}`;
    previousButton.disabled = nextButton.disabled = matches.length === 0;
  }

  function goToMatch(k) {
    if (!matches.length) return -1;
    current = ((k % matches.length) + matches.length) % matches.length;
    const i = matches[current];
    unfoldAncestors(i);
    active = i;
    stamp++;
    scrollToIndex(i, 'center');
    render();
    showStatus();
    return i;
  }

  let typing = 0;
  function search(query) {
    if (destroyed) return 0;
    clearTimeout(typing);
    typing = 0;
    const text = String(query ?? '');
    if (input.value !== text) input.value = text;
    const q = text.trim().toLowerCase();
    for (const i of matches) isMatch[i] = 0;
    matches = [];
    current = -1;
    lastQuery = q;
    if (q) {
      haystacks ??= buildHaystacks();
      const { tags, names, values } = haystacks;
      // "(0010,0010)", "0010,0010" and "00100010" all name the tag (0010,0010).
      const tagForm = TAG_QUERY.exec(q);
      const tag = tagForm ? `(${tagForm[1]},${tagForm[2]})` : null;
      for (let i = 0; i < n; i++) {
        if (tags[i] === tag || tags[i].includes(q) || names[i].includes(q) || values[i].includes(q)) {
          matches.push(i);
          isMatch[i] = 1;
        }
      }
    }
    stamp++;
    if (matches.length) goToMatch(0);
    else {
      render();
      showStatus();
    }
    return matches.length;
  }

  const next = () => (destroyed ? -1 : goToMatch(current + 1));
  const previous = () => (destroyed ? -1 : goToMatch(current - 1));

  input.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => search(input.value), 200);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      if (typing || input.value.trim().toLowerCase() !== lastQuery) search(input.value);
      else if (event.shiftKey) previous();
      else next();
    } else if (event.key === 'Escape' && input.value) {
      event.preventDefault();
      search('');
    }
  });
  previousButton.addEventListener('click', () => {
    if (typing || input.value.trim().toLowerCase() !== lastQuery) search(input.value);
    else previous();
  });
  nextButton.addEventListener('click', () => {
    if (typing || input.value.trim().toLowerCase() !== lastQuery) search(input.value);
    else next();
  });
  showStatus();

  // ---- Selection from outside (a clicked finding).
  function select(target) {
    if (destroyed) return false;
    let i = -1;
    if (typeof target === 'number') {
      i = target;
    } else if (typeof target === 'string') {
      if (!pathIndex) {
        pathIndex = new Map();
        for (let k = 0; k < n; k++) {
          const path = elements[k].path;
          if (!pathIndex.has(path)) pathIndex.set(path, k); // a duplicated tag keeps its first
        }
      }
      i = pathIndex.get(target) ?? -1;
    }
    if (!Number.isInteger(i) || i < 0 || i >= n) return false;
    unfoldAncestors(i);
    selected = i;
    active = i;
    stamp++;
    scrollToIndex(i, 'center');
    render();
    return true;
  }

  function destroy() {
    if (destroyed) return;
    destroyed = true;
    clearTimeout(typing);
    resizeObserver.disconnect();
    node.remove();
  }

  return { node, select, search, next, previous, destroy };
}
