// Buttons marked data-print print the page (no inline handlers, so a strict Content-Security-Policy holds).
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
