// The charts of /amar/ and of the staff map page, drawn from the same numbers as the tables
// under them (the JSON in #statistics-data is written by reports/views.py).
(function () {
  "use strict";

  var FALLBACK = "#2a7f6a";
  var PERSIAN = new Intl.NumberFormat("fa-IR");

  function colours(chart) {
    return chart.values.map(function (_value, i) {
      return (chart.colours && chart.colours[i]) || FALLBACK;
    });
  }

  function options(horizontal) {
    var numbers = { beginAtZero: true, ticks: { precision: 0, callback: function (v) { return PERSIAN.format(v); } } };
    var labels = { ticks: { autoSkip: !horizontal } };
    return {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      locale: "fa-IR",
      scales: horizontal
        ? { x: Object.assign({ reverse: true }, numbers), y: Object.assign({ position: "right" }, labels) }
        : { x: Object.assign({ reverse: true }, labels), y: Object.assign({ position: "right" }, numbers) },
      plugins: {
        legend: { display: false },
        tooltip: {
          rtl: true,
          textDirection: "rtl",
          callbacks: {
            label: function (item) {
              return item.dataset.label + ": " + PERSIAN.format(item.parsed[horizontal ? "x" : "y"]);
            }
          }
        }
      }
    };
  }

  function draw(id, chart, label, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas || !chart) return;
    if (horizontal) {
      canvas.parentNode.style.height = Math.max(140, 30 * chart.labels.length + 50) + "px";
    }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{ label: label, data: chart.values, backgroundColor: colours(chart) }]
      },
      options: options(horizontal)
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("statistics-data");
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    window.Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
    draw("chart-city", data.city, data.label, true);
    draw("chart-agency", data.agency, data.label, true);
    draw("chart-domain", data.domain, data.label, true);
    draw("chart-month", data.month, data.label, false);
    draw("chart-year", data.year, data.label, false);
  });
})();
