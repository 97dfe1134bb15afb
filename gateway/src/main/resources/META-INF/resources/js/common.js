// Shared helpers of the dashboard pages: API calls (with the token for mutating ones), the live event
// stream, formatting, charts (one layout for axis names, export as PNG/SVG/CSV), service health. Plain ES2017,
// no build step.
'use strict';
const SL = (() => {
  const EVENT_TYPES = [
    'io.splicelab.run.requested', 'io.splicelab.run.cancel-requested', 'io.splicelab.run.started',
    'io.splicelab.run.progress', 'io.splicelab.run.completed', 'io.splicelab.run.failed', 'io.splicelab.run.cancelled',
    'io.splicelab.checkpoint.created', 'io.splicelab.checkpoint.imported', 'io.splicelab.hybrid.evaluated', 'io.splicelab.noise.sampled',
    'io.splicelab.hybrid.summary', 'io.splicelab.hybrid.progress', 'io.splicelab.features.snapshotted',
    'io.splicelab.stats.computed'];

  /** The navigation bar's links; another page adds itself here (one line). */
  const NAV = [['Runs', '/'], ['Claims', '/claims.html'], ['API', '/q/swagger-ui/']];

  function token() { return localStorage.getItem('splicelab.token') || ''; }
  function setToken(t) { localStorage.setItem('splicelab.token', t || ''); }

  async function api(path, options = {}) {
    const headers = Object.assign({ 'Accept': 'application/json' }, options.headers || {});
    if (options.body !== undefined) headers['Content-Type'] = options.contentType || 'application/json';
    if (options.method && options.method !== 'GET' && token()) headers['X-Api-Token'] = token();
    const r = await fetch(path, { method: options.method || 'GET', headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await r.text();
    const body = text ? (() => { try { return JSON.parse(text); } catch (e) { return text; } })() : null;
    if (!r.ok) {
      const err = new Error(body && body.detail ? body.detail : ('HTTP ' + r.status));
      err.status = r.status; err.problem = body; throw err;
    }
    return body;
  }

  /** Follows a server-sent event stream; calls onEvent(envelope) once per envelope id, also across reconnects. */
  function follow(path, onEvent, onState) {
    const seen = new Set();
    const source = new EventSource(path);
    const handle = (m) => {
      if (m.lastEventId && seen.has(m.lastEventId)) return;
      if (m.lastEventId) seen.add(m.lastEventId);
      let envelope;
      try { envelope = JSON.parse(m.data); } catch (e) { console.warn('unreadable event', m.data); return; }
      onEvent(envelope);
    };
    EVENT_TYPES.forEach(t => source.addEventListener(t, handle));
    source.onmessage = handle;
    source.onopen = () => onState && onState(true);
    source.onerror = () => onState && onState(false);
    window.addEventListener('beforeunload', () => source.close());
    return source;
  }

  function liveIndicator(on) {
    const el = document.getElementById('live');
    if (el) { el.classList.toggle('on', on); el.textContent = on ? 'live' : 'reconnecting…'; }
  }

  /** Calls fn at most once per `ms`, always with the latest state (for bursts of events). */
  function throttle(fn, ms) {
    let timer = null, again = false;
    return function () {
      if (timer) { again = true; return; }
      fn();
      timer = setTimeout(function tick() {
        timer = null;
        if (again) { again = false; fn(); timer = setTimeout(tick, ms); }
      }, ms);
    };
  }

  /** A number for people: integers as integers (500, not 500.0000), others with d decimals; '–' when missing. */
  const fmt = (v, d = 3) => {
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '–';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    if (Math.abs(v) >= 1000) return v.toFixed(0);
    if (v !== 0 && Math.abs(v) < Math.pow(10, -d)) return v.toExponential(2);
    return v.toFixed(d);
  };
  /** An axis tick: at most 3 significant digits, exponents for the very large and small (labels stay narrow). */
  const tick = (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
    if (v === 0) return '0';
    const a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('.0e', 'e');
    return String(+v.toPrecision(3));
  };
  const esc = (s) => String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g,
    c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const param = (name) => new URLSearchParams(location.search).get(name);
  const statusBadge = (s) => `<span class="status ${esc(s)}">${esc(s)}</span>`;
  const progressBar = (step, total) => {
    const pct = total ? Math.max(0, Math.min(100, 100 * (step || 0) / total)) : 0;
    return `<span class="bar" title="${fmt(pct, 0)}%"><span style="width:${pct.toFixed(1)}%"></span></span>`
      + ` <span class="muted">${step === null || step === undefined ? 0 : step}/${total || '?'}</span>`;
  };
  /** A run's label for people: its name when it has one, else its id. */
  const runLabel = (r) => (r && r.name) ? r.name : (r ? r.runId : '');
  const tagChips = (tags) => (tags || []).map(t => `<span class="tag">${esc(t)}</span>`).join(' ');

  // ---------- the choices of a run configuration, and cut order ----------
  let optionsPromise = null;
  /** GET /api/run-options, once per page. */
  function runOptions() {
    optionsPromise = optionsPromise || api('/api/run-options').catch(e => { optionsPromise = null; throw e; });
    return optionsPromise;
  }
  /** Cuts in network order (the first cut nearest the input: stem before stage1), unknown ones after, by name. */
  function orderCuts(cuts, architecture, options) {
    const known = (options && options.cuts && options.cuts[architecture]) || [];
    const rank = c => { const i = known.indexOf(c); return i < 0 ? known.length : i; };
    return [...cuts].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }

  // ---------- charts ----------
  /** The colours of classes and series, distinguishable in print. */
  const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563', '#65a30d', '#92400e'];

  /**
   * The frame of a chart: a grid leaving room for centred axis names (never cut at the edge, never over the ticks),
   * an optional title and legend on their own rows, white background for exports. Axis names go on the axes with
   * {@link axis}.
   */
  function frame({ title, legend = false, rightAxis = false, rightRoom = 0, zoom = false, bottomRoom = 0 } = {}) {
    const top = 14 + (title ? 22 : 0) + (legend ? 24 : 0);
    const o = {
      animation: false, backgroundColor: '#fff', color: PALETTE,
      // no quotes in the font list: the SVG writes it into a double-quoted attribute (a quote breaks the document)
      textStyle: { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif' },
      grid: { left: 62, right: 20 + (rightAxis ? 52 : 0) + rightRoom, top: Math.max(top, 24), bottom: 46 + (zoom ? 34 : 0) + bottomRoom }
    };
    if (title) o.title = { text: title, left: 'center', top: 2, textStyle: { fontSize: 12, fontWeight: 600 } };
    if (legend) o.legend = { top: title ? 22 : 2, type: 'scroll', itemHeight: 10, textStyle: { fontSize: 11 } };
    if (zoom) o.dataZoom = [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'slider', xAxisIndex: 0, height: 16, bottom: 6, filterMode: 'none', showDetail: false }];
    return o;
  }

  /** An axis with its name centred along it, clear of the tick labels. */
  function axis(name, extra = {}, position) {
    const vertical = position === 'left' || position === 'right';
    const label = { fontSize: 11, hideOverlap: true, formatter: extra.type === 'category' || extra.type === 'log' ? undefined : tick };
    const o = Object.assign({ type: 'value', name, nameLocation: 'middle',
      nameGap: vertical ? 44 : 26, nameTextStyle: { fontSize: 12, color: '#374151' }, axisLabel: label }, extra);
    if (extra.axisLabel) o.axisLabel = Object.assign(label, extra.axisLabel);
    if (position === 'right') o.position = 'right';
    if (position === 'top') o.position = 'top';
    return o;
  }

  /**
   * A mean ± sd band of one series: the mean as a line, the band as a filled polygon between mean − sd and mean + sd
   * (a custom series, so it is in the SVG and PNG exports too); where sd is missing (one seed) the band is only the
   * mean. Both series carry the name, so the legend toggles line and band together. points: [{step, mean, sd}]; the
   * mean series' id is 'mean:' + name, the band's 'band:' + name with data [step, mean − sd, mean + sd].
   */
  function bandSeries(name, color, points) {
    const sd = p => (p.sd === null || p.sd === undefined || !Number.isFinite(p.sd)) ? 0 : p.sd;
    const rows = points.map(p => [p.step, p.mean - sd(p), p.mean + sd(p)]);
    return [
      { id: 'mean:' + name, name, type: 'line', z: 3, showSymbol: points.length < 40, symbolSize: 5,
        itemStyle: { color }, lineStyle: { color, width: 2 }, data: points.map(p => [p.step, p.mean]) },
      { id: 'band:' + name, name, type: 'custom', z: 1, silent: true, itemStyle: { color }, tooltip: { show: false },
        encode: { x: 0, y: [1, 2] }, data: rows,
        renderItem: (params, api) => {
          if (params.dataIndex !== 0 || !rows.length) return null;
          const box = params.coordSys; // a fixed axis (accuracy in [0, 1]) clips the band, not the page
          const clip = ([x, y]) => [x, Math.min(box.y + box.height, Math.max(box.y, y))];
          const upper = rows.map(r => clip(api.coord([r[0], r[2]])));
          const lower = rows.map(r => clip(api.coord([r[0], r[1]]))).reverse();
          return { type: 'polygon', silent: true, shape: { points: upper.concat(lower) },
            style: { fill: color, opacity: 0.18 } };
        } }];
  }

  /** A configuration as flat rows (field, text), arrays joined, nested objects by dotted path. */
  function flatConfig(cfg, prefix = '', out = new Map()) {
    Object.entries(cfg || {}).forEach(([k, v]) => {
      const key = prefix + k;
      if (v && typeof v === 'object' && !Array.isArray(v)) flatConfig(v, key + '.', out);
      else out.set(key, v === null || v === undefined ? '' : Array.isArray(v) ? (v.length > 12 ? v.slice(0, 12).join(', ') + ` … (${v.length})` : v.join(', ')) : String(v));
    });
    return out;
  }

  /** Exponential moving average of y (weight w of the past, 0 = raw), as TensorBoard smooths, bias-corrected. */
  function smooth(points, w) {
    if (!w) return points;
    let last = 0, n = 0;
    return points.map(([x, y]) => {
      if (y === null || y === undefined || !Number.isFinite(y)) return [x, null];
      last = last * w + (1 - w) * y; n++;
      return [x, last / (1 - Math.pow(w, n))];
    });
  }

  function csvCell(v) {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'number' ? String(v) : String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  /** CSV text of a header and rows. */
  const csv = (header, rows) => [header, ...rows].map(r => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

  /** The data a chart draws, as CSV: its own table when the page gave one (el.csvData()), else series,x,y rows. */
  function chartCsv(el, c) {
    if (typeof el.csvData === 'function') { const t = el.csvData(); return csv(t.header, t.rows); }
    const opt = c.getOption();
    const rows = [];
    (opt.series || []).forEach(s => (s.data || []).forEach((d, i) => {
      const v = d && typeof d === 'object' && !Array.isArray(d) ? d.value : d;
      if (Array.isArray(v)) rows.push([s.name || '', ...v]);
      else rows.push([s.name || '', i, v]);
    }));
    return csv(['series', 'x', 'y'], rows);
  }

  /** Hands a file to the browser; a 'splicelab:download' event on the document tells who listens (tests) what went. */
  function download(name, blob) {
    document.dispatchEvent(new CustomEvent('splicelab:download', { detail: { name, blob } }));
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  /** The chart as an SVG document (the charts are drawn in SVG). */
  const chartSvg = (c) => c.renderToSVGString();
  /** The chart as a PNG (its SVG drawn on a canvas at twice the size). */
  function chartPng(c) {
    return new Promise((resolve, reject) => {
      const img = new Image();
      const url = URL.createObjectURL(new Blob([chartSvg(c)], { type: 'image/svg+xml' }));
      img.onload = () => {
        const canvas = document.createElement('canvas');
        canvas.width = c.getWidth() * 2; canvas.height = c.getHeight() * 2;
        const g = canvas.getContext('2d');
        g.fillStyle = '#fff'; g.fillRect(0, 0, canvas.width, canvas.height);
        g.drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(b => b ? resolve(b) : reject(new Error('no PNG')), 'image/png');
      };
      img.onerror = () => { URL.revokeObjectURL(url); reject(new Error('the chart could not be drawn as PNG')); };
      img.src = url;
    });
  }

  /** The export buttons above a chart: the picture as PNG or SVG, its data as CSV, all made in the browser. */
  function exportBar(el, c) {
    const bar = document.createElement('div');
    bar.className = 'chart-tools';
    bar.innerHTML = '<button type="button" class="link" data-export="png" title="the chart as a PNG picture">PNG</button>'
      + '<button type="button" class="link" data-export="svg" title="the chart as an SVG drawing">SVG</button>'
      + '<button type="button" class="link" data-export="csv" title="the data of the chart as CSV">CSV</button>';
    el.insertAdjacentElement('beforebegin', bar);
    const base = () => [document.title.replace(/^splicelab · /, ''), param('id'), el.id || el.dataset.analysis || 'chart']
      .filter(x => x).join('-').replace(/[^A-Za-z0-9._-]+/g, '_');
    bar.addEventListener('click', async (ev) => {
      const kind = ev.target && ev.target.dataset.export;
      if (!kind) return;
      try {
        if (kind === 'svg') download(base() + '.svg', new Blob([chartSvg(c)], { type: 'image/svg+xml' }));
        else if (kind === 'png') download(base() + '.png', await chartPng(c));
        else download(base() + '.csv', new Blob([chartCsv(el, c)], { type: 'text/csv' }));
      } catch (e) {
        console.warn('export failed', e);
      }
    });
  }

  /**
   * An ECharts instance (SVG) on the element, resized with the element, with its export buttons. The element, not
   * the window: a vertical scrollbar that appears narrows every chart by its width without a window resize, and a
   * chart laid out before it then overhangs its box (its last x label cut).
   */
  function chart(el) {
    const c = echarts.init(el, null, { renderer: 'svg' });
    if (typeof ResizeObserver === 'function') {
      let last = el.clientWidth + 'x' + el.clientHeight;
      new ResizeObserver(() => {
        const now = el.clientWidth + 'x' + el.clientHeight;
        if (now !== last && !c.isDisposed()) { last = now; c.resize(); }
      }).observe(el);
    } else {
      window.addEventListener('resize', () => c.resize());
    }
    exportBar(el, c);
    return c;
  }

  /** Shows or hides a chart with its export buttons (an empty chart is only a frame). */
  function showChart(el, show) {
    el.hidden = !show;
    const bar = el.previousElementSibling;
    if (bar && bar.classList.contains('chart-tools')) bar.hidden = !show;
    if (show) { const c = echarts.getInstanceByDom(el); if (c) c.resize(); }
  }

  /** A table in a horizontally scrolling box, so a wide table never runs off its card. */
  const wrapTable = (html) => `<div class="table-wrap">${html}</div>`;

  /** One line on the hybrid grid's state: "hybrids 12/75 · checkpoint 300: 5/27 · computing" or "incomplete: why". */
  function gridLine(g) {
    if (!g) return '<i class="muted">–</i>';
    if (g.status === 'incomplete') {
      return `<em class="grid-status incomplete">incomplete: ${esc(g.reason || 'unknown reason')}</em>`
        + ` <i class="muted">(hybrids ${g.cellsComputed}/${g.cellsExpected})</i>`;
    }
    const step = g.status === 'computing' ? ` · checkpoint ${g.step}: ${g.stepCellsComputed}/${g.stepCellsExpected}` : '';
    return `<em class="grid-status ${esc(g.status)}">hybrids ${g.cellsComputed}/${g.cellsExpected}${step} · ${esc(g.status)}</em>`;
  }

  /** The navigation bar every page shares, with the live-stream indicator; the page's own content follows it. */
  function pageHeader() {
    const header = document.createElement('header');
    header.innerHTML = '<a class="brand" href="/">splicelab</a>'
      + NAV.map(([name, href]) => `<a href="${esc(href)}">${esc(name)}</a>`).join('')
      + '<a id="services-summary" class="services-summary" href="/#services" title="service health"></a>'
      + '<span id="live" class="live">connecting…</span>';
    document.body.insertAdjacentElement('afterbegin', header);
  }
  pageHeader(); // common.js is loaded at the end of the body, before the page's own script

  // ---------- service health ----------
  const healthListeners = [];
  /** Calls fn(services answer or error) on every poll of GET /api/services. */
  const onHealth = (fn) => healthListeners.push(fn);

  /** A banner under the header while a service is DOWN, and the header's count (GET /api/services, every 15 s). */
  function servicesBanner() {
    const header = document.querySelector('header');
    if (!header) return;
    const banner = document.createElement('div');
    banner.id = 'services-banner';
    banner.className = 'banner';
    banner.hidden = true;
    header.insertAdjacentElement('afterend', banner);
    const summary = document.getElementById('services-summary');
    const poll = async () => {
      let answer = null, error = null;
      try { answer = await api('/api/services'); } catch (e) { error = e; }
      if (answer) {
        const all = answer.services || [];
        const down = all.filter(x => x.status !== 'UP');
        banner.hidden = down.length === 0;
        banner.innerHTML = down.map(x => `<b>${esc(x.name)}</b> is DOWN${x.detail ? ': ' + esc(x.detail) : ''}`).join(' · ');
        summary.className = 'services-summary ' + (down.length ? 'down' : 'up');
        summary.textContent = `services ${all.length - down.length}/${all.length} up`;
      } else {
        banner.hidden = false;
        banner.innerHTML = '<b>gateway</b> does not answer: ' + esc(error.message);
        summary.className = 'services-summary down';
        summary.textContent = 'gateway unreachable';
      }
      healthListeners.forEach(fn => fn(answer, error));
    };
    poll();
    setInterval(poll, 15000);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', servicesBanner);
  else servicesBanner();

  return { api, follow, liveIndicator, throttle, fmt, tick, esc, param, statusBadge, progressBar, token, setToken, chart,
    gridLine, frame, axis, smooth, csv, download, wrapTable, showChart, runOptions, orderCuts, runLabel, tagChips, onHealth, PALETTE, NAV,
    bandSeries, flatConfig };
})();
