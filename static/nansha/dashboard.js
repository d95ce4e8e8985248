// Draws each figure of /dashboard/ with ECharts (vendored); a click opens the records behind a bar or slice.
//
// Value axes of counts tick at whole numbers only (minInterval 1). On a narrow chart (a phone) a value axis
// gets fewer ticks and ECharts hides any label that would overlap another. On a wide chart category labels are
// truncated to a width that leaves room for the bars; on a narrow one no label is cut: bar names wrap onto
// lines and the chart grows to fit them, and a pie names its slices in a legend below it. Numbers are grouped by three with commas in both languages (as the
// pages write them, nansha/records/numbers.py).
const figures = JSON.parse(document.getElementById("dashboard-data").textContent);
const palette = ["#0b5c8a", "#d62728", "#2ca02c", "#f9a825", "#6a1b9a", "#00838f", "#8d6e63", "#546e7a"];
const grouped = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const number = (value) => grouped.format(value);
const NARROW = 480; // px: a chart narrower than this is laid out for a phone
const FONT = "12px sans-serif"; // ECharts' default label font, for measuring
const LINE = 17; // px: the height of one line of a wrapped label (CJK glyphs of the 12 px axis font need more than 14)
const WIDE_HEIGHT = 300; // px: a chart's height from pages.css; a narrow chart grows past it to fit its labels

const measure = (() => {
  const context = document.createElement("canvas").getContext("2d");
  context.font = FONT;
  return (text) => context.measureText(text).width;
})();

// `text` broken into lines of at most `width` px: at spaces where it has them, else between any two characters
// (Chinese, or one very long word). Returns the lines (at least one).
function wrap(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(/(?<=\s)/)) {
    if (measure(line + word) <= width) { line += word; continue; }
    if (line) lines.push(line.trimEnd());
    line = "";
    for (const character of word) {
      if (line && measure(line + character) > width) { lines.push(line); line = ""; }
      line += character;
    }
  }
  if (line.trim() || !lines.length) lines.push(line.trimEnd());
  return lines;
}

// On a narrow pie the slices carry no outside labels (they were cut at the chart's edges): a legend under the
// pie names each slice with its value, wrapped into rows. Returns the legend's lines of items, as ECharts lays
// them out (item: 25 px symbol, 10 px gap).
function legendRows(texts, width) {
  const rows = [];
  let used = Infinity;
  for (const text of texts) {
    const item = Math.min(width, 25 + measure(text) + 10);
    if (used + item > width) { rows.push([]); used = 0; }
    rows[rows.length - 1].push(text);
    used += item;
  }
  return rows;
}

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
  if (figure.kind === "pie" && narrow) {
    const names = Object.fromEntries(data.map((d) => [d.name, `${d.name} ${number(d.value)}`]));
    const rows = legendRows(Object.values(names), width - 16);
    const legendHeight = rows.length * 22;
    const pieHeight = 220;
    return {
      height: pieHeight + legendHeight + 8,
      color: palette,
      tooltip: { trigger: "item", valueFormatter: number },
      legend: {
        type: "plain", bottom: 4, left: 8, right: 8, itemGap: 10, itemHeight: 12,
        formatter: (name) => names[name], textStyle: { width: width - 56, overflow: "break" },
      },
      series: [{
        type: "pie",
        center: ["50%", pieHeight / 2],
        radius: [Math.round(pieHeight * 0.22), Math.round(pieHeight * 0.44)],
        data,
        label: { show: false },
        labelLine: { show: false },
      }],
    };
  }
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
  if (narrow) {
    // Each category name wrapped to lines in 45% of the width (never cut short), every name shown, and the
    // chart as tall as its rows need: one line of label height per line of the longest name, plus a gap.
    const labelWidth = Math.round(width * 0.45);
    const wrapped = Object.fromEntries(data.map((d) => [d.name, wrap(d.name, labelWidth).join("\n")]));
    const lines = Math.max(1, ...Object.values(wrapped).map((text) => text.split("\n").length));
    const rowHeight = lines * LINE + 10;
    return {
      height: Math.max(WIDE_HEIGHT, data.length * rowHeight + 40),
      color: palette,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: number },
      grid: { left: 8, right: 44, top: 8, bottom: 8, containLabel: true },
      xAxis: valueAxis(figure, narrow),
      yAxis: {
        type: "category",
        data: data.map((d) => d.name).reverse(),
        axisLabel: { interval: 0, lineHeight: LINE, formatter: (name) => wrapped[name] ?? name },
      },
      series: [{ type: "bar", data: [...data].reverse(), label: { show: true, position: "right", formatter: valueLabel } }],
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
  // `height` in an option is the chart's own (a narrow chart grows to fit its labels), not an ECharts setting.
  const draw = () => {
    const { height, ...option } = optionFor(figure, data, width);
    element.style.height = height ? `${height}px` : "";
    chart.resize();
    chart.setOption(option, true);
  };
  draw();
  chart.on("click", (params) => { if (params.data && params.data.url) window.location.href = params.data.url; });
  window.addEventListener("resize", () => {
    const narrowBefore = width < NARROW;
    width = element.clientWidth;
    if (width < NARROW || narrowBefore) draw(); // a narrow layout depends on the width itself
    else chart.resize();
  });
}
