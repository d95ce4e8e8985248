// The small map on a record's page: its point and, for a park, its outline. Works without tiles.
import { outlineLatLngs, projectionFor } from "./coords.js";
import { markerIcon } from "./icons.js";

const feature = JSON.parse(document.getElementById("detail-feature").textContent);
const config = JSON.parse(document.getElementById("detail-map-config").textContent);
const map = L.map("detail-map", { scrollWheelZoom: false });
const tiles = config.tiles[0];
L.tileLayer(tiles.url, tiles.options).addTo(map);
const projection = projectionFor(tiles);
const drawn = L.featureGroup().addTo(map);
if (feature.outline) L.polygon(outlineLatLngs(feature.outline, projection), { color: "#2e7d32", weight: 2 }).addTo(drawn);
if (feature.lat !== null && feature.lng !== null) {
  const at = projection.toMap(feature.lat, feature.lng);
  (feature.layer === "enterprises"
    ? L.circleMarker(at, { radius: 8, color: "#fff", weight: 2, fillColor: "#d62728", fillOpacity: 0.9, interactive: false })
    : L.marker(at, { icon: markerIcon(feature.layer), interactive: false, keyboard: false })).addTo(drawn); // shows, does nothing
}
map.fitBounds(drawn.getBounds(), { maxZoom: 15, padding: [20, 20] });
