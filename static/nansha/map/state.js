// The map's state and its URL: filters, layers, view, open record, base map, page, "only in view".
const VIEW_KEYS = new Set(["layers", "layer", "map", "open", "base", "page", "inview", "embed"]);

export function fromServer(initial) {
  return {
    filters: structuredClone(initial.filters || {}),
    layers: [...initial.layers],
    view: initial.view,
    open: initial.open,
    base: initial.base || "osm",
    page: initial.page || 1,
    inview: Boolean(initial.inview),
    embed: Boolean(initial.embed),
  };
}

export function parseQuery(search, allLayers) {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const [key, value] of params) {
    if (VIEW_KEYS.has(key) || value === "") continue;
    (filters[key] = filters[key] || []).push(value);
  }
  const layers = params.has("layers") ? params.get("layers").split(",").filter((k) => allLayers.includes(k)) : [...allLayers];
  let view = null;
  const parts = (params.get("map") || "").split("/").map(Number);
  if (parts.length === 3 && parts.every(Number.isFinite)) view = { zoom: parts[0], lat: parts[1], lng: parts[2] };
  const page = parseInt(params.get("page"), 10);
  return {
    filters, layers, view,
    open: params.get("open"), base: params.get("base") || "osm",
    page: page > 0 ? page : 1, inview: params.get("inview") === "1", embed: params.get("embed") === "1",
  };
}

// The filters and layers alone: what the data request and the exports need.
export function filterParams(state, allLayers) {
  const params = new URLSearchParams();
  for (const [key, values] of Object.entries(state.filters)) values.forEach((v) => params.append(key, v));
  if (state.layers.length !== allLayers.length) params.set("layers", state.layers.join(","));
  return params;
}

export function toQuery(state, allLayers) {
  const params = filterParams(state, allLayers);
  if (state.view) params.set("map", `${state.view.zoom}/${state.view.lat.toFixed(5)}/${state.view.lng.toFixed(5)}`);
  if (state.open) params.set("open", state.open);
  if (state.base !== "osm") params.set("base", state.base);
  if (state.page > 1) params.set("page", String(state.page));
  if (state.inview) params.set("inview", "1");
  if (state.embed) params.set("embed", "1"); // the embedded map stays embedded as it moves
  return params.toString();
}
