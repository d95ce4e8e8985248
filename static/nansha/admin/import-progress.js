// While a spreadsheet is being uploaded, says so; the rows are then read by a background job whose page shows its
// progress (see jobs/admin.py and nansha/staff/import_progress.py).
(function () {
  "use strict";

  document.addEventListener("submit", (event) => {
    const field = event.target.querySelector("input[data-import-progress]");
    if (!field) return;
    const box = document.createElement("p");
    box.className = "import-progress";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    const bar = document.createElement("progress");
    const text = document.createElement("span");
    text.textContent = " " + field.dataset.waiting;
    box.append(bar, text);
    (event.target.querySelector(".submit-row") || event.target).after(box);
  });
})();
