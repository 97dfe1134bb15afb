// Shared helpers of the dashboard pages: API calls (with the token for mutating ones), the live event
// stream, formatting. Plain ES2017, no build step.
'use strict';
const SL = (() => {
  const EVENT_TYPES = [
    'io.splicelab.run.requested', 'io.splicelab.run.cancel-requested', 'io.splicelab.run.started',
    'io.splicelab.run.progress', 'io.splicelab.run.completed', 'io.splicelab.run.failed', 'io.splicelab.run.cancelled',
    'io.splicelab.checkpoint.created', 'io.splicelab.checkpoint.imported', 'io.splicelab.hybrid.evaluated', 'io.splicelab.noise.sampled',
    'io.splicelab.hybrid.summary', 'io.splicelab.hybrid.progress', 'io.splicelab.features.snapshotted',
    'io.splicelab.stats.computed'];

  function token() { return localStorage.getItem('splicelab.token') || ''; }
  function setToken(t) { localStorage.setItem('splicelab.token', t || ''); }

  async function api(path, options = {}) {
    const headers = Object.assign({ 'Accept': 'application/json' }, options.headers || {});
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
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
      try { onEvent(JSON.parse(m.data)); } catch (e) { console.error('bad event', e, m.data); }
    };
    EVENT_TYPES.forEach(t => source.addEventListener(t, handle));
    source.onmessage = handle;
    source.onopen = () => onState && onState(true);
    source.onerror = () => onState && onState(false);
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

  const fmt = (v, d = 3) => v === null || v === undefined || Number.isNaN(v) ? '–'
    : (typeof v === 'number' ? (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(d)) : String(v));
  const esc = (s) => String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g,
    c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const param = (name) => new URLSearchParams(location.search).get(name);
  const statusBadge = (s) => `<span class="status ${esc(s)}">${esc(s)}</span>`;
  const progressBar = (step, total) => {
    const pct = total ? Math.max(0, Math.min(100, 100 * (step || 0) / total)) : 0;
    return `<span class="bar" title="${fmt(pct, 0)}%"><span style="width:${pct.toFixed(1)}%"></span></span>`
      + ` <span class="muted">${step === null || step === undefined ? 0 : step}/${total || '?'}</span>`;
  };

  /** An ECharts instance on the element, resized with the window; data-points tells tests what is drawn. */
  function chart(el) {
    const c = echarts.init(el, null, { renderer: 'canvas' });
    window.addEventListener('resize', () => c.resize());
    return c;
  }

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
    header.innerHTML = '<a class="brand" href="/">splicelab</a><a href="/">Runs</a><a href="/q/swagger-ui/">API</a>'
      + '<span id="live" class="live">connecting…</span>';
    document.body.insertAdjacentElement('afterbegin', header);
  }
  pageHeader(); // common.js is loaded at the end of the body, before the page's own script

  /** A banner under the header while a service is DOWN (GET /api/services, polled every 15 s). */
  function servicesBanner() {
    const header = document.querySelector('header');
    if (!header) return;
    const banner = document.createElement('div');
    banner.id = 'services-banner';
    banner.className = 'banner';
    banner.hidden = true;
    header.insertAdjacentElement('afterend', banner);
    const poll = async () => {
      try {
        const s = await api('/api/services');
        const down = (s.services || []).filter(x => x.status !== 'UP');
        banner.hidden = down.length === 0;
        banner.innerHTML = down.map(x => `<b>${esc(x.name)}</b> is DOWN${x.detail ? ': ' + esc(x.detail) : ''}`).join(' · ');
      } catch (e) {
        banner.hidden = false;
        banner.innerHTML = '<b>gateway</b> does not answer: ' + esc(e.message);
      }
    };
    poll();
    setInterval(poll, 15000);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', servicesBanner);
  else servicesBanner();

  return { api, follow, liveIndicator, throttle, fmt, esc, param, statusBadge, progressBar, token, setToken, chart, gridLine };
})();
