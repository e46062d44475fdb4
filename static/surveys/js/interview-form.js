/*
 * The interview form: a filter box above long actor checklists (relationship questions).
 * Typing hides the actors whose name does not contain the text; ticked actors always stay visible.
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function bindFilter(input) {
    const list = document.getElementById(input.getAttribute("data-actor-filter"));
    if (!list) return;
    const items = Array.from(list.querySelectorAll(".form-check"));
    input.addEventListener("input", function () {
      const wanted = fold(input.value.trim());
      for (const item of items) {
        const box = item.querySelector("input");
        const matches = !wanted || fold(item.textContent).includes(wanted);
        item.hidden = !(matches || (box && box.checked));
      }
    });
  }

  function bindAll() {
    document.querySelectorAll("[data-actor-filter]").forEach(bindFilter);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindAll);
  else bindAll();
})();
