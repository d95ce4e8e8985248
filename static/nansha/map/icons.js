// One recognisable marker per kind of record; enterprises are circles coloured by chain stage.
const SHAPES = {
  enterprises: '<circle cx="12" cy="12" r="8" fill="currentColor" stroke="#fff" stroke-width="2"/>',
  parks: '<rect x="3" y="3" width="18" height="18" rx="3" fill="#2e7d32" stroke="#fff" stroke-width="2"/><path d="M8 17V7h4.5a3 3 0 0 1 0 6H8" fill="none" stroke="#fff" stroke-width="2"/>',
  hospitals: '<rect x="3" y="3" width="18" height="18" rx="4" fill="#c62828" stroke="#fff" stroke-width="2"/><path d="M12 7v10M7 12h10" stroke="#fff" stroke-width="3"/>',
  institutions: '<path d="M12 2l10 10-10 10L2 12z" fill="#6a1b9a" stroke="#fff" stroke-width="2"/><path d="M7 12l5-2.5 5 2.5-5 2.5z" fill="#fff"/>',
  funds: '<circle cx="12" cy="12" r="10" fill="#f9a825" stroke="#fff" stroke-width="2"/><path d="M8.5 7l3.5 5 3.5-5M12 12v6M9 13.5h6M9 16h6" fill="none" stroke="#fff" stroke-width="1.8"/>',
  platforms: '<path d="M12 2l9 5v10l-9 5-9-5V7z" fill="#00838f" stroke="#fff" stroke-width="2"/><circle cx="12" cy="12" r="3.5" fill="#fff"/>',
};

export function svgIcon(layer) {
  return `<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">${SHAPES[layer] || SHAPES.platforms}</svg>`;
}

export function markerIcon(layer) {
  return L.divIcon({ className: `kind-marker kind-${layer}`, html: svgIcon(layer), iconSize: [24, 24], iconAnchor: [12, 12] });
}

export function stageColour(colours, stage) {
  return colours[stage] || "#607d8b";
}
