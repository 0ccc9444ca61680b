// The charts of /amar/ and of the staff map page, drawn from the same numbers as the tables
// under them (the JSON in #statistics-data is written by reports/views.py).
(function () {
  "use strict";

  // Chart.js is 60 KB compressed and a long task on a phone, and on a phone the first chart is
  // a screen or two down: it is fetched when a chart comes near, not with the page. The
  // tables under the charts carry the same figures meanwhile.
  var CHART_SRC = document.currentScript && document.currentScript.getAttribute("data-chart-src");
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

  function drawAll(data) {
    if (!window.Chart) return;
    window.Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
    draw("chart-city", data.city, data.label, true);
    draw("chart-agency", data.agency, data.label, true);
    draw("chart-domain", data.domain, data.label, true);
    draw("chart-month", data.month, data.label, false);
    draw("chart-year", data.year, data.label, false);
  }

  function withChartJs(callback) {
    if (window.Chart || !CHART_SRC) {
      callback();
      return;
    }
    var script = document.createElement("script");
    script.src = CHART_SRC;
    script.onload = callback;
    document.head.appendChild(script);
  }

  function whenNear(elements, callback) {
    if (!("IntersectionObserver" in window)) {
      callback();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      var near = entries.some(function (entry) { return entry.isIntersecting; });
      if (near) {
        observer.disconnect();
        callback();
      }
    }, { rootMargin: "400px 0px" });
    elements.forEach(function (element) { observer.observe(element); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("statistics-data");
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".chart-box"));
    if (!source || !boxes.length) return;
    var data = JSON.parse(source.textContent);
    whenNear(boxes, function () {
      withChartJs(function () { drawAll(data); });
    });
  });
})();
