// Draws each figure of /dashboard/ with ECharts (vendored); a click opens the records behind a bar or slice.
//
// Value axes of counts tick at whole numbers only (minInterval 1). On a narrow chart (a phone) a value axis
// gets fewer ticks and ECharts hides any label that would overlap another; category labels are truncated to a
// width that leaves room for the bars. Numbers are grouped by three with commas in both languages (as the
// pages write them, nansha/records/numbers.py).
const figures = JSON.parse(document.getElementById("dashboard-data").textContent);
const palette = ["#0b5c8a", "#d62728", "#2ca02c", "#f9a825", "#6a1b9a", "#00838f", "#8d6e63", "#546e7a"];
const grouped = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const number = (value) => grouped.format(value);
const NARROW = 480; // px: a chart narrower than this is laid out for a phone

function valueAxis(figure, narrow) {
  return {
    type: "value",
    minInterval: figure.counts ? 1 : 0,
    splitNumber: narrow ? 3 : 5,
    axisLabel: { formatter: number, hideOverlap: true },
  };
}

function optionFor(figure, data, width) {
  const narrow = width < NARROW;
  const valueLabel = (params) => number(params.value);
  if (figure.kind === "pie") {
    return {
      color: palette,
      tooltip: { trigger: "item", valueFormatter: number },
      series: [{
        type: "pie",
        radius: narrow ? ["30%", "58%"] : ["35%", "70%"],
        data,
        avoidLabelOverlap: true,
        label: { formatter: (p) => `${p.name}\n${number(p.value)}`, width: narrow ? 90 : 140, overflow: "truncate" },
        labelLayout: { hideOverlap: true },
      }],
    };
  }
  if (figure.kind === "column") {
    return {
      color: palette,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: number },
      grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
      // Years: every label that fits, the others left out (never drawn over each other).
      xAxis: { type: "category", data: data.map((d) => d.name), axisLabel: { hideOverlap: true, interval: "auto" } },
      yAxis: valueAxis(figure, narrow),
      series: [{ type: "bar", data, label: { show: !narrow && data.length <= 12, position: "top", formatter: valueLabel } }],
    };
  }
  return {
    color: palette,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: number },
    grid: { left: 8, right: narrow ? 44 : 52, top: 8, bottom: 8, containLabel: true },
    xAxis: valueAxis(figure, narrow),
    yAxis: {
      type: "category",
      data: data.map((d) => d.name).reverse(),
      axisLabel: { width: narrow ? Math.round(width * 0.38) : 150, overflow: "truncate", hideOverlap: true, interval: "auto" },
    },
    series: [{ type: "bar", data: [...data].reverse(), label: { show: true, position: "right", formatter: valueLabel } }],
  };
}

for (const figure of figures) {
  const element = document.getElementById(`chart-${figure.key}`);
  if (!figure.bars.length) { element.hidden = true; continue; }
  const chart = echarts.init(element, null, { renderer: "svg" });
  const all = figure.bars.map((bar) => ({ name: bar.label, value: bar.value, url: bar.url }));
  // A long ranking shows its top rows (figure.shown, said in the note under the title); the table holds all.
  const data = all.slice(0, figure.shown);
  let width = element.clientWidth;
  chart.setOption(optionFor(figure, data, width));
  chart.on("click", (params) => { if (params.data && params.data.url) window.location.href = params.data.url; });
  window.addEventListener("resize", () => {
    chart.resize();
    if ((element.clientWidth < NARROW) !== (width < NARROW)) chart.setOption(optionFor(figure, data, element.clientWidth));
    width = element.clientWidth;
  });
}
