// Suggestions as people type in a search box (ARIA 1.2 combobox with a grouped listbox): at most 8 records
// grouped by kind, from /search/suggest.json; arrow keys move, Enter or a click opens the record on the map,
// Escape closes. Any input with data-suggest-url gets it.
(function () {
  "use strict";

  function attach(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = input.form ? input.form.querySelector("[data-suggest-status]") : null;
    status = status || (list.parentNode && list.parentNode.querySelector("[data-suggest-status]"));
    var options = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(option) {
      window.location.assign(option.getAttribute("data-url"));
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(groups) {
      list.textContent = "";
      options = [];
      groups.forEach(function (group, g) {
        var box = document.createElement("div");
        box.setAttribute("role", "group");
        var heading = document.createElement("div");
        heading.className = "suggestion-kind";
        heading.id = list.id + "-g" + g;
        heading.setAttribute("role", "presentation");
        heading.textContent = group.label;
        box.setAttribute("aria-labelledby", heading.id);
        box.appendChild(heading);
        group.items.forEach(function (item) {
          var option = document.createElement("div");
          option.setAttribute("role", "option");
          option.id = list.id + "-o" + options.length;
          option.className = "suggestion";
          option.setAttribute("aria-selected", "false");
          option.setAttribute("data-url", item.url);
          option.textContent = item.name;
          option.addEventListener("mousedown", function (event) {
            event.preventDefault(); // keep the focus in the box
            choose(option);
          });
          box.appendChild(option);
          options.push(option);
        });
        list.appendChild(box);
      });
      var count = options.length;
      if (status) {
        status.textContent = count
          ? input.getAttribute("data-suggest-count").replace("%(count)s", count)
          : input.getAttribute("data-suggest-none");
      }
      if (count) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        active = -1;
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      var ticket = ++latest;
      if (!q) {
        close();
        return;
      }
      var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(q);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { groups: [] };
        })
        .then(function (data) {
          if (ticket === latest) render(data.groups || []); // a slower, older answer never wins
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length || list.hidden) return;
        event.preventDefault();
        var next = active + (event.key === "ArrowDown" ? 1 : -1);
        highlight(next >= options.length ? 0 : next < 0 ? options.length - 1 : next); // wraps around
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        choose(options[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(attach);
})();
