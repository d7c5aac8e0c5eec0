// Draws the report's charts from the JSON block above (written by io.evoprune.report.HtmlReport), then marks
// the root element with the number drawn so a headless browser can tell that rendering finished.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('evoprune-data').textContent);
  const blue = '#2563eb', orange = '#ea7a1a', green = '#16a34a', grey = '#9aa3b2', red = '#dc2626';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif';
  Chart.defaults.plugins.title.display = true;
  Chart.defaults.plugins.title.font = { size: 13, weight: '600' };

  let drawn = 0;
  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (canvas) {
      new Chart(canvas, config);
      // The drawn title, readable in the DOM (a canvas's pixels are not): what a check of the page can compare.
      canvas.dataset.title = ((config.options || {}).plugins || {}).title ? config.options.plugins.title.text : '';
      drawn++;
    }
  }
  const axis = (text, extra) => Object.assign({ title: { display: true, text: text } }, extra || {});
  const line = (label, values, color, extra) => Object.assign(
    { label: label, data: values, borderColor: color, backgroundColor: color, pointRadius: 2, borderWidth: 2,
      spanGaps: false }, extra || {});

  const gens = data.generations;
  const generation = gens.map(g => g.generation);

  draw('chart-fitness', {
    type: 'line',
    data: { labels: generation, datasets: [
      line('best', gens.map(g => g.bestFitness), blue),
      line('mean', gens.map(g => g.meanFitness), orange),
      line('worst', gens.map(g => g.worstFitness), grey, { borderDash: [4, 4], pointRadius: 0 })] },
    options: { plugins: { title: { text: 'Fitness per generation' } },
      scales: { x: axis('generation'), y: axis('fitness') } }
  });

  // With fitness.size other than units, the share the penalty measured is drawn beside the kept units.
  const size = data.summary && data.summary.search ? data.summary.search.fitnessSize : null;
  const sized = size && size !== 'units' ? [line('kept ' + (size === 'flops' ? 'multiply-adds' : size),
    gens.map(g => g.bestSizeFraction), green, { yAxisID: 'y1', borderDash: [4, 4] })] : [];
  // A regression records no accuracy: the metric its fitness was built on (read back by HtmlReport).
  const metric = data.metric || 'accuracy';
  const best = metric === 'accuracy' ? gens.map(g => g.bestAccuracy) : gens.map(g => g.bestMetric);
  draw('chart-best', {
    type: 'line',
    data: { labels: generation, datasets: [
      line('validation ' + metric, best, blue, { yAxisID: 'y' }),
      line('kept fraction', gens.map(g => g.bestKeptFraction), green, { yAxisID: 'y1' })].concat(sized) },
    options: { plugins: { title: { text: 'Best mask per generation' } },
      scales: { x: axis('generation'), y: axis(metric, { position: 'left' }),
        y1: axis('kept fraction', { position: 'right', min: 0, max: 1, grid: { drawOnChartArea: false } }) } }
  });

  draw('chart-evaluations', {
    type: 'bar',
    data: { labels: generation, datasets: [
      { label: 'evaluated', data: gens.map(g => g.evaluations - g.failed), backgroundColor: blue },
      { label: 'failed', data: gens.map(g => g.failed), backgroundColor: red },
      { label: 'cache hits', data: gens.map(g => g.cacheHits), backgroundColor: grey }] },
    options: { plugins: { title: { text: 'Evaluations per generation' } },
      scales: { x: axis('generation', { stacked: true }), y: axis('masks', { stacked: true, beginAtZero: true }) } }
  });

  if (data.bestMask) {
    const layers = data.bestMask.layers || [];
    draw('chart-layers', {
      type: 'bar',
      data: { labels: layers.map(l => (l.name || 'layer ' + l.layer) + ' (' + l.kept + '/' + l.units + ')'),
        datasets: [{ label: 'kept fraction', data: layers.map(l => l.units > 0 ? l.kept / l.units : 0),
          backgroundColor: green }] },
      options: { indexAxis: layers.length > 8 ? 'y' : 'x', plugins: { title: { text: 'Kept fraction per layer' },
        legend: { display: false } },
        scales: layers.length > 8 ? { x: axis('kept fraction', { min: 0, max: 1 }) }
          : { y: axis('kept fraction', { min: 0, max: 1 }) } }
    });
  }

  if (data.summary) {
    const metrics = ['accuracy', 'precision', 'recall', 'f1'];
    const labels = [];
    const base = [], pruned = [];
    ['validation', 'test'].forEach(split => metrics.forEach(m => {
      const b = ((data.summary.base || {})[split] || {})[m], p = ((data.summary.pruned || {})[split] || {})[m];
      if (typeof b === 'number' && typeof p === 'number') {
        labels.push(split + ' ' + m);
        base.push(b);
        pruned.push(p);
      }
    }));
    const values = base.concat(pruned);
    const floor = values.length > 0 ? Math.max(0, Math.floor(Math.min.apply(null, values) * 10) / 10 - 0.1) : 0;
    const kept = (data.summary.pruned || {}).parameters, all = (data.summary.base || {}).parameters;
    draw('chart-metrics', {
      type: 'bar',
      data: { labels: labels, datasets: [
        { label: 'base', data: base, backgroundColor: grey },
        { label: 'pruned', data: pruned, backgroundColor: blue }] },
      options: { plugins: { title: { text: typeof kept === 'number' && typeof all === 'number'
          ? 'Base vs pruned (' + kept.toLocaleString('en') + ' of ' + all.toLocaleString('en') + ' parameters kept)'
          : 'Base vs pruned' } },
        scales: { y: axis('score', { min: floor, max: 1 }) } }
    });
  }

  if (data.pareto.length > 0) {
    const pts = data.pareto;
    // The size the front is non-dominated in (pareto.size-objective); another only where points lack it.
    const names = { parametersKept: 'parameters', flops: 'FLOPs', keptFraction: 'kept fraction' };
    const field = [data.paretoSize, 'parametersKept', 'flops', 'keptFraction']
      .find(f => f in names && pts.every(p => typeof p[f] === 'number')) || 'keptFraction';
    const size = [field, names[field]];
    const xy = p => ({ x: p[size[0]], y: p.accuracy });
    const front = pts.filter(p => typeof p[size[0]] === 'number').map(xy).sort((a, b) => a.x - b.x);
    draw('chart-pareto', {
      type: 'scatter',
      data: { datasets: [
        { label: 'chosen', data: pts.filter(p => p.chosen === true).map(xy), backgroundColor: orange,
          borderColor: '#8a4500', pointRadius: 8, pointStyle: 'rectRot' },
        { label: 'front', data: front, showLine: true, borderColor: blue, backgroundColor: blue, pointRadius: 4 }] },
      options: { plugins: { title: { text: 'Pareto front: accuracy against ' + size[1] } },
        scales: { x: axis(size[1]), y: axis('validation accuracy') } }
    });
  }

  if (data.rebuild.length > 0) {
    draw('chart-rebuild', {
      type: 'bar',
      data: { labels: data.rebuild.map(r => r.label), datasets: [
        { label: 'rebuilt, % of base', data: data.rebuild.map(r => r.percent),
          backgroundColor: data.rebuild.map(r => r.percent <= 100 ? green : red) }] },
      options: { indexAxis: 'y', plugins: { title: { text: 'Rebuilt network, % of base (100% = no change)' },
        legend: { display: false } }, scales: { x: axis('% of base', { min: 0 }) } }
    });
  }

  document.documentElement.setAttribute('data-charts-rendered', String(drawn));
}());
