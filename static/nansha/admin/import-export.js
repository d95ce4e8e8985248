// django-import-export's export form: "Select all" ticks or clears every field. The package wires it with an
// inline onchange attribute, which the Content-Security-Policy refuses; templates/admin/import_export/export.html
// drops the attribute and this listens instead (onSelectToggleChange comes from export_selectable_fields.js).
for (const toggle of document.querySelectorAll("input.select-toggle")) {
  toggle.addEventListener("change", (event) => window.onSelectToggleChange(event));
}
