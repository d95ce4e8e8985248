// Sharing the current view: its link, a QR code of it (for WeChat), the code to embed the map in another
// site, and, in the embedded map, the link that opens the full map. Called whenever the URL changes.
const box = document.getElementById("share-view");
const link = document.getElementById("share-link");
const qr = document.getElementById("share-qr");
const embedCode = document.getElementById("share-embed");
const fullMap = document.getElementById("embed-open");

function withParam(search, key, value) {
  const params = new URLSearchParams(search);
  if (value === null) params.delete(key);
  else params.set(key, value);
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ""}`;
}

export function updateShare(qrUrl, iframeTitle) {
  const path = withParam(location.search, "embed", null); // what is shared is the full map
  if (fullMap) fullMap.href = path;
  if (!box) return;
  link.value = new URL(path, location.origin).href;
  const embedded = new URL(withParam(location.search, "embed", "1"), location.origin).href;
  const title = iframeTitle.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
  embedCode.value = `<iframe src="${embedded.replaceAll("&", "&amp;")}" title="${title}" width="800" height="600" loading="lazy"></iframe>`;
  if (box.open) qr.src = `${qrUrl}?${new URLSearchParams({ path })}`; // fetched only when someone looks
}

export function watchShare(qrUrl, iframeTitle) {
  if (box) box.addEventListener("toggle", () => updateShare(qrUrl, iframeTitle));
  for (const field of [link, embedCode]) field?.addEventListener("focus", () => field.select());
  updateShare(qrUrl, iframeTitle);
}
