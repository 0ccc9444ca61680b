// The dashboard's charts, drawn from the same numbers as the tables under them
// (the JSON in #dashboard-data is written by reports/panel_views.py).
(function () {
  "use strict";

  var FALLBACK = ["#0f5c4d", "#1f5fa8", "#c62828", "#6a3d9a", "#b26a00", "#2e7d32", "#5d4037"];
  var PERSIAN = new Intl.NumberFormat("fa-IR");

  function colours(chart, n) {
    var out = [];
    for (var i = 0; i < n; i++) {
      out.push((chart.colours && chart.colours[i]) || FALLBACK[i % FALLBACK.length]);
    }
    return out;
  }

  function baseOptions(horizontal) {
    var numberAxis = { beginAtZero: true, ticks: { callback: function (v) { return PERSIAN.format(v); } } };
    var labelAxis = { ticks: { autoSkip: false } };
    var scales = horizontal
      ? { x: Object.assign({ reverse: true }, numberAxis), y: Object.assign({ position: "right" }, labelAxis) }
      : { x: Object.assign({ reverse: true }, labelAxis), y: Object.assign({ position: "right" }, numberAxis) };
    return {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      locale: "fa-IR",
      scales: scales,
      plugins: {
        legend: { rtl: true, textDirection: "rtl", display: !horizontal },
        tooltip: {
          rtl: true,
          textDirection: "rtl",
          callbacks: {
            label: function (item) {
              return (item.dataset.label ? item.dataset.label + ": " : "") + PERSIAN.format(item.parsed[horizontal ? "x" : "y"]);
            }
          }
        }
      }
    };
  }

  function drawBreakdown(id, chart) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    canvas.parentNode.style.height = Math.max(160, 34 * chart.labels.length + 40) + "px";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{ label: chart.label, data: chart.values, backgroundColor: colours(chart, chart.values.length) }]
      },
      options: baseOptions(true)
    });
  }

  function drawTrend(chart) {
    var canvas = document.getElementById("chart-trend");
    if (!canvas) return;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [
          { label: chart.current_label, data: chart.current, backgroundColor: "#0f5c4d" },
          { label: chart.previous_label, data: chart.previous, backgroundColor: "#9fb8b1" }
        ]
      },
      options: baseOptions(false)
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-colour]").forEach(function (el) {
      el.style.backgroundColor = el.getAttribute("data-colour");
    });
    var source = document.getElementById("dashboard-data");
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    window.Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
    ["city", "agency", "domain", "service_type"].forEach(function (key) {
      if (data[key]) drawBreakdown("chart-" + key, data[key]);
    });
    if (data.trend) drawTrend(data.trend);
  });
})();
