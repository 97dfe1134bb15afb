// An experiment group side by side: one row and one curve per run, live from /api/events.
'use strict';
(() => {
  const { api, follow, liveIndicator, throttle, fmt, esc, param, statusBadge, progressBar, chart } = SL;
  const groupId = param('id');
  const members = new Map(); // runId -> { value, run, progress: Map, summaries: [], testAccuracy }
  let curves, tc;

  function render() {
    const rows = [...members.entries()];
    document.querySelector('#members tbody').innerHTML = rows.map(([id, m]) => {
      const r = m.run, s = (m.summaries || []).find(x => x.evalSet === 'test') || (m.summaries || [])[0];
      return `<tr data-run="${esc(id)}"><td class="mono">${esc(JSON.stringify(m.value))}</td><td><a class="mono" href="/run.html?id=${encodeURIComponent(id)}">${esc(id)}</a></td>`
        + `<td>${statusBadge(r.status)}</td><td>${progressBar(r.step, r.totalSteps)}</td><td>${fmt(r.loss)}</td><td>${fmt(r.trainBatchAccuracy)}</td>`
        + `<td>${fmt(m.testAccuracy)}</td><td>${s ? fmt(s.tcScore) + ` <span class="muted">(${esc(s.cut)})</span>` : '–'}</td></tr>`;
    }).join('');
    const lines = rows.map(([id, m]) => ({ name: JSON.stringify(m.value) + ' · ' + id, type: 'line', showSymbol: m.progress.size < 40,
      data: [...m.progress.values()].sort((a, b) => a.step - b.step).map(p => [p.step, p.trainBatchAccuracy]) }));
    const el = document.getElementById('group-curves');
    el.dataset.points = lines.reduce((n, l) => n + l.data.length, 0);
    curves = curves || chart(el);
    curves.setOption({ animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0, type: 'scroll' }, grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'value', name: 'step' }, yAxis: { type: 'value', min: 0, max: 1 }, series: lines }, true);
    const tcLines = rows.map(([id, m]) => {
      const s = (m.summaries || []).find(x => x.evalSet === 'test') || (m.summaries || [])[0];
      return { name: JSON.stringify(m.value), type: 'line', data: s ? Object.entries(s.curve || {}).map(([l, v]) => [+l, v]).sort((a, b) => a[0] - b[0]) : [] };
    });
    const tcEl = document.getElementById('group-tc');
    tcEl.dataset.points = tcLines.reduce((n, l) => n + l.data.length, 0);
    tc = tc || chart(tcEl);
    tc.setOption({ animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0, type: 'scroll' }, grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'value', name: 'lag b − a (checkpoints)' }, yAxis: { type: 'value', scale: true }, series: tcLines }, true);
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
  const reloadRun = id => (reload[id] = reload[id] || throttle(() => loadRun(id).then(renderSoon).catch(console.error), 1500))();

  async function load() {
    const g = await api('/api/groups/' + encodeURIComponent(groupId));
    document.getElementById('group-id').textContent = g.groupId;
    document.getElementById('group-name').textContent = g.name + ' · factor ' + g.factor;
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
