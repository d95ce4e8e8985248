#!/usr/bin/env bash
# Copy the front-end files pinned in package.json from node_modules/ into static/vendor/, licences kept.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --ignore-scripts
rm -rf static/vendor && mkdir -p static/vendor/gcoord static/vendor/leaflet.markercluster static/vendor/echarts
cp node_modules/gcoord/dist/gcoord.esm-browser.prod.js node_modules/gcoord/LICENSE static/vendor/gcoord/
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
   node_modules/leaflet.markercluster/MIT-LICENCE.txt static/vendor/leaflet.markercluster/
cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE static/vendor/echarts/
# Test-only: axe-core, the accessibility checker the browser tests run in each page (never served by the site).
rm -rf tests/vendor/axe-core && mkdir -p tests/vendor/axe-core
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE tests/vendor/axe-core/
node -e 'const p=require("./package.json").dependencies; for (const [n,v] of Object.entries(p)) console.log(n+"@"+v)' > static/vendor/VERSIONS.txt
node -e 'const p=require("./package.json").devDependencies; for (const [n,v] of Object.entries(p)) console.log(n+"@"+v)' > tests/vendor/VERSIONS.txt
