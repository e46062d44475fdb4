/*
 * The interview form in the browser: the form's logic (surveys/formlogic.py's twin, formlogic.js) runs on
 * every answer to show and hide questions and groups, fill calculations and the answers labels show,
 * filter choices, keep repeat counts, and tell a broken rule at its question. Repeats gain and lose
 * instances; names stay q_<code>__<repeat> as the server reads them. The server runs the same logic
 * again on saving: nothing here is trusted, it only helps.
 * No eval, no innerHTML: questionnaire text is only ever set as text.
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // --- Actor checklists: a filter box above long lists ------------------------------------------

  function bindActorFilter(input) {
    const list = document.getElementById(input.getAttribute("data-actor-filter"));
    if (!list || input.hasAttribute("data-bound")) return;
    input.setAttribute("data-bound", "");
    input.addEventListener("input", function () {
      const wanted = fold(input.value.trim());
      for (const item of list.querySelectorAll(".form-check")) {
        const box = item.querySelector("input");
        const matches = !wanted || fold(item.textContent).includes(wanted);
        item.hidden = !(matches || (box && box.checked));
      }
    });
  }

  // --- Reading answers ----------------------------------------------------------------------------

  const NUMBER_TYPES = new Set(["integer", "decimal", "range", "scale"]);
  const THOUSANDS = /^-?\d{1,3}(,\d{3})+$/;

  function numberText(text) {
    // As surveys.forms.parse_number reads it: a lone comma not followed by three digits is a decimal comma.
    let value = text.replace(/[\s\u00a0]/g, "");
    if (value.includes(".") || THOUSANDS.test(value)) value = value.replace(/,/g, "");
    else if ((value.match(/,/g) || []).length === 1) value = value.replace(",", ".");
    return value;
  }

  function own(element, selector) {
    // The elements matching selector that belong to this question (not to a nested one).
    return Array.from(element.querySelectorAll(selector)).filter((el) => el.closest("[data-question]") === element);
  }

  function readAnswer(question) {
    const type = question.getAttribute("data-type");
    if (type === "note") return null;
    if (question.hasAttribute("data-computed")) {
      const hidden = question.querySelector("input");
      return hidden ? hidden.value : "";
    }
    const boxes = own(question, "input[type=checkbox], input[type=radio]");
    if (type === "acknowledge") return boxes.length && boxes[0].checked ? "OK" : "";
    if (boxes.length) {
      return boxes.filter((box) => box.checked).map((box) => box.value).join(" ");
    }
    if (type === "geopoint") {
      const parts = ["latitude", "longitude", "altitude", "accuracy"].map((part) => {
        const input = own(question, `[data-part=${part}]`)[0];
        return input ? numberText(input.value.trim()) : "";
      });
      return parts[0] && parts[1] ? parts.filter(Boolean).join(" ") : "";
    }
    const select = own(question, "select")[0];
    if (select) {
      return Array.from(select.selectedOptions).map((option) => option.value).filter(Boolean).join(" ");
    }
    const file = own(question, "input[type=file]")[0];
    if (file) {
      if (file.files && file.files.length) return file.files[0].name;
      const current = own(question, "[data-current-file] a")[0];
      const cleared = own(question, "input[type=checkbox][name$='-clear']")[0];
      return current && !(cleared && cleared.checked) ? current.textContent.trim() : "";
    }
    const input = own(question, "input:not([type=hidden]), textarea")[0];
    if (!input) return null;
    const value = input.value.trim();
    return NUMBER_TYPES.has(type) ? numberText(value) : value;
  }

  // --- Paths and names ----------------------------------------------------------------------------

  function pathOf(element) {
    const instance = element.parentElement ? element.parentElement.closest("[data-instance]") : null;
    return instance ? instance.getAttribute("data-path") : "";
  }

  function fieldName(code, path) {
    return "q_" + code + (path ? "__" + path : "");
  }

  function rename(root, oldName, newName) {
    if (oldName === newName) return;
    for (const el of [root, ...root.querySelectorAll("*")]) {
      for (const attribute of ["name", "id", "for", "aria-describedby", "data-actor-filter"]) {
        const value = el.getAttribute(attribute);
        if (value && value.includes(oldName)) el.setAttribute(attribute, value.split(oldName).join(newName));
      }
    }
  }

  function renumber(form) {
    // Instances are numbered 1, 2, … in each repeat; every name inside follows its instance's path.
    for (const repeat of form.querySelectorAll("[data-repeat]")) {
      const parent = pathOf(repeat);
      const instances = Array.from(repeat.querySelector("[data-instances]").children).filter((el) =>
        el.hasAttribute("data-instance"),
      );
      instances.forEach((instance, index) => {
        const number = String(index + 1);
        instance.setAttribute("data-index", number);
        instance.setAttribute("data-path", parent ? parent + "." + number : number);
        const label = instance.querySelector(":scope > legend [data-number]");
        if (label) label.textContent = number;
      });
      repeat.setAttribute("data-path", parent);
      const count = repeat.querySelector(":scope > [data-count]");
      const code = repeat.getAttribute("data-repeat");
      count.name = "r_" + code + (parent ? "__" + parent : "");
      count.value = String(instances.length);
    }
    for (const node of form.querySelectorAll("[data-question], [data-node]:not([data-repeat])")) {
      const old = node.getAttribute("data-path") || "";
      const path = pathOf(node);
      if (node.hasAttribute("data-question")) {
        const code = node.getAttribute("data-code");
        rename(node, fieldName(code, old), fieldName(code, path));
      }
      node.setAttribute("data-path", path);
    }
  }

  function addInstance(repeat, form) {
    const template = repeat.querySelector(":scope > template[data-template]");
    const copy = template.content.firstElementChild.cloneNode(true);
    repeat.querySelector(":scope > [data-instances]").appendChild(copy);
    renumber(form);
    bindWithin(copy, form);
    return copy;
  }

  // --- Applying the logic -------------------------------------------------------------------------

  function gather(form) {
    const values = {};
    for (const question of form.querySelectorAll("[data-question]")) {
      const value = readAnswer(question);
      if (value === null) continue;
      const code = question.getAttribute("data-code");
      (values[code] = values[code] || {})[question.getAttribute("data-path") || ""] = value;
    }
    const counts = {};
    for (const repeat of form.querySelectorAll("[data-repeat]")) {
      const code = repeat.getAttribute("data-repeat");
      (counts[code] = counts[code] || {})[repeat.getAttribute("data-path") || ""] = Number(
        repeat.querySelector(":scope > [data-count]").value,
      );
    }
    return { values, counts };
  }

  function lookup(table, code, path) {
    // The value of code seen from path: the same instance, else an enclosing one, else the top.
    const byPath = table[code] || {};
    let here = path;
    while (true) {
      if (Object.prototype.hasOwnProperty.call(byPath, here)) return byPath[here];
      if (!here) return undefined;
      here = here.includes(".") ? here.slice(0, here.lastIndexOf(".")) : "";
    }
  }

  function setInput(question, value) {
    const selector = question.hasAttribute("data-computed")
      ? "input"
      : "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea";
    const input = own(question, selector)[0];
    if (input && document.activeElement !== input && input.value !== value) input.value = value;
  }

  function setAnswer(question, value) {
    // A triggered answer in the page, whatever its control (the inverse of readAnswer): buttons and boxes
    // are checked by value (a select_multiple's value is its choices separated by spaces), a list's options
    // selected, a text or number typed in. A value that is no choice leaves nothing chosen.
    const type = question.getAttribute("data-type");
    if (question.hasAttribute("data-computed")) return setInput(question, value);
    const boxes = own(question, "input[type=checkbox], input[type=radio]");
    if (type === "acknowledge") {
      if (boxes.length) boxes[0].checked = value === "OK";
      return;
    }
    const chosen = new Set(value.split(/\s+/).filter(Boolean));
    if (boxes.length) {
      for (const box of boxes) box.checked = chosen.has(box.value);
      return;
    }
    const select = own(question, "select")[0];
    if (select) {
      for (const option of select.options) option.selected = option.value !== "" && chosen.has(option.value);
      if (!select.multiple && select.selectedIndex === -1) select.value = "";
      return;
    }
    setInput(question, value);
  }

  function apply(form, logic, result) {
    for (const element of form.querySelectorAll("[data-question], [data-node]")) {
      const code = element.getAttribute("data-code") || element.getAttribute("data-node");
      const shown = lookup(result.relevant, code, element.getAttribute("data-path") || "");
      element.hidden = shown === false;
    }
    for (const output of form.querySelectorAll("[data-output]")) {
      const value = lookup(result.values, output.getAttribute("data-output"), pathOf(output));
      output.textContent = value === undefined ? "" : String(value);
    }
    for (const question of form.querySelectorAll("[data-question]")) {
      const code = question.getAttribute("data-code");
      const path = question.getAttribute("data-path") || "";
      if (logic.calculated.has(code)) setInput(question, String(lookup(result.values, code, path) || ""));
      const allowed = result.choices && result.choices[code] && result.choices[code][path];
      if (allowed) {
        const keep = new Set(allowed);
        for (const choice of own(question, "[data-choice]")) choice.hidden = !keep.has(choice.getAttribute("data-choice"));
        for (const option of own(question, "select option")) {
          if (option.value) option.hidden = option.disabled = !keep.has(option.value);
        }
      }
      const message = own(question, "[data-constraint-message]")[0];
      if (message) {
        const failed = (result.errors || []).some(
          (error) => error.kind === "constraint" && error.name === code && (error.path || "") === path,
        );
        message.hidden = !(failed && question.hasAttribute("data-touched"));
      }
    }
    for (const repeat of form.querySelectorAll("[data-repeat][data-fixed]")) {
      const wanted = lookup(result.counts, repeat.getAttribute("data-repeat"), repeat.getAttribute("data-path") || "");
      if (typeof wanted !== "number") continue;
      const holder = repeat.querySelector(":scope > [data-instances]");
      let guard = 200;
      while (holder.children.length < Math.min(wanted, 200) && guard--) addInstance(repeat, form);
      while (holder.children.length > Math.max(wanted, 0)) holder.lastElementChild.remove();
      renumber(form);
    }
  }

  function reader(logic) {
    // The shape formlogic.js takes and gives back, kept in one place.
    const compiled = window.CasebookFormLogic.compileForm(logic.nodes);
    return function (state) {
      const now = new Date();
      return window.CasebookFormLogic.evaluateForm(compiled, {
        values: state.values,
        counts: state.counts,
        choices: logic.choices,
        choice_labels: logic.choice_labels,
        data: logic.data,
        changed: state.changed,
        now: now.toISOString(),
        utc_offset: -now.getTimezoneOffset(),
      });
    };
  }

  // --- Binding ------------------------------------------------------------------------------------

  function bindWithin(root, form) {
    root.querySelectorAll("[data-actor-filter]").forEach(bindActorFilter);
    for (const button of root.querySelectorAll("[data-add]")) {
      if (button.hasAttribute("data-bound")) continue;
      button.setAttribute("data-bound", "");
      button.addEventListener("click", function () {
        const copy = addInstance(button.closest("[data-repeat]"), form);
        form.dispatchEvent(new Event("input"));
        const first = copy.querySelector("input:not([type=hidden]), select, textarea");
        if (first) first.focus();
      });
    }
    for (const button of root.querySelectorAll("[data-remove]")) {
      if (button.hasAttribute("data-bound")) continue;
      button.setAttribute("data-bound", "");
      button.addEventListener("click", function () {
        const instance = button.closest("[data-instance]");
        const repeat = instance.closest("[data-repeat]");
        instance.remove();
        renumber(form);
        form.dispatchEvent(new Event("input"));
        const add = repeat.querySelector(":scope > [data-add]");
        if (add) add.focus();
      });
    }
    for (const box of root.querySelectorAll("[data-location]")) {
      const button = box.querySelector("[data-locate]");
      if (!button || button.hasAttribute("data-bound") || !navigator.geolocation) continue;
      button.setAttribute("data-bound", "");
      button.hidden = false;
      const status = box.querySelector("[data-locate-status]");
      button.addEventListener("click", function () {
        status.textContent = button.getAttribute("data-wait") || "…";
        navigator.geolocation.getCurrentPosition(
          function (position) {
            const coords = position.coords;
            const parts = { latitude: coords.latitude, longitude: coords.longitude, altitude: coords.altitude, accuracy: coords.accuracy };
            for (const [part, value] of Object.entries(parts)) {
              const input = box.querySelector(`[data-part=${part}]`);
              if (input) input.value = value === null || value === undefined ? "" : String(value);
            }
            status.textContent = "✓";
            form.dispatchEvent(new Event("input"));
          },
          function (error) {
            status.textContent = error.message;
          },
          { enableHighAccuracy: true, timeout: 30000 },
        );
      });
    }
    for (const range of root.querySelectorAll("input[type=range]")) {
      const output = range.parentElement.querySelector("[data-range-value]");
      if (output) range.addEventListener("input", () => (output.textContent = range.value));
    }
  }

  function bindForm(form) {
    if (form.hasAttribute("data-bound")) return;
    form.setAttribute("data-bound", "");
    const source = document.getElementById("form-logic");
    bindWithin(form, form);
    if (!source || !window.CasebookFormLogic) return;
    const logic = JSON.parse(source.textContent);
    // A question with a trigger is not calculated continuously: it is set when a trigger question changes.
    logic.calculated = new Set(
      logic.nodes.filter((node) => node.calculation && !node.trigger).map((node) => node.name),
    );
    const triggered = logic.nodes
      .filter((node) => node.trigger)
      .map((node) => ({ name: node.name, triggers: window.CasebookFormLogic.triggerNames(node.trigger) }));
    const run = reader(logic);
    if (triggered.length && !form.querySelector("input[name=triggers_set]")) {
      // The page sets triggered answers as the person goes: the server keeps them as posted (as from a device).
      const mark = document.createElement("input");
      mark.type = "hidden";
      mark.name = "triggers_set";
      mark.value = "browser";
      form.appendChild(mark);
    }
    function fireTriggers(question) {
      // XLSForm's trigger (a setvalue on xforms-value-changed): the questions it triggers get their
      // calculation, or are emptied, at the same repeat instance and those around or within it.
      const code = question.getAttribute("data-code");
      const path = question.getAttribute("data-path") || "";
      const names = new Set(triggered.filter((node) => node.triggers.includes(code)).map((node) => node.name));
      if (!names.size) return false;
      const state = gather(form);
      state.changed = { [code]: [path] };
      const result = run(state);
      for (const target of form.querySelectorAll("[data-question]")) {
        const name = target.getAttribute("data-code");
        if (!names.has(name)) continue;
        const here = target.getAttribute("data-path") || "";
        const value = (result.values[name] || {})[here];
        if (value !== undefined) setAnswer(target, String(value));
      }
      return true;
    }
    function refresh() {
      try {
        apply(form, logic, run(gather(form)));
      } catch (error) {
        // The page still works without the logic (the server applies it on saving).
        if (window.console) window.console.warn("form logic:", error);
      }
    }
    form.addEventListener("input", refresh);
    form.addEventListener("change", function (event) {
      const question = event.target.closest("[data-question]");
      if (question) question.setAttribute("data-touched", "");
      // Setting a triggered answer is an input like the person's own (the page's copy is kept, the logic runs).
      if (question && fireTriggers(question)) form.dispatchEvent(new Event("input"));
      else refresh();
    });
    refresh();
  }

  // --- Offline: kept in the browser, sent when the connection allows (offline.js) -------------------

  function setState(form, state) {
    const box = document.querySelector("[data-offline-state]");
    if (!box) return;
    for (const message of box.querySelectorAll("[data-when]")) message.hidden = message.getAttribute("data-when") !== state;
    box.hidden = !state;
  }

  function restore(form, saved) {
    // Put a stored interview back in the page: its repeats' instances first, then every value and file.
    const offline = window.CasebookOffline;
    const counts = saved.entries.filter(([name]) => name.startsWith("r_"));
    counts.sort((a, b) => a[0].split(".").length - b[0].split(".").length);
    for (const [name, value] of counts) {
      const input = form.querySelector(`[data-count][name="${CSS.escape(name)}"]`);
      const repeat = input && input.closest("[data-repeat]");
      let guard = 200;
      while (repeat && Number(input.value) < Number(value) && guard--) addInstance(repeat, form);
    }
    const files = {};
    for (const [name, value] of saved.entries) {
      if (value instanceof File) {
        (files[name] = files[name] || []).push(value);
        continue;
      }
      for (const field of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === value) field.checked = true;
        } else if (field.tagName === "SELECT") {
          for (const option of field.options) if (option.value === value) option.selected = true;
        } else if (field.type !== "file" && field.type !== "submit") {
          field.value = value;
        }
      }
    }
    for (const [name, list] of Object.entries(files)) {
      const input = form.querySelector(`input[type=file][name="${CSS.escape(name)}"]`);
      if (!input || typeof DataTransfer === "undefined") continue;
      const transfer = new DataTransfer();
      list.forEach((file) => transfer.items.add(file));
      input.files = transfer.files;
    }
    form.dispatchEvent(new Event("input"));
    return offline;
  }

  function bindOffline(form) {
    const offline = window.CasebookOffline;
    if (!offline || !form.querySelector("[name=uuid]")) return;
    const uuid = () => form.querySelector("[name=uuid]").value;
    let bypass = false;
    let timer = null;

    function keep() {
      // What is typed is kept in this browser as it is typed (a pending send keeps its button).
      return offline.store.get(uuid()).then(function (existing) {
        const state = existing && existing.state === "pending" ? "pending" : "editing";
        const kept = offline.record(form, null, state);
        if (existing && state === "pending") {
          kept.entries = kept.entries.concat(existing.entries.filter(([name]) => name === "save" || name === "submit"));
        }
        return offline.store.put(kept);
      });
    }
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(() => keep().catch(() => null), 400);
    });

    form.addEventListener("submit", function (event) {
      if (bypass) return;
      event.preventDefault();
      const submitter = event.submitter;
      const saved = offline.record(form, submitter, "pending");
      offline.store
        .put(saved)
        .catch(() => null)
        .then(function () {
          if (!navigator.onLine) throw new Error("offline");
          return offline.send(saved);
        })
        .then(function (outcome) {
          if (!outcome.sent) throw new Error("not sent");
          return offline.store.remove(saved.uuid).then(function () {
            if (outcome.url) {
              window.location.assign(outcome.url);
            } else {
              // The server answered with the page itself (errors to show): post it again as the browser
              // would, the same page's token making it the same save.
              bypass = true;
              if (submitter) form.requestSubmit(submitter);
              else form.requestSubmit();
            }
          });
        })
        .catch(function () {
          setState(form, "pending");
          offline.showCount();
        });
    });

    document.addEventListener("casebook:sent", function (event) {
      const { saved, outcome } = event.detail;
      if (saved.uuid !== uuid()) return;
      if (outcome.url) window.location.assign(outcome.url);
      else window.location.reload();
    });

    // An interview kept in this browser and not sent (the page was closed, the phone ran out of battery):
    // offered back on the page that writes it.
    offline.store
      .all()
      .then(function (records) {
        const version = form.querySelector("[name=version]");
        const cluster = form.querySelector("[name=cluster]");
        const found = records.find(function (r) {
          if (r.uuid === uuid()) return true;
          if (!version || !cluster) return false;
          const values = Object.fromEntries(r.entries.filter(([, v]) => typeof v === "string"));
          return values.version === version.value && values.cluster === cluster.value && r.state !== "pending";
        });
        if (!found) return;
        if (found.state === "pending") {
          setState(form, "pending");
          return;
        }
        const banner = document.querySelector("[data-restore]");
        if (!banner) return;
        banner.hidden = false;
        banner.querySelector("[data-restore-time]").textContent = new Date(found.savedAt).toLocaleString();
        banner.querySelector("[data-restore-button]").addEventListener("click", function () {
          restore(form, found);
          banner.hidden = true;
        });
        banner.querySelector("[data-discard-button]").addEventListener("click", function () {
          offline.store.remove(found.uuid).catch(() => null);
          banner.hidden = true;
        });
      })
      .catch(() => null);
  }

  function bindAll() {
    document.querySelectorAll("form[data-interview-form]").forEach(function (form) {
      bindForm(form);
      bindOffline(form);
    });
  }

  window.CasebookInterviewForm = { bindForm, renumber, readAnswer };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindAll);
  else bindAll();
})();
