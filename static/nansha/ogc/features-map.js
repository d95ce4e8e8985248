// The small map of an OGC items or item page: points and park outlines, shifted for a Chinese base map.
import { projectionFor } from "../map/coords.js";

const features = JSON.parse(document.getElementById("ogc-features").textContent);
const config = JSON.parse(document.getElementById("ogc-map-config").textContent);
const tiles = config.tiles[0];
const projection = projectionFor(tiles);
const map = L.map("ogc-map", { scrollWheelZoom: false });
L.tileLayer(tiles.url, tiles.options).addTo(map);
const drawn = L.geoJSON(features, {
  coordsToLatLng: ([lng, lat]) => L.latLng(...projection.toMap(lat, lng)),
  pointToLayer: (feature, at) => L.circleMarker(at, { radius: 6, color: "#fff", weight: 2, fillColor: "#1565c0", fillOpacity: 0.9 }),
  style: { color: "#2e7d32", weight: 2 },
  onEachFeature: (feature, layer) => layer.bindTooltip(String(feature.properties.name_zh || feature.id)),
}).addTo(map);
if (drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { maxZoom: 15, padding: [20, 20] });
