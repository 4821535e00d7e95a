/* The steering charts: every <canvas data-chart="ID"> is drawn with Chart.js from the spec with
   that id in the JSON of <script id="steering-charts"> (see trappen/evaluation/charts.py).
   No inline JavaScript: this file is the only script of the steering pages. */
(function () {
  "use strict";
  var INK = "#1d2733";
  var drawn = [];

  function dataset(spec, d) {
    var line = spec.kind === "line";
    return {
      label: d.label,
      data: d.data,
      backgroundColor: d.colour,
      borderColor: line ? d.colour : "#ffffff",
      borderWidth: line ? 2 : 1,
      pointRadius: line ? 3 : 0,
      spanGaps: true,
      fill: false
    };
  }

  function config(spec, locale) {
    var horizontal = Boolean(spec.horizontal);
    var axisTitle = { display: true, text: spec.y, color: INK };
    var value = { stacked: spec.stacked, beginAtZero: true, ticks: { color: INK }, title: axisTitle };
    var category = { stacked: spec.stacked, ticks: { color: INK } };
    return {
      type: spec.kind,
      data: { labels: spec.labels, datasets: spec.datasets.map(function (d) { return dataset(spec, d); }) },
      options: {
        locale: locale,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          title: { display: true, text: spec.title, color: INK, font: { size: 14 } },
          legend: { position: "bottom", labels: { color: INK } }
        },
        scales: horizontal ? { x: value, y: category } : { x: category, y: value }
      }
    };
  }

  function draw() {
    var source = document.getElementById("steering-charts");
    drawn.forEach(function (chart) { chart.destroy(); });
    drawn = [];
    if (!source || typeof window.Chart === "undefined") { return; }
    var specs = JSON.parse(source.textContent);
    var locale = document.documentElement.lang || "da";
    specs.forEach(function (spec) {
      document.querySelectorAll('canvas[data-chart="' + spec.id + '"]').forEach(function (canvas) {
        drawn.push(new window.Chart(canvas, config(spec, locale)));
      });
    });
  }

  function resize() { drawn.forEach(function (chart) { chart.resize(); }); }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
}());
