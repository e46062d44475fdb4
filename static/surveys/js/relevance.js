/*
 * Skip logic in the interview form: the XLSForm "relevant" language of surveys/relevance.py,
 * parsed into a tree (never eval-ed) and evaluated with exactly the same value rules (see the
 * docstring of surveys/relevance.py). Positions count Unicode code points, like Python.
 *
 * The binder: in every form[data-relevance-form], each element with data-question and
 * data-code="<code>" (and data-type="<Question.Type>") is a question; one with data-relevant is
 * hidden while its condition is false or while a question it reads, earlier in the form, is hidden.
 * Hidden questions keep what was typed into them: the server drops answers that are not relevant.
 */
(function () {
  "use strict";

  const MAX_LENGTH = 1000;
  const MAX_DEPTH = 50;
  const WHITESPACE = " \t\r\n\u00a0";
  const NUMERIC_TEXT = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
  const NUMBER_TYPES = new Set(["integer", "decimal", "scale"]);
  const FUNCTIONS = ["not", "selected", "true", "false"];

  const isNameStart = (c) => /^[A-Za-z_]$/.test(c);
  const isNameChar = (c) => /^[A-Za-z0-9_.-]$/.test(c);
  const isDigit = (c) => /^[0-9]$/.test(c);

  class RelevanceError extends Error {
    constructor(message, position) {
      super(message);
      this.name = "RelevanceError";
      this.position = position;
    }
  }

  // --- Tokens ---------------------------------------------------------------------------------

  function startsNumber(chars, i) {
    if (chars[i] === "-") i += 1;
    if (i < chars.length && isDigit(chars[i])) return true;
    return chars[i] === "." && i + 1 < chars.length && isDigit(chars[i + 1]);
  }

  function tokenize(chars) {
    const tokens = [];
    const n = chars.length;
    const slice = (a, b) => chars.slice(a, b).join("");
    const push = (kind, text, position, raw) => tokens.push({ kind, text, position, raw });
    let i = 0;
    while (i < n) {
      const c = chars[i];
      if (WHITESPACE.includes(c)) {
        i += 1;
      } else if (c === "$") {
        const bad = `Invalid question reference at character ${i + 1}: write \${code} with letters, digits and _.`;
        if (chars[i + 1] !== "{" || i + 2 >= n || !isNameStart(chars[i + 2])) throw new RelevanceError(bad, i);
        let j = i + 3;
        while (j < n && isNameChar(chars[j])) j += 1;
        if (j >= n || chars[j] !== "}") throw new RelevanceError(bad, i);
        push("ref", slice(i + 2, j), i, slice(i, j + 1));
        i = j + 1;
      } else if (c === "'" || c === '"') {
        const end = chars.indexOf(c, i + 1);
        if (end < 0) {
          throw new RelevanceError(`The text starting at character ${i + 1} is not closed: end it with ${c}.`, i);
        }
        push("text", slice(i + 1, end), i, slice(i, end + 1));
        i = end + 1;
      } else if (startsNumber(chars, i)) {
        let j = c === "-" ? i + 1 : i;
        while (j < n && isDigit(chars[j])) j += 1;
        if (j < n && chars[j] === ".") {
          j += 1;
          while (j < n && isDigit(chars[j])) j += 1;
        }
        push("number", slice(i, j), i, slice(i, j));
        i = j;
      } else if ("!<>".includes(c) && chars[i + 1] === "=") {
        push("op", c + "=", i, c + "=");
        i += 2;
      } else if ("=<>".includes(c)) {
        push("op", c, i, c);
        i += 1;
      } else if ("(),".includes(c)) {
        push("punct", c, i, c);
        i += 1;
      } else if (isNameStart(c)) {
        let j = i + 1;
        while (j < n && isNameChar(chars[j])) j += 1;
        push("word", slice(i, j), i, slice(i, j));
        i = j;
      } else {
        throw new RelevanceError(`Unexpected character '${c}' at character ${i + 1}.`, i);
      }
    }
    push("end", "", n, "");
    return tokens;
  }

  // --- Parser ---------------------------------------------------------------------------------

  const EXPECT = {
    condition: "a condition",
    value: "a ${question}, 'quoted text' or a number",
    comparison: "a comparison (=, !=, <, >, <=, >=)",
    continuation: "'and', 'or' or the end of the condition",
    close: "'and', 'or' or ')'",
    reference: "a question reference like ${code}",
    quoted: "quoted text",
  };

  function parse(expression) {
    const chars = Array.from(String(expression));
    if (chars.length > MAX_LENGTH) {
      throw new RelevanceError(
        `The condition is too long: ${chars.length} characters, at most ${MAX_LENGTH}.`,
        MAX_LENGTH,
      );
    }
    if (chars.every((c) => WHITESPACE.includes(c))) throw new RelevanceError("The condition is empty.", 0);
    const tokens = tokenize(chars);
    let index = 0;
    const peek = (offset = 0) => tokens[Math.min(index + offset, tokens.length - 1)];
    const take = () => tokens[index++];
    const is = (token, kind, text) => token.kind === kind && (text === undefined || token.text === text);

    function fail(expected) {
      const token = peek();
      let found = "end of the condition";
      if (token.kind !== "end") {
        const raw = Array.from(token.raw);
        const shown = raw.length <= 30 ? token.raw : raw.slice(0, 29).join("") + "\u2026";
        found = token.kind === "text" ? shown : `'${shown}'`;
      }
      const column = token.position + 1;
      throw new RelevanceError(`Unexpected ${found} at character ${column}: expected ${expected}.`, token.position);
    }
    function expect(kind, text, expected) {
      if (!is(peek(), kind, text)) fail(expected);
      return take();
    }
    function nest(depth) {
      if (depth >= MAX_DEPTH) {
        const position = peek().position;
        const message = `The condition nests too deeply at character ${position + 1}: at most ${MAX_DEPTH} levels.`;
        throw new RelevanceError(message, position);
      }
      return depth + 1;
    }
    function parseJoined(word, type, parseOperand, depth) {
      const operands = [parseOperand(depth)];
      while (is(peek(), "word", word)) {
        take();
        operands.push(parseOperand(depth));
      }
      return operands.length === 1 ? operands[0] : { type, operands };
    }
    const parseOr = (depth) => parseJoined("or", "or", parseAnd, depth);
    const parseAnd = (depth) => parseJoined("and", "and", parseAtom, depth);
    function parseGroup(innerDepth) {
      const inner = parseOr(innerDepth);
      expect("punct", ")", EXPECT.close);
      return inner;
    }
    function parseValue() {
      const token = peek();
      if (token.kind === "ref") return { type: "ref", code: take().text, position: token.position + 2 };
      if (token.kind === "text") return { type: "text", value: take().text };
      if (token.kind === "number") return { type: "number", value: Number(take().text) };
      return fail(EXPECT.value);
    }
    function parseFunction(depth) {
      const name = peek();
      if (!FUNCTIONS.includes(name.text)) {
        if (is(peek(1), "punct", "(")) {
          const message =
            `Unknown function '${name.text}' at character ${name.position + 1}: ` +
            "use selected(), not(), true() or false().";
          throw new RelevanceError(message, name.position);
        }
        fail(EXPECT.condition);
      }
      const innerDepth = name.text === "not" ? nest(depth) : depth;
      take();
      expect("punct", "(", "'('");
      if (name.text === "not") return { type: "not", operand: parseGroup(innerDepth) };
      if (name.text === "selected") {
        const ref = expect("ref", undefined, EXPECT.reference);
        expect("punct", ",", "','");
        const value = expect("text", undefined, EXPECT.quoted);
        expect("punct", ")", "')'");
        return { type: "selected", ref: { type: "ref", code: ref.text, position: ref.position + 2 }, value: value.text };
      }
      expect("punct", ")", "')'");
      return { type: "bool", value: name.text === "true" };
    }
    function parseAtom(depth) {
      const token = peek();
      if (is(token, "punct", "(")) {
        const innerDepth = nest(depth);
        take();
        return parseGroup(innerDepth);
      }
      if (token.kind === "word" && token.text !== "and" && token.text !== "or") return parseFunction(depth);
      if (["ref", "text", "number"].includes(token.kind)) {
        const left = parseValue();
        if (peek().kind !== "op") fail(EXPECT.comparison);
        const op = take().text;
        return { type: "compare", op, left, right: parseValue() };
      }
      return fail(EXPECT.condition);
    }

    const node = parseOr(0);
    if (peek().kind !== "end") fail(EXPECT.continuation);
    return node;
  }

  function references(node) {
    const codes = [];
    (function walk(n) {
      if (n.type === "compare") [n.left, n.right].filter((v) => v.type === "ref").forEach((v) => codes.push(v.code));
      else if (n.type === "selected") codes.push(n.ref.code);
      else if (n.type === "not") walk(n.operand);
      else if (n.type === "and" || n.type === "or") n.operands.forEach(walk);
    })(node);
    return Array.from(new Set(codes));
  }

  // --- Evaluation -----------------------------------------------------------------------------

  function scalar(value) {
    if (value === null || value === undefined) return null;
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (typeof value === "number") return Number.isNaN(value) ? null : value;
    if (typeof value === "string") return value === "" ? null : value;
    if (Array.isArray(value) || value instanceof Set) {
      const joined = Array.from(value)
        .filter((item) => typeof item === "string")
        .sort()
        .join(" ");
      return joined === "" ? null : joined;
    }
    return null;
  }

  const isNumeric = (v) => typeof v === "number" || (typeof v === "string" && NUMERIC_TEXT.test(v));

  function lookup(values, code) {
    return values && Object.prototype.hasOwnProperty.call(values, code) ? values[code] : null;
  }

  function operand(value, values) {
    if (value.type === "ref") return scalar(lookup(values, value.code));
    if (value.type === "number") return value.value;
    return value.value === "" ? null : value.value;
  }

  function equal(left, right) {
    if (isNumeric(left) && isNumeric(right)) return Number(left) === Number(right);
    if (typeof left === "number" || typeof right === "number") return false;
    return (left === null ? "" : left) === (right === null ? "" : right);
  }

  function order(op, left, right) {
    if (left === null || right === null) return false;
    if (isNumeric(left) && isNumeric(right)) {
      left = Number(left);
      right = Number(right);
    } else if (typeof left !== "string" || typeof right !== "string") {
      return false;
    }
    if (op === "<") return left < right;
    if (op === ">") return left > right;
    if (op === "<=") return left <= right;
    return left >= right;
  }

  function chosen(value) {
    if (Array.isArray(value) || value instanceof Set) return Array.from(value).filter((i) => typeof i === "string");
    const text = scalar(value);
    return typeof text === "string" ? text.split(" ").filter((word) => word !== "") : [];
  }

  function evaluate(node, values) {
    switch (node.type) {
      case "bool":
        return node.value;
      case "not":
        return !evaluate(node.operand, values);
      case "and":
        return node.operands.every((n) => evaluate(n, values));
      case "or":
        return node.operands.some((n) => evaluate(n, values));
      case "selected":
        return chosen(lookup(values, node.ref.code)).includes(node.value);
      case "compare": {
        const left = operand(node.left, values);
        const right = operand(node.right, values);
        if (node.op === "=") return equal(left, right);
        if (node.op === "!=") return !equal(left, right);
        return order(node.op, left, right);
      }
      default:
        throw new TypeError(`not a condition: ${JSON.stringify(node)}`);
    }
  }

  // questions: [[code, expression], ...] in questionnaire order; the codes to show (as relevant_codes).
  function relevantCodes(questions, values) {
    const shown = [];
    const hidden = new Set();
    for (const [code, expression] of questions) {
      let node = null;
      if (expression && expression.trim()) {
        try {
          node = parse(expression);
        } catch (error) {
          if (!(error instanceof RelevanceError)) throw error;
        }
      }
      if (node && (references(node).some((c) => hidden.has(c)) || !evaluate(node, values))) hidden.add(code);
      else shown.push(code);
    }
    return shown;
  }

  // --- The binder -----------------------------------------------------------------------------

  function readValue(wrapper) {
    const fields = Array.from(wrapper.querySelectorAll("input, select, textarea")).filter(
      (field) => !["button", "submit", "reset"].includes(field.type),
    );
    const radios = fields.filter((field) => field.type === "radio");
    if (radios.length) {
      const checked = radios.find((field) => field.checked);
      return checked ? checked.value : null;
    }
    const boxes = fields.filter((field) => field.type === "checkbox");
    if (boxes.length) return boxes.filter((field) => field.checked).map((field) => field.value);
    const field = fields[0];
    if (!field) return null;
    if (field.tagName === "SELECT" && field.multiple) return Array.from(field.selectedOptions, (o) => o.value);
    const value = field.value;
    if (value === "") return null;
    if (NUMBER_TYPES.has(wrapper.getAttribute("data-type")) && value.trim() !== "") {
      const number = Number(value.trim());
      if (Number.isFinite(number)) return number;
    }
    return value;
  }

  function bindForm(form) {
    if (form.hasAttribute("data-relevance-bound")) return;
    form.setAttribute("data-relevance-bound", "");
    const wrappers = Array.from(form.querySelectorAll("[data-question][data-code]"));
    const conditions = new Map();
    for (const wrapper of wrappers) {
      const expression = wrapper.getAttribute("data-relevant");
      if (!expression || !expression.trim()) continue;
      try {
        conditions.set(wrapper, parse(expression));
      } catch (error) {
        const code = wrapper.getAttribute("data-code");
        console.warn(`Casebook: the condition of question '${code}' is ignored: ${error.message}`);
      }
    }
    function refresh() {
      const values = Object.create(null);
      for (const wrapper of wrappers) values[wrapper.getAttribute("data-code")] = readValue(wrapper);
      const hidden = new Set();
      for (const wrapper of wrappers) {
        const node = conditions.get(wrapper);
        const show = !node || (!references(node).some((c) => hidden.has(c)) && evaluate(node, values));
        if (!show) hidden.add(wrapper.getAttribute("data-code"));
        if (wrapper.hasAttribute("data-relevant")) wrapper.hidden = !show;
      }
    }
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    refresh();
  }

  function bindAll() {
    document.querySelectorAll("form[data-relevance-form]").forEach(bindForm);
  }

  window.CasebookRelevance = { parse, evaluate, references, relevantCodes, bindForm, RelevanceError };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindAll);
  else bindAll();
})();
