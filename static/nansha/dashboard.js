// Draws each figure of /dashboard/ with ECharts (vendored); a click opens the records behind a bar or slice.
const figures = JSON.parse(document.getElementById("dashboard-data").textContent);
const palette = ["#0b5c8a", "#d62728", "#2ca02c", "#f9a825", "#6a1b9a", "#00838f", "#8d6e63", "#546e7a"];

for (const figure of figures) {
  const element = document.getElementById(`chart-${figure.key}`);
  if (!figure.bars.length) { element.hidden = true; continue; }
  const chart = echarts.init(element, null, { renderer: "svg" });
  const all = figure.bars.map((bar) => ({ name: bar.label, value: bar.value, url: bar.url }));
  // Long rankings show their top 15; the table below the chart holds every row.
  const data = figure.ranking && all.length > 15 ? all.slice(0, 15) : all;
  const labels = { show: true, position: figure.kind === "column" ? "top" : "right" };
  let option;
  if (figure.kind === "pie") {
    option = {
      color: palette,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "70%"], data, label: { formatter: "{b}\n{c}" } }],
    };
  } else if (figure.kind === "column") {
    option = {
      color: palette,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.map((d) => d.name) },
      yAxis: { type: "value" },
      series: [{ type: "bar", data, label: { ...labels, show: data.length <= 12 } }],
    };
  } else {
    option = {
      color: palette,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.map((d) => d.name).reverse(), axisLabel: { width: 150, overflow: "truncate" } },
      series: [{ type: "bar", data: [...data].reverse(), label: labels }],
    };
  }
  chart.setOption(option);
  chart.on("click", (params) => { if (params.data && params.data.url) window.location.href = params.data.url; });
  window.addEventListener("resize", () => chart.resize());
}
