/* The dashboard's charts (Chart.js, vendored): every bar and point opens the list behind it. */
document.addEventListener("DOMContentLoaded", function () {
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  window.dutydeskCharts = {};
  data.charts.forEach(function (spec) {
    var canvas = document.getElementById("chart-" + spec.key);
    if (!canvas || spec.no_data) { return; }
    window.dutydeskCharts[spec.key] = new Chart(canvas, {
      type: spec.type,
      data: {labels: spec.labels, datasets: [{label: spec.title, data: spec.values, backgroundColor: "rgba(11,107,203,0.6)",
             borderColor: "#0b6bcb", borderWidth: 2, spanGaps: true, pointRadius: 5, pointHoverRadius: 7}]},
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: {legend: {display: false}},
        scales: {y: {beginAtZero: true}},
        onClick: function (event, elements) {
          var target = elements.length ? spec.urls[elements[0].index] : spec.url;
          if (target) { window.location.href = target; }
        },
        onHover: function (event, elements) { event.native.target.style.cursor = elements.length ? "pointer" : "default"; }
      }
    });
  });
});
