// Department -> province -> district: choosing one level refills the next with its children.
// The selects carry data-region-child (the id of the next select) and data-children-url (with 000000
// standing for the chosen code). Without JavaScript the server does the same on each submit.
(function () {
  "use strict";

  function clear(select) {
    const first = select.options[0];
    select.replaceChildren(first);
    select.value = "";
    select.dispatchEvent(new Event("change"));
  }

  function refill(select, url) {
    const child = document.getElementById(select.dataset.regionChild);
    if (!child) return;
    clear(child);
    if (!select.value) return;
    child.setAttribute("aria-busy", "true");
    fetch(url.replace("000000", encodeURIComponent(select.value)), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { children: [] }; })
      .then(function (data) {
        data.children.forEach(function (region) {
          child.add(new Option(region.name, region.code));
        });
      })
      .finally(function () { child.removeAttribute("aria-busy"); });
  }

  document.querySelectorAll("select[data-region-child]").forEach(function (select) {
    select.addEventListener("change", function () { refill(select, select.dataset.childrenUrl); });
  });
})();
