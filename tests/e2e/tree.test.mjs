// End to end: the virtualised element tree (www/tree.js, www/tree.css) in
// Debian's Chromium, on synthetic element arrays of 50,000 and 100,000
// elements with nested sequences. The module is imported into the inspector
// page itself, under its Content-Security-Policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as harness from './harness.mjs';

const { OUTPUT } = harness;
let env;

before(async () => {
  env = await harness.launch();
});

after(async () => {
  await env?.close();
});

/**
 * Runs in the page: a report-shaped `elements` array of n elements in
 * document order. Every 20th top-level element is a sequence of two items,
 * each holding three leaves and a nested sequence, down to depth 10 (about
 * 310 elements per top-level sequence). Element i sits at offset 132 + 10 i.
 * A few leaves are then given known tags, names and values to search for.
 */
function buildFixture(n) {
  const elements = [];
  const hex = (v) => v.toString(16).toUpperCase().padStart(4, '0');
  let serial = 0;
  const add = (fields) => {
    const i = elements.length;
    elements.push({ kind: 'element', vr: 'LO', vm: 1, length: 8, value: null, private_creator: null, ...fields, offset: 132 + 10 * i });
    return i;
  };
  const leaf = (depth, parent, prefix) => {
    const s = serial++;
    const tag = `(${hex(0x2000 + 2 * (s >> 16))},${hex(s & 0xffff)})`;
    return add({ tag, name: `Synthetic${s}`, depth, parent, path: prefix + tag, value: `text ${s}` });
  };
  const sequence = (depth, parent, prefix) => {
    const s = serial++;
    const tag = `(${hex(0x3000 + 2 * (s >> 16))},${hex(s & 0xffff)})`;
    const seq = add({ kind: 'sequence', tag, name: `SyntheticSequence${s}`, vr: 'SQ', length: null, depth, parent, path: prefix + tag });
    for (let k = 0; k < 2 && elements.length < n; k++) {
      const itemPath = `${prefix}${tag}[${k}]`;
      const item = add({ kind: 'item', tag: '(FFFE,E000)', name: 'Item', vr: '', length: null, depth: depth + 1, parent: seq, path: itemPath });
      for (let c = 0; c < 4 && elements.length < n; c++) {
        if (c === 2 && depth < 8) sequence(depth + 2, item, `${itemPath}.`);
        else leaf(depth + 2, item, `${itemPath}.`);
      }
    }
    return seq;
  };
  for (let t = 0; elements.length < n; t++) {
    if (t % 20 === 10) sequence(0, null, '');
    else leaf(0, null, '');
  }
  for (const e of elements) if (e.kind !== 'element') { e.value = null; e.vm = 1; }

  const leafAt = (from, depth) => {
    for (let i = Math.floor(from); i < n; i++) {
      if (elements[i].kind === 'element' && elements[i].depth === depth) return i;
    }
    throw new Error(`no leaf at depth ${depth} after ${from}`);
  };
  const plant = (i, fields) => {
    const e = elements[i];
    Object.assign(e, fields);
    const parentPath = e.parent === null ? '' : `${elements[e.parent].path}.`;
    e.path = parentPath + e.tag;
    return i;
  };
  const ancestors = (i) => {
    const chain = [];
    for (let a = elements[i].parent; a !== null; a = elements[a].parent) chain.push(a);
    return chain;
  };
  const subtreeEnd = (i) => {
    let j = i + 1;
    while (j < n && elements[j].depth > elements[i].depth) j++;
    return j;
  };

  const topName = plant(leafAt(3, 0), { tag: '(0010,0010)', name: 'PatientName', vr: 'PN', value: 'DOE^JANE' });
  const markup = plant(leafAt(5, 0), { tag: '(0008,1030)', name: 'StudyDescription', value: '<img src=x onerror="window.__xss=1">' });
  const privateElement = plant(leafAt(7, 0), { tag: '(0029,1010)', name: 'Unknown', private_creator: '<b>ACME</b> 1.0', value: 'private text' });
  const deepName = plant(leafAt(n * 0.6, 10), { tag: '(0010,0010)', name: 'PatientName', vr: 'PN', value: 'ROE^RICHARD' });
  const needles = [leafAt(n * 0.3, 0), leafAt(n * 0.8, 6), leafAt(n * 0.95, 0)];
  for (const i of needles) elements[i].value = `a needle-Ω here (${i})`;
  const firstSequence = elements.findIndex((e) => e.kind === 'sequence' && e.depth === 0);
  const innerSequence = elements.findIndex((e, i) => i > firstSequence && e.kind === 'sequence');

  window.__fixture = { elements };
  return {
    n,
    last: { tag: elements[n - 1].tag, offset: elements[n - 1].offset },
    middle: { index: n / 2, tag: elements[n / 2].tag, offset: elements[n / 2].offset },
    topName,
    markup,
    privateElement,
    deepName: { index: deepName, path: elements[deepName].path, depth: elements[deepName].depth, ancestors: ancestors(deepName) },
    needles,
    firstSequence: { index: firstSequence, end: subtreeEnd(firstSequence), tag: elements[firstSequence].tag },
    innerSequence: { index: innerSequence, end: subtreeEnd(innerSequence), parent: elements[innerSequence].parent },
    maxDepth: Math.max(...elements.map((e) => e.depth)),
  };
}

/** Opens the page, builds n elements, mounts the tree in #detail; returns { context, page, errors, fx }. */
async function setup(n, contextOptions) {
  const { context, page, requests, errors } = await harness.openPage(env, '/', contextOptions);
  const fx = await page.evaluate(buildFixture, n);
  await page.evaluate(async () => {
    await new Promise((ok, fail) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = '/tree.css';
      link.onload = ok;
      link.onerror = () => fail(new Error('tree.css did not load'));
      document.head.append(link);
    });
    const { createElementTree } = await import('/tree.js');
    window.__selected = [];
    const started = performance.now();
    window.__tree = createElementTree(window.__fixture.elements, {
      onSelect: (index, element) => window.__selected.push({ index, tag: element.tag }),
      label: 'Element tree',
    });
    window.__buildMs = performance.now() - started;
    document.getElementById('detail').replaceChildren(window.__tree.node);
  });
  await page.waitForFunction(() => document.querySelectorAll('.et-row:not([hidden])').length > 0);
  return { context, page, requests, errors, fx };
}

async function finish({ context, page, requests, errors }) {
  // Nothing but the app's own files was requested, nothing went to the console.
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await page.evaluate(() => window.__tree.destroy());
  assert.equal(await page.locator('.element-tree').count(), 0, 'destroy() removes the tree');
  await context.close();
}

/** What the page shows of element i: null when it has no row, else its row's state. */
function rowState(page, index) {
  return page.evaluate((i) => {
    const grid = document.querySelector('.et-grid');
    const row = document.getElementById(`${grid.id}-r${i}`);
    if (!row || row.hidden) return null;
    const box = row.getBoundingClientRect();
    const view = grid.getBoundingClientRect();
    const header = grid.querySelector('.et-head').getBoundingClientRect();
    const cells = [...row.querySelectorAll('[role=gridcell]')].map((c) => c.textContent);
    return {
      cells,
      classes: row.className,
      inView: box.top >= header.bottom - 1 && box.bottom <= view.bottom + 1,
      rowIndex: Number(row.getAttribute('aria-rowindex')),
      level: Number(row.getAttribute('aria-level')),
      expanded: row.getAttribute('aria-expanded'),
      selected: row.getAttribute('aria-selected'),
    };
  }, index);
}

const gridAttr = (page, name) => page.locator('.et-grid').getAttribute(name);
const domRows = (page) => page.evaluate(() => document.querySelectorAll('.et-row').length);
const statusText = (page) => page.locator('.et-status').textContent();

test('50,000 elements mount with fewer than 200 rows in the DOM; the middle and the bottom show the right rows', async () => {
  const s = await setup(50000);
  const { page, fx } = s;
  assert.ok(fx.maxDepth >= 10, `fixture nests to depth ${fx.maxDepth}`);
  assert.equal(await gridAttr(page, 'role'), 'treegrid');
  assert.equal(await gridAttr(page, 'aria-rowcount'), String(50000 + 1));
  const rows = await domRows(page);
  assert.ok(rows > 20 && rows < 200, `${rows} rows in the DOM`);
  const first = await rowState(page, 0);
  assert.equal(first.rowIndex, 2);
  assert.equal(first.cells[5], '132');

  // The first row below the header, after scrolling, is the one the scroll position names.
  const topRow = () => page.evaluate(() => {
    const grid = document.querySelector('.et-grid');
    const head = grid.querySelector('.et-head').getBoundingClientRect();
    const row = document.elementFromPoint(head.left + 40, head.bottom + 3).closest('.et-row');
    return { rowIndex: Number(row.getAttribute('aria-rowindex')), tag: row.querySelector('.et-col-0').textContent, offset: row.querySelector('.et-col-5').textContent };
  });
  await page.evaluate((i) => {
    const grid = document.querySelector('.et-grid');
    grid.scrollTop = i * document.querySelector('.et-row:not([hidden])').offsetHeight;
  }, fx.middle.index);
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  assert.deepEqual(await topRow(), { rowIndex: fx.middle.index + 2, tag: fx.middle.tag, offset: String(fx.middle.offset) });
  assert.ok(await domRows(page) < 200);

  await page.evaluate(() => { const g = document.querySelector('.et-grid'); g.scrollTop = g.scrollHeight; });
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const last = await rowState(page, 49999);
  assert.ok(last?.inView, 'the last element is shown at the bottom');
  assert.equal(last.rowIndex, 50001);
  assert.equal(last.cells[0], fx.last.tag);
  assert.equal(last.cells[5], String(fx.last.offset));
  assert.ok(await domRows(page) < 200);
  await finish(s);
});

for (const n of [50000, 100000]) {
  test(`scrolling through ${n.toLocaleString('en')} elements does O(visible rows) work per frame and recycles rows`, async (t) => {
    const s = await setup(n);
    const { page } = s;
    const run = (mode) => page.evaluate(async (mode) => {
      const grid = document.querySelector('.et-grid');
      const rowHeight = grid.querySelector('.et-row:not([hidden])').offsetHeight;
      const pool = new Set(grid.querySelectorAll('.et-row'));
      const frame = () => new Promise((ok) => requestAnimationFrame(ok));
      // Time the tree's own scroll listener: a capturing listener on the
      // document runs just before it, one added after it on the grid just after;
      // reading offsetTop then forces the style and layout the frame needs.
      let started = 0;
      const handler = [];
      const withLayout = [];
      const before = (e) => { if (e.target === grid) started = performance.now(); };
      const afterTree = () => {
        handler.push(performance.now() - started);
        void grid.querySelector('.et-row:not([hidden])').offsetTop;
        withLayout.push(performance.now() - started);
      };
      document.addEventListener('scroll', before, true);
      grid.addEventListener('scroll', afterTree);
      grid.scrollTop = 0;
      await frame();
      await frame();
      handler.length = 0;
      withLayout.length = 0;
      const steps = 200;
      const max = grid.scrollHeight - grid.clientHeight;
      const base = Math.round(max / 2);
      const wrong = [];
      let maxRows = 0;
      let foreign = 0;
      const t0 = performance.now();
      for (let step = 1; step <= steps; step++) {
        // 'jump': top to bottom in 200 steps (a dragged scroll bar, every row new);
        // 'wheel': 100 px a step from the middle (a few rows new per frame).
        grid.scrollTop = mode === 'jump' ? Math.round((max * step) / steps) : base + step * 100;
        await frame();
        // The row just under the header must be there and be the one that
        // belongs at that height of the (scrolled) list.
        const head = grid.querySelector('.et-head').getBoundingClientRect();
        const y = Math.ceil(head.bottom) + 1;
        const expected = Math.floor((y - grid.querySelector('.et-body').getBoundingClientRect().top) / rowHeight) + 2;
        const row = document.elementFromPoint(head.left + 40, y)?.closest('.et-row');
        if (!row || Number(row.getAttribute('aria-rowindex')) !== expected) {
          wrong.push(`step ${step}: scrollTop ${grid.scrollTop}, expected row ${expected}, found ${row?.getAttribute('aria-rowindex')}`);
        }
        const rows = grid.querySelectorAll('.et-row');
        maxRows = Math.max(maxRows, rows.length);
        for (const r of rows) if (!pool.has(r)) foreign++;
      }
      const wall = performance.now() - t0;
      document.removeEventListener('scroll', before, true);
      grid.removeEventListener('scroll', afterTree);
      const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
      return {
        frames: handler.length,
        handlerMean: mean(handler),
        handlerMax: Math.max(...handler),
        layoutMean: mean(withLayout),
        layoutMedian: median(withLayout),
        layoutMax: Math.max(...withLayout),
        wallPerStep: wall / steps,
        wrong,
        maxRows,
        foreign,
        build: window.__buildMs,
      };
    }, mode);
    for (const mode of ['jump', 'wheel']) {
      const r = await run(mode);
      const line = `${n} elements, ${mode}: ${r.frames} scroll frames, handler mean ${r.handlerMean.toFixed(3)} ms (max ${r.handlerMax.toFixed(2)}), ` +
        `handler + style + layout mean ${r.layoutMean.toFixed(3)} ms (median ${r.layoutMedian.toFixed(2)}, max ${r.layoutMax.toFixed(2)}), ` +
        `${r.wallPerStep.toFixed(1)} ms wall per step, ` +
        `${r.maxRows} rows in the DOM at most, tree built in ${r.build.toFixed(1)} ms`;
      t.diagnostic(line);
      assert.ok(r.frames >= 190, `${r.frames} scroll events for 200 steps`);
      assert.deepEqual(r.wrong, [], 'every frame shows the row the scroll position names under the header');
      assert.ok(r.maxRows < 200, `${r.maxRows} rows in the DOM`);
      assert.equal(r.foreign, 0, 'rows are recycled, never created while scrolling');
      // The tree's own work per frame is small and steady; the style and layout
      // it causes also depend on how busy the machine is (test files run in
      // parallel on two cores in CI), so the frame bound is on the median, with
      // a looser bound on the mean that load spikes cannot reach by chance.
      assert.ok(r.handlerMean < 8, `mean scroll handler ${r.handlerMean} ms`);
      assert.ok(r.layoutMedian < 16, `median frame work ${r.layoutMedian} ms`);
      assert.ok(r.layoutMean < 33, `mean frame work ${r.layoutMean} ms`);
    }
    await finish(s);
  });
}

test('folding a sequence skips its subtree; nested folds are kept; aria-expanded and aria-rowcount follow', async () => {
  const s = await setup(50000);
  const { page, fx } = s;
  const seq = fx.firstSequence;
  const inner = fx.innerSequence;
  const total = 50000 + 1;
  const gridId = await gridAttr(page, 'id');
  const toggle = (i) => page.locator(`#${gridId}-r${i} .et-toggle`);

  let row = await rowState(page, seq.index);
  assert.equal(row.expanded, 'true');
  assert.equal(row.level, 1);
  assert.equal(await toggle(seq.index).getAttribute('aria-expanded'), 'true');
  await toggle(seq.index).click();
  row = await rowState(page, seq.index);
  assert.equal(row.expanded, 'false');
  assert.equal(await toggle(seq.index).getAttribute('aria-expanded'), 'false');
  const hidden = seq.end - seq.index - 1;
  assert.equal(await gridAttr(page, 'aria-rowcount'), String(total - hidden));
  assert.equal(await rowState(page, seq.index + 1), null, 'the first item has no row');
  const after = await rowState(page, seq.end);
  assert.equal(after.rowIndex, row.rowIndex + 1, 'the element after the subtree follows the folded sequence');
  assert.ok(await domRows(page) < 200);

  // Unfold, fold a nested sequence, fold and unfold the outer one: the nested fold stays.
  await toggle(seq.index).click();
  assert.equal(await gridAttr(page, 'aria-rowcount'), String(total));
  assert.equal((await rowState(page, inner.parent)).level, 2, 'items are one level below their sequence');
  await toggle(inner.index).click();
  const innerHidden = inner.end - inner.index - 1;
  assert.equal(await gridAttr(page, 'aria-rowcount'), String(total - innerHidden));
  await toggle(seq.index).click();
  await toggle(seq.index).click();
  assert.equal((await rowState(page, inner.index)).expanded, 'false');
  assert.equal(await gridAttr(page, 'aria-rowcount'), String(total - innerHidden));
  assert.equal((await rowState(page, inner.index + 1)), null);
  await toggle(inner.index).click();
  assert.equal(await gridAttr(page, 'aria-rowcount'), String(total));
  // Leaves carry no aria-expanded and no visible toggle.
  assert.equal((await rowState(page, 0)).expanded, null);
  assert.equal(await toggle(0).isVisible(), false);
  await finish(s);
});

test('search by tag (three spellings), keyword and value: counts, "n of m matches", the match unfolded, in view and highlighted', async () => {
  const s = await setup(50000);
  const { page, fx } = s;
  const gridId = await gridAttr(page, 'id');
  // Fold the deep match's outermost sequence first: going to it must unfold it.
  const outer = fx.deepName.ancestors.at(-1);
  await page.evaluate((i) => window.__tree.select(i), outer);
  await page.locator(`#${gridId}-r${outer} .et-toggle`).click();
  assert.equal((await rowState(page, outer)).expanded, 'false');

  assert.equal(await page.evaluate(() => window.__tree.search('(0010,0010)')), 2);
  assert.equal(await statusText(page), '1 of 2 matches');
  let row = await rowState(page, fx.topName);
  assert.ok(row.inView);
  assert.match(row.classes, /\bcurrent-match\b/);
  assert.equal(row.cells[0], '(0010,0010)');

  assert.equal(await page.evaluate(() => window.__tree.next()), fx.deepName.index);
  assert.equal(await statusText(page), '2 of 2 matches');
  row = await rowState(page, fx.deepName.index);
  assert.ok(row?.inView, 'the nested match is unfolded and scrolled into view');
  assert.match(row.classes, /\bcurrent-match\b/);
  assert.equal(row.cells[6], 'ROE^RICHARD');
  assert.equal(await gridAttr(page, 'aria-rowcount'), '50001', 'the folded ancestor was opened');
  const highlight = await page.evaluate((id) => getComputedStyle(document.getElementById(id)).backgroundColor, `${gridId}-r${fx.deepName.index}`);
  assert.notEqual(highlight, 'rgba(0, 0, 0, 0)', 'the current match has a background');

  for (const q of ['0010,0010', '00100010', '(0010,0010)', 'patientname', 'PATIENTNAME']) {
    assert.equal(await page.evaluate((q) => window.__tree.search(q), q), 2, q);
  }
  assert.equal(await page.evaluate(() => window.__tree.search('roe^rich')), 1, 'value substring');
  assert.equal(await page.evaluate(() => window.__tree.search('acme')), 1, 'private creator');
  assert.equal(await page.evaluate(() => window.__tree.search('zz-no-such-thing')), 0);
  assert.equal(await statusText(page), 'No matches');

  // Through the search box: typing, Enter, Shift+Enter and the buttons.
  const box = page.getByLabel('Search elements');
  await box.fill('NEEDLE-ω');
  await box.press('Enter');
  assert.equal(await statusText(page), '1 of 3 matches');
  assert.ok((await rowState(page, fx.needles[0])).inView);
  await box.press('Enter');
  assert.equal(await statusText(page), '2 of 3 matches');
  row = await rowState(page, fx.needles[1]);
  assert.ok(row?.inView, 'the nested value match is in view');
  assert.match(row.classes, /\bcurrent-match\b/);
  await box.press('Shift+Enter');
  assert.equal(await statusText(page), '1 of 3 matches');
  await box.press('Shift+Enter');
  assert.equal(await statusText(page), '3 of 3 matches', 'previous wraps around');
  assert.ok((await rowState(page, fx.needles[2])).inView);
  await page.getByRole('button', { name: 'Next match' }).click();
  assert.equal(await statusText(page), '1 of 3 matches');
  await page.getByRole('button', { name: 'Previous match' }).click();
  assert.equal(await statusText(page), '3 of 3 matches');
  // Typing alone searches after a pause.
  await box.fill('synthetic1234');
  await page.waitForFunction(() => document.querySelector('.et-status').textContent !== '3 of 3 matches');
  assert.match(await statusText(page), /^1 of \d+ matches$/);
  await box.press('Escape');
  assert.equal(await statusText(page), '');
  assert.equal(await page.locator('.et-row.match').count(), 0);
  await finish(s);
});

test('select(path) of a deeply nested element unfolds its ancestors, scrolls to it and highlights it', async () => {
  const s = await setup(50000);
  const { page, fx } = s;
  const gridId = await gridAttr(page, 'id');
  const deep = fx.deepName;
  assert.equal(deep.depth, 10);
  // Fold an inner ancestor, then the outermost one.
  for (const a of [deep.ancestors[3], deep.ancestors.at(-1)]) {
    await page.evaluate((i) => window.__tree.select(i), a);
    await page.locator(`#${gridId}-r${a} .et-toggle`).click();
    assert.equal((await rowState(page, a)).expanded, 'false');
  }
  assert.ok(Number(await gridAttr(page, 'aria-rowcount')) < 50001);
  assert.equal(await page.evaluate((p) => window.__tree.select(p), deep.path), true);
  const row = await rowState(page, deep.index);
  assert.ok(row?.inView, 'the element is in view');
  assert.match(row.classes, /\bselected\b/);
  assert.equal(row.selected, 'true');
  assert.equal(row.level, 11);
  assert.equal(await gridAttr(page, 'aria-rowcount'), '50001', 'every ancestor is open again');
  for (const a of deep.ancestors) {
    const state = await rowState(page, a);
    if (state) assert.equal(state.expanded, 'true');
  }
  assert.equal(await page.evaluate(() => window.__tree.select('(9999,9999)')), false);
  assert.equal(await page.evaluate(() => window.__tree.select(10 ** 7)), false);
  assert.deepEqual(await page.evaluate(() => window.__selected), [], 'select() does not call onSelect');
  await finish(s);
});

test('keyboard: focus, arrows, Page Down, End, Home, Left folds or goes to the parent, Right unfolds, Enter calls onSelect', async () => {
  const s = await setup(50000);
  const { page, fx } = s;
  const grid = page.locator('.et-grid');
  const gridId = await gridAttr(page, 'id');
  const activeRow = async () => {
    const id = await grid.getAttribute('aria-activedescendant');
    assert.ok(id, 'the grid names its active row');
    assert.equal(await page.locator(`#${id}`).count(), 1, 'the active row exists');
    return Number(id.slice(`${gridId}-r`.length));
  };
  await grid.focus();
  assert.equal(await activeRow(), 0);
  const focus = await page.evaluate((id) => {
    const row = document.getElementById(id);
    return { outline: getComputedStyle(row).outlineStyle, focused: document.activeElement === row.closest('.et-grid') };
  }, `${gridId}-r0`);
  assert.equal(focus.outline, 'solid', 'the active row shows a focus outline');
  assert.ok(focus.focused);

  for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowDown');
  assert.equal(await activeRow(), 3);
  const page1 = await page.evaluate(() => {
    const g = document.querySelector('.et-grid');
    const h = g.querySelector('.et-row:not([hidden])').offsetHeight;
    return Math.floor((g.clientHeight - g.querySelector('.et-head').offsetHeight) / h) - 1;
  });
  await page.keyboard.press('PageDown');
  assert.equal(await activeRow(), 3 + page1);
  await page.keyboard.press('PageUp');
  assert.equal(await activeRow(), 3);
  await page.keyboard.press('End');
  assert.equal(await activeRow(), 49999);
  assert.ok((await rowState(page, 49999)).inView);
  await page.keyboard.press('Home');
  assert.equal(await activeRow(), 0);
  assert.ok((await rowState(page, 0)).inView);

  // To the first sequence, fold it with Left, open it with Right, walk in and out.
  const seq = fx.firstSequence.index;
  for (let k = 0; k < seq; k++) await page.keyboard.press('ArrowDown');
  assert.equal(await activeRow(), seq);
  await page.keyboard.press('ArrowLeft');
  assert.equal((await rowState(page, seq)).expanded, 'false');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await activeRow(), seq, 'a top-level row has no parent to go to');
  await page.keyboard.press('ArrowDown');
  assert.equal(await activeRow(), fx.firstSequence.end, 'down skips the folded subtree');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  assert.equal((await rowState(page, seq)).expanded, 'true');
  await page.keyboard.press('ArrowRight');
  assert.equal(await activeRow(), seq + 1, 'Right on an open sequence goes to its first item');
  await page.keyboard.press('ArrowRight');
  assert.equal(await activeRow(), seq + 2);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await activeRow(), seq + 1, 'Left on a leaf goes to its parent');
  await page.keyboard.press('ArrowLeft');
  assert.equal((await rowState(page, seq + 1)).expanded, 'false', 'Left on an open item folds it');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await activeRow(), seq);
  await page.keyboard.press('Enter');
  assert.deepEqual(await page.evaluate(() => window.__selected), [{ index: seq, tag: fx.firstSequence.tag }]);
  const row = await rowState(page, seq);
  assert.match(row.classes, /\bselected\b/);
  assert.equal(row.selected, 'true');
  // A click selects too.
  await page.locator(`#${gridId}-r3 .et-col-1`).click();
  assert.deepEqual((await page.evaluate(() => window.__selected)).at(-1), { index: 3, tag: '(0010,0010)' });
  assert.equal(await activeRow(), 3);
  await finish(s);
});

test('values from the file are text: markup in a value or a private creator creates no element and runs nothing', async () => {
  const s = await setup(50000);
  const { page, fx } = s;
  const row = await rowState(page, fx.markup);
  assert.equal(row.cells[6], '<img src=x onerror="window.__xss=1">');
  const priv = await rowState(page, fx.privateElement);
  assert.equal(priv.cells[1], 'Unknown [<b>ACME</b> 1.0]');
  assert.equal(await page.locator('.element-tree img, .element-tree b').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.evaluate(() => window.__tree.search('onerror')), 1);
  await finish(s);
});

test('light and dark screenshots; the tree passes axe-core\'s WCAG A and AA rules', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const s = await setup(50000, { colorScheme });
    const { page, fx } = s;
    await page.evaluate((path) => window.__tree.select(path), fx.deepName.path);
    await page.evaluate(() => window.__tree.search('needle-Ω'));
    await page.locator('.et-grid').focus();
    await page.keyboard.press('ArrowDown');
    let axe = null;
    try {
      axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    } catch {
      console.log('# axe-core is not installed: accessibility rules not checked');
    }
    if (axe) {
      await page.evaluate(axe);
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document.querySelector('.element-tree'), { runOnly: ['wcag2a', 'wcag2aa'] });
        return result.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.target}`);
      });
      assert.deepEqual(violations, [], `${colorScheme}: ${violations.join('; ')}`);
    }
    await page.locator('.element-tree').screenshot({ path: join(OUTPUT, colorScheme === 'light' ? 'tree.png' : 'tree-dark.png') });
    await finish(s);
  }
});

test('real reports from the inspector: every finding\'s path selects its row, deep nesting and 100,000 elements stay virtual', async (t) => {
  const { context, page, requests, errors } = await harness.openPage(env, '/');
  await page.evaluate(() => new Promise((ok, fail) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = '/tree.css';
    link.onload = ok;
    link.onerror = () => fail(new Error('tree.css did not load'));
    document.head.append(link);
  }));
  for (const name of ['sr-nested-private.dcm', 'attack-deep-nesting.dcm', 'attack-million-elements.dcm']) {
    const r = await page.evaluate(async (name) => {
      const { inspect } = await import('/inspector.js');
      const { createElementTree } = await import('/tree.js');
      const blob = await (await fetch(`/demo/${name}`)).blob();
      const report = await inspect(blob, { path: name, elements: true, max_report_elements: 100000 });
      const f = report.files[0];
      const started = performance.now();
      const tree = createElementTree(f.elements);
      const build = performance.now() - started;
      document.getElementById('detail').replaceChildren(tree.node);
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      const paths = new Set(f.elements.map((e) => e.path));
      const withPath = f.findings.filter((x) => x.path && paths.has(x.path));
      const failed = [];
      for (const x of withPath) {
        const index = f.elements.findIndex((e) => e.path === x.path);
        const row = tree.select(x.path) && document.getElementById(`${tree.node.querySelector('.et-grid').id}-r${index}`);
        if (!row || !row.classList.contains('selected')) failed.push(x.path);
      }
      const rows = document.querySelectorAll('.et-row').length;
      const maxDepth = Math.max(...f.elements.map((e) => e.depth));
      const patient = tree.search('(0010,0010)');
      tree.destroy();
      return { elements: f.elements.length, findings: withPath.length, failed, rows, maxDepth, patient, build };
    }, name);
    t.diagnostic(`${name}: ${r.elements} elements, depth ${r.maxDepth}, tree built in ${r.build.toFixed(1)} ms, ${r.rows} rows in the DOM, ${r.findings} findings selected`);
    assert.deepEqual(r.failed, [], `${name}: findings whose path did not select a row`);
    assert.ok(r.rows < 200, `${name}: ${r.rows} rows in the DOM`);
    if (name === 'sr-nested-private.dcm') {
      assert.ok(r.findings > 0);
      assert.equal(r.patient, 1);
    }
  }
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an empty element list gives an empty, working tree', async () => {
  const { context, page, errors } = await harness.openPage(env, '/');
  const r = await page.evaluate(async () => {
    const { createElementTree } = await import('/tree.js');
    const tree = createElementTree([]);
    document.getElementById('detail').replaceChildren(tree.node);
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    const out = {
      select: tree.select(0),
      selectPath: tree.select('(0010,0010)'),
      search: tree.search('x'),
      next: tree.next(),
      shown: document.querySelectorAll('.et-row:not([hidden])').length,
      message: tree.node.querySelector('.et-empty')?.textContent,
      rowcount: tree.node.querySelector('.et-grid').getAttribute('aria-rowcount'),
    };
    tree.destroy();
    return out;
  });
  assert.deepEqual(r, { select: false, selectPath: false, search: 0, next: -1, shown: 0, message: 'This file has no elements to list.', rowcount: '1' });
  assert.deepEqual(errors, []);
  await context.close();
});
