// Shows how far a spreadsheet import has got while the server reads it (see nansha/staff/import_progress.py).
(function () {
  "use strict";

  function newToken() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  document.addEventListener("submit", (event) => {
    const field = event.target.querySelector("input[data-import-progress]");
    if (!field) return;
    const token = newToken();
    field.value = token;
    const url = location.pathname.replace(/[^/]+\/$/, "") + "import/progress/" + token + "/";

    const box = document.createElement("p");
    box.className = "import-progress";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    const bar = document.createElement("progress");
    const text = document.createElement("span");
    text.textContent = " " + field.dataset.waiting;
    box.append(bar, text);
    (event.target.querySelector(".submit-row") || event.target).after(box);

    const poll = () => {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then((state) => {
          if (state && state.total) {
            bar.max = state.total;
            bar.value = state.done;
            text.textContent = " " + field.dataset.label.replace("{done}", state.done).replace("{total}", state.total);
          }
        })
        .catch(() => {})
        .finally(() => window.setTimeout(poll, 700));
    };
    window.setTimeout(poll, 500);
  });
})();
