// One run, live: curves, hybrid heat map with a checkpoint slider, TC curve, corruptions, KDE, noise spectrum
// and any plugged-in analysis (drawn by its declared shape). State is folded from the REST snapshots and then
// from the run's event stream; every fold is an upsert by natural key, so replays change nothing.
'use strict';
(() => {
  const { api, follow, liveIndicator, throttle, fmt, esc, param, statusBadge, progressBar, chart, gridLine, frame, axis,
    smooth, wrapTable, runOptions, orderCuts, tagChips, showChart } = SL;
  const runId = param('id');
  const KDE = 'class-overlap-tv';
  const S = { run: null, progress: new Map(), checkpoints: new Map(), cells: new Map(), summaries: new Map(), stats: new Map() };
  const charts = {};
  let sliderFollowsLatest = true;
  const pluginIds = new Map();
  let options = null; // GET /api/run-options: cut order per architecture
  let other = null; // the run the configuration is compared with

  /** Metrics whose colour scale is [0, 1] whatever the view; the others span 0 to the run's largest value. */
  const UNIT_METRICS = new Set(['accuracy', 'agreementDeep', 'agreementShallow', 'testAccuracy', 'trainBatchAccuracy']);
  /** A corrupted test subset: <corruption>-<severity>, as the splicer names them (fog-3). */
  const CORRUPTED = /^([a-z][a-z0-9_]*)-([1-5])$/;
  const cutsInOrder = cuts => orderCuts(cuts, S.run && S.run.config ? S.run.config.architecture : null, options);
  /** A checkpoint's training loss and accuracy, null where not measured (step 0: no batch was trained yet). */
  const measured = (c, k) => (c.step === 0 && !c[k]) ? null : c[k];

  const cellKey = c => [c.cut, c.evalSet, c.bnMode, c.shallowStep, c.deepStep].join('|');
  // the natural key of a result (docs/events stats.computed): its producer (source) too, so two plug-ins that use one
  // analysis name keep a result each
  const statsKey = s => [s.source || '', s.analysis, s.cut || '', s.probeSet || '', s.evalSet || '', s.bnMode || '',
    (s.steps || []).join(',')].join('|');
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
    document.getElementById('run-name').textContent = r.name || '';
    document.title = 'splicelab · ' + (r.name || runId);
    document.getElementById('run-tags').innerHTML = tagChips(r.tags);
    const notes = document.getElementById('run-notes');
    notes.hidden = !r.notes;
    notes.textContent = r.notes || '';
    const finished = ['COMPLETED', 'FAILED', 'CANCELLED'].includes(r.status);
    document.getElementById('cancel').hidden = finished;
    document.getElementById('run-status').innerHTML = statusBadge(r.status)
      + (r.cancelRequested && !finished ? ' <span id="cancel-pending" class="muted" style="font-size:13px">cancel requested</span>' : '');
    document.getElementById('group-link').innerHTML = (r.groupId
      ? `<a class="mono" style="font-size:13px" href="/group.html?id=${encodeURIComponent(r.groupId)}">group ${esc(r.groupId)}</a>` : '')
      + (r.experimentId ? ` <a id="experiment-link" class="mono" style="font-size:13px" href="/experiment.html?id=${encodeURIComponent(r.experimentId)}">experiment ${esc(r.experimentId)}</a>` : '');
    const cfg = r.config || {};
    document.getElementById('summary').innerHTML = [
      ['progress', progressBar(r.step, r.totalSteps)], ['loss', fmt(r.loss)], ['train batch accuracy', fmt(r.trainBatchAccuracy)],
      ['test accuracy', r.testAccuracy === null || r.testAccuracy === undefined ? '–'
        : `${fmt(r.testAccuracy)} <span class="muted">(final checkpoint, ${esc(r.testSamples)} test images)</span>`],
      ['img/s', fmt(r.imagesPerSecond, 0)],
      ['recoveries', `<span id="recoveries" title="steps whose loss or gradient was not finite, rolled back and replayed (docs/science.md section 8)">${r.recoveries === null || r.recoveries === undefined ? '–' : esc(r.recoveries)}</span>`], ['checkpoints', S.checkpoints.size], ['hybrid cells', `<output id="cell-count">${S.cells.size}</output>`],
      ['grid', `<output id="grid-line">${gridLine(r.grid)}</output>`],
      ['network', esc((cfg.architecture || '?') + ' ×' + (cfg.widthMultiplier || '?'))], ['dataset', esc(cfg.dataset || '?')],
      ['learning rate', esc(cfg.learningRate === undefined ? '?' : cfg.learningRate)], ['seed', esc(cfg.seed)],
      ['test images', esc(r.evalSubset || '?')],
      ['failure', esc(r.failure || '')]]
      .filter(([k, v]) => k !== 'failure' || v).map(([k, v]) => `<div><span>${k}</span>${v}</div>`).join('');
    document.getElementById('csv').href = `/api/runs/${encodeURIComponent(runId)}/hybrids?format=csv`;
  }

  // ---------- training curves ----------
  /**
   * Test accuracy over training: the checkpoints' own when they carry it, else the diagonal of the hybrid grid on
   * the test set (H(k -> k) is checkpoint k), of the first cut, BatchNorm carry when present.
   */
  function testAccuracy() {
    const own = [...S.checkpoints.values()].filter(c => typeof c.testAccuracy === 'number');
    if (own.length) return own.map(c => [c.step, c.testAccuracy]).sort((a, b) => a[0] - b[0]);
    const diag = [...S.cells.values()].filter(c => c.evalSet === 'test' && c.shallowStep === c.deepStep
      && c.metrics && typeof c.metrics.accuracy === 'number');
    if (!diag.length) return [];
    const bns = uniq(diag.map(c => c.bnMode));
    const bn = bns.includes('carry') ? 'carry' : bns.sort()[0];
    const cut = cutsInOrder(uniq(diag.filter(c => c.bnMode === bn).map(c => c.cut)))[0];
    return diag.filter(c => c.bnMode === bn && c.cut === cut).map(c => [c.deepStep, c.metrics.accuracy]).sort((a, b) => a[0] - b[0]);
  }

  function renderCurves() {
    const points = [...S.progress.values()].sort((a, b) => a.step - b.step);
    const ckpts = [...S.checkpoints.values()].sort((a, b) => a.step - b.step);
    const test = testAccuracy();
    const w = +document.getElementById('smoothing').value;
    const el = document.getElementById('curves');
    el.dataset.points = points.length + ckpts.length;
    charts.curves = charts.curves || chart(el);
    const sym = points.length < 40;
    const loss = points.map(p => [p.step, p.loss]), acc = points.map(p => [p.step, p.trainBatchAccuracy]);
    const series = [
      { name: 'loss', type: 'line', showSymbol: sym, data: smooth(loss, w) },
      { name: 'train accuracy (batch)', type: 'line', yAxisIndex: 1, showSymbol: sym, data: smooth(acc, w) },
      { name: 'train accuracy (checkpoint)', type: 'scatter', yAxisIndex: 1, symbolSize: 8,
        data: ckpts.map(c => [c.step, measured(c, 'trainBatchAccuracy')]).filter(d => d[1] !== null && d[1] !== undefined) },
      { name: 'test accuracy', type: 'line', yAxisIndex: 1, symbol: 'diamond', symbolSize: 7, data: test }];
    if (w > 0) {
      const faint = { type: 'line', showSymbol: false, lineStyle: { width: 1, opacity: .3 }, silent: true };
      series.push(Object.assign({ name: 'loss (raw)', color: SL.PALETTE[0], data: loss }, faint));
      series.push(Object.assign({ name: 'train accuracy (raw)', color: SL.PALETTE[1], yAxisIndex: 1, data: acc }, faint));
    }
    const o = frame({ legend: true, rightAxis: true, zoom: true });
    o.legend.data = series.slice(0, 4).map(x => x.name);
    charts.curves.setOption(Object.assign(o, { tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 4) },
      // ticks a little lower than usual: the right axis's lowest label sits at the x axis's right end
      xAxis: axis('step', { min: 0, max: (S.run && S.run.totalSteps) || undefined, nameGap: 30, axisLabel: { margin: 12 } }),
      yAxis: [axis('loss', { scale: true }, 'left'), axis('accuracy', { min: 0, max: 1 }, 'right')],
      series }), true);
    el.csvData = () => ({ header: ['step', 'loss', 'trainAccuracyBatch', 'learningRate', 'checkpointTrainLoss', 'checkpointTrainAccuracy', 'testAccuracy'],
      rows: uniq([...points.map(p => p.step), ...ckpts.map(c => c.step), ...test.map(t => t[0])]).sort(byNum).map(step => {
        const p = S.progress.get(step), c = S.checkpoints.get(step), t = test.find(x => x[0] === step);
        return [step, p ? p.loss : '', p ? p.trainBatchAccuracy : '', p ? p.learningRate : '', c ? measured(c, 'trainLoss') : '',
          c ? measured(c, 'trainBatchAccuracy') : '', t ? t[1] : ''];
      }) });
    renderTestAndLr(points, ckpts, test);
  }

  function renderTestAndLr(points, ckpts, test) {
    const el = document.getElementById('test-curve');
    const train = ckpts.map(c => [c.step, measured(c, 'trainBatchAccuracy')]).filter(d => d[1] !== null && d[1] !== undefined);
    el.dataset.points = test.length;
    document.getElementById('test-empty').hidden = test.length > 0;
    charts.test = charts.test || chart(el);
    showChart(el, test.length > 0);
    const classes = S.run && S.run.config && S.run.config.dataset === 'cifar100' ? 100 : 10;
    charts.test.setOption(Object.assign(frame({ legend: true, zoom: true }), {
      tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 4) },
      xAxis: axis('step', { min: 0, max: (S.run && S.run.totalSteps) || undefined }), yAxis: axis('accuracy', { min: 0, max: 1 }, 'left'),
      series: [{ name: 'test accuracy', type: 'line', symbol: 'diamond', symbolSize: 7, data: test },
        { name: 'train accuracy (checkpoint)', type: 'line', lineStyle: { type: 'dashed' }, data: train },
        { name: 'chance', type: 'line', showSymbol: false, lineStyle: { type: 'dotted', color: '#9ca3af' }, itemStyle: { color: '#9ca3af' },
          data: test.length ? [[0, 1 / classes], [Math.max(test[test.length - 1][0], (S.run && S.run.totalSteps) || 0), 1 / classes]] : [] }] }), true);
    const lrEl = document.getElementById('lr');
    const lr = points.filter(p => typeof p.learningRate === 'number').map(p => [p.step, p.learningRate]);
    lrEl.dataset.points = lr.length;
    charts.lr = charts.lr || chart(lrEl);
    charts.lr.setOption(Object.assign(frame({ zoom: true }), { tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 5) },
      xAxis: axis('step', { min: 0, max: (S.run && S.run.totalSteps) || undefined }), yAxis: axis('learning rate', { min: 0 }, 'left'),
      series: [{ name: 'learning rate', type: 'line', step: 'end', showSymbol: lr.length < 40, data: lr }] }), true);
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
    fill(cut, cutsInOrder(uniq(cells.map(c => c.cut))), o => o[0]);
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
    showChart(el, shown.length > 0);
    const [lo, hi] = colourScale(metric.value);
    const labels = axis.length <= 8;
    // the CLI's orientation: step 0 at the top left, rows a (shallow) down, columns b (deep) across
    charts.heatmap.setOption(Object.assign(frame({ rightRoom: 70 }), {
      grid: { left: 70, right: 96, top: 50, bottom: 16 },
      tooltip: { formatter: p => `a=${axis[p.value[1]]} → b=${axis[p.value[0]]}<br>` + (p.seriesIndex === 1
        ? 'deep donor at chance: no relative accuracy' : `${esc(metric.value)}: ${fmt(p.value[2], 4)}`) },
      xAxis: SL.axis('deep part from step b', { type: 'category', data: axis.map(String), position: 'top', nameGap: 24 }),
      yAxis: SL.axis('shallow part from step a', { type: 'category', data: axis.map(String), inverse: true, nameGap: 52 }, 'left'),
      visualMap: { seriesIndex: 0, min: lo, max: hi, calculable: false, orient: 'vertical', right: 8, top: 'middle', itemHeight: 160, itemWidth: 14,
        precision: 2, text: [fmt(hi, 2), fmt(lo, 2)], showLabel: false, textGap: 6, textStyle: { fontSize: 11 },
        inRange: { color: ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] } },
      series: [{ type: 'heatmap', data: shown.map(c => {
        const v = c.metrics[metric.value];
        // white on the dark half of the scale, dark on the light half
        return { value: [axis.indexOf(c.deepStep), axis.indexOf(c.shallowStep), v], label: { color: (v - lo) / (hi - lo) > 0.55 ? '#fff' : '#111827' } };
      }), label: { show: labels, fontSize: 11, formatter: p => fmt(p.value[2], 2) } },
      { type: 'heatmap', name: 'deep donor at chance', itemStyle: { color: '#d5d5d5' },
        data: chance.map(c => ({ value: [axis.indexOf(c.deepStep), axis.indexOf(c.shallowStep), 0] })),
        label: { show: labels, fontSize: 11, formatter: () => 'chance', color: '#555' } }]
    }), true);
    el.csvData = () => ({ header: ['cut', 'evalSet', 'bnMode', 'metric', 'shallowStep', 'deepStep', 'value'],
      rows: shown.slice().sort((a, b) => a.shallowStep - b.shallowStep || a.deepStep - b.deepStep)
        .map(c => [c.cut, c.evalSet, c.bnMode, metric.value, c.shallowStep, c.deepStep, c.metrics[metric.value]]) });
  }

  /** The colour scale of a metric, the same in every view of the run: [0, 1] for accuracies, else 0 to the largest. */
  function colourScale(metric) {
    if (UNIT_METRICS.has(metric)) return [0, 1];
    let hi = 0, lo = 0;
    S.cells.forEach(c => {
      const v = c.metrics && c.metrics[metric];
      if (typeof v === 'number' && Number.isFinite(v)) { hi = Math.max(hi, v); lo = Math.min(lo, v); }
    });
    if (metric === 'relativeAccuracy') hi = Math.max(1, hi);
    return [lo, hi > lo ? hi : lo + 1];
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
    showChart(el, curves.length > 0);
    const ordered = cutsInOrder(curves.map(c => c.name)).map(n => curves.find(c => c.name === n));
    charts.tc.setOption(Object.assign(frame({ legend: true }), { tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 4) },
      xAxis: axis(unit === 'steps' ? 'lag b − a (steps)' : 'lag b − a (checkpoints)'), yAxis: axis('relative accuracy', { scale: true }, 'left'),
      series: ordered.map(c => ({ name: c.name, type: 'line', data: c.data }))
        .concat(ordered.filter(c => c.without).map(c => ({ name: c.name + ' without step 0', type: 'line',
          lineStyle: { type: 'dashed' }, data: c.without })))
    }), true);
    document.getElementById('tc-scores').innerHTML = ordered.filter(c => c.summary).map(c => tcScoreLine(c, unit)).join('<br>');
  }

  // ---------- corruptions ----------
  /** The corrupted test subsets (fog-3: fog at severity 3) of the latest checkpoint with any, diagonal cells. */
  function renderCorruptions() {
    const metric = document.getElementById('metric').value || 'accuracy';
    const bn = document.getElementById('bnMode').value;
    const cut = document.getElementById('cut').value;
    const diag = [...S.cells.values()].filter(c => c.shallowStep === c.deepStep && c.bnMode === bn
      && c.metrics && typeof c.metrics[metric] === 'number' && (!cut || c.cut === cut));
    const corrupted = diag.filter(c => CORRUPTED.test(c.evalSet));
    const el = document.getElementById('corruptions');
    const chartEl = document.getElementById('corruption-chart');
    if (!corrupted.length) {
      el.innerHTML = '<div class="empty">No corrupted evaluation sets in this run (sets named &lt;corruption&gt;-&lt;severity&gt;, e.g. fog-3).</div>';
      showChart(chartEl, false); chartEl.dataset.points = 0;
      return;
    }
    const step = Math.max(...corrupted.map(c => c.deepStep));
    const at = corrupted.filter(c => c.deepStep === step);
    const value = new Map(at.map(c => { const m = CORRUPTED.exec(c.evalSet); return [m[1] + '|' + m[2], c.metrics[metric]]; }));
    const names = uniq(at.map(c => CORRUPTED.exec(c.evalSet)[1])).sort();
    const sv = uniq(at.map(c => +CORRUPTED.exec(c.evalSet)[2])).sort(byNum);
    const clean = diag.find(c => c.evalSet === 'test' && c.deepStep === step);
    el.innerHTML = `<p class="muted">${esc(metric)} of checkpoint ${step} (diagonal cells, cut ${esc(cut)}, BatchNorm ${esc(bn)}) by corruption and severity`
      + (clean ? `; clean test set: ${fmt(clean.metrics[metric])}` : '') + '</p>'
      + wrapTable(`<table id="corruption-table"><thead><tr><th>corruption</th>${sv.map(x => `<th>severity ${x}</th>`).join('')}</tr></thead><tbody>`
      + names.map(name => `<tr><td>${esc(name)}</td>${sv.map(x => `<td>${fmt(value.get(name + '|' + x))}</td>`).join('')}</tr>`).join('')
      + '</tbody></table>');
    charts.corruptions = charts.corruptions || chart(chartEl);
    showChart(chartEl, true);
    chartEl.dataset.points = at.length;
    const series = names.map(name => ({ name, type: 'line', data: [...(clean ? [[0, clean.metrics[metric]]] : []),
      ...sv.filter(x => value.has(name + '|' + x)).map(x => [x, value.get(name + '|' + x)])] }));
    const unit = UNIT_METRICS.has(metric);
    charts.corruptions.setOption(Object.assign(frame({ legend: true }), { tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 4) },
      xAxis: axis('severity (0: clean test set)', { min: 0, max: 5, interval: 1 }),
      yAxis: axis(metric, unit ? { min: 0, max: 1 } : { scale: true }, 'left'), series }), true);
    chartEl.csvData = () => ({ header: ['step', 'corruption', 'severity', metric],
      rows: names.flatMap(name => sv.filter(x => value.has(name + '|' + x)).map(x => [step, name, x, value.get(name + '|' + x)])) });
  }

  // ---------- KDE / class overlap ----------
  function renderKde() {
    const results = [...S.stats.values()].filter(s => s.analysis === KDE);
    document.getElementById('kde-empty').hidden = results.length > 0;
    const cutSel = document.getElementById('kde-cut'), stepSel = document.getElementById('kde-step'), clsSel = document.getElementById('kde-class');
    fill(cutSel, cutsInOrder(uniq(results.map(r => r.cut || ''))), o => o[0]);
    const ofCut = results.filter(r => (r.cut || '') === cutSel.value);
    const steps = uniq(ofCut.map(r => (r.steps || []).join(','))).sort((a, b) => +a.split(',')[0] - +b.split(',')[0]);
    fill(stepSel, steps, o => o[o.length - 1]);
    const current = ofCut.find(r => (r.steps || []).join(',') === stepSel.value);
    const v = (current && current.values) || {};
    const densities = v.densities && typeof v.densities === 'object' ? v.densities : null;
    fill(clsSel, densities ? ['all', ...Object.keys(densities)] : ['all'], o => o[0]);
    // densities (when the analysis ships them): one grid per class, rows over PC1, columns over PC2
    const el = document.getElementById('kde');
    charts.kde = charts.kde || chart(el);
    showChart(el, results.length > 0);
    const ev = Array.isArray(v.explainedVariance) ? v.explainedVariance : null;
    const pcName = i => `PC${i + 1}` + (ev && typeof ev[i] === 'number' ? ` (${(100 * ev[i]).toFixed(0)}% of variance)` : '');
    if (densities) {
      const all = Object.keys(densities);
      const classes = clsSel.value === 'all' ? all : [clsSel.value];
      const n = (densities[all[0]] || []).length;
      const lo = Array.isArray(v.gridLo) ? v.gridLo : [0, 0], hi = Array.isArray(v.gridHi) ? v.gridHi : [n - 1, n - 1];
      const axes = Array.isArray(v.densityAxes) && v.densityAxes.length === 2 ? v.densityAxes
        : [0, 1].map(a => [...Array(n).keys()].map(i => n > 1 ? lo[a] + (hi[a] - lo[a]) * i / (n - 1) : lo[a]));
      // each grid point in the colour of the class densest there, as opaque as that density is high
      const byClass = new Map(all.map(k => [k, []]));
      let max = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let best = null, d = 0;
        classes.forEach(k => { const x = ((densities[k] || [])[i] || [])[j] || 0; if (best === null || x > d) { best = k; d = x; } });
        if (best === null) continue;
        byClass.get(best).push([axes[0][i], axes[1][j], d]);
        max = Math.max(max, d);
      }
      el.dataset.points = n * n;
      const o = frame({ title: 'class densities on the top two principal components', legend: true, rightRoom: 70 });
      // a cell's size in data units; drawn in pixels by ECharts at every layout (custom series), so it fits any width
      const cell = a => n > 1 ? (Math.max(...axes[a]) - Math.min(...axes[a])) / (n - 1) : 1;
      const cw = cell(0), ch = cell(1);
      // each point is the centre of a cell: the axes reach half a cell beyond the first and last
      const span = a => { const lo = Math.min(...axes[a]), hi = Math.max(...axes[a]), half = n > 1 ? (hi - lo) / (n - 1) / 2 : 0.5;
        return [+(lo - half).toPrecision(6), +(hi + half).toPrecision(6)]; };
      charts.kde.setOption(Object.assign(o, {
        tooltip: { formatter: p => `class ${esc(p.seriesName)}<br>PC1 ${fmt(p.data[0])}, PC2 ${fmt(p.data[1])}<br>density ${fmt(p.data[2], 4)}` },
        xAxis: axis(pcName(0), { min: span(0)[0], max: span(0)[1], splitLine: { show: false } }),
        yAxis: axis(pcName(1), { min: span(1)[0], max: span(1)[1], splitLine: { show: false } }, 'left'),
        visualMap: { type: 'continuous', dimension: 2, min: 0, max: Math.max(max, 1e-12), seriesIndex: all.map((_, i) => i),
          calculable: false, orient: 'vertical', right: 8, top: 'middle', itemHeight: 140, itemWidth: 14, text: ['dense', 'sparse'],
          textStyle: { fontSize: 11 }, inRange: { opacity: [0.06, 1] }, controller: { inRange: { color: ['#f3f4f6', '#374151'] } } },
        series: all.map((k, i) => ({ name: k, type: 'custom', clip: true, color: SL.PALETTE[i % SL.PALETTE.length],
          encode: { x: 0, y: 1, tooltip: [0, 1, 2] },
          renderItem: (params, api) => {
            const [x, y] = api.coord([api.value(0), api.value(1)]);
            const [w, h] = api.size([cw, ch]);
            return { type: 'rect', shape: { x: x - w / 2, y: y - h / 2, width: w + 0.5, height: h + 0.5 },
              style: { fill: SL.PALETTE[i % SL.PALETTE.length], opacity: api.visual('opacity') } };
          },
          data: byClass.get(k) }))
      }), true);
      el.csvData = () => ({ header: ['class', 'pc1', 'pc2', 'density'], rows: all.flatMap(k =>
        (densities[k] || []).flatMap((row, i) => row.map((d, j) => [k, axes[0][i], axes[1][j], d]))) });
    } else {
      // per-class data without the density grids: class sizes and bandwidth factors
      const classes = (v.classes || []).map(String);
      const data = classes.map(c => [(v.classSizes || {})[c] || 0, (v.factors || {})[c] || 0]);
      el.dataset.points = classes.length;
      charts.kde.setOption(Object.assign(frame({ title: 'per class: size and KDE bandwidth factor', legend: true, rightAxis: true }), {
        tooltip: { trigger: 'axis' }, xAxis: axis('class', { type: 'category', data: classes, nameGap: 30, axisLabel: { margin: 12 } }),
        yAxis: [axis('samples', {}, 'left'), axis('bandwidth factor', { scale: true }, 'right')],
        series: [{ name: 'samples', type: 'bar', data: data.map(d => d[0]) }, { name: 'bandwidth factor', type: 'line', yAxisIndex: 1, data: data.map(d => d[1]) }] }), true);
      el.csvData = null;
    }
    // mean TV distance between class densities over training, per cut
    const tvEl = document.getElementById('kde-tv');
    charts.kdeTv = charts.kdeTv || chart(tvEl);
    showChart(tvEl, results.length > 0);
    const byCut = new Map();
    results.forEach(r => {
      if (!r.values || r.values.meanTv === undefined) return;
      const l = byCut.get(r.cut || '') || [];
      l.push([(r.steps || [0])[(r.steps || [0]).length - 1], r.values.meanTv]);
      byCut.set(r.cut || '', l);
    });
    tvEl.dataset.points = [...byCut.values()].reduce((n, l) => n + l.length, 0);
    charts.kdeTv.setOption(Object.assign(frame({ title: 'class overlap: mean TV distance between class densities', legend: true }), {
      tooltip: { trigger: 'axis', valueFormatter: x => fmt(x, 4) }, xAxis: axis('step'), yAxis: axis('mean TV distance', { min: 0, max: 1 }, 'left'),
      series: cutsInOrder([...byCut.keys()]).map(cut => ({ name: cut || 'all', type: 'line', data: byCut.get(cut).sort((a, b) => a[0] - b[0]) })) }), true);
  }

  // ---------- noise spectrum ----------
  function renderNoise() {
    const results = [...S.stats.values()].filter(isNoise).sort((a, b) => ((a.steps || [0])[0] - (b.steps || [0])[0]));
    document.getElementById('noise-empty').hidden = results.length > 0;
    const el = document.getElementById('noise');
    if (!results.length) { el.dataset.points = 0; el.hidden = true; return; }
    el.hidden = false;
    const r = results[results.length - 1], v = r.values;
    const eig = v.eigenvalues;
    const total = eig.reduce((a, b) => a + b, 0) || 1;
    const explained = eig.map(x => x / total);
    // the isotropic null: per rank quantiles (Monte Carlo) or a flat line at trace/p
    let nullMid = null, nullLo = null, nullHi = null;
    const q = (v.spectrumNull && v.spectrumNull.rankQuantiles) || v.nullRankQuantiles;
    // the contract's series form has the lines under y ({name: [..]}); records before it had them under series
    const sq = (v.y && !Array.isArray(v.y) ? v.y : v.series) || {};
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
    showChart(el, true);
    const ranks = eig.map((_, i) => i + 1);
    const series = [{ name: 'observed', type: 'line', data: explained.map((x, i) => [ranks[i], x]) },
      { name: 'isotropic null', type: 'line', lineStyle: { type: 'dashed' }, data: nullMid.map((x, i) => [i + 1, x]) }];
    if (nullLo && nullHi) {
      series.push({ name: 'null 5%', type: 'line', lineStyle: { type: 'dotted', opacity: .5 }, symbol: 'none', data: nullLo.map((x, i) => [i + 1, x]) });
      series.push({ name: 'null 95%', type: 'line', lineStyle: { type: 'dotted', opacity: .5 }, symbol: 'none', data: nullHi.map((x, i) => [i + 1, x]) });
    }
    charts.noise.setOption(Object.assign(frame({ legend: true }), { tooltip: { trigger: 'axis', valueFormatter: x => fmt(x, 4) },
      xAxis: axis('rank', { min: 1 }), yAxis: axis('explained variance', { type: 'log', axisLabel: { formatter: SL.tick } }, 'left'), series }), true);
    const facts = ['participationRatio', 'effectiveRank', 'pValue', 'statistic', 'test'].filter(k => v[k] !== undefined)
      .map(k => `${k}: ${typeof v[k] === 'number' ? fmt(v[k], 4) : esc(JSON.stringify(v[k]))}`);
    document.getElementById('noise-info').textContent = `${r.analysis} at step ${(r.steps || []).join(',')}` + (facts.length ? ' · ' + facts.join(' · ') : '');
  }

  // ---------- plugged-in analyses ----------
  const cellText = x => x === null || x === undefined ? '' : typeof x === 'number' ? fmt(x, 4)
    : typeof x === 'object' ? esc(JSON.stringify(x).slice(0, 120)) : esc(x);
  const where = r => [r.cut, r.probeSet, r.evalSet, r.bnMode, (r.steps || []).join(',')].filter(x => x).join(' · ') || '–';

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
      out.push(`<p class="muted">${esc(where(r))}</p>` + wrapTable(`<table class="plugin-table"><thead><tr>${columns.map(c => `<th>${esc(c)}</th>`).join('')}</tr></thead>`
        + `<tbody>${rows.map(row => `<tr>${row.map(x => `<td>${cellText(x)}</td>`).join('')}</tr>`).join('')}</tbody></table>`));
    });
    return out.join('');
  }

  function seriesOf(results) {
    const lines = [];
    results.forEach(r => {
      const v = r.values || {};
      const label = where(r);
      const pairs = (xs, ys) => ys.map((y, i) => [xs ? xs[i] : i, y]);
      const named = m => Object.entries(m).forEach(([k, ys]) => {
        if (Array.isArray(ys)) lines.push({ name: label + ' · ' + k, data: Array.isArray(ys[0]) ? ys : pairs(v.x, ys) });
      });
      // the contract (docs/events stats.computed): y is {name: [..]}, one line per name; a bare array is one line
      if (Array.isArray(v.y)) lines.push({ name: label, data: pairs(v.x, v.y) });
      else if (v.y && typeof v.y === 'object') named(v.y);
      if (v.series && typeof v.series === 'object') named(v.series);
      if (!v.y && !v.series) Object.entries(v).forEach(([k, ys]) => {
        if (k !== 'x' && Array.isArray(ys) && ys.every(y => typeof y === 'number')) lines.push({ name: label + ' · ' + k, data: pairs(v.x, ys) });
      });
    });
    return lines;
  }

  function renderPlugins() {
    const byAnalysis = new Map();
    S.stats.forEach(s => {
      if (s.analysis === KDE || isNoise(s)) return;
      // one box per analysis and producer: two plug-ins that use one name are shown apart, each with its source
      const name = s.source ? s.analysis + ' · ' + s.source : s.analysis;
      const l = byAnalysis.get(name) || [];
      l.push(s);
      byAnalysis.set(name, l);
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
        const first = byAnalysis.get(name)[0];
        div.id = id; div.className = 'plugin'; div.dataset.analysis = first.analysis; div.dataset.source = first.source || '';
        el.querySelector('.empty') && el.querySelector('.empty').remove();
        el.appendChild(div);
      }
    });
    names.forEach(name => {
      const results = byAnalysis.get(name).slice().sort((a, b) => where(a).localeCompare(where(b)));
      const shape = results[0].shape || 'scalar';
      const box = document.getElementById(ids.get(name));
      box.dataset.shape = shape;
      const title = `<h3>${esc(name)} <span class="muted" style="font-weight:400">(${esc(shape)})</span></h3>`;
      if (shape === 'series') {
        const lines = seriesOf(results);
        if (!box.querySelector('.chart')) box.innerHTML = title + '<div class="chart small"></div>';
        const c = box.querySelector('.chart');
        c.dataset.points = lines.reduce((n, l) => n + l.data.length, 0);
        const inst = echarts.getInstanceByDom(c) || chart(c);
        const v0 = results[0].values || {};
        inst.setOption(Object.assign(frame({ legend: true, zoom: true }), { tooltip: { trigger: 'axis', valueFormatter: x => fmt(x, 4) },
          xAxis: axis(typeof v0.xName === 'string' ? v0.xName : 'x', { scale: true }),
          yAxis: axis(typeof v0.yName === 'string' ? v0.yName : 'value', { scale: true }, 'left'),
          series: lines.map(l => ({ name: l.name, type: 'line', data: l.data })) }), true);
      } else if (shape === 'table') {
        box.innerHTML = title + tableOf(results);
      } else {
        const keys = uniq(results.flatMap(r => Object.keys(r.values || {})));
        box.innerHTML = title + wrapTable(`<table class="plugin-table"><thead><tr><th>where</th>${keys.map(k => `<th>${esc(k)}</th>`).join('')}</tr></thead><tbody>`
          + results.map(r => `<tr><td>${esc(where(r))}</td>${keys.map(k => `<td>${cellText((r.values || {})[k])}</td>`).join('')}</tr>`).join('') + '</tbody></table>');
      }
    });
  }

  // ---------- configuration, and its diff with another run ----------
  const flatConfig = SL.flatConfig;

  function renderConfig() {
    const mine = flatConfig(S.run && S.run.config);
    const theirs = other ? flatConfig(other.config) : null;
    const only = document.getElementById('only-diff').checked;
    const keys = uniq([...mine.keys(), ...(theirs ? theirs.keys() : [])]).sort();
    const el = document.getElementById('config');
    if (!keys.length) { el.innerHTML = '<div class="empty">No configuration known for this run.</div>'; return; }
    const rows = keys.map(k => ({ k, a: mine.has(k) ? mine.get(k) : '', b: theirs ? (theirs.has(k) ? theirs.get(k) : '') : null }))
      .map(r => Object.assign(r, { differs: theirs !== null && r.a !== r.b }));
    if (!theirs) {
      el.innerHTML = `<div id="config-table" class="config-grid">${rows.map(r =>
        `<div><span class="mono">${esc(r.k)}</span> ${r.a === '' ? '<i class="muted">–</i>' : esc(r.a)}</div>`).join('')}</div>`;
      return;
    }
    const shown = only ? rows.filter(r => r.differs) : rows;
    const head = theirs ? `<tr><th>field</th><th>this run</th><th>${esc(SL.runLabel(other))}</th></tr>` : '<tr><th>field</th><th>value</th></tr>';
    el.innerHTML = (theirs ? `<p class="muted">${rows.filter(r => r.differs).length} of ${rows.length} fields differ</p>` : '')
      + wrapTable(`<table id="config-table" class="config-table"><thead>${head}</thead><tbody>`
      + shown.map(r => `<tr class="${r.differs ? 'differs' : ''}"><td class="mono">${esc(r.k)}</td><td>${esc(r.a)}</td>${theirs ? `<td>${esc(r.b)}</td>` : ''}</tr>`).join('')
      + '</tbody></table>');
  }

  async function loadComparable() {
    const sel = document.getElementById('compare');
    const runs = await api('/api/runs?size=500');
    sel.innerHTML = '<option value="">(another run)</option>' + runs.filter(r => r.runId !== runId)
      .map(r => `<option value="${esc(r.runId)}">${esc(r.name ? r.name + ' · ' + r.runId : r.runId)}</option>`).join('');
    const wanted = param('compare');
    if (wanted && runs.some(r => r.runId === wanted)) { sel.value = wanted; await compareWith(wanted); }
  }

  async function compareWith(id) {
    other = id ? await api('/api/runs/' + encodeURIComponent(id)) : null;
    renderConfig();
  }

  // ---------- name, tags, notes ----------
  function openLabels() {
    const f = document.getElementById('labels-form');
    f.hidden = !f.hidden;
    if (f.hidden) return;
    const r = S.run || {};
    document.getElementById('label-name').value = r.name || '';
    document.getElementById('label-tags').value = (r.tags || []).join(', ');
    document.getElementById('label-notes').value = r.notes || '';
    document.getElementById('labels-token').value = SL.token();
  }

  async function saveLabels(ev) {
    ev.preventDefault();
    const msg = document.getElementById('labels-message');
    const t = document.getElementById('labels-token').value.trim();
    if (t) SL.setToken(t);
    const body = { name: document.getElementById('label-name').value.trim() || null,
      tags: document.getElementById('label-tags').value.split(',').map(x => x.trim()).filter(x => x),
      notes: document.getElementById('label-notes').value.trim() ? document.getElementById('label-notes').value : null };
    try {
      const labels = await api(`/api/runs/${encodeURIComponent(runId)}`, { method: 'PATCH', body, contentType: 'application/merge-patch+json' });
      Object.assign(S.run, labels);
      msg.className = 'notice'; msg.textContent = 'saved';
      document.getElementById('labels-form').hidden = true;
      renderHeader();
    } catch (e) {
      msg.className = 'error';
      msg.textContent = e.message;
    }
  }

  function renderAll() {
    renderHeader(); renderConfig(); renderCurves(); renderHeatmap(); renderTc(); renderCorruptions(); renderKde(); renderNoise(); renderPlugins();
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
          loss: d.loss, trainBatchAccuracy: d.accuracy, imagesPerSecond: d.imagesPerSecond,
          recoveries: Math.max(r.recoveries || 0, d.recoveries || 0) });
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
      case 'io.splicelab.run.cancel-requested': r.cancelRequested = true; break;
      case 'io.splicelab.checkpoint.created': S.checkpoints.set(d.step, Object.assign({ trainBatchAccuracy: d.trainAccuracy }, S.checkpoints.get(d.step), d)); break;
      case 'io.splicelab.checkpoint.imported': S.checkpoints.set(d.step, { step: d.step, index: d.index, imported: true }); break;
      case 'io.splicelab.hybrid.evaluated': addCell(d); break;
      case 'io.splicelab.hybrid.summary': S.summaries.set([d.cut, d.evalSet, d.bnMode].join('|'), d); break;
      case 'io.splicelab.hybrid.progress':
        r.grid = { status: d.status, cellsComputed: d.gridCellsComputed, cellsExpected: d.gridCellsExpected,
          checkpoints: d.checkpoints, step: d.step, stepCellsComputed: d.stepCellsComputed,
          stepCellsExpected: d.stepCellsExpected, reason: d.reason };
        break;
      case 'io.splicelab.stats.computed': addStats(Object.assign({}, d, { source: e.source })); break;
      default: return;
    }
    renderSoon();
  }

  async function load() {
    const base = `/api/runs/${encodeURIComponent(runId)}`;
    const [run, progress, grid, summaries, stats, opts] = await Promise.all([api(base), api(base + '/progress'),
      api(base + '/hybrids'), api(base + '/summaries'), api(base + '/stats'), runOptions().catch(() => null)]);
    options = opts;
    S.run = Object.assign(run, S.run && S.run.step > (run.step || 0) ? { step: S.run.step } : {});
    progress.forEach(p => S.progress.set(p.step, p));
    run.checkpoints.forEach(c => S.checkpoints.set(c.step, c));
    grid.cells.forEach(addCell);
    summaries.summaries.forEach(s => S.summaries.set([s.cut, s.evalSet, s.bnMode].join('|'), s));
    stats.results.forEach(addStats);
    renderAll();
  }

  window.addEventListener('resize', () => renderSoon()); // the KDE's cells are sized to the chart
  document.getElementById('edit-labels').addEventListener('click', openLabels);
  document.getElementById('labels-form').addEventListener('submit', saveLabels);
  document.getElementById('compare').addEventListener('change', ev => compareWith(ev.target.value).catch(e => message(e.message, 'error')));
  document.getElementById('only-diff').addEventListener('change', renderConfig);
  ['cut', 'evalSet', 'metric', 'bnMode', 'tc-lag', 'kde-cut', 'kde-step', 'kde-class', 'smoothing'].forEach(id =>
    document.getElementById(id).addEventListener('change', renderAll));
  document.getElementById('ckpt-slider').addEventListener('input', (ev) => {
    sliderFollowsLatest = +ev.target.value === +ev.target.max;
    renderAll();
  });
  const message = (text, cls) => { const m = document.getElementById('action-message'); m.className = cls; m.textContent = text; };
  document.getElementById('cancel').addEventListener('click', async () => {
    try {
      await api(`/api/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST' });
      message('cancel requested: the trainer confirms', 'notice');
      if (S.run) { S.run.cancelRequested = true; renderHeader(); }
    }
    catch (e) { message(e.message, 'error'); }
  });
  document.getElementById('delete').addEventListener('click', async () => {
    if (!confirm('Delete run ' + runId + ' and its artifacts?')) return;
    try { await api(`/api/runs/${encodeURIComponent(runId)}`, { method: 'DELETE' }); location.href = '/'; }
    catch (e) { message(e.message, 'error'); }
  });

  load().then(() => { loadComparable().catch(e => message(e.message, 'error')); return follow(`/api/runs/${encodeURIComponent(runId)}/events`, onEvent, liveIndicator); })
    .catch(e => { document.querySelector('main').insertAdjacentHTML('afterbegin', `<p class="error">${esc(e.message)}</p>`); });
})();
