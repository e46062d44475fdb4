// Suggest registered actors while typing: fills the <datalist> named by the input's list attribute
// from the autocomplete endpoint (data-autocomplete-url). The browser's own datalist keeps it keyboard
// and screen-reader friendly; the server also accepts an exact name or RUC typed without suggestions.
(function () {
  "use strict";

  document.querySelectorAll("input[data-autocomplete-url][list]").forEach(function (input) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    let timer = null;
    let last = "";
    input.addEventListener("input", function () {
      const query = input.value.trim();
      if (query.length < 2 || query === last || query.includes("#")) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        last = query;
        const url = new URL(input.dataset.autocompleteUrl, window.location.href);
        url.searchParams.set("q", query);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (actor) {
              const option = document.createElement("option");
              option.value = actor.label;
              option.textContent = actor.kind_label + (actor.ruc ? " · RUC " + actor.ruc : "");
              list.appendChild(option);
            });
          });
      }, 200);
    });
  });
})();
