// The run list: status and progress of every run, updated live from /api/events; found by name, tag or
// configuration; the form that starts runs; the health of the services.
'use strict';
(() => {
  const { api, follow, liveIndicator, throttle, fmt, esc, statusBadge, progressBar, tagChips, param } = SL;
  const runs = new Map();
  const tbody = document.querySelector('#runs tbody');
  const filter = document.getElementById('filter-status');
  const tagFilter = document.getElementById('filter-tag');
  const search = document.getElementById('search');
  /** Short names for the configuration fields people search by (lr=0.1). */
  const ALIASES = { lr: 'learningRate', arch: 'architecture', net: 'architecture', width: 'widthMultiplier', bs: 'batchSize',
    data: 'dataset', wd: 'weightDecay', opt: 'optimizer' };

  function row(r) {
    const cfg = r.config || {};
    const label = r.name
      ? `<a class="run-name" href="/run.html?id=${encodeURIComponent(r.runId)}">${esc(r.name)}</a><span class="sub mono muted">${esc(r.runId)}</span>`
      : `<a class="mono" href="/run.html?id=${encodeURIComponent(r.runId)}">${esc(r.runId)}</a>`;
    return `<tr data-run="${esc(r.runId)}"><td>${label}${r.tags && r.tags.length ? '<div>' + tagChips(r.tags) + '</div>' : ''}</td>`
      + `<td class="run-status">${statusBadge(r.status)}</td><td class="run-progress">${progressBar(r.step, r.totalSteps)}</td>`
      + `<td>${esc(cfg.dataset || '?')} · ${esc(cfg.architecture || '?')}${cfg.widthMultiplier && cfg.widthMultiplier !== 1 ? ' ×' + esc(cfg.widthMultiplier) : ''}</td>`
      + `<td>${fmt(cfg.learningRate, 4)}</td><td>${fmt(r.loss)}</td><td>${fmt(r.trainBatchAccuracy)}</td><td>${fmt(r.testAccuracy)}</td><td>${fmt(r.imagesPerSecond, 0)}</td>`
      + `<td>${r.groupId ? `<a class="mono" href="/group.html?id=${encodeURIComponent(r.groupId)}">${esc(r.groupId)}</a>` : ''}</td>`
      + `<td class="muted">${r.createdAt ? new Date(r.createdAt).toLocaleString() : ''}</td></tr>`;
  }

  /** Whether a run matches every word of the search: key=value against its configuration, other words anywhere. */
  function matches(r, words) {
    const cfg = r.config || {};
    const text = [r.runId, r.name, r.status, r.groupId, ...(r.tags || []),
      ...Object.values(cfg).map(v => Array.isArray(v) ? v.join(',') : String(v))].filter(x => x).join(' ').toLowerCase();
    return words.every(w => {
      const kv = /^([^=:]+)[=:](.*)$/.exec(w);
      if (kv && kv[1] === 'tag') return (r.tags || []).some(t => t.toLowerCase() === kv[2]);
      if (kv) {
        const key = ALIASES[kv[1]] || Object.keys(cfg).find(k => k.toLowerCase() === kv[1]);
        if (!key || !(key in cfg)) return false;
        const v = cfg[key];
        return String(v).toLowerCase() === kv[2] || (kv[2] !== '' && typeof v === 'number' && Number(kv[2]) === v);
      }
      return text.includes(w);
    });
  }

  function render() {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(w => w);
    const list = [...runs.values()].filter(r => !filter.value || r.status === filter.value)
      .filter(r => !tagFilter.value || (r.tags || []).includes(tagFilter.value))
      .filter(r => matches(r, words))
      .sort((a, b) => (b.createdAt || '').localeCompare(a.createdAt || '') || a.runId.localeCompare(b.runId));
    tbody.innerHTML = list.map(row).join('');
    document.getElementById('runs-empty').hidden = list.length > 0;
    document.getElementById('runs-empty').textContent = runs.size ? 'No run matches.' : 'No runs yet: start one above.';
    document.getElementById('run-count').textContent = list.length + (list.length === runs.size ? '' : ' of ' + runs.size)
      + ' run' + (runs.size === 1 ? '' : 's');
    const tags = [...new Set([...runs.values()].flatMap(r => r.tags || []))].sort();
    const html = '<option value="">any</option>' + tags.map(t => `<option value="${esc(t)}">${esc(t)}</option>`).join('');
    if (tagFilter.dataset.options !== html) {
      const keep = tagFilter.value;
      tagFilter.innerHTML = html; tagFilter.dataset.options = html;
      if (tags.includes(keep)) tagFilter.value = keep;
    }
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
    const experiments = await api('/api/experiments');
    document.querySelector('#experiments tbody').innerHTML = experiments.map(x => `<tr data-experiment="${esc(x.experimentId)}"><td><a href="/experiment.html?id=${encodeURIComponent(x.experimentId)}">${esc(x.name)}</a> <span class="mono muted">${esc(x.experimentId)}</span></td>`
      + `<td>${esc(x.variants.join(', '))}</td><td>${esc(x.seeds.join(', '))}</td><td>${x.settled}/${x.runs}</td><td class="muted">${new Date(x.createdAt).toLocaleString()}</td></tr>`).join('');
    document.getElementById('experiments-empty').hidden = experiments.length > 0;
  }
  const reloadSoon = throttle(() => load().catch(e => console.warn('reload failed', e)), 1000);

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

  // ---------- the form ----------
  async function fillForm() {
    const o = await SL.runOptions();
    const d = o.defaults || {};
    const fill = (id, names, value) => {
      const el = document.getElementById(id);
      el.innerHTML = names.map(n => `<option value="${esc(n)}">${esc(n)}</option>`).join('');
      el.value = value;
    };
    fill('dataset', o.datasets, d.dataset);
    fill('architecture', o.architectures, d.architecture);
    document.getElementById('lr').value = d.learningRate;
  }

  async function start(ev) {
    ev.preventDefault();
    const msg = document.getElementById('start-message');
    SL.setToken(document.getElementById('token').value.trim());
    const num = id => { const v = document.getElementById(id).value; return v === '' ? undefined : +v; };
    const config = { dataset: document.getElementById('dataset').value || undefined,
      architecture: document.getElementById('architecture').value || undefined, learningRate: num('lr'),
      steps: num('steps'), checkpointInterval: num('interval'), seed: num('seed'), widthMultiplier: num('width') };
    const name = document.getElementById('name').value.trim();
    const tags = document.getElementById('tags').value.split(',').map(s => s.trim()).filter(s => s);
    const seeds = document.getElementById('seeds').value.split(',').map(s => s.trim()).filter(s => s).map(Number);
    const label = (id, suffix) => (name || tags.length) ? api(`/api/runs/${encodeURIComponent(id)}`, { method: 'PATCH',
      contentType: 'application/merge-patch+json', body: Object.assign(name ? { name: name + suffix } : {}, tags.length ? { tags } : {}) }) : null;
    try {
      if (seeds.length) {
        delete config.seed;
        const g = await api('/api/groups', { method: 'POST', body: Object.assign({ factor: 'seed', values: seeds, config }, name ? { name } : {}) });
        await Promise.all((g.runs || []).map(m => label(m.runId, ' · seed ' + m.value)));
        location.href = '/group.html?id=' + encodeURIComponent(g.groupId);
      } else {
        const r = await api('/api/runs', { method: 'POST', body: config });
        await label(r.runId, '');
        location.href = '/run.html?id=' + encodeURIComponent(r.runId);
      }
    } catch (e) {
      msg.className = 'error';
      msg.textContent = e.message + (e.problem && e.problem.errors ? ' (' + e.problem.errors.map(x => x.field).join(', ') + ')' : '');
    }
  }

  // ---------- service health ----------
  SL.onHealth((answer, error) => {
    const body = document.querySelector('#health tbody');
    if (!answer) {
      body.innerHTML = `<tr><td>gateway</td><td class="DOWN">DOWN</td><td>${esc(error ? error.message : '')}</td></tr>`;
      return;
    }
    body.innerHTML = (answer.services || []).map(s => `<tr data-service="${esc(s.name)}"><td>${esc(s.name)}</td>`
      + `<td class="${esc(s.status)}">${esc(s.status)}</td><td class="muted">${esc(s.detail || (s.url ? s.url : ''))}</td></tr>`).join('');
    document.getElementById('health-checked').textContent = answer.checkedAt
      ? 'checked ' + new Date(answer.checkedAt).toLocaleTimeString() + ' (every 15 s); only services with a configured URL are listed' : '';
  });

  document.getElementById('token').value = SL.token();
  search.value = param('q') || '';
  filter.addEventListener('change', render);
  tagFilter.addEventListener('change', render);
  search.addEventListener('input', () => {
    const u = new URL(location.href);
    if (search.value) u.searchParams.set('q', search.value); else u.searchParams.delete('q');
    history.replaceState(null, '', u);
    render();
  });
  document.getElementById('start').addEventListener('submit', start);
  fillForm().catch(e => { const m = document.getElementById('start-message'); m.className = 'error'; m.textContent = e.message; });

  load().catch(e => { tbody.innerHTML = `<tr><td colspan="10" class="error">${esc(e.message)}</td></tr>`; });
  follow('/api/events', onEvent, liveIndicator);
})();
