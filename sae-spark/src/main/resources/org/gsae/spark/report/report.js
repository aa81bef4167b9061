/* gsae report: shared page code. Data files call gsae.put(name, value); pages read them with
 * gsae.get (loaded by a <script> tag) or gsae.load (loaded on demand, for feature chunks).
 * Everything is read from files beside the pages: no request leaves the report directory. */
(function () {
  'use strict';
  const store = {};
  const charts = [];

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  function num(v, digits) {
    if (v === null || v === undefined || (typeof v === 'number' && !isFinite(v))) return '–';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString('en-US');
    const d = digits === undefined ? 4 : digits;
    const a = Math.abs(v);
    return (a !== 0 && (a < 1e-3 || a >= 1e6)) ? v.toExponential(d - 1) : v.toPrecision(d);
  }

  /** A short axis label: three significant digits without trailing zeros. */
  function tick(v) {
    if (v === 0) return '0';
    const a = Math.abs(v);
    return (a < 1e-3 || a >= 1e6) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
  }

  /** Draws an ECharts option into a .chart element; animation off so a chart is complete at once. */
  function chart(node, option) {
    const c = echarts.init(node, null, { renderer: 'canvas' });
    c.setOption(Object.assign({ animation: false, grid: { left: 60, right: 20, top: 30, bottom: 40 } }, option));
    charts.push(c);
    node.dataset.drawn = '1';
    return c;
  }
  window.addEventListener('resize', () => charts.forEach(c => c.resize()));

  function nav(active) {
    const run = store.run || {};
    const links = [['index.html', 'Run'], ['features.html', 'Features']];
    if (run.gallery) links.push(['gallery.html', 'Gallery']);
    const bar = el('nav', {}, el('span', { class: 'brand', text: 'gsae report' }));
    for (const [href, label] of links) {
      bar.append(el('a', { href: href, class: label === active ? 'active' : '', text: label }));
    }
    document.body.prepend(bar);
  }

  /**
   * The activating token inside its context, as [before, token, after], or null. Contexts are
   * a string with the token between [[ and ]], a string containing the row's token, or an array
   * of tokens with the token's index in context_index.
   */
  function contextParts(meta) {
    const c = meta.context;
    if (typeof c === 'string') {
      const m = /^([\s\S]*?)\[\[([\s\S]*?)\]\]([\s\S]*)$/.exec(c);
      if (m) return [m[1], m[2], m[3]];
      if (typeof meta.token === 'string' && meta.token.length > 0) {
        const i = c.indexOf(meta.token);
        if (i >= 0) return [c.substring(0, i), meta.token, c.substring(i + meta.token.length)];
      }
      return null;
    }
    if (Array.isArray(c) && Number.isInteger(meta.context_index)
        && meta.context_index >= 0 && meta.context_index < c.length) {
      const i = meta.context_index;
      return [c.slice(0, i).join(' ') + (i > 0 ? ' ' : ''), String(c[i]),
              (i + 1 < c.length ? ' ' : '') + c.slice(i + 1).join(' ')];
    }
    return null;
  }

  function contextNode(meta) {
    const p = contextParts(meta);
    if (!p) return null;
    return el('span', { class: 'context' }, p[0], el('mark', { text: p[1] }), p[2]);
  }

  function metaValue(v) {
    if (v === null || v === undefined) return '∅';
    if (Array.isArray(v)) return '[' + v.map(x => typeof x === 'number' ? num(x) : String(x)).join(', ') + ']';
    return typeof v === 'number' && !Number.isInteger(v) ? num(v) : String(v);
  }

  /** A table of examples: activation, row_id, the highlighted context, then every metadata column. */
  function examplesTable(examples, metaColumns, first) {
    const hasContext = examples.some(e => contextParts(e.meta) !== null);
    const head = el('tr', {}, ...(first || []).map(h => el('th', { text: h.label })),
      el('th', { text: 'activation' }), el('th', { text: 'row_id' }),
      hasContext ? el('th', { text: 'token in context' }) : null,
      ...metaColumns.map(m => el('th', { text: m })));
    const table = el('table', { class: 'examples' }, el('thead', {}, head));
    const body = el('tbody');
    for (const e of examples) {
      body.append(el('tr', {}, ...(first || []).map(h => el('td', { text: h.value(e) })),
        el('td', { class: 'num', text: num(e.activation) }), el('td', { class: 'num', text: String(e.row_id) }),
        hasContext ? el('td', {}, contextNode(e.meta) || '') : null,
        ...metaColumns.map(m => el('td', { text: metaValue(e.meta[m]) }))));
    }
    table.append(body);
    return table;
  }

  function done() {
    document.body.dataset.ready = '1';
  }

  function fail(err) {
    console.error(err);
    document.body.append(el('p', { class: 'error', text: String(err && err.message || err) }));
    document.body.dataset.ready = 'error';
  }

  window.gsae = {
    put(name, value) { store[name] = value; },
    get(name) { return store[name]; },
    load(name) {
      if (store[name] !== undefined) return Promise.resolve(store[name]);
      return new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = 'data/' + name + '.js';
        s.onload = () => resolve(store[name]);
        s.onerror = () => reject(new Error('cannot load data/' + name + '.js'));
        document.head.appendChild(s);
      });
    },
    el, num, tick, chart, nav, contextParts, contextNode, metaValue, examplesTable, done, fail,
  };
})();
