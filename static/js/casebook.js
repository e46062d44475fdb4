/*
 * On every page. After a refused form the error summary at the top takes the focus, so that a screen reader
 * reads it and the keyboard starts from it; each of its links puts the cursor in the field it names (a link
 * to an id only scrolls there), opening a closed <details> around it, and in the first box of a group.
 */
(function () {
  "use strict";

  function fieldFor(id) {
    const target = document.getElementById(id);
    if (!target || target.matches("input, select, textarea")) return target;
    return target.querySelector("input:not([type=hidden]), select, textarea") || target;
  }

  function bindSummary() {
    const summary = document.getElementById("form-errors");
    if (!summary) return;
    summary.focus();
    // A form posted from a page whose address ends in #main (the skip link) comes back with it, and the
    // browser then focuses <main>: take the focus back unless the user has moved it somewhere.
    window.addEventListener("load", function () {
      const active = document.activeElement;
      if (!active || active === document.body || active.id === "main") summary.focus();
    }, { once: true });
    summary.addEventListener("click", function (event) {
      const link = event.target.closest("a[href^='#']");
      const field = link && fieldFor(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) return;
      event.preventDefault();
      const details = field.closest("details");
      if (details) details.open = true;
      field.focus({ preventScroll: true });
      field.scrollIntoView({ block: "center" });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindSummary);
  else bindSummary();
})();
