/*
 * Form logic in the browser: the twin of surveys/formlogic.py (whose docstring is the specification).
 * Given a form's nodes and the current answers it computes repeat counts, relevance, calculated values,
 * defaults, requirements, constraints, filtered choices and errors, with CasebookExpressions.
 * Paths are "2.1" strings. Nothing is ever eval-ed.
 *
 * window.CasebookFormLogic = {compileForm, evaluateForm, triggerNames, MAX_REPEAT_COUNT}
 */
(function () {
  "use strict";

  const E = window.CasebookExpressions;
  const MAX_REPEAT_COUNT = 1000;
  const EXPRESSION_ATTRIBUTES = [
    "relevant",
    "constraint",
    "required",
    "calculation",
    "default",
    "read_only",
    "repeat_count",
    "choice_filter",
  ];
  const DEPENDENCY_ATTRIBUTES = ["relevant", "calculation", "repeat_count", "default"];
  const FLAGS_ON = ["yes", "true", "true()"];
  const FLAGS_OFF = ["", "no", "false", "false()"];
  const NEVER_REQUIRED = ["note", "calculate"];
  const SELECTS = ["select_one", "select_multiple"];
  const has = (object, key) => object !== null && object !== undefined && Object.prototype.hasOwnProperty.call(object, key);
  const text = (node, key) => (typeof node[key] === "string" ? node[key] : "");

  function flag(value) {
    const lowered = value.trim().toLowerCase();
    if (FLAGS_OFF.includes(lowered)) return false;
    if (FLAGS_ON.includes(lowered)) return true;
    return null;
  }
  const isDynamicDefault = (value) => value.includes("${") || value.includes("(");

  function triggerNames(value) {
    const names = [];
    for (const word of value.replace(/,/g, " ").split(/\s+/)) {
      const name = word.startsWith("${") && word.endsWith("}") ? word.slice(2, -1) : word;
      if (name && !names.includes(name)) names.push(name);
    }
    return names;
  }

  function parseOrNull(value) {
    if (!value.trim()) return null;
    try {
      return E.parse(value);
    } catch (error) {
      if (error instanceof E.ExpressionError) return null;
      throw error;
    }
  }

  class CompiledForm {
    constructor(form) {
      this.nodes = [];
      this.byName = new Map();
      const kinds = new Map();
      for (const raw of form) if (!kinds.has(text(raw, "name"))) kinds.set(text(raw, "name"), text(raw, "kind"));
      const repeats = {};
      for (const raw of form) {
        const name = text(raw, "name");
        if (this.byName.has(name)) continue;
        let parent = raw.parent || null;
        if (parent !== null && (!this.byName.has(parent) || !["group", "repeat"].includes(this.byName.get(parent).kind))) {
          parent = null;
        }
        let enclosing = [];
        if (parent !== null) enclosing = repeats[parent].concat(kinds.get(parent) === "repeat" ? [parent] : []);
        repeats[name] = enclosing;
        const trees = {};
        for (const attribute of EXPRESSION_ATTRIBUTES) {
          const value = text(raw, attribute);
          if ((attribute === "required" || attribute === "read_only") && flag(value) !== null) trees[attribute] = null;
          else if (attribute === "default" && !isDynamicDefault(value)) trees[attribute] = null;
          else trees[attribute] = parseOrNull(value);
        }
        const node = {
          index: this.nodes.length,
          name,
          kind: text(raw, "kind") || "question",
          parent,
          type: text(raw, "type"),
          enclosing,
          trees,
          requiredFlag: flag(text(raw, "required")),
          readOnlyFlag: flag(text(raw, "read_only")),
          defaultText: text(raw, "default"),
          dynamicDefault: isDynamicDefault(text(raw, "default")),
          triggers: triggerNames(text(raw, "trigger")),
          depends: [],
        };
        this.nodes.push(node);
        this.byName.set(name, node);
      }
      this.repeats = repeats;
      this.repeatNames = this.nodes.filter((node) => node.kind === "repeat").map((node) => node.name);
      for (const node of this.nodes) {
        const depends = new Set();
        if (node.parent !== null) depends.add(node.parent);
        for (const attribute of DEPENDENCY_ATTRIBUTES) {
          const tree = node.trees[attribute];
          if (tree) for (const name of E.references(tree)) depends.add(name);
        }
        depends.delete(node.name);
        node.depends = Array.from(depends)
          .filter((name) => this.byName.has(name))
          .sort();
      }
      const done = new Set();
      const remaining = this.nodes.slice();
      this.order = [];
      while (remaining.length) {
        let chosen = remaining.find((node) => node.depends.every((name) => done.has(name)));
        if (chosen === undefined) chosen = remaining[0];
        remaining.splice(remaining.indexOf(chosen), 1);
        done.add(chosen.name);
        this.order.push(chosen);
      }
    }
  }

  function compileForm(form) {
    return form instanceof CompiledForm ? form : new CompiledForm(form);
  }

  const pathKey = (path) => path.join(".");

  class Evaluation {
    constructor(compiled, input) {
      this.form = compiled;
      this.raw = input.values || {};
      this.userCounts = input.counts || {};
      this.choices = input.choices || {};
      this.changed = input.changed || {};
      this.effective = {};
      this.counts = {};
      this.relevant = {};
      this.produced = {};
      this.context = {
        values: this.effective,
        repeats: compiled.repeats,
        counts: this.counts,
        now: input.now,
        utc_offset: input.utc_offset,
        uuid: input.uuid,
        choice_labels: input.choice_labels || {},
        data: input.data || {},
        repeat_names: compiled.repeatNames,
      };
      this.offset = 0;
      if (input.utc_offset !== undefined && input.utc_offset !== null) this.offset = input.utc_offset;
      else if (input.now) {
        const match = /(Z|[-+]\d{2}:\d{2})$/.exec(input.now);
        if (match && match[1] !== "Z") {
          this.offset = (match[1][0] === "-" ? -1 : 1) * (Number(match[1].slice(1, 3)) * 60 + Number(match[1].slice(4, 6)));
        }
      }
    }

    evaluate(tree, node, path, current, choice) {
      const context = this.context;
      context.here = node.name;
      context.path = path;
      context.current = current === undefined ? null : current;
      context.choice = choice === undefined ? null : choice;
      return E.evaluate(tree, context);
    }

    instances(chain) {
      let paths = [[]];
      for (const repeat of chain) {
        const byParent = this.counts[repeat] || {};
        const next = [];
        for (const path of paths) {
          const count = byParent[pathKey(path)] || 0;
          for (let index = 1; index <= count; index += 1) next.push(path.concat([index]));
        }
        paths = next;
      }
      return paths;
    }

    rawValue(name, key) {
      const byPath = has(this.raw, name) ? this.raw[name] : null;
      if (!byPath || !has(byPath, key)) return null;
      return typeof byPath[key] === "string" ? byPath[key] : "";
    }

    fired(node, path) {
      // Whether a trigger question changed at this instance, an enclosing one or an enclosed one.
      for (const name of node.triggers) {
        for (const where of has(this.changed, name) ? this.changed[name] : []) {
          const parts = where ? where.split(".").map(Number) : [];
          const depth = Math.min(parts.length, path.length);
          if (parts.slice(0, depth).every((part, index) => part === path[index])) return true;
        }
      }
      return false;
    }

    compute(node) {
      let chain = node.enclosing;
      if (node.kind === "repeat") {
        const byParent = (this.counts[node.name] = {});
        const tree = node.trees.repeat_count;
        const user = has(this.userCounts, node.name) ? this.userCounts[node.name] : {};
        for (const parentPath of this.instances(node.enclosing)) {
          let count;
          if (tree) {
            const number = E.toNumber(this.evaluate(tree, node, parentPath), this.offset);
            count = Number.isNaN(number) || number < 1 ? 0 : Math.trunc(Math.min(number, MAX_REPEAT_COUNT));
          } else {
            count = Math.trunc(Number(user[pathKey(parentPath)] || 0)) || 0;
            count = Math.max(0, Math.min(count, MAX_REPEAT_COUNT));
          }
          byParent[pathKey(parentPath)] = count;
        }
        chain = node.enclosing.concat([node.name]);
      }
      const relevance = (this.relevant[node.name] = {});
      const values = (this.effective[node.name] = {});
      const produced = (this.produced[node.name] = new Set());
      let parentRelevance = null;
      let parentDepth = 0;
      if (node.parent !== null) {
        parentRelevance = this.relevant[node.parent] || {};
        const parent = this.form.byName.get(node.parent);
        parentDepth = parent.enclosing.length + (parent.kind === "repeat" ? 1 : 0);
      }
      const relevantTree = node.trees.relevant;
      const calculation = node.trees.calculation;
      for (const path of this.instances(chain)) {
        const key = pathKey(path);
        let shown = parentRelevance === null ? true : parentRelevance[pathKey(path.slice(0, parentDepth))] === true;
        if (shown && relevantTree) shown = E.toBoolean(this.evaluate(relevantTree, node, path));
        relevance[key] = shown;
        if (!shown || node.kind !== "question") continue;
        const raw = this.rawValue(node.name, key);
        if (node.triggers.length) {
          if (this.fired(node, path)) {
            values[key] = calculation ? E.toString(this.evaluate(calculation, node, path, raw || "")) : "";
            produced.add(key);
            continue;
          }
        } else if (calculation) {
          values[key] = E.toString(this.evaluate(calculation, node, path, raw || ""));
          produced.add(key);
          continue;
        }
        if (raw !== null) {
          values[key] = raw;
          produced.add(key);
        } else if (node.defaultText) {
          if (node.dynamicDefault) {
            const tree = node.trees.default;
            values[key] = tree ? E.toString(this.evaluate(tree, node, path, "")) : "";
          } else {
            values[key] = node.defaultText;
          }
          produced.add(key);
        }
      }
    }

    flag(node, attribute, fixed, path, value) {
      if (fixed !== null) return fixed;
      const tree = node.trees[attribute];
      return Boolean(tree) && E.toBoolean(this.evaluate(tree, node, path, value));
    }

    allowed(node, path, value, choiceList) {
      const tree = node.trees.choice_filter;
      const allowed = [];
      for (const choice of choiceList) {
        const name = String(has(choice, "name") ? choice.name : "");
        if (!tree || E.toBoolean(this.evaluate(tree, node, path, value, choice))) allowed.push(name);
      }
      return allowed;
    }

    run() {
      for (const node of this.form.order) this.compute(node);
      const result = {
        relevant: {},
        required: {},
        read_only: {},
        constraint_ok: {},
        values: {},
        counts: {},
        choices: {},
        errors: [],
      };
      for (const [name, byParent] of Object.entries(this.counts)) result.counts[name] = Object.assign({}, byParent);
      for (const node of this.form.nodes) {
        const relevance = this.relevant[node.name] || {};
        result.relevant[node.name] = Object.assign({}, relevance);
        if (node.kind !== "question") continue;
        const requiredMap = (result.required[node.name] = {});
        const readOnlyMap = (result.read_only[node.name] = {});
        const constraintMap = (result.constraint_ok[node.name] = {});
        const valuesMap = {};
        const choiceList = SELECTS.includes(node.type) && has(this.choices, node.name) ? this.choices[node.name] : null;
        const choicesMap = choiceList ? {} : null;
        for (const [key, shown] of Object.entries(relevance)) {
          if (!shown) {
            requiredMap[key] = false;
            readOnlyMap[key] = false;
            constraintMap[key] = true;
            continue;
          }
          const path = key ? key.split(".").map(Number) : [];
          const value = (this.effective[node.name] || {})[key] || "";
          if (this.produced[node.name] && this.produced[node.name].has(key)) valuesMap[key] = value;
          const required = this.flag(node, "required", node.requiredFlag, path, value);
          requiredMap[key] = required;
          readOnlyMap[key] = this.flag(node, "read_only", node.readOnlyFlag, path, value);
          let ok = true;
          if (node.trees.constraint && value !== "") ok = E.toBoolean(this.evaluate(node.trees.constraint, node, path, value));
          constraintMap[key] = ok;
          if (required && value === "" && !NEVER_REQUIRED.includes(node.type) && (!node.trees.calculation || node.triggers.length)) {
            result.errors.push({ name: node.name, path: key, kind: "required" });
          }
          if (!ok) result.errors.push({ name: node.name, path: key, kind: "constraint" });
          if (choicesMap) {
            const allowed = this.allowed(node, path, value, choiceList);
            choicesMap[key] = allowed;
            let chosen;
            if (node.type === "select_multiple") chosen = value.split(/[ \t\r\n]+/).filter((item) => item !== "");
            else chosen = value !== "" ? [value] : [];
            const wrong = chosen.filter((item) => !allowed.includes(item));
            if (wrong.length) result.errors.push({ name: node.name, path: key, kind: "choice", values: wrong });
          }
        }
        result.values[node.name] = valuesMap;
        if (choicesMap) result.choices[node.name] = choicesMap;
      }
      return result;
    }
  }

  // input: {values, counts, now, utc_offset, uuid, choices, choice_labels, data, changed}
  function evaluateForm(form, input) {
    return new Evaluation(compileForm(form), input || {}).run();
  }

  window.CasebookFormLogic = { compileForm, evaluateForm, CompiledForm, triggerNames, MAX_REPEAT_COUNT };
})();
