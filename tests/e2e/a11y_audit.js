// The accessibility audit that tests/e2e/test_every_page.py runs in each page (page.evaluate).
// It returns {problems: [...], skipped: {...}}; each problem is one line a person can act on.
// What it checks, and what it leaves out, is described in docs/accessibility.md.
() => {
  const problems = [];
  const skipped = { textOverImage: 0, svgText: 0 };
  const MAX_PER_KIND = 8;
  const counts = {};

  function report(kind, message) {
    counts[kind] = (counts[kind] || 0) + 1;
    if (counts[kind] <= MAX_PER_KIND) problems.push(`${kind}: ${message}`);
    else if (counts[kind] === MAX_PER_KIND + 1) problems.push(`${kind}: ... and more`);
  }

  function squash(text) {
    return (text || "").replace(/\s+/g, " ").trim();
  }

  function describe(el) {
    let label = el.tagName.toLowerCase();
    if (el.id) label += `#${el.id}`;
    const classes = squash(typeof el.className === "string" ? el.className : "");
    if (classes) label += "." + classes.split(" ").slice(0, 3).join(".");
    const name = el.getAttribute("name");
    if (name) label += `[name=${name}]`;
    const text = squash(el.textContent).slice(0, 40);
    return text ? `${label} "${text}"` : label;
  }

  function rendered(el) {
    if (el.closest("[hidden]")) return false;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || style.visibility === "collapse") return false;
    return el.getClientRects().length > 0;
  }

  // Closed <details> and the collapsed phone menu hide content a user can open: open them so it is checked too.
  document.querySelectorAll("details:not([open])").forEach((details) => (details.open = true));
  document.querySelectorAll(".navbar-collapse.collapse").forEach((menu) => menu.classList.add("show"));

  // --- The page as a whole ---
  const root = document.documentElement;
  if (!squash(root.getAttribute("lang"))) report("lang", "<html> has no lang attribute");
  if (!squash(document.title)) report("title", "the page has no <title>");
  const h1s = Array.from(document.querySelectorAll("h1")).filter(rendered);
  if (h1s.length !== 1) report("h1", `${h1s.length} visible <h1> elements, expected exactly one`);

  // --- Horizontal overflow on a phone: name the innermost elements that stick out ---
  if (root.scrollWidth > window.innerWidth + 1) {
    const width = window.innerWidth;
    const sticking = Array.from(document.body.querySelectorAll("*")).filter((el) => {
      if (!rendered(el)) return false;
      const rect = el.getBoundingClientRect();
      if (rect.right <= width + 1) return false;
      // Inside a box that scrolls (a .table-responsive), sticking out is the box's business.
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const overflowX = getComputedStyle(up).overflowX;
        if (overflowX !== "visible" && overflowX !== "clip") return false;
      }
      return true;
    });
    let innermost = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other)));
    if (!innermost.length) {
      // Something positioned outside its scrolling box (e.g. an absolutely positioned .visually-hidden).
      const escaping = Array.from(document.body.querySelectorAll("*")).filter(
        (el) => el.getBoundingClientRect().right > width + 1,
      );
      innermost = escaping.filter((el) => !escaping.some((other) => other !== el && el.contains(other)));
    }
    report(
      "overflow",
      `page is ${root.scrollWidth}px wide in a ${width}px window; sticking out: ` +
        innermost.slice(0, 4).map(describe).join("; "),
    );
  }

  // --- Ids: duplicates break label-for, aria-labelledby and aria-describedby ---
  const seen = new Map();
  document.querySelectorAll("[id]").forEach((el) => seen.set(el.id, (seen.get(el.id) || 0) + 1));
  for (const [id, count] of seen) if (count > 1) report("duplicate-id", `id "${id}" is used ${count} times`);
  document.querySelectorAll("[aria-labelledby], [aria-describedby], [aria-controls]").forEach((el) => {
    for (const attribute of ["aria-labelledby", "aria-describedby", "aria-controls"]) {
      for (const id of squash(el.getAttribute(attribute)).split(" ").filter(Boolean)) {
        if (!document.getElementById(id)) report("aria-ref", `${attribute}="${id}" on ${describe(el)} points nowhere`);
      }
    }
  });

  // Links within the page (the skip link, the error summary's links to fields) must lead somewhere.
  document.querySelectorAll("a[href^='#']").forEach((link) => {
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (id && !document.getElementById(id)) report("aria-ref", `link ${describe(link)} points at #${id}, which is missing`);
  });

  function referencedText(el, attribute) {
    return squash(
      squash(el.getAttribute(attribute))
        .split(" ")
        .filter(Boolean)
        .map((id) => document.getElementById(id))
        .filter(Boolean)
        .map((target) => target.textContent)
        .join(" "),
    );
  }

  function labelText(label) {
    return squash(label.textContent.replace(/\*/g, ""));
  }

  // --- Form fields: a <label for>, a wrapping label, aria-label or aria-labelledby with text ---
  const fields = document.querySelectorAll("input, select, textarea");
  for (const field of fields) {
    const type = (field.getAttribute("type") || "").toLowerCase();
    if (["hidden", "submit", "button", "reset", "image"].includes(type)) continue;
    if (!rendered(field)) continue;
    const name =
      referencedText(field, "aria-labelledby") ||
      squash(field.getAttribute("aria-label")) ||
      Array.from(field.labels || [])
        .map(labelText)
        .join(" ");
    if (!name) report("field-name", `${describe(field)} has no label`);
  }

  // --- Images ---
  document.querySelectorAll("img:not([alt])").forEach((img) => report("img-alt", `${describe(img)} has no alt`));
  document.querySelectorAll("svg[role=img]").forEach((svg) => {
    const title = svg.querySelector(":scope > title");
    if (!referencedText(svg, "aria-labelledby") && !squash(svg.getAttribute("aria-label")) && !squash(title && title.textContent)) {
      report("img-alt", `${describe(svg)} (svg role=img) has no name`);
    }
  });

  // --- Links and buttons: text, aria-label, aria-labelledby or title ---
  const controls = document.querySelectorAll("a[href], button, input[type=submit], input[type=button], input[type=reset], [role=button], summary");
  for (const control of controls) {
    const images = Array.from(control.querySelectorAll("img[alt]")).map((img) => img.getAttribute("alt"));
    const name =
      squash(control.textContent) ||
      squash(images.join(" ")) ||
      (control.tagName === "INPUT" && squash(control.value)) ||
      squash(control.getAttribute("aria-label")) ||
      referencedText(control, "aria-labelledby") ||
      squash(control.getAttribute("title"));
    if (!name) report("control-name", `${describe(control)} (${control.outerHTML.slice(0, 80)}) has no accessible name`);
  }

  // --- Colour contrast of text (WCAG 2.1 1.4.3) ---
  function parseColour(value) {
    let match = /^rgba?\(([^)]+)\)$/.exec(value);
    if (!match) match = /^color\(srgb ([^)]+)\)$/.exec(value);
    if (!match) return null;
    const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(Number.parseFloat);
    const scale = value.startsWith("color(") ? 255 : 1;
    return [parts[0] * scale, parts[1] * scale, parts[2] * scale, parts.length > 3 ? parts[3] : 1];
  }

  function over(top, bottom) {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  }

  function luminance(colour) {
    const [r, g, b] = colour.slice(0, 3).map((channel) => {
      const c = channel / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function ratio(one, other) {
    const [light, dark] = [luminance(one), luminance(other)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  }

  // Bootstrap draws small icons (the select caret, validity marks) as SVG data-URI backgrounds: not a picture.
  function isPicture(backgroundImage) {
    if (!backgroundImage || backgroundImage === "none") return false;
    return !/^url\("data:image\/svg\+xml/.test(backgroundImage);
  }

  // The colour behind an element: its own and its ancestors' backgrounds, composed over white.
  function backgroundOf(el) {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (isPicture(style.backgroundImage)) return null;
      const colour = parseColour(style.backgroundColor);
      if (colour && colour[3] > 0) {
        layers.push(colour);
        if (colour[3] >= 1) break;
      }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  }

  function opacityOf(el) {
    let opacity = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      opacity *= Number.parseFloat(getComputedStyle(node).opacity);
    }
    return opacity;
  }

  const textHolders = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (squash(node.nodeValue) && node.parentElement) textHolders.add(node.parentElement);
  }
  document.querySelectorAll("input, select, textarea").forEach((el) => textHolders.add(el));

  const reported = new Set();
  for (const el of textHolders) {
    if (el.closest("script, style, noscript, template, option, optgroup, title")) continue;
    if (el.closest("svg")) {
      skipped.svgText += 1;
      continue;
    }
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (el.tagName === "INPUT" && ["hidden", "checkbox", "radio", "range", "color", "file", "image"].includes(type)) continue;
    // Disabled controls are exempt from 1.4.3.
    if (el.closest(":disabled, .disabled, [aria-disabled=true]")) continue;
    if (!rendered(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue; // .visually-hidden: read aloud, never seen
    const style = getComputedStyle(el);
    const background = backgroundOf(el);
    if (!background) {
      skipped.textOverImage += 1;
      continue;
    }
    const colour = parseColour(style.color);
    if (!colour) {
      report("contrast", `cannot read the colour ${style.color} of ${describe(el)}`);
      continue;
    }
    colour[3] *= opacityOf(el);
    const foreground = over(colour, background);
    const size = Number.parseFloat(style.fontSize);
    const bold = Number.parseInt(style.fontWeight, 10) >= 700;
    const large = size >= 24 || (size >= 18.66 && bold);
    const needed = large ? 3 : 4.5;
    const achieved = ratio(foreground, background);
    if (achieved + 0.005 < needed) {
      const rgb = (c) => `rgb(${c.slice(0, 3).map(Math.round).join(",")})`;
      const key = `${el.tagName}.${el.className} ${rgb(foreground)} ${rgb(background)}`;
      if (reported.has(key)) continue;
      reported.add(key);
      report(
        "contrast",
        `${achieved.toFixed(2)} < ${needed} for ${describe(el)}: ${rgb(foreground)} on ${rgb(background)}, ${size}px`,
      );
    }
  }

  return { problems, skipped };
}
