// The run list: status and progress of every run, updated live from /api/events.
'use strict';
(() => {
  const { api, follow, liveIndicator, throttle, fmt, esc, statusBadge, progressBar } = SL;
  const runs = new Map();
  const tbody = document.querySelector('#runs tbody');
  const filter = document.getElementById('filter-status');

  function row(r) {
    return `<tr data-run="${esc(r.runId)}"><td><a class="mono" href="/run.html?id=${encodeURIComponent(r.runId)}">${esc(r.runId)}</a></td>`
      + `<td class="run-status">${statusBadge(r.status)}</td><td class="run-progress">${progressBar(r.step, r.totalSteps)}</td>`
      + `<td>${fmt(r.loss)}</td><td>${fmt(r.trainBatchAccuracy)}</td><td>${fmt(r.testAccuracy)}</td><td>${fmt(r.imagesPerSecond, 0)}</td>`
      + `<td>${r.groupId ? `<a class="mono" href="/group.html?id=${encodeURIComponent(r.groupId)}">${esc(r.groupId)}</a>` : ''}</td>`
      + `<td class="muted">${r.createdAt ? new Date(r.createdAt).toLocaleString() : ''}</td></tr>`;
  }

  function render() {
    const list = [...runs.values()].filter(r => !filter.value || r.status === filter.value)
      .sort((a, b) => (b.createdAt || '').localeCompare(a.createdAt || '') || a.runId.localeCompare(b.runId));
    tbody.innerHTML = list.map(row).join('');
    document.getElementById('runs-empty').hidden = list.length > 0;
    document.getElementById('run-count').textContent = list.length + ' run' + (list.length === 1 ? '' : 's');
  }
  const renderSoon = throttle(render, 250);

  async function load() {
    const list = await api('/api/runs?size=500');
    runs.clear();
    list.forEach(r => runs.set(r.runId, r));
    render();
    const groups = await api('/api/groups');
    document.querySelector('#groups tbody').innerHTML = groups.map(g => `<tr><td><a class="mono" href="/group.html?id=${encodeURIComponent(g.groupId)}">${esc(g.groupId)}</a></td>`
      + `<td>${esc(g.name)}</td><td>${esc(g.factor)}</td><td>${g.runs}</td><td class="muted">${new Date(g.createdAt).toLocaleString()}</td></tr>`).join('');
    document.getElementById('groups-empty').hidden = groups.length > 0;
  }
  const reloadSoon = throttle(() => load().catch(console.error), 1000);

  function onEvent(e) {
    const r = runs.get(e.subject);
    if (!r) { reloadSoon(); return; }
    const d = e.data || {};
    switch (e.type) {
      case 'io.splicelab.run.progress':
        if (r.step === null || r.step === undefined || d.step >= r.step) {
          Object.assign(r, { step: d.step, totalSteps: d.totalSteps, loss: d.loss, trainBatchAccuracy: d.accuracy,
            imagesPerSecond: d.imagesPerSecond });
        }
        if (r.status === 'REQUESTED') r.status = 'RUNNING';
        break;
      case 'io.splicelab.run.started': if (r.status === 'REQUESTED') r.status = 'RUNNING'; break;
      case 'io.splicelab.run.completed': r.status = 'COMPLETED'; r.step = d.steps; r.totalSteps = d.steps;
        if (d.finalTestAccuracy !== undefined && d.finalTestAccuracy !== null) { r.testAccuracy = d.finalTestAccuracy; r.testSamples = d.finalTestSamples; }
        break;
      case 'io.splicelab.run.failed': r.status = 'FAILED'; break;
      case 'io.splicelab.run.cancelled': r.status = 'CANCELLED'; break;
      default: return;
    }
    renderSoon();
  }

  document.getElementById('token').value = SL.token();
  filter.addEventListener('change', render);
  document.getElementById('start').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const msg = document.getElementById('start-message');
    SL.setToken(document.getElementById('token').value.trim());
    const config = { steps: +document.getElementById('steps').value, checkpointInterval: +document.getElementById('interval').value,
      seed: +document.getElementById('seed').value, widthMultiplier: +document.getElementById('width').value };
    const seeds = document.getElementById('seeds').value.split(',').map(s => s.trim()).filter(s => s).map(Number);
    try {
      if (seeds.length) {
        delete config.seed;
        const g = await api('/api/groups', { method: 'POST', body: { factor: 'seed', values: seeds, config } });
        location.href = '/group.html?id=' + encodeURIComponent(g.groupId);
      } else {
        const r = await api('/api/runs', { method: 'POST', body: config });
        location.href = '/run.html?id=' + encodeURIComponent(r.runId);
      }
    } catch (e) {
      msg.className = 'error';
      msg.textContent = e.message + (e.problem && e.problem.errors ? ' (' + e.problem.errors.map(x => x.field).join(', ') + ')' : '');
    }
  });

  load().catch(e => { tbody.innerHTML = `<tr><td colspan="8" class="error">${esc(e.message)}</td></tr>`; });
  follow('/api/events', onEvent, liveIndicator);
})();
