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

/*
 * Tables wider than the screen scroll sideways in their .table-responsive box (the network map in its own).
 * A box that scrolls takes the keyboard focus (Tab, then the arrow keys) and is a region named after its
 * table's caption (the map's title), or else after the heading above it, so that a screen reader says what it is (WCAG 2.1.1, axe's scrollable-region-focusable).
 */
(function () {
  "use strict";
  const HEADINGS = "h1, h2, h3, h4, h5, h6";
  // The boxes that scroll sideways on a phone: wide tables, and the network map (clusters/network.html).
  const SCROLL_BOXES = ".table-responsive, .network-scroll";
  let counter = 0;

  function idOf(element) {
    if (!element.id) element.id = "table-name-" + (++counter);
    return element.id;
  }

  function nameFor(box) {
    const caption = box.querySelector("caption, svg > title");
    if (caption && caption.textContent.trim()) return caption;
    for (let node = box; node && node !== document.body; node = node.parentElement) {
      for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
        const headings = before.matches(HEADINGS) ? [before] : before.querySelectorAll(HEADINGS);
        const heading = headings[headings.length - 1];
        if (heading && heading.textContent.trim()) return heading;
      }
    }
    return null;
  }

  function mark(box) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      const name = nameFor(box);
      if (name) box.setAttribute("aria-labelledby", idOf(name));
      box.dataset.scrollRegion = "1";
    } else if (!scrolls && box.dataset.scrollRegion) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-labelledby");
      delete box.dataset.scrollRegion;
    }
  }

  function markAll() {
    document.querySelectorAll(SCROLL_BOXES).forEach(mark);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markAll);
  else markAll();
  let pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(markAll, 150);
  });
})();
