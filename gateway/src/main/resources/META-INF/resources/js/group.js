// An experiment group side by side: one row and one curve per run, live from /api/events.
'use strict';
(() => {
  const { api, follow, liveIndicator, throttle, fmt, esc, param, statusBadge, progressBar, chart, frame, axis, orderCuts, runOptions } = SL;
  const groupId = param('id');
  const members = new Map(); // runId -> { value, run, progress: Map, summaries: [], testAccuracy }
  let curves, tc, options = null;

  /**
   * The summary a group compares: the first cut of the network (nearest the input: stem, not stage1), on the test
   * set, BatchNorm carry when there.
   */
  function firstCutSummary(m) {
    const test = (m.summaries || []).filter(x => x.evalSet === 'test');
    const pool = test.length ? test : (m.summaries || []);
    if (!pool.length) return null;
    const cut = orderCuts([...new Set(pool.map(x => x.cut))], m.run.config ? m.run.config.architecture : null, options)[0];
    const ofCut = pool.filter(x => x.cut === cut);
    return ofCut.find(x => x.bnMode === 'carry') || ofCut[0];
  }
  const label = (id, m) => (m.run && m.run.name) || (JSON.stringify(m.value) + ' · ' + id);

  function render() {
    const rows = [...members.entries()];
    document.querySelector('#members tbody').innerHTML = rows.map(([id, m]) => {
      const r = m.run, s = firstCutSummary(m);
      return `<tr data-run="${esc(id)}"><td class="mono">${esc(JSON.stringify(m.value))}</td><td><a class="${r.name ? '' : 'mono'}" href="/run.html?id=${encodeURIComponent(id)}">${esc(r.name || id)}</a></td>`
        + `<td>${statusBadge(r.status)}</td><td>${progressBar(r.step, r.totalSteps)}</td><td>${fmt(r.loss)}</td><td>${fmt(r.trainBatchAccuracy)}</td>`
        + `<td>${fmt(m.testAccuracy)}</td><td>${s ? fmt(s.tcScore) + ` <span class="muted">(${esc(s.cut)})</span>` : '–'}</td></tr>`;
    }).join('');
    const lines = rows.map(([id, m]) => ({ name: label(id, m), type: 'line', showSymbol: m.progress.size < 40,
      data: [...m.progress.values()].sort((a, b) => a.step - b.step).map(p => [p.step, p.trainBatchAccuracy]) }));
    const el = document.getElementById('group-curves');
    el.dataset.points = lines.reduce((n, l) => n + l.data.length, 0);
    curves = curves || chart(el);
    curves.setOption(Object.assign(frame({ legend: true, zoom: true }), { tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 4) },
      xAxis: axis('step', { min: 0 }), yAxis: axis('train accuracy (batch)', { min: 0, max: 1 }, 'left'), series: lines }), true);
    const used = new Set();
    const tcLines = rows.map(([id, m]) => {
      const s = firstCutSummary(m);
      if (s) used.add(s.cut + ' · ' + s.evalSet);
      return { name: label(id, m), type: 'line', data: s ? Object.entries(s.curve || {}).map(([l, v]) => [+l, v]).sort((a, b) => a[0] - b[0]) : [] };
    });
    document.getElementById('tc-which').textContent = used.size ? '(' + [...used].join(', ') + ')' : '(first cut, test set)';
    const tcEl = document.getElementById('group-tc');
    tcEl.dataset.points = tcLines.reduce((n, l) => n + l.data.length, 0);
    tc = tc || chart(tcEl);
    tc.setOption(Object.assign(frame({ legend: true }), { tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 4) },
      xAxis: axis('lag b − a (checkpoints)'), yAxis: axis('relative accuracy', { scale: true }, 'left'), series: tcLines }), true);
  }
  const renderSoon = throttle(render, 250);

  async function loadRun(id) {
    const base = `/api/runs/${encodeURIComponent(id)}`;
    const [progress, summaries, grid] = await Promise.all([api(base + '/progress'), api(base + '/summaries'),
      api(base + '/hybrids?evalSet=test')]);
    const m = members.get(id);
    progress.forEach(p => m.progress.set(p.step, p));
    m.summaries = summaries.summaries;
    const diag = grid.cells.filter(c => c.shallowStep === c.deepStep && c.bnMode === 'carry' && c.metrics.accuracy !== undefined).sort((a, b) => b.deepStep - a.deepStep);
    m.testAccuracy = diag.length ? diag[0].metrics.accuracy : null;
  }
  const reload = {};
  const reloadRun = id => (reload[id] = reload[id] || throttle(() => loadRun(id).then(renderSoon).catch(e => console.warn('reload failed', e)), 1500))();

  async function load() {
    const [g, opts] = await Promise.all([api('/api/groups/' + encodeURIComponent(groupId)), runOptions().catch(() => null)]);
    options = opts;
    document.getElementById('group-id').textContent = g.groupId;
    document.getElementById('group-name').textContent = (g.name ? g.name + ' · ' : '') + 'factor ' + g.factor;
    document.getElementById('factor').textContent = g.factor;
    g.runs.forEach(x => members.set(x.run.runId, Object.assign(members.get(x.run.runId) || { progress: new Map() }, { value: x.value, run: x.run })));
    await Promise.all(g.runs.map(x => loadRun(x.run.runId)));
    render();
  }

  function onEvent(e) {
    const m = members.get(e.subject);
    if (!m) return;
    const d = e.data || {}, r = m.run;
    switch (e.type) {
      case 'io.splicelab.run.progress':
        m.progress.set(d.step, Object.assign({ trainBatchAccuracy: d.accuracy }, d));
        if (r.step === null || r.step === undefined || d.step >= r.step) Object.assign(r, { step: d.step, totalSteps: d.totalSteps, loss: d.loss, trainBatchAccuracy: d.accuracy });
        if (r.status === 'REQUESTED') r.status = 'RUNNING';
        break;
      case 'io.splicelab.run.started': if (r.status === 'REQUESTED') r.status = 'RUNNING'; break;
      case 'io.splicelab.run.completed': r.status = 'COMPLETED'; r.step = d.steps; break;
      case 'io.splicelab.run.failed': r.status = 'FAILED'; break;
      case 'io.splicelab.run.cancelled': r.status = 'CANCELLED'; break;
      case 'io.splicelab.hybrid.summary': case 'io.splicelab.hybrid.evaluated': reloadRun(e.subject); return;
      default: return;
    }
    renderSoon();
  }

  load().then(() => follow('/api/events', onEvent, liveIndicator))
    .catch(e => { document.querySelector('main').insertAdjacentHTML('afterbegin', `<p class="error">${esc(e.message)}</p>`); });
})();
