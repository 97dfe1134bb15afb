// One experiment: its definition (base configuration, variants as patches, seeds), its runs, the figures per variant
// (mean ± sd over seeds) and curves over training steps with a mean ± sd band per variant, one colour per variant.
// Reloaded (throttled) when one of its runs has news on the live event stream.
'use strict';
(() => {
  const { api, follow, liveIndicator, throttle, fmt, esc, param, statusBadge, progressBar, chart, frame, axis,
    bandSeries, flatConfig, showChart, PALETTE } = SL;
  const id = param('id');
  const charts = {};
  const members = new Set();
  let variantNames = [];

  const color = name => PALETTE[Math.max(0, variantNames.indexOf(name)) % PALETTE.length];
  const swatch = name => `<span class="swatch" style="background:${color(name)}"></span>`;
  /** mean ± sd (n), the sd left out with one seed. */
  const pm = s => s ? `${fmt(s.mean)}${s.sd !== null && s.sd !== undefined ? ' ± ' + fmt(s.sd) : ''} <span class="muted">(n=${s.n})</span>` : '<i class="muted">–</i>';
  const uniq = xs => [...new Set(xs)];

  /** The rows of the figures table: [label, stat of a variant]. */
  function figureRows(variants) {
    const rows = [['final test accuracy', v => v.testAccuracy], ['corrupted accuracy (mean over sets)', v => v.corruptedAccuracy]];
    uniq(variants.flatMap(v => Object.keys(v.accuracy || {}))).sort().filter(set => set !== 'test')
      .forEach(set => rows.push([`accuracy · ${set}`, v => (v.accuracy || {})[set]]));
    const cutSets = key => uniq(variants.flatMap(v => Object.entries(v[key] || {}).flatMap(([cut, bySet]) => Object.keys(bySet).map(set => cut + '\u0000' + set)))).sort();
    cutSets('tc').forEach(k => { const [cut, set] = k.split('\u0000'); rows.push([`TC · ${cut} · ${set}`, v => ((v.tc || {})[cut] || {})[set]]); });
    cutSets('tcWithInitial').forEach(k => { const [cut, set] = k.split('\u0000'); rows.push([`TC with initial · ${cut} · ${set}`, v => ((v.tcWithInitial || {})[cut] || {})[set]]); });
    if (variants.some(v => v.anisotropy)) {
      rows.push(['anisotropy · Ledoit-Wolf z', v => v.anisotropy && v.anisotropy.ledoitWolfZ]);
      rows.push(['anisotropy · top-k variance share', v => v.anisotropy && v.anisotropy.topKShare]);
      rows.push(['anisotropy · top-k share under isotropy', v => v.anisotropy && v.anisotropy.nullTopKShare]);
    }
    return rows;
  }

  function renderDetail(e) {
    variantNames = e.variants.map(v => v.name);
    document.title = 'splicelab · experiment ' + e.name;
    document.getElementById('exp-name').textContent = e.name;
    document.getElementById('exp-id').textContent = e.experimentId + (e.kind !== 'experiment' ? ' · ' + e.kind : '');
    document.getElementById('exp-status').textContent = `${e.status} · ${e.settled}/${e.runs} runs settled`;
    const enc = encodeURIComponent(e.experimentId);
    document.getElementById('claims-link').href = '/claims.html?id=' + enc;
    document.getElementById('bundle-link').href = `/api/experiments/${enc}/bundle`;
    document.getElementById('curves-csv').href = `/api/experiments/${enc}/curves?format=csv`;
    const cfg = [...flatConfig(e.base).entries()].sort((a, b) => a[0].localeCompare(b[0]));
    document.getElementById('base-config').innerHTML = cfg.length ? `<div id="config-table" class="config-grid">${cfg.map(([k, v]) =>
      `<div><span class="mono">${esc(k)}</span> ${v === '' ? '<i class="muted">–</i>' : esc(v)}</div>`).join('')}</div>` : '<div class="empty">No base configuration.</div>';
    document.getElementById('seeds').textContent = `× seeds ${e.seeds.join(', ')}`;
    document.querySelector('#variants tbody').innerHTML = e.variants.map(v => `<tr data-variant="${esc(v.name)}"><td>${swatch(v.name)}${esc(v.name)}</td>`
      + `<td class="mono">${esc(JSON.stringify(v.patch))}</td><td>${v.runs.filter(r => r.settled).length}/${v.runs.length}</td></tr>`).join('');
    document.querySelector('#figures thead').innerHTML = '<tr><th>figure</th>' + e.variants.map(v => `<th>${swatch(v.name)}${esc(v.name)}</th>`).join('') + '</tr>';
    document.querySelector('#figures tbody').innerHTML = figureRows(e.variants).map(([label, stat]) =>
      `<tr><td>${esc(label)}</td>${e.variants.map(v => `<td data-variant="${esc(v.name)}">${pm(stat(v))}</td>`).join('')}</tr>`).join('');
    members.clear();
    document.querySelector('#members tbody').innerHTML = e.variants.flatMap(v => v.runs.map(r => {
      members.add(r.runId);
      return `<tr data-run="${esc(r.runId)}"><td>${swatch(v.name)}${esc(v.name)}</td><td>${r.seed}</td>`
        + `<td><a class="mono" href="/run.html?id=${encodeURIComponent(r.runId)}">${esc(r.runId)}</a></td><td>${statusBadge(r.status)}</td>`
        + `<td>${progressBar(r.step, r.totalSteps)}</td><td>${fmt(r.testAccuracy)}</td><td>${fmt(r.corruptedAccuracy)}</td><td>${r.settled ? 'yes' : 'no'}</td></tr>`;
    })).join('');
  }

  /** One chart of a metric: a band and a mean line per variant. */
  function renderCurve(elId, metric, label, range, curves) {
    const el = document.getElementById(elId);
    const variants = curves.variants.map(v => ({ name: v.name, points: (v.curves[metric] || []) }));
    const series = variants.flatMap(v => bandSeries(v.name, color(v.name), v.points));
    el.dataset.points = variants.reduce((n, v) => n + v.points.length, 0);
    el.dataset.bands = variants.filter(v => v.points.some(p => p.sd > 0)).length;
    el.csvData = () => ({ header: ['variant', 'step', 'n', 'mean', 'sd', 'se'],
      rows: variants.flatMap(v => v.points.map(p => [v.name, p.step, p.n, p.mean, p.sd, p.se])) });
    const byName = new Map(variants.map(v => [v.name, new Map(v.points.map(p => [p.step, p]))]));
    const c = charts[elId] = charts[elId] || chart(el);
    c.setOption(Object.assign(frame({ legend: true }), {
      legend: Object.assign(frame({ legend: true }).legend, { data: variants.map(v => ({ name: v.name, itemStyle: { color: color(v.name) } })) }),
      tooltip: { trigger: 'axis', formatter: params => {
        const mean = params.filter(p => String(p.seriesId).startsWith('mean:'));
        if (!mean.length) return '';
        const step = mean[0].value[0];
        return `step ${esc(step)}<br>` + mean.map(p => {
          const pt = byName.get(p.seriesName).get(step);
          return `${p.marker}${esc(p.seriesName)}: ${pt ? fmt(pt.mean, 4) + (pt.sd !== null && pt.sd !== undefined ? ' ± ' + fmt(pt.sd, 4) : '') + ` (n=${pt.n})` : '–'}`;
        }).join('<br>');
      } },
      xAxis: axis('step', { min: 0 }), yAxis: axis(label, range, 'left'), series }), true);
    return variants.some(v => v.points.length);
  }

  async function load() {
    const enc = encodeURIComponent(id);
    const [e, curves] = await Promise.all([api('/api/experiments/' + enc), api(`/api/experiments/${enc}/curves`)]);
    renderDetail(e);
    renderCurve('curve-test', 'testAccuracy', 'test accuracy', { min: 0, max: 1 }, curves);
    renderCurve('curve-loss', 'loss', 'training loss', { scale: true }, curves);
    renderCurve('curve-batch', 'trainBatchAccuracy', 'train accuracy (batch)', { min: 0, max: 1 }, curves);
    const corrupted = renderCurve('curve-corrupted', 'corruptedAccuracy', 'corrupted accuracy', { min: 0, max: 1 }, curves);
    document.getElementById('corrupted-card').hidden = !corrupted;
    showChart(document.getElementById('curve-corrupted'), corrupted);
  }
  const reloadSoon = throttle(() => load().catch(err => console.warn('reload failed', err)), 2000);

  if (!id) {
    document.querySelector('main').insertAdjacentHTML('afterbegin', '<p class="error">no experiment given: experiment.html?id=&lt;id or name&gt;</p>');
    return;
  }
  load().then(() => follow('/api/events', ev => { if (members.has(ev.subject)) reloadSoon(); }, liveIndicator))
    .catch(err => { document.querySelector('main').insertAdjacentHTML('afterbegin', `<p class="error">${esc(err.message)}</p>`); });
})();
