// The investor map: layers, clusters, filters with counts, the result list, cards, URL state and exports.
import { filterParams, fromServer, parseQuery, toQuery } from "./state.js";
import { outlineLatLngs, projectionFor } from "./coords.js";
import { markerIcon, stageColour, svgIcon } from "./icons.js";
import { updateShare, watchShare } from "./share.js";

const config = JSON.parse(document.getElementById("map-config").textContent);
const S = config.strings;
const ALL = config.layers.map((l) => l.key);
const LABELS = Object.fromEntries(config.layers.map((l) => [l.key, l.label]));
const PAGE_SIZE = 50;

const form = document.getElementById("filters");
const list = document.getElementById("result-list");
const card = document.getElementById("card");
const cardContent = card.querySelector(".card-content");
const notesBox = document.getElementById("notes");

let state = fromServer(config.state);
let data = null;
let markers = {};
let overlays = {};
let baseLayer = null;
let currentBase = null;
let projection = projectionFor(null);
let ticket = 0;

const format = (text, values) => text.replace(/%\((\w+)\)s/g, (_, k) => values[k]);
const textNode = (text) => Object.assign(document.createElement("span"), { textContent: text });

// --- the map and its base layers -------------------------------------------------------------
const map = L.map("map", { minZoom: config.view.minZoom, maxZoom: config.view.maxZoom, zoomControl: true });
const canvas = L.canvas({ padding: 0.5 });
L.control.scale({ imperial: false }).addTo(map);

function currentView() {
  const centre = map.getCenter();
  const [lat, lng] = projection.fromMap(centre.lat, centre.lng);
  return { zoom: map.getZoom(), lat, lng };
}

function setBase(key) {
  const chosen = config.baseMaps.find((b) => b.key === key) || config.baseMaps[0];
  const view = baseLayer ? currentView() : state.view || { zoom: config.view.zoom, lat: config.view.center[0], lng: config.view.center[1] };
  if (baseLayer) map.removeLayer(baseLayer);
  baseLayer = L.tileLayer(chosen.url, chosen.options).addTo(map);
  projection = projectionFor(chosen);
  state.base = currentBase = chosen.key;
  map.setView(projection.toMap(view.lat, view.lng), view.zoom, { animate: false });
  if (data) draw();
}

// A legend on the map itself, for when the panel is folded away (phones).
const legend = L.control({ position: "bottomleft" });
legend.onAdd = () => {
  const box = L.DomUtil.create("details", "map-legend");
  const summary = L.DomUtil.create("summary", "", box);
  summary.textContent = S.legend;
  const items = L.DomUtil.create("ul", "", box);
  for (const layer of config.layers) {
    const item = L.DomUtil.create("li", "", items);
    item.innerHTML = svgIcon(layer.key);
    item.append(textNode(layer.label));
  }
  for (const [stage, colour] of Object.entries(config.stageColours)) {
    const item = L.DomUtil.create("li", "", items);
    item.innerHTML = svgIcon("enterprises");
    item.firstElementChild.style.color = colour;
    item.append(textNode(S.stages[stage]));
  }
  L.DomEvent.disableClickPropagation(box);
  return box;
};
legend.addTo(map);

// --- drawing the layers ----------------------------------------------------------------------
function clusterIcon(key) {
  return (cluster) => L.divIcon({
    html: `<span>${cluster.getChildCount()}</span>`,
    className: `cluster cluster-${key}`,
    iconSize: [36, 36],
  });
}

function marker(key, row, fields) {
  const [id, lat, lng, name] = row;
  const at = projection.toMap(lat, lng);
  const m = key === "enterprises"
    ? L.circleMarker(at, {
      renderer: canvas, radius: 6, color: "#fff", weight: 1.5, fillOpacity: 0.9,
      fillColor: stageColour(config.stageColours, row[fields.indexOf("stage")]),
    })
    : L.marker(at, { icon: markerIcon(key), keyboard: true, title: name, alt: name });
  m.bindTooltip(textNode(name), { direction: "top", offset: [0, -10] });
  m.on("click", () => openRecord(key, id, { fromMap: true }));
  return m;
}

// A layer too large to send whole comes as clusters counted by the server for the current view.
// A "cluster" of one record is that record: drawn and clicked as its marker (its name and extras from the list
// rows when they hold it).
function serverClusters(key, layer) {
  const group = L.featureGroup();
  const listed = new Map(layer.rows.map((row) => [row[0], row]));
  for (const [lat, lng, n, id] of layer.clusters) {
    if (n === 1 && id !== null && id !== undefined) {
      const row = listed.get(id) || [id, lat, lng, "", ...layer.fields.slice(4).map(() => null)];
      const m = marker(key, [id, lat, lng, ...row.slice(3)], layer.fields);
      markers[`${key}:${id}`] = m;
      group.addLayer(m);
      continue;
    }
    const size = n < 100 ? 32 : n < 1000 ? 40 : 48;
    const icon = L.divIcon({ html: `<span>${n}</span>`, className: `cluster cluster-${key} server-cluster`, iconSize: [size, size] });
    const m = L.marker(projection.toMap(lat, lng), { icon, keyboard: true, title: `${n} · ${LABELS[key]}` });
    m.on("click", () => map.setView(m.getLatLng(), Math.min(map.getZoom() + 2, map.getMaxZoom())));
    group.addLayer(m);
  }
  return group;
}

function draw() {
  Object.values(overlays).forEach((group) => map.removeLayer(group));
  overlays = {};
  markers = {};
  for (const key of state.layers) {
    const layer = data.layers[key];
    if (!layer) continue;
    if (layer.clustered) {
      overlays[key] = serverClusters(key, layer).addTo(map);
      continue;
    }
    const group = key === "parks"
      ? L.featureGroup()
      : L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45, iconCreateFunction: clusterIcon(key) });
    const items = [];
    const names = {};
    for (const row of layer.rows) {
      names[row[0]] = row[3];
      if (row[1] === null || row[2] === null) continue;
      const m = marker(key, row, layer.fields);
      markers[`${key}:${row[0]}`] = m;
      items.push(m);
    }
    for (const [id, geometry] of Object.entries(layer.outlines || {})) {
      const outline = L.polygon(outlineLatLngs(geometry, projection), { color: "#2e7d32", weight: 2, fillOpacity: 0.12 });
      // The name sits under the park's marker, not on it, and never takes a click (Leaflet tooltips are not interactive).
      outline.bindTooltip(textNode(names[id] || ""), { permanent: true, direction: "bottom", offset: [0, 12], className: "park-label", interactive: false });
      outline.on("click", () => openRecord(key, Number(id), { fromMap: true }));
      items.push(outline);
    }
    if (group.addLayers) group.addLayers(items); else items.forEach((item) => group.addLayer(item));
    overlays[key] = group.addTo(map);
  }
}

// --- the result list -------------------------------------------------------------------------
function resultRows() {
  const rows = [];
  for (const key of state.layers) {
    const layer = data.layers[key] || { rows: [], fields: [] };
    const at = (name) => layer.fields.indexOf(name);
    const [stage, segment, park, honours] = ["stage", "segment", "park", "honours"].map(at);
    for (const row of layer.rows) {
      rows.push({
        key, id: row[0], lat: row[1], lng: row[2], name: row[3],
        colour: stage < 0 ? "" : stageColour(config.stageColours, row[stage]),
        details: [
          segment < 0 ? null : config.names.segments[row[segment]],
          park < 0 ? null : config.names.parks[row[park]],
          honours < 0 || !row[honours] ? null : format(S.honours[row[honours] === 1 ? 0 : 1], { n: row[honours] }),
        ].filter(Boolean),
      });
    }
  }
  if (!state.inview) return rows;
  const bounds = map.getBounds();
  return rows.filter((r) => r.lat !== null && bounds.contains(projection.toMap(r.lat, r.lng)));
}

function renderList() {
  const rows = resultRows();
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  if (state.page > pages) {
    showNotes([format(S.pageMissing, { asked: state.page, page: pages })]);
    state.page = pages;
    replaceUrl();
  }
  const shown = rows.slice((state.page - 1) * PAGE_SIZE, state.page * PAGE_SIZE);
  list.replaceChildren(...shown.map((r) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.record = `${r.key}:${r.id}`;
    button.innerHTML = svgIcon(r.key); // our own markup; the name is added as text below
    if (r.colour) button.firstElementChild.style.color = r.colour;
    button.append(textNode(r.name));
    // What the record is (an enterprise: its segment, park and honours), then a missing position.
    const parts = r.details.length ? r.details : [LABELS[r.key]];
    const meta = textNode([...parts, ...(r.lat === null ? [S.noPosition] : [])].join(" · "));
    meta.className = "meta";
    button.append(meta);
    button.addEventListener("click", () => openRecord(r.key, r.id, { fly: true, at: r.lat === null ? null : [r.lat, r.lng] }));
    item.append(button);
    return item;
  }));
  const clustered = state.layers.filter((key) => data.layers[key] && (data.layers[key].clustered || data.layers[key].partial));
  const field = state.inview ? "in_view" : "total";
  const total = rows.length + clustered.reduce((sum, key) => sum + data.layers[key][field] - data.layers[key].rows.length, 0);
  document.getElementById("result-total").textContent = format(total === 1 ? S.oneResult : S.results, { n: total });
  if (total === 0) { // say so, and what to try, rather than an empty list
    const none = Object.assign(document.createElement("li"), { className: "empty-note" });
    const q = (state.filters.q || [])[0];
    none.textContent = q ? format(S.nothingFoundFor, { q }) : S.nothingFound;
    list.replaceChildren(none);
  }
  // Said only when rows are missing from the list: a clustered layer whose every record in view is listed is whole.
  const cut = clustered.filter((key) => data.layers[key].rows.length < data.layers[key].in_view);
  const partial = document.getElementById("partial-list");
  partial.hidden = !cut.length;
  if (cut.length) {
    const shown = cut.reduce((sum, key) => sum + data.layers[key].rows.length, 0);
    const inView = cut.reduce((sum, key) => sum + data.layers[key].in_view, 0);
    partial.textContent = format(S.partialList, { shown, in_view: inView });
  }
  document.getElementById("page-label").textContent = format(S.pageOf, { page: state.page, pages });
  document.getElementById("prev-page").disabled = state.page <= 1;
  document.getElementById("next-page").disabled = state.page >= pages;
  highlight();
  updateExports();
}

function highlight() {
  list.querySelectorAll("[aria-current]").forEach((b) => b.removeAttribute("aria-current"));
  if (!state.open) return;
  const button = list.querySelector(`[data-record="${CSS.escape(state.open)}"]`);
  if (button) {
    button.setAttribute("aria-current", "true");
    button.scrollIntoView({ block: "nearest" });
  }
}

function pageOf(record) {
  const index = resultRows().findIndex((r) => `${r.key}:${r.id}` === record);
  return index < 0 ? null : Math.floor(index / PAGE_SIZE) + 1;
}

// --- cards -----------------------------------------------------------------------------------
let cardTicket = 0;
let cardOpener = null;

async function showCard() {
  const mine = ++cardTicket;
  if (!state.open) {
    card.hidden = true;
    return;
  }
  const record = state.open;
  const [key, id] = record.split(":");
  if (!config.detailUrls[key]) return;
  let response;
  try {
    response = await fetch(config.detailUrls[key].replace(/\/0\/$/, `/${id}/`) + "?card=1", { headers: { Accept: "text/html" } });
  } catch (error) {
    if (mine === cardTicket) showNotes([S.loadFailed]);
    return;
  }
  if (mine !== cardTicket || state.open !== record) return; // a newer card was asked for meanwhile
  if (!response.ok) {
    state.open = null;
    replaceUrl();
    card.hidden = true;
    return;
  }
  cardContent.innerHTML = await response.text(); // rendered by Django templates, escaped there
  if (mine === cardTicket && state.open === record) card.hidden = false;
}

function closeCard() {
  state.open = null;
  cardTicket++;
  card.hidden = true;
  pushUrl();
  highlight();
  if (cardOpener && document.contains(cardOpener)) cardOpener.focus();
}

function openRecord(key, id, { fly = false, fromMap = false, at = null } = {}) {
  state.open = `${key}:${id}`;
  cardOpener = fromMap ? null : document.activeElement;
  if (document.body.classList.contains("panel-open")) setPanel(false); // on a phone the card would sit under it
  const page = pageOf(state.open);
  if (fromMap && page && page !== state.page) {
    state.page = page;
    renderList();
  }
  pushUrl();
  highlight();
  showCard().then(() => { if (!fromMap) card.focus(); });
  const m = markers[state.open];
  if (fly && m) {
    const group = overlays[key];
    if (group && group.zoomToShowLayer) group.zoomToShowLayer(m, () => m.openTooltip());
    else map.flyTo(m.getLatLng ? m.getLatLng() : m.getBounds().getCenter(), Math.max(map.getZoom(), 15));
  } else if (fly && at) {
    map.flyTo(projection.toMap(at[0], at[1]), Math.max(map.getZoom(), 16)); // a server-clustered layer
  }
}

card.querySelector(".card-close").addEventListener("click", closeCard);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !card.hidden) closeCard();
});

// --- filters, counts, notes, exports ---------------------------------------------------------
function readForm() {
  // Filters the panel has no field for (near, bbox, grade, ...) came from a link: keep them.
  const named = new Set([...form.elements].map((input) => input.name).filter(Boolean));
  const filters = Object.fromEntries(Object.entries(state.filters).filter(([key]) => !named.has(key)));
  for (const [key, value] of new FormData(form)) {
    if (key === "layer" || key === "base" || String(value).trim() === "") continue;
    (filters[key] = filters[key] || []).push(String(value).trim());
  }
  state.filters = filters;
  state.layers = [...form.querySelectorAll('input[name="layer"]:checked')].map((i) => i.value);
}

function writeForm() {
  for (const input of form.elements) {
    if (!input.name) continue;
    const values = input.name === "layer" ? state.layers : input.name === "base" ? [state.base] : state.filters[input.name] || [];
    if (input.type === "checkbox" || input.type === "radio") input.checked = values.includes(input.value);
    else input.value = values[0] || "";
  }
  document.getElementById("inview").checked = state.inview;
}

function renderCounts() {
  for (const span of form.querySelectorAll("[data-facet]")) {
    const counts = data.facets[span.dataset.facet] || {};
    const n = counts[span.dataset.value] || 0;
    span.textContent = String(n);
    span.closest("label").classList.toggle("empty", n === 0);
  }
  for (const span of form.querySelectorAll("[data-total]")) {
    const layer = data.layers[span.dataset.total];
    span.textContent = layer ? String(layer.total) : "";
  }
}

function showNotes(notes) {
  const listed = notesBox.querySelector("ul");
  const known = new Set([...listed.children].map((li) => li.textContent));
  const fresh = (notes || []).filter((n) => !known.has(n));
  if (!fresh.length) return;
  listed.append(...fresh.map((n) => Object.assign(document.createElement("li"), { textContent: n })));
  notesBox.hidden = false;
}

function clearNotes() {
  notesBox.querySelector("ul").replaceChildren();
  notesBox.hidden = true;
}

function updateExports() {
  const params = filterParams(state, ALL);
  if (state.inview) params.set("bbox", viewportBox());
  for (const fmt of ["csv", "xlsx", "geojson"]) {
    document.getElementById(`export-${fmt}`).href = `${config.exportUrl.replace("FORMAT", fmt)}?${params}`;
  }
}

function viewportBox() {
  const b = map.getBounds();
  const [south, west] = projection.fromMap(b.getSouth(), b.getWest());
  const [north, east] = projection.fromMap(b.getNorth(), b.getEast());
  return [west, south, east, north].map((v) => v.toFixed(6)).join(",");
}

function dataParams() {
  const params = filterParams(state, ALL);
  params.set("viewport", viewportBox());
  params.set("zoom", String(map.getZoom()));
  return params;
}

function anyClustered() {
  return data && Object.values(data.layers).some((layer) => layer.clustered || layer.partial);
}

async function load({ fit = false } = {}) {
  const mine = ++ticket;
  document.querySelector(".results").setAttribute("aria-busy", "true");
  try {
    const response = await fetch(`${config.dataUrl}?${dataParams()}`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(response.statusText);
    const fresh = await response.json();
    if (mine !== ticket) return;
    data = fresh;
    draw();
    renderCounts();
    renderList();
    showNotes(data.notes);
    if (fit) fitToResults();
  } catch (error) {
    if (mine === ticket) showNotes([S.loadFailed]);
  } finally {
    if (mine === ticket) document.querySelector(".results").removeAttribute("aria-busy");
  }
}

// --- the URL ---------------------------------------------------------------------------------
function pushUrl() {
  history.pushState(null, "", `?${toQuery(state, ALL)}`);
  updateShare(config.qrUrl, S.iframeTitle);
}
function replaceUrl() {
  history.replaceState(null, "", `?${toQuery(state, ALL)}`);
  updateShare(config.qrUrl, S.iframeTitle);
}

function filtersChanged() {
  const before = toQuery(state, ALL);
  const searched = String(state.filters.q || "");
  readForm();
  state.page = 1;
  if (toQuery(state, ALL) === before) return; // the same filters again (typing, then Enter): no new step
  clearNotes();
  pushUrl();
  load({ fit: String(state.filters.q || "") !== searched && Boolean(state.filters.q) });
}

// After a new search, the map shows what it found: the bounds of every result with a position. Only when
// every layer came whole (not as clusters of the view, which means thousands of results: the view stays).
function fitToResults() {
  if (anyClustered()) return;
  const found = [];
  for (const key of state.layers) {
    for (const row of data.layers[key]?.rows || []) {
      if (row[1] !== null && row[2] !== null) found.push(projection.toMap(row[1], row[2]));
    }
  }
  if (!found.length) return;
  map.fitBounds(L.latLngBounds(found), { maxZoom: 15, padding: [30, 30] });
}

let typing = null;
document.addEventListener("change", (event) => {
  if (event.target.form !== form) return;
  if (event.target.name === "base") {
    setBase(event.target.value);
    pushUrl();
    return;
  }
  filtersChanged();
});
// The search box sits in the top bar, outside the form it belongs to (form="filters").
document.addEventListener("input", (event) => {
  if (event.target.form !== form || (event.target.type !== "search" && event.target.type !== "number")) return;
  clearTimeout(typing);
  typing = setTimeout(filtersChanged, 350);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  filtersChanged();
});
document.getElementById("reset").addEventListener("click", (event) => {
  event.preventDefault();
  state.filters = {};
  state.layers = [...ALL];
  state.page = 1;
  writeForm();
  clearNotes();
  pushUrl();
  load();
});
document.getElementById("inview").addEventListener("change", (event) => {
  state.inview = event.target.checked;
  state.page = 1;
  pushUrl();
  if (data) renderList();
});
document.getElementById("prev-page").addEventListener("click", () => { state.page -= 1; pushUrl(); renderList(); });
document.getElementById("next-page").addEventListener("click", () => { state.page += 1; pushUrl(); renderList(); });

let moving = null;
map.on("moveend", () => {
  state.view = currentView();
  replaceUrl();
  if (anyClustered()) {
    clearTimeout(moving);
    moving = setTimeout(load, 250); // the server counts the clusters of the new view
  } else if (data && state.inview) renderList();
  else updateExports();
});

window.addEventListener("popstate", () => {
  const previousFilters = toQuery({ ...state, view: null, open: null, page: 1, inview: false, base: "osm" }, ALL);
  state = parseQuery(location.search, ALL);
  writeForm();
  if (state.base !== currentBase) setBase(state.base);
  if (state.view) map.setView(projection.toMap(state.view.lat, state.view.lng), state.view.zoom);
  const nowFilters = toQuery({ ...state, view: null, open: null, page: 1, inview: false, base: "osm" }, ALL);
  if (nowFilters !== previousFilters) load();
  else if (data) renderList();
  showCard();
  updateShare(config.qrUrl, S.iframeTitle);
});

const panelToggle = document.querySelector(".panel-toggle"); // none in the embedded map (no header)
function setPanel(open) {
  document.body.classList.toggle("panel-open", open);
  panelToggle?.setAttribute("aria-expanded", String(open));
}
panelToggle?.addEventListener("click", () => setPanel(!document.body.classList.contains("panel-open")));

// --- start -----------------------------------------------------------------------------------
form.querySelector(".no-js-only").hidden = true;
setBase(state.base);
watchShare(config.qrUrl, S.iframeTitle);
replaceUrl(); // the URL now holds only what was understood
load().then(() => {
  if (!state.open) return;
  showCard();
  highlight();
  const m = markers[state.open];
  if (m && !config.state.view) map.setView(m.getLatLng ? m.getLatLng() : m.getBounds().getCenter(), 15);
});
