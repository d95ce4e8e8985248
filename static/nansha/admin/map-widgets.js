/* Admin map widgets: place a point (lat/lng inputs) and draw a park outline (GeoJSON textarea).
 * Leaflet and Leaflet.draw come from django-leaflet's static files; settings from LEAFLET_CONFIG.
 * Without reachable tiles the map is blank but markers and outlines still work. */
(function () {
  "use strict";

  function readConfig(el) {
    return JSON.parse(document.getElementById(el.dataset.config).textContent);
  }

  function makeMap(el, config) {
    const map = L.map(el, { center: config.center, zoom: config.zoom, minZoom: config.minZoom, maxZoom: config.maxZoom });
    const layers = {};
    config.tiles.forEach(function (tile, i) {
      const layer = L.tileLayer(tile.url, tile.options || {});
      layers[tile.name] = layer;
      if (i === 0) layer.addTo(map);
    });
    if (config.tiles.length > 1) L.control.layers(layers).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  function initPointMap(el) {
    const config = readConfig(el);
    const latInput = document.getElementById(el.dataset.latInput);
    const lngInput = document.getElementById(el.dataset.lngInput);
    if (!latInput || !lngInput) return;
    const map = makeMap(el, config);
    let marker = null;

    function inputsLatLng() {
      const lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
      return Number.isFinite(lat) && Number.isFinite(lng) ? L.latLng(lat, lng) : null;
    }
    function writeInputs(latlng) {
      latInput.value = latlng.lat.toFixed(6);
      lngInput.value = latlng.lng.toFixed(6);
      [latInput, lngInput].forEach(function (input) { input.dispatchEvent(new Event("change", { bubbles: true })); });
    }
    function placeMarker(latlng) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: el.getAttribute("aria-label") }).addTo(map);
        marker.on("dragend", function () { writeInputs(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
    }

    map.on("click", function (event) { placeMarker(event.latlng); writeInputs(event.latlng); });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("input", function () {
        const latlng = inputsLatLng();
        if (latlng) { placeMarker(latlng); map.panTo(latlng); }
      });
    });
    const clear = document.querySelector('[data-clear-for="' + el.id + '"]');
    if (clear) clear.addEventListener("click", function () {
      if (marker) { map.removeLayer(marker); marker = null; }
      latInput.value = ""; lngInput.value = "";
    });

    const initial = inputsLatLng();
    if (initial) { placeMarker(initial); map.setView(initial, 15); }

    // "Find the address on the map": the server asks the configured geocoding service (nansha/staff/geocoding.py)
    // and answers WGS-84; on any refusal its reason is shown and nothing changes.
    const find = document.querySelector('[data-geocode-for="' + el.id + '"]');
    if (find) find.addEventListener("click", function () {
      const status = find.parentNode.querySelector(".nansha-geocode-status");
      const address = find.dataset.addressInputs.split(" ").map(function (id) {
        const input = document.getElementById(id);
        return input ? input.value.trim() : "";
      }).filter(Boolean)[0] || "";
      find.disabled = true;
      status.textContent = "…";
      fetch(find.dataset.url + "?" + new URLSearchParams({ address: address }), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (answer.error) { status.textContent = answer.error; return; }
          const latlng = L.latLng(answer.lat, answer.lng);
          placeMarker(latlng);
          writeInputs(latlng);
          map.setView(latlng, answer.approximate ? 14 : 17);
          const approximate = document.getElementById(find.dataset.approximateInput);
          if (approximate) approximate.checked = answer.approximate;
          status.textContent = answer.message;
        })
        .catch(function () { status.textContent = find.dataset.unreachable; })
        .finally(function () { find.disabled = false; });
    });
  }

  // Leaflet.draw refuses a vertex dragged across an edge only for layers with this option (L.Edit.PolyVerticesEdit).
  const NO_CROSSING = { poly: { allowIntersection: false } };

  function polygonsOf(geojson) {
    // Each polygon becomes its own layer so that Leaflet.draw can edit it.
    const geometry = geojson && geojson.type === "Feature" ? geojson.geometry : geojson;
    if (!geometry) return [];
    const flip = function (ring) { return ring.map(function (p) { return [p[1], p[0]]; }); };
    if (geometry.type === "Polygon") return [L.polygon(geometry.coordinates.map(flip), NO_CROSSING)];
    if (geometry.type === "MultiPolygon") return geometry.coordinates.map(function (rings) { return L.polygon(rings.map(flip), NO_CROSSING); });
    return [];
  }

  function mergeInto(target, source) {
    Object.keys(source).forEach(function (key) {
      const value = source[key];
      if (value && typeof value === "object" && target[key] && typeof target[key] === "object") mergeInto(target[key], value);
      else target[key] = value;
    });
  }

  function initOutlineMap(el) {
    const config = readConfig(el);
    const input = document.getElementById(el.dataset.input);
    const map = makeMap(el, config);
    const drawn = new L.FeatureGroup().addTo(map);
    // Leaflet.draw's toolbar, tooltips and crossing message in the page's language (nansha/staff/draw_texts.py).
    const texts = document.getElementById(el.dataset.drawTexts);
    if (texts) mergeInto(L.drawLocal, JSON.parse(texts.textContent));
    map.addControl(new L.Control.Draw({
      edit: { featureGroup: drawn },
      draw: { polygon: { allowIntersection: false, showArea: true }, rectangle: true,
              polyline: false, circle: false, marker: false, circlemarker: false },
    }));

    function writeInput() {
      const polygons = [];
      drawn.eachLayer(function (layer) { polygons.push(layer.toGeoJSON().geometry.coordinates); });
      let geometry = null;
      if (polygons.length === 1) geometry = { type: "Polygon", coordinates: polygons[0] };
      if (polygons.length > 1) geometry = { type: "MultiPolygon", coordinates: polygons };
      input.value = geometry ? JSON.stringify(geometry) : "";
    }
    function readInput() {
      drawn.clearLayers();
      let geojson = null;
      try { geojson = input.value.trim() ? JSON.parse(input.value) : null; } catch (e) { return; }
      polygonsOf(geojson).forEach(function (layer) { drawn.addLayer(layer); });
      if (drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { maxZoom: 17 });
      else centreOnPoint();
    }
    function centreOnPoint() {
      // No outline yet: start where the record's point is, if the form has one.
      const lat = parseFloat((document.getElementById(el.dataset.latInput) || {}).value);
      const lng = parseFloat((document.getElementById(el.dataset.lngInput) || {}).value);
      if (Number.isFinite(lat) && Number.isFinite(lng)) map.setView([lat, lng], 15);
    }

    map.on(L.Draw.Event.CREATED, function (event) {
      L.setOptions(event.layer, NO_CROSSING);  // and a drawn shape stays uncrossed when edited later
      drawn.addLayer(event.layer);
      writeInput();
    });
    map.on(L.Draw.Event.EDITED, writeInput);
    map.on(L.Draw.Event.DELETED, writeInput);
    input.addEventListener("change", readInput);
    readInput();
  }

  function init() {
    document.querySelectorAll("[data-point-map]").forEach(initPointMap);
    document.querySelectorAll("[data-outline-map]").forEach(initOutlineMap);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
