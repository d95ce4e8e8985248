// Chinese base maps (Gaode) are drawn in GCJ-02; OpenStreetMap and our data in WGS-84.
// A projection turns data coordinates into map coordinates and back.
import gcoord from "../../vendor/gcoord/gcoord.esm-browser.prod.js";

const identity = {
  toMap: (lat, lng) => [lat, lng],
  fromMap: (lat, lng) => [lat, lng],
};

const gcj02 = {
  toMap(lat, lng) {
    const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02);
    return [y, x];
  },
  fromMap(lat, lng) {
    const [x, y] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84);
    return [y, x];
  },
};

export function projectionFor(baseMap) {
  return baseMap && baseMap.options && baseMap.options.gcj02 ? gcj02 : identity;
}

// A GeoJSON geometry's rings as Leaflet lat/lng arrays in map coordinates.
export function outlineLatLngs(geometry, projection) {
  const ring = (positions) => positions.map(([lng, lat]) => projection.toMap(lat, lng));
  if (geometry.type === "Polygon") return [geometry.coordinates.map(ring)];
  if (geometry.type === "MultiPolygon") return geometry.coordinates.map((rings) => rings.map(ring));
  return [];
}
