// Polls a background job's progress (jobs/admin.py) and reloads the page when it has finished.
(function () {
  "use strict";

  function follow(box) {
    const bar = box.querySelector("progress");
    const text = box.querySelector(".job-text");
    const poll = () => {
      fetch(box.dataset.jobProgress, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then((state) => {
          if (!state) return;
          if (state.total) {
            bar.max = state.total;
            bar.value = state.done;
          }
          text.textContent = state.status_label + " · " + state.done + " / " + (state.total || "?");
          if (state.finished) {
            window.location.reload();
            return;
          }
          window.setTimeout(poll, 700);
        })
        .catch(() => window.setTimeout(poll, 2000));
    };
    window.setTimeout(poll, 500);
  }

  function start() {
    document.querySelectorAll("[data-job-progress]").forEach((box) => {
      if (!box.dataset.finished) follow(box);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
