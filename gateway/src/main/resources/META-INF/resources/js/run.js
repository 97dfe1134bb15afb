// One run, live: curves, hybrid heat map with a checkpoint slider, TC curve, corruptions, KDE, noise spectrum
// and any plugged-in analysis (drawn by its declared shape). State is folded from the REST snapshots and then
// from the run's event stream; every fold is an upsert by natural key, so replays change nothing.
'use strict';
(() => {
  const { api, follow, liveIndicator, throttle, fmt, esc, param, statusBadge, progressBar, chart, gridLine } = SL;
  const runId = param('id');
  const KDE = 'class-overlap-tv';
  const S = { run: null, progress: new Map(), checkpoints: new Map(), cells: new Map(), summaries: new Map(), stats: new Map() };
  const charts = {};
  let sliderFollowsLatest = true;
  const pluginIds = new Map();

  const cellKey = c => [c.cut, c.evalSet, c.bnMode, c.shallowStep, c.deepStep].join('|');
  const statsKey = s => [s.analysis, s.cut || '', s.probeSet || '', (s.steps || []).join(',')].join('|');
  const isNoise = s => s.values && Array.isArray(s.values.eigenvalues);
  const uniq = xs => [...new Set(xs)];
  const byNum = (a, b) => a - b;

  function fill(select, options, keep) {
    const current = select.value;
    const html = options.map(o => `<option value="${esc(o)}">${esc(o)}</option>`).join('');
    if (select.dataset.options !== html) { select.innerHTML = html; select.dataset.options = html; }
    if (keep && options.includes(current)) select.value = current;
    else if (keep && options.length) select.value = keep(options);
  }

  // ---------- header ----------
  function renderHeader() {
    const r = S.run || { status: 'UNKNOWN' };
    document.getElementById('run-id').textContent = runId;
    document.getElementById('run-status').innerHTML = statusBadge(r.status);
    document.getElementById('group-link').innerHTML = r.groupId
      ? `<a class="mono" style="font-size:13px" href="/group.html?id=${encodeURIComponent(r.groupId)}">group ${esc(r.groupId)}</a>` : '';
    const cfg = r.config || {};
    document.getElementById('summary').innerHTML = [
      ['progress', progressBar(r.step, r.totalSteps)], ['loss', fmt(r.loss)], ['train batch accuracy', fmt(r.trainBatchAccuracy)],
      ['test accuracy', r.testAccuracy === null || r.testAccuracy === undefined ? '–'
        : `${fmt(r.testAccuracy)} <span class="muted">(final checkpoint, ${esc(r.testSamples)} test images)</span>`],
      ['img/s', fmt(r.imagesPerSecond, 0)], ['checkpoints', S.checkpoints.size], ['hybrid cells', `<span id="cell-count">${S.cells.size}</span>`],
      ['grid', `<output id="grid-line">${gridLine(r.grid)}</output>`],
      ['network', esc((cfg.architecture || '?') + ' ×' + (cfg.widthMultiplier || '?'))], ['dataset', esc(cfg.dataset || '?')],
      ['seed', esc(cfg.seed)], ['test images', esc(r.evalSubset || '?')],
      ['failure', esc(r.failure || '')]]
      .filter(([k, v]) => k !== 'failure' || v).map(([k, v]) => `<div><span>${k}</span>${v}</div>`).join('');
    document.getElementById('csv').href = `/api/runs/${encodeURIComponent(runId)}/hybrids?format=csv`;
  }

  // ---------- training curves ----------
  function renderCurves() {
    const points = [...S.progress.values()].sort((a, b) => a.step - b.step);
    const ckpts = [...S.checkpoints.values()].sort((a, b) => a.step - b.step);
    // each checkpoint's own accuracy on the evaluation set test (BatchNorm carried): its diagonal cell
    const tested = new Map();
    S.cells.forEach(c => {
      if (c.shallowStep === c.deepStep && c.evalSet === 'test' && c.bnMode === 'carry' && c.metrics && c.metrics.accuracy !== undefined) tested.set(c.deepStep, c.metrics.accuracy);
    });
    ckpts.forEach(c => { if (!tested.has(c.step) && c.testAccuracy !== null && c.testAccuracy !== undefined) tested.set(c.step, c.testAccuracy); });
    const testPoints = [...tested.entries()].sort((a, b) => a[0] - b[0]);
    const el = document.getElementById('curves');
    el.dataset.points = points.length + ckpts.length + testPoints.length;
    charts.curves = charts.curves || chart(el);
    charts.curves.setOption({
      animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 50, top: 30, bottom: 30 },
      xAxis: { type: 'value', name: 'step', min: 0, max: (S.run && S.run.totalSteps) || undefined },
      yAxis: [{ type: 'value', name: 'loss', scale: true }, { type: 'value', name: 'accuracy', min: 0, max: 1 }],
      series: [
        { name: 'loss', type: 'line', showSymbol: points.length < 40, data: points.map(p => [p.step, p.loss]) },
        { name: 'train batch accuracy', type: 'line', yAxisIndex: 1, showSymbol: points.length < 40, data: points.map(p => [p.step, p.trainBatchAccuracy]) },
        { name: 'train batch accuracy at checkpoint', type: 'scatter', yAxisIndex: 1, symbolSize: 9, data: ckpts.map(c => [c.step, c.trainBatchAccuracy]) },
        { name: 'test accuracy (checkpoint, eval set test)', type: 'line', yAxisIndex: 1, symbolSize: 7, data: testPoints }]
    }, true);
  }

  // ---------- hybrid heat map ----------
  function allSteps() {
    const steps = new Set([...S.checkpoints.keys()]);
    S.cells.forEach(c => { steps.add(c.shallowStep); steps.add(c.deepStep); });
    return [...steps].sort(byNum);
  }

  function renderHeatmap() {
    const cells = [...S.cells.values()];
    const cut = document.getElementById('cut'), ev = document.getElementById('evalSet');
    const metric = document.getElementById('metric'), bn = document.getElementById('bnMode');
    fill(cut, uniq(cells.map(c => c.cut)), o => o[0]);
    fill(ev, uniq(cells.map(c => c.evalSet)).sort((a, b) => (a === 'test' ? -1 : b === 'test' ? 1 : a.localeCompare(b))), o => o[0]);
    fill(metric, uniq(cells.flatMap(c => Object.keys(c.metrics || {}))).sort(),
      o => o.includes('accuracy') ? 'accuracy' : o[0]);
    fill(bn, uniq(cells.map(c => c.bnMode)), o => o.includes('carry') ? 'carry' : o[0]);
    const steps = allSteps();
    const slider = document.getElementById('ckpt-slider');
    slider.max = Math.max(0, steps.length - 1);
    if (sliderFollowsLatest) slider.value = slider.max;
    const upTo = steps.length ? steps[Math.min(+slider.value, steps.length - 1)] : 0;
    document.getElementById('ckpt-label').textContent = steps.length ? ` step ${upTo} (${+slider.value + 1}/${steps.length})` : '';
    const inView = c => c.cut === cut.value && c.evalSet === ev.value && c.bnMode === bn.value && c.shallowStep <= upTo && c.deepStep <= upTo;
    const shown = cells.filter(c => inView(c) && c.metrics && c.metrics[metric.value] !== undefined);
    // cells whose deep donor is at chance have no relative accuracy (chance over chance is not 1): grey, labelled
    const chance = metric.value === 'relativeAccuracy' ? cells.filter(c => inView(c) && c.deepDonorAtChance === true) : [];
    document.getElementById('heatmap-chance').hidden = chance.length === 0;
    const axis = steps.filter(s => s <= upTo);
    const el = document.getElementById('heatmap');
    el.dataset.points = shown.length;
    document.getElementById('heatmap-empty').hidden = shown.length > 0;
    charts.heatmap = charts.heatmap || chart(el);
    const values = shown.map(c => c.metrics[metric.value]);
    charts.heatmap.setOption({
      animation: false,
      tooltip: { formatter: p => `a=${axis[p.data[1]]} → b=${axis[p.data[0]]}<br>` + (p.seriesIndex === 1
        ? 'deep donor at chance: no relative accuracy' : `${esc(metric.value)}: ${fmt(p.data[2], 4)}`) },
      grid: { left: 60, right: 20, top: 10, bottom: 70 },
      xAxis: { type: 'category', name: 'deep from b', nameLocation: 'middle', nameGap: 25, data: axis.map(String) },
      yAxis: { type: 'category', name: 'shallow from a', data: axis.map(String) },
      visualMap: { seriesIndex: 0, min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 1, calculable: true,
        orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, precision: 3 },
      series: [{ type: 'heatmap', data: shown.map(c => [axis.indexOf(c.deepStep), axis.indexOf(c.shallowStep), c.metrics[metric.value]]),
        label: { show: axis.length <= 8, formatter: p => fmt(p.data[2], 2) } },
      { type: 'heatmap', name: 'deep donor at chance', itemStyle: { color: '#d5d5d5' },
        data: chance.map(c => [axis.indexOf(c.deepStep), axis.indexOf(c.shallowStep), 0]),
        label: { show: axis.length <= 8, formatter: () => 'chance', color: '#555' } }]
    }, true);
  }

  // ---------- TC curve ----------
  // docs/science.md section 2: mean relative accuracy by lag over the forward pairs (a < b), over every checkpoint and
  // without the initial checkpoint (step 0, the random initialisation) as shallow donor; the lag in training steps
  // (the heat map's axes) or in checkpoints; pairs whose deep donor is at chance are in no mean
  const curveOf = (variant, unit) => variant && (unit === 'steps' ? variant.curveBySteps : variant.curveByCheckpoints);
  const points = curve => Object.entries(curve || {}).map(([lag, v]) => [+lag, v]).sort((a, b) => a[0] - b[0]);

  function tcCurves(ev, bn, unit) {
    const fromCells = tcCurvesOfCells(ev, bn, unit);
    const fromSummaries = [...S.summaries.values()].filter(s => s.evalSet === ev && s.bnMode === bn);
    if (fromSummaries.length) {
      return fromSummaries.map(s => {
        const cells = fromCells.find(c => c.name === s.cut) || { data: [], without: null };
        const variants = s.all && s.initialStep !== null && s.initialStep !== undefined;
        // summaries from before the variants have their curve by checkpoint lag only; by step lag, from the cells
        return { name: s.cut, score: s.tcScore, dropLag: s.dropLag, summary: s,
          data: s.all ? points(curveOf(s.all, unit)) : unit === 'checkpoints' ? points(s.curve) : cells.data,
          without: variants ? points(curveOf(s.excludingInitial, unit)) : s.all ? null : cells.without };
      });
    }
    return fromCells;
  }

  // the curves from the cells (before any summary), the same rules: forward pairs, chance pairs left out
  function tcCurvesOfCells(ev, bn, unit) {
    const steps = allSteps();
    const byCut = new Map();
    S.cells.forEach(c => {
      if (c.evalSet !== ev || c.bnMode !== bn || c.shallowStep >= c.deepStep || c.deepDonorAtChance === true) return;
      const m = c.metrics || {};
      let v = m.relativeAccuracy;
      if (v === undefined) {
        const diag = S.cells.get(cellKey({ cut: c.cut, evalSet: ev, bnMode: bn, shallowStep: c.deepStep, deepStep: c.deepStep }));
        if (diag && diag.deepDonorAtChance === true) return;
        if (diag && diag.metrics && diag.metrics.accuracy && m.accuracy !== undefined) v = m.accuracy / diag.metrics.accuracy;
      }
      if (v === undefined) return;
      const lag = unit === 'steps' ? c.deepStep - c.shallowStep : steps.indexOf(c.deepStep) - steps.indexOf(c.shallowStep);
      const cut = byCut.get(c.cut) || { all: new Map(), without: new Map() };
      (c.shallowStep === 0 ? [cut.all] : [cut.all, cut.without]).forEach(lags => {
        const acc = lags.get(lag) || [0, 0];
        acc[0] += v; acc[1] += 1;
        lags.set(lag, acc);
      });
      byCut.set(c.cut, cut);
    });
    const mean = lags => [...lags.entries()].map(([lag, [sum, n]]) => [lag, sum / n]).sort((a, b) => a[0] - b[0]);
    return [...byCut.entries()].map(([cut, l]) => ({ name: cut, data: mean(l.all),
      without: steps.includes(0) ? mean(l.without) : null }));
  }

  function tcScoreLine(c, unit) {
    const s = c.summary;
    if (!s) return '';
    const lagText = (v, lag, lagSteps) => {
      if (lag === null || lag === undefined) return `stays at or above ${fmt(s.threshold, 2)}`;
      return `falls below ${fmt(s.threshold, 2)} at lag ${lag} checkpoint${lag === 1 ? '' : 's'}`
        + (lagSteps !== null && lagSteps !== undefined ? ` (first step lag below: ${lagSteps} steps)` : '');
    };
    let line = `${esc(c.name)}: TC score ${fmt(s.tcScore)} over all checkpoints`;
    if (s.all) line += ` (${s.all.pairs} pairs), ${lagText(s.tcScore, s.all.dropLag, s.all.dropLagSteps)}`;
    else if (s.dropLag !== null && s.dropLag !== undefined) line += `, drops below threshold at lag ${s.dropLag} (checkpoints)`;
    if (s.all && s.initialStep !== null && s.initialStep !== undefined && s.excludingInitial) {
      const x = s.excludingInitial;
      line += `; without the initial checkpoint (step ${s.initialStep}): ${x.tc === null || x.tc === undefined ? 'n/a' : fmt(x.tc)}`
        + ` (${x.pairs} pairs), ${lagText(x.tc, x.dropLag, x.dropLagSteps)}`;
    }
    if (s.chancePairs) line += `; ${s.chancePairs} pair${s.chancePairs === 1 ? '' : 's'} left out (deep donor at chance)`;
    return line;
  }

  function renderTc() {
    const ev = document.getElementById('evalSet').value, bn = document.getElementById('bnMode').value;
    const unit = document.getElementById('tc-lag').value || 'steps';
    const curves = tcCurves(ev, bn, unit);
    const el = document.getElementById('tc');
    el.dataset.points = curves.reduce((n, c) => n + c.data.length, 0);
    document.getElementById('tc-empty').hidden = curves.length > 0;
    charts.tc = charts.tc || chart(el);
    charts.tc.setOption({
      animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'value', name: unit === 'steps' ? 'lag b − a (steps)' : 'lag b − a (checkpoints)' },
      yAxis: { type: 'value', name: 'rel. accuracy', scale: true },
      series: curves.map(c => ({ name: c.name, type: 'line', data: c.data }))
        .concat(curves.filter(c => c.without).map(c => ({ name: c.name + ' without step 0', type: 'line',
          lineStyle: { type: 'dashed' }, data: c.without })))
    }, true);
    document.getElementById('tc-scores').innerHTML = curves.filter(c => c.summary).map(c => tcScoreLine(c, unit)).join('<br>');
  }

  // ---------- corruptions ----------
  function renderCorruptions() {
    const metric = document.getElementById('metric').value || 'accuracy';
    const bn = document.getElementById('bnMode').value;
    const rows = new Map();
    const sevs = new Set();
    const latest = new Map();
    S.cells.forEach(c => {
      const m = /^corrupt:([^:]+):(\d+)$/.exec(c.evalSet);
      if (!m || c.bnMode !== bn || c.shallowStep !== c.deepStep || !c.metrics || c.metrics[metric] === undefined) return;
      const key = m[1] + '|' + m[2];
      const prev = latest.get(key);
      if (!prev || c.deepStep > prev.step) latest.set(key, { step: c.deepStep, value: c.metrics[metric] });
      sevs.add(+m[2]);
      rows.set(m[1], true);
    });
    const el = document.getElementById('corruptions');
    if (!rows.size) {
      el.innerHTML = '<div class="empty">No corrupted evaluation sets in this run (evaluation sets named corrupt:&lt;name&gt;:&lt;severity&gt;).</div>';
      return;
    }
    const sv = [...sevs].sort(byNum);
    el.innerHTML = `<p class="muted">${esc(metric)} of the plain latest checkpoint (diagonal cells), by corruption and severity</p>`
      + `<table id="corruption-table"><thead><tr><th>corruption</th>${sv.map(s => `<th>severity ${s}</th>`).join('')}</tr></thead><tbody>`
      + [...rows.keys()].sort().map(name => `<tr><td>${esc(name)}</td>${sv.map(s => {
        const v = latest.get(name + '|' + s);
        return `<td>${v ? fmt(v.value) : '–'}</td>`;
      }).join('')}</tr>`).join('') + '</tbody></table>';
  }

  // ---------- KDE / class overlap ----------
  function renderKde() {
    const results = [...S.stats.values()].filter(s => s.analysis === KDE);
    document.getElementById('kde-empty').hidden = results.length > 0;
    const cutSel = document.getElementById('kde-cut'), stepSel = document.getElementById('kde-step'), clsSel = document.getElementById('kde-class');
    fill(cutSel, uniq(results.map(r => r.cut || '')), o => o[0]);
    const ofCut = results.filter(r => (r.cut || '') === cutSel.value);
    const steps = uniq(ofCut.map(r => (r.steps || []).join(','))).sort((a, b) => +a.split(',')[0] - +b.split(',')[0]);
    fill(stepSel, steps, o => o[o.length - 1]);
    const current = ofCut.find(r => (r.steps || []).join(',') === stepSel.value);
    const v = (current && current.values) || {};
    const densities = v.densities && typeof v.densities === 'object' ? v.densities : null;
    fill(clsSel, densities ? ['all', ...Object.keys(densities)] : ['all'], o => o[0]);
    // densities (when the analysis ships them): one grid per class over [gridLo, gridHi]
    const el = document.getElementById('kde');
    charts.kde = charts.kde || chart(el);
    let data = [];
    if (densities) {
      const classes = clsSel.value === 'all' ? Object.keys(densities) : [clsSel.value];
      const n = (densities[classes[0]] || []).length;
      const axes = Array.isArray(v.densityAxes) && v.densityAxes.length === 2 ? v.densityAxes : null;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let d = 0;
        classes.forEach(k => { d = Math.max(d, (densities[k][i] || [])[j] || 0); });
        data.push([i, j, d]);
      }
      el.dataset.points = data.length;
      charts.kde.setOption({ animation: false, title: { text: 'class density, top-2 PCs', textStyle: { fontSize: 12 } },
        grid: { left: 40, right: 10, top: 30, bottom: 30 }, xAxis: { type: 'category', name: 'PC1', data: axes ? axes[0] : [...Array(n).keys()], axisLabel: { show: false } },
        yAxis: { type: 'category', name: 'PC2', data: axes ? axes[1] : [...Array(n).keys()], axisLabel: { show: false } },
        visualMap: { show: false, min: 0, max: Math.max(1e-12, ...data.map(x => x[2])) }, series: [{ type: 'heatmap', data }] }, true);
    } else {
      // per-class data without the density grids: class sizes and bandwidth factors
      const classes = (v.classes || []).map(String);
      data = classes.map(c => [(v.classSizes || {})[c] || 0, (v.factors || {})[c] || 0]);
      el.dataset.points = classes.length;
      charts.kde.setOption({ animation: false, title: { text: 'per class: size and KDE bandwidth factor', textStyle: { fontSize: 12 } },
        tooltip: { trigger: 'axis' }, legend: { top: 18 }, grid: { left: 50, right: 50, top: 50, bottom: 30 },
        xAxis: { type: 'category', name: 'class', data: classes }, yAxis: [{ type: 'value', name: 'samples' }, { type: 'value', name: 'factor', scale: true }],
        series: [{ name: 'samples', type: 'bar', data: data.map(d => d[0]) }, { name: 'bandwidth factor', type: 'line', yAxisIndex: 1, data: data.map(d => d[1]) }] }, true);
    }
    // mean TV distance between class densities over training, per cut
    const tvEl = document.getElementById('kde-tv');
    charts.kdeTv = charts.kdeTv || chart(tvEl);
    const byCut = new Map();
    results.forEach(r => {
      if (!r.values || r.values.meanTv === undefined) return;
      const l = byCut.get(r.cut || '') || [];
      l.push([(r.steps || [0])[(r.steps || [0]).length - 1], r.values.meanTv]);
      byCut.set(r.cut || '', l);
    });
    tvEl.dataset.points = [...byCut.values()].reduce((n, l) => n + l.length, 0);
    charts.kdeTv.setOption({ animation: false, title: { text: 'mean TV distance between classes', textStyle: { fontSize: 12 } },
      tooltip: { trigger: 'axis' }, legend: { top: 18 }, grid: { left: 50, right: 20, top: 50, bottom: 30 },
      xAxis: { type: 'value', name: 'step' }, yAxis: { type: 'value', min: 0, max: 1 },
      series: [...byCut.entries()].map(([cut, l]) => ({ name: cut || 'all', type: 'line', data: l.sort((a, b) => a[0] - b[0]) })) }, true);
  }

  // ---------- noise spectrum ----------
  function renderNoise() {
    const results = [...S.stats.values()].filter(isNoise).sort((a, b) => ((a.steps || [0])[0] - (b.steps || [0])[0]));
    document.getElementById('noise-empty').hidden = results.length > 0;
    const el = document.getElementById('noise');
    if (!results.length) { el.dataset.points = 0; return; }
    const r = results[results.length - 1], v = r.values;
    const eig = v.eigenvalues;
    const total = eig.reduce((a, b) => a + b, 0) || 1;
    const explained = eig.map(x => x / total);
    // the isotropic null: per rank quantiles (Monte Carlo) or a flat line at trace/p
    let nullMid = null, nullLo = null, nullHi = null;
    const q = (v.spectrumNull && v.spectrumNull.rankQuantiles) || v.nullRankQuantiles;
    const sq = v.series || {};
    if (Array.isArray(sq.nullQ50)) {
      // the stats service's noise-spectrum: Monte Carlo quantiles per rank, as explained-variance fractions
      nullLo = sq.nullQ05 || null; nullMid = sq.nullQ50; nullHi = sq.nullQ95 || null;
    } else if (Array.isArray(q) && q.length) {
      const scale = x => x; // already explained-variance fractions
      nullLo = q.map(r => scale(r[0])); nullMid = q.map(r => scale(r[Math.floor(r.length / 2)])); nullHi = q.map(r => scale(r[r.length - 1]));
    } else if (Array.isArray(v.nullEigenvalues)) {
      const t = v.nullEigenvalues.reduce((a, b) => a + b, 0) || 1;
      nullMid = v.nullEigenvalues.map(x => x / t);
    } else {
      nullMid = eig.map(() => 1 / eig.length);
    }
    el.dataset.points = eig.length;
    charts.noise = charts.noise || chart(el);
    const ranks = eig.map((_, i) => i + 1);
    const series = [{ name: 'observed', type: 'line', data: explained.map((x, i) => [ranks[i], x]) },
      { name: 'isotropic null', type: 'line', lineStyle: { type: 'dashed' }, data: nullMid.map((x, i) => [i + 1, x]) }];
    if (nullLo && nullHi) {
      series.push({ name: 'null 5%', type: 'line', lineStyle: { type: 'dotted', opacity: .5 }, symbol: 'none', data: nullLo.map((x, i) => [i + 1, x]) });
      series.push({ name: 'null 95%', type: 'line', lineStyle: { type: 'dotted', opacity: .5 }, symbol: 'none', data: nullHi.map((x, i) => [i + 1, x]) });
    }
    charts.noise.setOption({ animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 60, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'value', name: 'rank', min: 1 }, yAxis: { type: 'log', name: 'explained variance' }, series }, true);
    const facts = ['participationRatio', 'effectiveRank', 'pValue', 'statistic', 'test'].filter(k => v[k] !== undefined)
      .map(k => `${k}: ${typeof v[k] === 'number' ? fmt(v[k], 4) : esc(JSON.stringify(v[k]))}`);
    document.getElementById('noise-info').textContent = `${r.analysis} at step ${(r.steps || []).join(',')}` + (facts.length ? ' · ' + facts.join(' · ') : '');
  }

  // ---------- plugged-in analyses ----------
  const cellText = x => x === null || x === undefined ? '' : typeof x === 'number' ? fmt(x, 4)
    : typeof x === 'object' ? esc(JSON.stringify(x).slice(0, 120)) : esc(x);
  const where = r => [r.cut, r.probeSet, (r.steps || []).join(',')].filter(x => x).join(' · ') || '–';

  function tableOf(results) {
    const out = [];
    results.forEach(r => {
      const v = r.values || {};
      let columns, rows;
      if (Array.isArray(v.columns) && Array.isArray(v.rows)) { columns = v.columns; rows = v.rows; }
      else if (Array.isArray(v.rows) && v.rows.length && typeof v.rows[0] === 'object') {
        columns = uniq(v.rows.flatMap(Object.keys)); rows = v.rows.map(o => columns.map(c => o[c]));
      } else {
        const arrays = Object.entries(v).filter(([, a]) => Array.isArray(a));
        columns = arrays.map(([k]) => k);
        const n = Math.max(0, ...arrays.map(([, a]) => a.length));
        rows = [...Array(n).keys()].map(i => arrays.map(([, a]) => a[i]));
      }
      out.push(`<p class="muted">${esc(where(r))}</p><table class="plugin-table"><thead><tr>${columns.map(c => `<th>${esc(c)}</th>`).join('')}</tr></thead>`
        + `<tbody>${rows.map(row => `<tr>${row.map(x => `<td>${cellText(x)}</td>`).join('')}</tr>`).join('')}</tbody></table>`);
    });
    return out.join('');
  }

  function seriesOf(results) {
    const lines = [];
    results.forEach(r => {
      const v = r.values || {};
      const label = where(r);
      const pairs = (xs, ys) => ys.map((y, i) => [xs ? xs[i] : i, y]);
      if (Array.isArray(v.y)) lines.push({ name: label, data: pairs(v.x, v.y) });
      if (v.series && typeof v.series === 'object') Object.entries(v.series).forEach(([k, ys]) => {
        if (Array.isArray(ys)) lines.push({ name: label + ' · ' + k, data: Array.isArray(ys[0]) ? ys : pairs(v.x, ys) });
      });
      if (!Array.isArray(v.y) && !v.series) Object.entries(v).forEach(([k, ys]) => {
        if (k !== 'x' && Array.isArray(ys) && ys.every(y => typeof y === 'number')) lines.push({ name: label + ' · ' + k, data: pairs(v.x, ys) });
      });
    });
    return lines;
  }

  function renderPlugins() {
    const byAnalysis = new Map();
    S.stats.forEach(s => {
      if (s.analysis === KDE || isNoise(s)) return;
      const l = byAnalysis.get(s.analysis) || [];
      l.push(s);
      byAnalysis.set(s.analysis, l);
    });
    const el = document.getElementById('plugins');
    if (!byAnalysis.size) { el.innerHTML = '<div class="empty">No other analysis results for this run yet.</div>'; return; }
    const names = [...byAnalysis.keys()].sort();
    // one container per analysis for the page's life (ids never move to another analysis)
    names.forEach(n => { if (!pluginIds.has(n)) pluginIds.set(n, 'plugin-' + pluginIds.size); });
    const ids = pluginIds;
    // keep chart containers across renders (ECharts instances live on them)
    names.forEach(name => {
      const id = ids.get(name);
      if (!document.getElementById(id)) {
        const div = document.createElement('div');
        div.id = id; div.className = 'plugin'; div.dataset.analysis = name;
        el.querySelector('.empty') && el.querySelector('.empty').remove();
        el.appendChild(div);
      }
    });
    names.forEach(name => {
      const results = byAnalysis.get(name).slice().sort((a, b) => where(a).localeCompare(where(b)));
      const shape = results[0].shape || 'scalar';
      const box = document.getElementById(ids.get(name));
      box.dataset.shape = shape;
      const title = `<h3 style="font-size:14px;margin:.8rem 0 .3rem">${esc(name)} <span class="muted" style="font-weight:400">(${esc(shape)})</span></h3>`;
      if (shape === 'series') {
        const lines = seriesOf(results);
        if (!box.querySelector('.chart')) box.innerHTML = title + '<div class="chart small"></div>';
        const c = box.querySelector('.chart');
        c.dataset.points = lines.reduce((n, l) => n + l.data.length, 0);
        const inst = echarts.getInstanceByDom(c) || chart(c);
        inst.setOption({ animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 30, bottom: 30 },
          xAxis: { type: 'value', scale: true }, yAxis: { type: 'value', scale: true }, series: lines.map(l => ({ name: l.name, type: 'line', data: l.data })) }, true);
      } else if (shape === 'table') {
        box.innerHTML = title + tableOf(results);
      } else {
        const keys = uniq(results.flatMap(r => Object.keys(r.values || {})));
        box.innerHTML = title + `<table class="plugin-table"><thead><tr><th>where</th>${keys.map(k => `<th>${esc(k)}</th>`).join('')}</tr></thead><tbody>`
          + results.map(r => `<tr><td>${esc(where(r))}</td>${keys.map(k => `<td>${cellText((r.values || {})[k])}</td>`).join('')}</tr>`).join('') + '</tbody></table>';
      }
    });
  }

  function renderAll() {
    renderHeader(); renderCurves(); renderHeatmap(); renderTc(); renderCorruptions(); renderKde(); renderNoise(); renderPlugins();
  }
  const renderSoon = throttle(renderAll, 200);

  // ---------- folding ----------
  const addCell = c => S.cells.set(cellKey(c), c);
  const addStats = s => S.stats.set(statsKey(s), s);
  function onEvent(e) {
    const d = e.data || {};
    const r = S.run || (S.run = { runId, status: 'RUNNING' });
    switch (e.type) {
      case 'io.splicelab.run.progress':
        // the event's accuracy is the training minibatch's: the API's trainBatchAccuracy
        S.progress.set(d.step, Object.assign({ trainBatchAccuracy: d.accuracy }, d));
        if (r.step === null || r.step === undefined || d.step >= r.step) Object.assign(r, { step: d.step, totalSteps: d.totalSteps,
          loss: d.loss, trainBatchAccuracy: d.accuracy, imagesPerSecond: d.imagesPerSecond });
        if (r.status === 'REQUESTED') r.status = 'RUNNING';
        break;
      case 'io.splicelab.run.started':
        if (r.status === 'REQUESTED') r.status = 'RUNNING';
        if (d.config) { r.config = r.config || d.config; r.totalSteps = d.config.steps; }
        break;
      case 'io.splicelab.run.completed': r.status = 'COMPLETED'; r.step = d.steps; r.totalSteps = d.steps;
        if (d.finalTestAccuracy !== undefined && d.finalTestAccuracy !== null) { r.testAccuracy = d.finalTestAccuracy; r.testSamples = d.finalTestSamples; }
        break;
      case 'io.splicelab.run.failed': r.status = 'FAILED'; r.failure = d.reason; break;
      case 'io.splicelab.run.cancelled': if (!['COMPLETED', 'FAILED'].includes(r.status)) r.status = 'CANCELLED'; break;
      case 'io.splicelab.checkpoint.created': S.checkpoints.set(d.step, Object.assign({ trainBatchAccuracy: d.trainAccuracy }, S.checkpoints.get(d.step), d)); break;
      case 'io.splicelab.checkpoint.imported': S.checkpoints.set(d.step, { step: d.step, index: d.index, imported: true }); break;
      case 'io.splicelab.hybrid.evaluated': addCell(d); break;
      case 'io.splicelab.hybrid.summary': S.summaries.set([d.cut, d.evalSet, d.bnMode].join('|'), d); break;
      case 'io.splicelab.hybrid.progress':
        r.grid = { status: d.status, cellsComputed: d.gridCellsComputed, cellsExpected: d.gridCellsExpected,
          checkpoints: d.checkpoints, step: d.step, stepCellsComputed: d.stepCellsComputed,
          stepCellsExpected: d.stepCellsExpected, reason: d.reason };
        break;
      case 'io.splicelab.stats.computed': addStats(d); break;
      default: return;
    }
    renderSoon();
  }

  async function load() {
    const base = `/api/runs/${encodeURIComponent(runId)}`;
    const [run, progress, grid, summaries, stats] = await Promise.all([api(base), api(base + '/progress'),
      api(base + '/hybrids'), api(base + '/summaries'), api(base + '/stats')]);
    S.run = Object.assign(run, S.run && S.run.step > (run.step || 0) ? { step: S.run.step } : {});
    progress.forEach(p => S.progress.set(p.step, p));
    run.checkpoints.forEach(c => S.checkpoints.set(c.step, c));
    grid.cells.forEach(addCell);
    summaries.summaries.forEach(s => S.summaries.set([s.cut, s.evalSet, s.bnMode].join('|'), s));
    stats.results.forEach(addStats);
    renderAll();
  }

  ['cut', 'evalSet', 'metric', 'bnMode', 'tc-lag', 'kde-cut', 'kde-step', 'kde-class'].forEach(id =>
    document.getElementById(id).addEventListener('change', renderAll));
  document.getElementById('ckpt-slider').addEventListener('input', (ev) => {
    sliderFollowsLatest = +ev.target.value === +ev.target.max;
    renderAll();
  });
  const message = (text, cls) => { const m = document.getElementById('action-message'); m.className = cls; m.textContent = text; };
  document.getElementById('cancel').addEventListener('click', async () => {
    try { await api(`/api/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST' }); message('cancel requested', 'notice'); }
    catch (e) { message(e.message, 'error'); }
  });
  document.getElementById('delete').addEventListener('click', async () => {
    if (!confirm('Delete run ' + runId + ' and its artifacts?')) return;
    try { await api(`/api/runs/${encodeURIComponent(runId)}`, { method: 'DELETE' }); location.href = '/'; }
    catch (e) { message(e.message, 'error'); }
  });

  load().then(() => follow(`/api/runs/${encodeURIComponent(runId)}/events`, onEvent, liveIndicator))
    .catch(e => { document.querySelector('main').insertAdjacentHTML('afterbegin', `<p class="error">${esc(e.message)}</p>`); });
})();
