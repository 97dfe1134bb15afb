// Experiments and the paper's claims: the list (and a button that starts the claims experiment), or one experiment
// per variant with its claims report, polled every 3 s until every run is settled.
'use strict';
(() => {
  const { api, fmt, esc, param } = SL;
  const id = param('id');
  const pm = (s) => s ? `${fmt(s.mean)}${s.se !== null && s.se !== undefined ? ' ± ' + fmt(s.se) : ''} <span class="muted">(n=${s.n})</span>` : '–';
  const overCuts = (tc, set) => {
    const stats = Object.values(tc || {}).map(bySet => bySet[set]).filter(Boolean);
    if (!stats.length) return null;
    return { n: Math.min(...stats.map(s => s.n)), mean: stats.reduce((a, s) => a + s.mean, 0) / stats.length, se: null };
  };

  async function list() {
    const all = await api('/api/experiments');
    document.querySelector('#experiments tbody').innerHTML = all.map(e => `<tr><td><a class="mono" href="/claims.html?id=${encodeURIComponent(e.experimentId)}">${esc(e.experimentId)}</a></td>`
      + `<td><a href="/experiment.html?id=${encodeURIComponent(e.experimentId)}">${esc(e.name)}</a></td><td>${esc(e.kind)}</td><td>${esc(e.variants.join(', '))}</td><td>${esc(e.seeds.join(', '))}</td>`
      + `<td>${e.settled}/${e.runs}</td><td class="muted">${esc(e.createdAt)}</td></tr>`).join('');
    document.getElementById('experiments-empty').hidden = all.length > 0;
  }

  async function show() {
    const [e, report] = await Promise.all([api(`/api/experiments/${encodeURIComponent(id)}`),
      api(`/api/experiments/${encodeURIComponent(id)}/claims`)]);
    document.getElementById('experiment-card').hidden = false;
    document.getElementById('exp-name').innerHTML = `<a href="/experiment.html?id=${encodeURIComponent(e.experimentId)}">${esc(e.name)}</a>`;
    document.getElementById('exp-id').textContent = e.experimentId;
    document.getElementById('exp-status').textContent = `${e.status} · ${e.settled}/${e.runs} runs settled`;
    document.querySelector('#variants tbody').innerHTML = e.variants.map(v => {
      const a = v.anisotropy;
      return `<tr data-variant="${esc(v.name)}"><td>${esc(v.name)}</td><td class="mono">${esc(JSON.stringify(v.patch))}</td>`
        + `<td>${v.runs.filter(r => r.settled).length}/${v.runs.length}</td><td>${pm(v.testAccuracy)}</td><td>${pm(v.corruptedAccuracy)}</td>`
        + `<td>${pm(overCuts(v.tc, 'train'))}</td><td>${pm(overCuts(v.tc, 'test'))}</td>`
        + `<td>${a ? pm(a.ledoitWolfZ) : '–'}</td><td>${a ? `k=${a.k}: ${fmt(a.topKShare && a.topKShare.mean)} (${fmt(a.nullTopKShare && a.nullTopKShare.mean)})` : '–'}</td></tr>`;
    }).join('');
    document.getElementById('claims-card').hidden = false;
    document.getElementById('claims-state').textContent = report.complete ? '' : '(provisional: only settled runs count)';
    document.getElementById('claims').innerHTML = report.claims.map(c => `<li data-claim="${c.id}"><span class="verdict ${esc(c.verdict.replace(' ', '-'))}">${esc(c.verdict)}</span> `
      + `${esc(c.claim)}<br><span class="muted">${esc(c.finding)}</span>`
      + (c.conclusiveIf.length ? `<ul class="todo">${c.conclusiveIf.map(t => `<li>to be conclusive: ${esc(t)}</li>`).join('')}</ul>` : '')
      + '</li>').join('');
    if (e.status !== 'finished') setTimeout(show, 3000);
  }

  document.getElementById('start-claims').addEventListener('click', async () => {
    const out = document.getElementById('start-result');
    try {
      const a = await api('/api/claims', { method: 'POST', body: {} });
      location.href = '/claims.html?id=' + encodeURIComponent(a.experimentId);
    } catch (err) {
      out.className = 'error';
      out.textContent = err.status === 401 ? 'needs the API token (set it on the runs page)' : err.message;
    }
  });
  if (id) {
    document.getElementById('list-card').hidden = true;
    show().catch(err => { document.querySelector('main').insertAdjacentHTML('afterbegin', `<p class="error">${esc(err.message)}</p>`); });
  } else {
    list();
  }
})();
