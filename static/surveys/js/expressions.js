/*
 * The expression language of questionnaires (XLSForm expressions with ODK's XPath semantics), the twin
 * of surveys/expressions.py: same syntax, same trees (plain JSON objects), same values, same messages.
 * The module docstring of surveys/expressions.py is the specification; parity is property-tested.
 * Positions count Unicode code points, like Python; string functions count UTF-16 code units, like ODK.
 * Nothing is ever eval-ed.
 *
 * window.CasebookExpressions = {parse, check, evaluate, references, functions, choiceColumns,
 *   toString, toNumber, toBoolean, describe, setMessages, regexProblem, FUNCTIONS, MAX_LENGTH, MAX_DEPTH,
 *   ExpressionError, NodeSet, DateValue, pathKey}
 */
(function () {
  "use strict";

  const MAX_LENGTH = 10000;
  const MAX_DEPTH = 100;

  // English templates (the gettext msgids); setMessages() installs the server's translated table.
  const ENGLISH = {
    empty: "The expression is empty.",
    too_long: "The expression is too long: %(length)d characters, at most %(limit)d.",
    too_deep: "The expression nests too deeply at character %(column)d: at most %(limit)d levels.",
    unterminated: "The text starting at character %(column)d is not closed: end it with %(quote)s.",
    bad_reference: "Invalid reference at character %(column)d: write ${name} with letters, digits, _, - or .",
    last_saved:
      "${last-saved#%(name)s} at character %(column)d (the answer in the last form saved on the device, as " +
      "ODK Collect offers it) is not supported: the web form and the server have no such form to read it from. " +
      "Write a default value or ask the question instead.",
    bad_character: "Unexpected character '%(char)s' at character %(column)d.",
    path: "Paths and predicates ('%(char)s') are not supported at character %(column)d: write ${name}.",
    unexpected: "Unexpected %(found)s at character %(column)d: expected %(expected)s.",
    unknown_function: "The function '%(name)s' at character %(column)d is not supported.",
    arity: "The function '%(name)s' at character %(column)d cannot take %(count)d arguments: it takes %(expected)s.",
    needs_reference: "The function '%(name)s' at character %(column)d needs a reference such as ${name} here.",
    position: "position() at character %(column)d only takes '..': write position(..).",
    choice_name: "jr:choice-name() at character %(column)d needs the question as quoted text, like '${name}'.",
    pulldata_file: "pulldata() at character %(column)d needs the file's name as quoted text, like 'prices' for prices.csv.",
    pulldata_extension:
      "pulldata() at character %(column)d names the file with its extension, '%(file)s': ODK Collect and Web Forms " +
      "would look for a file called %(file)s.csv. Write the name without .csv: '%(name)s'.",
    bad_regex: "The regular expression at character %(column)d cannot be used (see character %(index)d of the pattern).",
    unknown_name: "Unknown question '%(name)s' at character %(column)d.",
    bare_name:
      "'%(name)s' at character %(column)d is not a question: write ${%(name)s} for a question or '%(name)s' for text.",
    unknown_column: "The choices have no column '%(name)s' (character %(column)d).",
    end: "end of the expression",
    expect_value: "a value: ${name}, 'text', a number, a function or '('",
    expect_operator: "an operator or the end of the expression",
    expect_close: "')'",
    expect_argument: "',' or ')'",
    expect_open: "'('",
    args_exact: "%(min)d",
    args_range: "%(min)d to %(max)d",
    args_more: "%(min)d or more",
    args_odd: "3, 5, 7 or more (an odd number)",
  };
  let messages = Object.assign({}, ENGLISH);

  function setMessages(table) {
    messages = Object.assign({}, ENGLISH, table || {});
    cache.clear(); // cached errors carry messages in the previous language
  }

  function formatMessage(key, params) {
    const template = messages[key] || ENGLISH[key];
    return template.replace(/%\((\w+)\)[sd]/g, (whole, name) => {
      let value = params[name];
      if (value && typeof value === "object" && value.msg) value = formatMessage(value.msg, value.params || {});
      return String(value);
    });
  }

  class ExpressionError extends Error {
    constructor(key, position, params) {
      super(formatMessage(key, params || {}));
      this.name = "ExpressionError";
      this.key = key;
      this.position = position;
      this.params = params || {};
    }
  }

  const FUNCTIONS = {
    abs: [1, 1],
    boolean: [1, 1],
    "boolean-from-string": [1, 1],
    ceiling: [1, 1],
    coalesce: [2, 2],
    concat: [1, null],
    contains: [2, 2],
    count: [1, 1],
    "count-non-empty": [1, 1],
    "count-selected": [1, 1],
    date: [1, 1],
    "date-time": [1, 1],
    "decimal-date-time": [1, 1],
    "ends-with": [2, 2],
    false: [0, 0],
    floor: [1, 1],
    "format-date": [2, 2],
    "format-date-time": [2, 2],
    if: [3, 3],
    "indexed-repeat": [3, null],
    int: [1, 1],
    join: [2, null],
    "jr:choice-name": [2, 2],
    max: [1, null],
    min: [1, null],
    "normalize-space": [0, 1],
    not: [1, 1],
    now: [0, 0],
    number: [0, 1],
    once: [1, 1],
    position: [1, 1],
    pow: [2, 2],
    pulldata: [4, 4],
    regex: [2, 2],
    round: [1, 2],
    selected: [2, 2],
    "selected-at": [2, 2],
    "starts-with": [2, 2],
    string: [0, 1],
    "string-length": [0, 1],
    substr: [2, 3],
    substring: [2, 3],
    "substring-after": [2, 2],
    "substring-before": [2, 2],
    sum: [1, 1],
    today: [0, 0],
    translate: [3, 3],
    true: [0, 0],
    uuid: [0, 1],
  };
  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  // --- Tokens ---------------------------------------------------------------------------------

  const WHITESPACE = " \t\r\n\u00a0";
  const OPERATOR_NAMES = ["and", "or", "div", "mod"];
  const LEVELS = { or: 0, and: 1, "=": 2, "!=": 2, "<": 3, "<=": 3, ">": 3, ">=": 3, "+": 4, "-": 4, "*": 5, div: 5, mod: 5 };
  const isDigit = (c) => c !== undefined && c >= "0" && c <= "9";
  const isLetter = (c) => /^\p{L}$/u.test(c);
  const isNameStart = (c) => c !== undefined && (/^[A-Za-z_]$/.test(c) || (c > "\x7f" && isLetter(c)));
  const isNameChar = (c) => c !== undefined && (/^[A-Za-z0-9_.-]$/.test(c) || (c > "\x7f" && isLetter(c)));
  const valueEnds = (token) =>
    token !== undefined && ["ref", "string", "number", "name", "close", "dot", "dotdot"].includes(token.kind);

  function tokenize(chars) {
    const tokens = [];
    const n = chars.length;
    const slice = (a, b) => chars.slice(a, b).join("");
    const push = (kind, text, position, raw) => tokens.push({ kind, text, position, raw });
    let i = 0;
    while (i < n) {
      const c = chars[i];
      const previous = tokens[tokens.length - 1];
      if (WHITESPACE.includes(c)) {
        i += 1;
      } else if (c === "$") {
        if (chars[i + 1] !== "{" || i + 2 >= n || !isNameStart(chars[i + 2])) {
          throw new ExpressionError("bad_reference", i, { column: i + 1 });
        }
        let j = i + 3;
        while (j < n && isNameChar(chars[j])) j += 1;
        if (j < n && chars[j] === "#" && slice(i + 2, j) === "last-saved") {
          let end = j;
          while (end < n && chars[end] !== "}") end += 1;
          throw new ExpressionError("last_saved", i, { column: i + 1, name: slice(j + 1, end) });
        }
        if (j >= n || chars[j] !== "}") throw new ExpressionError("bad_reference", i, { column: i + 1 });
        push("ref", slice(i + 2, j), i, slice(i, j + 1));
        i = j + 1;
      } else if (c === "'" || c === '"') {
        const end = chars.indexOf(c, i + 1);
        if (end < 0) throw new ExpressionError("unterminated", i, { column: i + 1, quote: c });
        push("string", slice(i + 1, end), i, slice(i, end + 1));
        i = end + 1;
      } else if (isDigit(c) || (c === "." && isDigit(chars[i + 1]))) {
        let j = i;
        while (j < n && isDigit(chars[j])) j += 1;
        if (j < n && chars[j] === ".") {
          j += 1;
          while (j < n && isDigit(chars[j])) j += 1;
        }
        push("number", slice(i, j), i, slice(i, j));
        i = j;
      } else if (c === ".") {
        if (chars[i + 1] === ".") {
          push("dotdot", "..", i, "..");
          i += 2;
        } else {
          push("dot", ".", i, ".");
          i += 1;
        }
      } else if ("!<>".includes(c) && chars[i + 1] === "=") {
        push("op", c + "=", i, c + "=");
        i += 2;
      } else if ("=<>+-".includes(c)) {
        push("op", c, i, c);
        i += 1;
      } else if (c === "*") {
        if (!valueEnds(previous)) throw new ExpressionError("path", i, { char: c, column: i + 1 });
        push("op", "*", i, "*");
        i += 1;
      } else if (c === "(") {
        push("open", c, i, c);
        i += 1;
      } else if (c === ")") {
        push("close", c, i, c);
        i += 1;
      } else if (c === ",") {
        push("comma", c, i, c);
        i += 1;
      } else if ("/[]@|".includes(c)) {
        throw new ExpressionError("path", i, { char: c, column: i + 1 });
      } else if (isNameStart(c)) {
        let j = i + 1;
        while (j < n && isNameChar(chars[j])) j += 1;
        const name = slice(i, j);
        if (OPERATOR_NAMES.includes(name) && valueEnds(previous)) {
          push("op", name, i, name);
          i = j;
        } else if (j + 1 < n && chars[j] === ":" && isNameStart(chars[j + 1])) {
          let k = j + 2;
          while (k < n && isNameChar(chars[k])) k += 1;
          push("qname", slice(i, k), i, slice(i, k));
          i = k;
        } else {
          push("name", name, i, name);
          i = j;
        }
      } else {
        throw new ExpressionError("bad_character", i, { char: c, column: i + 1 });
      }
    }
    push("end", "", n, "");
    return tokens;
  }

  // --- Parser ---------------------------------------------------------------------------------

  const CHOICE_NAME_ARGUMENT = /^[ \t\r\n\u00a0]*\$\{([^{}]*)\}[ \t\r\n\u00a0]*$/;
  const isName = (text) => {
    const chars = Array.from(text);
    return chars.length > 0 && isNameStart(chars[0]) && chars.every(isNameChar);
  };

  function checkCall(node) {
    const { name, args, position } = node;
    const [low, high] = FUNCTIONS[name];
    const count = args.length;
    if (count < low || (high !== null && count > high) || (name === "indexed-repeat" && count % 2 === 0)) {
      let expected;
      if (name === "indexed-repeat") expected = { msg: "args_odd" };
      else if (high === null) expected = { msg: "args_more", params: { min: low } };
      else if (high === low) expected = { msg: "args_exact", params: { min: low } };
      else expected = { msg: "args_range", params: { min: low, max: high } };
      throw new ExpressionError("arity", position, { name, column: position + 1, count, expected });
    }
    let indexes = [];
    let kinds = ["ref", "name", "current", "indexed-repeat"];
    if (name === "count" || name === "count-non-empty") indexes = [0];
    if (name === "indexed-repeat") {
      indexes = [0];
      for (let i = 1; i < count; i += 2) indexes.push(i);
      kinds = ["ref"];
    }
    for (const index of indexes) {
      const arg = args[index];
      const kind = arg.type === "call" && arg.name === "indexed-repeat" ? "indexed-repeat" : arg.type;
      if (!kinds.includes(kind)) throw new ExpressionError("needs_reference", position, { name, column: position + 1 });
    }
    if (name === "jr:choice-name") {
      const arg = args[1];
      const match = arg.type === "string" ? CHOICE_NAME_ARGUMENT.exec(arg.value) : null;
      if (match === null || !isName(match[1])) throw new ExpressionError("choice_name", position, { column: position + 1 });
      node.question = match[1];
    }
    if (name === "pulldata" && (args[0].type !== "string" || !args[0].value.trim())) {
      throw new ExpressionError("pulldata_file", position, { column: position + 1 });
    }
    if (name === "pulldata" && args[0].value.trim().toLowerCase().endsWith(".csv")) {
      // pyxform adds the extension itself (jr://file-csv/NAME.csv), and ODK looks the name up as it is.
      const file = args[0].value.trim();
      throw new ExpressionError("pulldata_extension", position, { column: position + 1, file, name: file.slice(0, -4) });
    }
    if (name === "regex" && args[1].type === "string") {
      const problem = regexProblem(args[1].value);
      if (problem !== null) throw new ExpressionError("bad_regex", position, { column: position + 1, index: problem + 1 });
    }
  }

  function parseUncached(text) {
    const chars = Array.from(String(text));
    if (chars.length > MAX_LENGTH) {
      throw new ExpressionError("too_long", MAX_LENGTH, { length: chars.length, limit: MAX_LENGTH });
    }
    if (chars.every((c) => WHITESPACE.includes(c))) throw new ExpressionError("empty", 0, {});
    const tokens = tokenize(chars);
    let index = 0;
    const peek = (offset = 0) => tokens[Math.min(index + offset, tokens.length - 1)];
    const take = () => tokens[index++];

    function fail(expected) {
      const token = peek();
      let found = { msg: "end" };
      if (token.kind !== "end") {
        const raw = Array.from(token.raw);
        const shown = raw.length <= 30 ? token.raw : raw.slice(0, 29).join("") + "\u2026";
        found = token.kind === "string" ? shown : `'${shown}'`;
      }
      throw new ExpressionError("unexpected", token.position, {
        found,
        column: token.position + 1,
        expected: { msg: expected },
      });
    }
    function deep(depth, position) {
      if (depth > MAX_DEPTH) throw new ExpressionError("too_deep", position, { column: position + 1, limit: MAX_DEPTH });
      return depth;
    }
    function reduce(operands, operators) {
      const [op, position] = operators.pop();
      const [right, rightDepth] = operands.pop();
      const [left, leftDepth] = operands.pop();
      let node;
      let depth;
      if (left.type === "ops" && LEVELS[left.rest[0][0]] === LEVELS[op]) {
        node = { type: "ops", first: left.first, rest: left.rest.concat([[op, right]]) };
        depth = Math.max(leftDepth, rightDepth + 1);
      } else {
        node = { type: "ops", first: left, rest: [[op, right]] };
        depth = Math.max(leftDepth, rightDepth) + 1;
      }
      operands.push([node, deep(depth, position)]);
    }
    function expression(nesting) {
      const operands = [unary(nesting)];
      const operators = [];
      while (peek().kind === "op") {
        const token = take();
        while (operators.length && LEVELS[operators[operators.length - 1][0]] >= LEVELS[token.text]) {
          reduce(operands, operators);
        }
        operators.push([token.text, token.position]);
        operands.push(unary(nesting));
      }
      while (operators.length) reduce(operands, operators);
      return operands[0];
    }
    function unary(nesting) {
      const token = peek();
      if (token.kind === "op" && token.text === "-") {
        deep(nesting + 1, token.position);
        take();
        const [operand, depth] = unary(nesting + 1);
        return [{ type: "negate", operand, position: token.position }, deep(depth + 1, token.position)];
      }
      return primary(nesting);
    }
    function primary(nesting) {
      const token = peek();
      if (token.kind === "number") {
        take();
        return [{ type: "number", value: Number(token.text) }, 1];
      }
      if (token.kind === "string") {
        take();
        return [{ type: "string", value: token.text }, 1];
      }
      if (token.kind === "ref") {
        take();
        return [{ type: "ref", name: token.text, position: token.position + 2 }, 1];
      }
      if (token.kind === "dot") {
        take();
        return [{ type: "current", position: token.position }, 1];
      }
      if (token.kind === "open") {
        deep(nesting + 1, token.position);
        take();
        const result = expression(nesting + 1);
        if (peek().kind !== "close") fail("expect_close");
        take();
        return result;
      }
      if (token.kind === "name" || token.kind === "qname") {
        if (peek(1).kind === "open") return call(nesting);
        take();
        if (token.kind === "qname") fail("expect_open");
        return [{ type: "name", name: token.text, position: token.position }, 1];
      }
      return fail("expect_value");
    }
    function call(nesting) {
      const name = take();
      if (!has(FUNCTIONS, name.text)) {
        throw new ExpressionError("unknown_function", name.position, { name: name.text, column: name.position + 1 });
      }
      deep(nesting + 1, name.position);
      take(); // (
      const args = [];
      let depth = 1;
      if (name.text === "position") {
        if (peek().kind !== "dotdot" || peek(1).kind !== "close") {
          throw new ExpressionError("position", name.position, { column: name.position + 1 });
        }
        args.push({ type: "parent", position: take().position });
      } else if (peek().kind !== "close") {
        for (;;) {
          const [arg, argDepth] = expression(nesting + 1);
          args.push(arg);
          depth = Math.max(depth, argDepth);
          if (peek().kind === "comma") {
            take();
            continue;
          }
          if (peek().kind !== "close") fail("expect_argument");
          break;
        }
      }
      take(); // )
      const node = { type: "call", name: name.text, args, position: name.position };
      checkCall(node);
      return [node, deep(depth + 1, name.position)];
    }

    const [tree] = expression(1);
    if (peek().kind !== "end") fail("expect_operator");
    return tree;
  }

  const cache = new Map();
  function parse(text) {
    text = String(text);
    if (cache.has(text)) {
      const cached = cache.get(text);
      if (cached.error) throw cached.error;
      return cached.tree;
    }
    try {
      const tree = parseUncached(text);
      if (cache.size > 4096) cache.clear();
      cache.set(text, { tree });
      return tree;
    } catch (error) {
      if (error instanceof ExpressionError) cache.set(text, { error });
      throw error;
    }
  }

  function walk(tree, visit) {
    const stack = [tree];
    while (stack.length) {
      const node = stack.pop();
      visit(node);
      if (node.type === "call") for (let i = node.args.length - 1; i >= 0; i -= 1) stack.push(node.args[i]);
      else if (node.type === "negate") stack.push(node.operand);
      else if (node.type === "ops") {
        for (let i = node.rest.length - 1; i >= 0; i -= 1) stack.push(node.rest[i][1]);
        stack.push(node.first);
      }
    }
  }

  function orderedRefs(tree) {
    const found = [];
    walk(tree, (node) => {
      if (node.type === "ref") found.push([node.name, node.position]);
      else if (node.type === "call" && node.question !== undefined) found.push([node.question, node.position]);
    });
    return found.sort((a, b) => a[1] - b[1]);
  }

  const references = (tree) => Array.from(new Set(orderedRefs(tree).map(([name]) => name)));
  function functions(tree) {
    const names = new Set();
    walk(tree, (node) => node.type === "call" && names.add(node.name));
    return Array.from(names);
  }
  function choiceColumns(tree) {
    const names = new Set();
    walk(tree, (node) => node.type === "name" && names.add(node.name));
    return Array.from(names);
  }

  function check(text, names, columns) {
    const tree = parse(text);
    const known = new Set(names);
    const problems = orderedRefs(tree)
      .filter(([name]) => !known.has(name))
      .map(([name, position]) => [position, name, "unknown_name"]);
    const allowed = columns === undefined || columns === null ? null : new Set(columns);
    walk(tree, (node) => {
      if (node.type === "name" && (allowed === null || !allowed.has(node.name))) {
        problems.push([node.position, node.name, allowed === null ? "bare_name" : "unknown_column"]);
      }
    });
    if (problems.length) {
      problems.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : 1));
      const [position, name, key] = problems[0];
      throw new ExpressionError(key, position, { name, column: position + 1 });
    }
    return tree;
  }

  // --- Regular expressions: the same scanner as Python; accepted patterns run natively ------------

  const HEX = /^[0-9a-fA-F]$/;
  const QUANTIFIER = /^\{([0-9]+)(,([0-9]*))?\}/;
  const MAX_REPETITION = 65535;

  class RegexRefused {
    constructor(index) {
      this.index = index;
    }
  }

  // pattern is a string (UTF-16 units), indexes are units, as Python's _to_units() text.
  function readEscape(pattern, i, inClass) {
    if (i + 1 >= pattern.length) throw new RegexRefused(i);
    const c = pattern[i + 1];
    if ("dDwWsS".includes(c)) return ["class", c, i + 2];
    if (c === "b" || c === "B") return inClass ? ["char", c === "b" ? "\b" : "B", i + 2] : ["assert", c, i + 2];
    if ("nrtfv".includes(c)) return ["char", { n: "\n", r: "\r", t: "\t", f: "\f", v: "\v" }[c], i + 2];
    if (c === "0" && !(i + 2 < pattern.length && isDigit(pattern[i + 2]))) return ["char", "\0", i + 2];
    if (isDigit(c) || c === "k") throw new RegexRefused(i);
    if (c === "x") {
      const digits = pattern.slice(i + 2, i + 4);
      if (digits.length === 2 && Array.from(digits).every((d) => HEX.test(d))) {
        return ["char", String.fromCharCode(parseInt(digits, 16)), i + 4];
      }
      return ["char", "x", i + 2];
    }
    if (c === "u") {
      const digits = pattern.slice(i + 2, i + 6);
      if (digits.length === 4 && Array.from(digits).every((d) => HEX.test(d))) {
        return ["char", String.fromCharCode(parseInt(digits, 16)), i + 6];
      }
      return ["char", "u", i + 2];
    }
    if (c === "c") {
      const letter = pattern[i + 2];
      if (letter !== undefined && (/^[a-zA-Z]$/.test(letter) || (inClass && (isDigit(letter) || letter === "_")))) {
        return ["char", String.fromCharCode(letter.charCodeAt(0) % 32), i + 3];
      }
      return ["char", "\\", i + 1];
    }
    return ["char", c, i + 2];
  }

  function classAtom(pattern, i, start) {
    if (i >= pattern.length) throw new RegexRefused(start);
    if (pattern[i] === "\\") return readEscape(pattern, i, true);
    return ["char", pattern[i], i + 1];
  }

  function scanClass(pattern, i) {
    const start = i;
    i += 1;
    if (pattern[i] === "^") i += 1;
    for (;;) {
      if (i >= pattern.length) throw new RegexRefused(start);
      if (pattern[i] === "]") return i + 1;
      const [kind, value, next] = classAtom(pattern, i, start);
      i = next;
      if (pattern[i] === "-" && i + 1 < pattern.length && pattern[i + 1] !== "]") {
        const [highKind, high, after] = classAtom(pattern, i + 1, start);
        if (kind === "char" && highKind === "char" && value.charCodeAt(0) > high.charCodeAt(0)) {
          throw new RegexRefused(start);
        }
        i = after;
      }
    }
  }

  function quantifierAt(pattern, i) {
    if (i >= pattern.length) return null;
    if ("*+?".includes(pattern[i])) return pattern[i];
    if (pattern[i] === "{") {
      const match = QUANTIFIER.exec(pattern.slice(i, i + 40));
      return match ? match[0] : null;
    }
    return null;
  }

  function scanRegex(pattern) {
    const groups = [];
    let quantifiable = false;
    let i = 0;
    const n = pattern.length;
    while (i < n) {
      const c = pattern[i];
      const quantifier = quantifierAt(pattern, i);
      if (quantifier !== null) {
        if (!quantifiable) throw new RegexRefused(i);
        if (quantifier[0] === "{") {
          const match = QUANTIFIER.exec(quantifier);
          const low = Number(match[1]);
          const high = match[3];
          if (low > MAX_REPETITION || (high && (Number(high) > MAX_REPETITION || Number(high) < low))) {
            throw new RegexRefused(i);
          }
        }
        i += quantifier.length;
        if (pattern[i] === "?") i += 1;
        if (quantifierAt(pattern, i) !== null) throw new RegexRefused(i);
        quantifiable = false;
      } else if (c === "\\") {
        const [kind, , next] = readEscape(pattern, i, false);
        quantifiable = kind !== "assert";
        i = next;
      } else if (c === "[") {
        i = scanClass(pattern, i);
        quantifiable = true;
      } else if (c === "(") {
        if (pattern.startsWith("(?:", i)) {
          groups.push(false);
          i += 3;
        } else if (pattern.startsWith("(?=", i) || pattern.startsWith("(?!", i)) {
          groups.push(true);
          i += 3;
        } else if (pattern.startsWith("(?", i)) {
          throw new RegexRefused(i);
        } else {
          groups.push(false);
          i += 1;
        }
        quantifiable = false;
      } else if (c === ")") {
        if (!groups.length) throw new RegexRefused(i);
        quantifiable = !groups.pop();
        i += 1;
        if (!quantifiable && quantifierAt(pattern, i) !== null) throw new RegexRefused(i);
      } else {
        quantifiable = !"^$|".includes(c);
        i += 1;
      }
    }
    if (groups.length) throw new RegexRefused(n);
  }

  function regexProblem(pattern) {
    try {
      scanRegex(pattern);
      new RegExp(pattern); // eslint-disable-line no-new
    } catch (error) {
      if (error instanceof RegexRefused) return error.index;
      return 0;
    }
    return null;
  }

  const regexCache = new Map();
  function compiledRegex(pattern) {
    if (regexCache.has(pattern)) return regexCache.get(pattern);
    let compiled = null;
    if (regexProblem(pattern) === null) compiled = new RegExp(pattern);
    if (regexCache.size > 512) regexCache.clear();
    regexCache.set(pattern, compiled);
    return compiled;
  }

  // --- Numbers --------------------------------------------------------------------------------

  const jsNumber = (text) => Number(text);
  const numberToString = (value) => (Number.isNaN(value) ? "" : String(value));
  const jsRound = (value) => Math.round(value);

  // --- Dates ----------------------------------------------------------------------------------

  const DAY_MS = 86400000;
  const DATE_TIME =
    /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2})(?::([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$/;
  const DATE_PREFIX = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[-+][0-9]{2}:[0-9]{2})?)?/;
  const UNPADDED_DATE = /^([0-9]{4})-([1-9]|[0-9]{2})-([1-9]|[0-9]{2})(T.*)?$/;
  const VALID_OFFSET = /^[+-](?:0[0-9]|1[0-4]):[0-5][0-9]$/;
  const MIDNIGHT = /T00:00:00(\.0+)?(Z|[-+][0-9]{2}:[0-9]{2})?/;
  const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const SHORT_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

  // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm), and back.
  function daysFromCivil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    const era = Math.floor(y / 400);
    const yoe = y - era * 400;
    const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }
  function civilFromDays(z) {
    z += 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp + (mp < 10 ? 3 : -9);
    return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
  }
  const MIN_MS = daysFromCivil(1, 1, 1) * DAY_MS;
  const MAX_MS = (daysFromCivil(9999, 12, 31) + 1) * DAY_MS - 1;
  const leap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const monthDays = (y, m) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

  function localFields(ms, offset) {
    const local = ms + offset * 60000;
    const days = Math.floor(local / DAY_MS);
    let rest = local - days * DAY_MS;
    const [year, month, day] = civilFromDays(days);
    const hour = Math.floor(rest / 3600000);
    rest -= hour * 3600000;
    const minute = Math.floor(rest / 60000);
    rest -= minute * 60000;
    const second = Math.floor(rest / 1000);
    const millisecond = rest - second * 1000;
    const weekday = (((days + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
    return { year, month, day, hour, minute, second, millisecond, weekday };
  }

  function parseDateTime(text, offset) {
    const match = DATE_TIME.exec(text);
    if (match === null) return null;
    const [, year, month, day, hour, minute, second, fraction, zone] = match;
    if (zone !== undefined && zone !== "Z" && !VALID_OFFSET.test(zone)) return null;
    const y = Number(year);
    const m = Number(month);
    const d = Number(day);
    const h = Number(hour || 0);
    const mi = Number(minute || 0);
    const s = Number(second || 0);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > monthDays(y, m) || h > 23 || mi > 59 || s > 59) return null;
    const millis = Number((fraction || "").padEnd(3, "0").slice(0, 3));
    let ms = daysFromCivil(y, m, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + millis;
    if (zone === undefined) ms -= offset * 60000;
    else if (zone !== "Z") {
      const sign = zone[0] === "-" ? -1 : 1;
      ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60000;
    }
    const local = ms + offset * 60000;
    return local >= MIN_MS && local <= MAX_MS ? ms : null;
  }

  const pad = (value, width) => String(value).padStart(width, "0");
  function offsetText(offset) {
    const sign = offset < 0 ? "-" : "+";
    const absolute = Math.abs(offset);
    return `${sign}${pad(Math.floor(absolute / 60), 2)}:${pad(absolute % 60, 2)}`;
  }

  class DateValue {
    constructor(ms, offset, text, truth) {
      this.ms = ms; // null: invalid
      this.offset = offset;
      this.text = text === undefined ? null : text;
      this.truth = truth === undefined ? null : truth;
    }
    get number() {
      return this.ms === null ? NaN : this.ms / DAY_MS;
    }
    get boolean() {
      if (this.truth !== null) return this.truth;
      return this.ms !== null && this.ms !== 0;
    }
    get string() {
      if (this.text !== null) return this.text;
      if (this.ms === null) return "Invalid Date";
      const f = localFields(this.ms, this.offset);
      const fraction = f.millisecond === 0 ? ".000" : "." + pad(f.millisecond, 3).replace(/0+$/, "");
      const stamp = `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
      return (stamp + fraction + offsetText(this.offset)).replace(MIDNIGHT, "");
    }
  }

  function dateFromMs(ms, offset) {
    if (!Number.isFinite(ms)) return new DateValue(null, offset);
    ms = jsRound(ms);
    const local = ms + offset * 60000;
    if (local < MIN_MS || local > MAX_MS) return new DateValue(null, offset);
    return new DateValue(ms, offset);
  }

  function formatDate(text, format, offset) {
    const ms = parseDateTime(text, offset);
    if (ms === null) return "";
    const f = localFields(ms, offset);
    const tokens = {
      "%Y": pad(f.year, 4),
      "%y": pad(f.year, 4).slice(2),
      "%m": pad(f.month, 2),
      "%n": String(f.month),
      "%b": SHORT_MONTHS[f.month - 1],
      "%d": pad(f.day, 2),
      "%e": String(f.day),
      "%a": SHORT_DAYS[f.weekday],
      "%H": pad(f.hour, 2),
      "%h": String(f.hour),
      "%M": pad(f.minute, 2),
      "%S": pad(f.second, 2),
      "%3": pad(f.millisecond, 3),
    };
    return format.replace(new RegExp(Object.keys(tokens).join("|"), "g"), (key) => tokens[key]);
  }

  // --- Values ---------------------------------------------------------------------------------

  class NodeSet {
    constructor(nodes, values) {
      this.nodes = nodes; // [[name, pathArray], ...]
      this.values = values;
    }
  }
  const EMPTY_NODESET = new NodeSet([], []);

  // ODK's number() of a string: '' is NaN, a date its days, else JavaScript's Number().
  function stringNumber(text, offset) {
    if (text === "") return NaN;
    const ms = parseDateTime(text, offset);
    return ms !== null ? ms / DAY_MS : jsNumber(text);
  }
  // A node's number: NaN when its text is only XML whitespace.
  const nodeNumber = (text, offset) => (/^[ \t\r\n]*$/.test(text) ? NaN : stringNumber(text, offset));
  // A node-set as one-node node-sets (each compared and converted as a node), or the value alone.
  const items = (value) => (value instanceof NodeSet ? value.values.map((text, i) => new NodeSet([value.nodes[i]], [text])) : [value]);

  function toString(value) {
    if (typeof value === "string") return value;
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") return numberToString(value);
    if (value instanceof NodeSet) return value.values.length ? value.values[0] : "";
    if (value instanceof DateValue) return value.string;
    throw new TypeError(String(value));
  }
  function toNumber(value, offset) {
    offset = offset || 0;
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "number") return value;
    if (typeof value === "string") return stringNumber(value, offset);
    if (value instanceof NodeSet) return value.values.length ? nodeNumber(value.values[0], offset) : NaN;
    if (value instanceof DateValue) return value.number;
    throw new TypeError(String(value));
  }
  function toBoolean(value) {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return !Number.isNaN(value) && value !== 0;
    if (typeof value === "string") return value !== "";
    if (value instanceof NodeSet) return value.nodes.length > 0;
    if (value instanceof DateValue) return value.boolean;
    throw new TypeError(String(value));
  }
  const isNumeric = (value) => typeof value === "number" || value instanceof DateValue;

  // --- Context --------------------------------------------------------------------------------

  const pathKey = (path) => path.join(".");
  const pathFromKey = (key) => (key ? key.split(".").map(Number) : []);

  function isoOffset(text) {
    const match = /(Z|[-+]\d{2}:\d{2})$/.exec(text);
    if (!match || match[1] === "Z") return 0;
    const sign = match[1][0] === "-" ? -1 : 1;
    return sign * (Number(match[1].slice(1, 3)) * 60 + Number(match[1].slice(4, 6)));
  }

  class Scope {
    constructor(context) {
      this.context = context;
      this.values = context.values || {};
      this.repeats = context.repeats || {};
      this.counts = context.counts || {};
      this.here = context.here === undefined ? null : context.here;
      this.path = Array.isArray(context.path) ? context.path : pathFromKey(context.path || "");
      if (context.repeat_names) this.repeatNames = new Set(context.repeat_names);
      else {
        this.repeatNames = new Set(Object.keys(this.counts));
        for (const chain of Object.values(this.repeats)) for (const name of chain) this.repeatNames.add(name);
      }
      if (context.now) {
        this.nowMs = Date.parse(context.now);
        this.offset = context.utc_offset !== undefined && context.utc_offset !== null ? context.utc_offset : isoOffset(context.now);
      } else {
        this.nowMs = Date.now();
        this.offset = context.utc_offset !== undefined && context.utc_offset !== null ? context.utc_offset : 0;
      }
    }
    chain(name) {
      const enclosing = has(this.repeats, name) ? this.repeats[name] : [];
      return this.repeatNames.has(name) ? enclosing.concat([name]) : enclosing.slice();
    }
    value(name, path) {
      const byPath = has(this.values, name) ? this.values[name] : null;
      if (!byPath) return "";
      const key = pathKey(path);
      const value = has(byPath, key) ? byPath[key] : "";
      return typeof value === "string" ? value : "";
    }
    instances(chain, prefix) {
      let paths = [prefix];
      for (const repeat of chain) {
        const byParent = has(this.counts, repeat) ? this.counts[repeat] : {};
        const next = [];
        for (const path of paths) {
          const key = pathKey(path);
          const count = has(byParent, key) ? Number(byParent[key]) : 0;
          for (let index = 1; index <= count; index += 1) next.push(path.concat([index]));
        }
        paths = next;
      }
      return paths;
    }
    resolve(name, absolute) {
      const enclosing = has(this.repeats, name) ? this.repeats[name] : [];
      let k = 0;
      if (!absolute && this.here !== null) {
        const hereChain = has(this.repeats, this.here) ? this.repeats[this.here] : [];
        while (k < hereChain.length && k < enclosing.length && hereChain[k] === enclosing[k]) k += 1;
        k = Math.min(k, this.path.length);
      }
      const prefix = this.path.slice(0, k);
      const chain = this.chain(name);
      if (chain.length <= k) return new NodeSet([[name, prefix]], [this.value(name, prefix)]);
      const paths = this.instances(chain.slice(k), prefix);
      return new NodeSet(
        paths.map((path) => [name, path]),
        paths.map((path) => this.value(name, path)),
      );
    }
    currentValue() {
      const current = this.context.current;
      if (current !== undefined && current !== null) return current;
      if (this.here === null) return "";
      return this.value(this.here, this.path);
    }
    contains(instance, node) {
      const [repeat, path] = instance;
      const [name, nodePath] = node;
      const chain = this.chain(name);
      const depth = path.length;
      if (depth === 0 || chain.length < depth || chain[depth - 1] !== repeat) return false;
      for (let i = 0; i < depth; i += 1) if (nodePath[i] !== path[i]) return false;
      return !(name === repeat && nodePath.length === depth);
    }
  }

  // --- Evaluation -----------------------------------------------------------------------------

  function evaluate(tree, context) {
    return evalNode(tree, new Scope(context || {}));
  }

  const num = (value, scope) => toNumber(value, scope.offset);

  function evalNode(node, scope) {
    switch (node.type) {
      case "string":
        return node.value;
      case "number":
        return node.value;
      case "ref":
        return scope.resolve(node.name, false);
      case "ops":
        return evalOps(node, scope);
      case "call":
        return callFunction(node, scope);
      case "negate":
        return num(evalNode(node.operand, scope), scope) * -1;
      case "current":
        return new NodeSet([[scope.here === null ? "" : scope.here, scope.path]], [scope.currentValue()]);
      case "name": {
        const choice = scope.context.choice;
        if (!choice || !has(choice, node.name)) return EMPTY_NODESET;
        return new NodeSet([["#choice", [0]]], [String(choice[node.name])]);
      }
      case "parent": {
        // In a repeat's own expressions '..' is the instance around it.
        const path = scope.here !== null && scope.repeatNames.has(scope.here) ? scope.path.slice(0, -1) : scope.path;
        return path.length ? path[path.length - 1] : 1;
      }
      default:
        throw new TypeError(`not an expression: ${JSON.stringify(node)}`);
    }
  }

  function evalOps(node, scope) {
    let result = evalNode(node.first, scope);
    for (const [op, operand] of node.rest) {
      if (op === "or") {
        if (toBoolean(result)) return true;
        result = toBoolean(evalNode(operand, scope));
      } else if (op === "and") {
        if (!toBoolean(result)) return false;
        result = toBoolean(evalNode(operand, scope));
      } else if (op === "=" || op === "!=") {
        result = equals(result, evalNode(operand, scope), op === "!=", scope);
      } else if (op === "<" || op === "<=" || op === ">" || op === ">=") {
        result = relate(op, result, evalNode(operand, scope), scope);
      } else {
        const left = num(result, scope);
        if (Number.isNaN(left)) {
          result = NaN;
          continue;
        }
        const right = num(evalNode(operand, scope), scope);
        if (Number.isNaN(right)) result = NaN;
        else if (op === "+") result = left + right;
        else if (op === "-") result = left - right;
        else if (op === "*") result = left * right;
        else if (op === "div") result = left / right;
        else result = left % right;
      }
    }
    return result;
  }

  function scalarEquals(left, right, scope) {
    if (typeof left === "boolean" || typeof right === "boolean") return toBoolean(left) === toBoolean(right);
    if (isNumeric(left) || isNumeric(right)) return num(left, scope) === num(right, scope);
    return toString(left) === toString(right);
  }

  function equals(left, right, negate, scope) {
    if (left instanceof NodeSet || right instanceof NodeSet) {
      if (typeof left === "boolean" || typeof right === "boolean") {
        const same = toBoolean(left) === toBoolean(right);
        return negate ? !same : same;
      }
      const rights = items(right);
      return items(left).some((a) => rights.some((b) => scalarEquals(a, b, scope) !== negate));
    }
    const same = scalarEquals(left, right, scope);
    return negate ? !same : same;
  }

  function relate(op, left, right, scope) {
    const rights = items(right);
    for (const a of items(left)) {
      const x = num(a, scope);
      for (const b of rights) {
        const y = num(b, scope);
        if ((op === "<" && x < y) || (op === "<=" && x <= y) || (op === ">" && x > y) || (op === ">=" && x >= y)) {
          return true;
        }
      }
    }
    return false;
  }

  const XML_WS = /[ \t\r\n]+/g;
  const normalizeSpace = (text) => text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "").replace(XML_WS, " ");
  const xmlSplit = (text) => normalizeSpace(text).split(" ");
  const trimXml = (text) => text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");

  function flattenStrings(values) {
    const out = [];
    for (const value of values) {
      if (value instanceof NodeSet) out.push(...value.values);
      else out.push(toString(value));
    }
    return out;
  }

  function callFunction(node, scope) {
    const name = node.name;
    const args = node.args;
    const context = scope.context;
    const arg = (i) => evalNode(args[i], scope);
    const string = (i) => toString(arg(i));
    const number = (i) => num(arg(i), scope);
    const currentNode = () => new NodeSet([[scope.here === null ? "" : scope.here, scope.path]], [scope.currentValue()]);

    switch (name) {
      case "if":
        return toBoolean(arg(0)) ? arg(1) : arg(2);
      case "true":
        return true;
      case "false":
        return false;
      case "not":
        return !toBoolean(arg(0));
      case "boolean":
        return toBoolean(arg(0));
      case "boolean-from-string": {
        const text = string(0);
        return text === "1" || text === "true";
      }
      case "string":
        return args.length ? string(0) : scope.currentValue();
      case "number": {
        const value = args.length ? arg(0) : currentNode();
        if (value instanceof NodeSet || typeof value === "string") {
          const text = toString(value);
          const ms = parseDateTime(text, scope.offset);
          if (ms !== null) return new DateValue(ms, scope.offset, String(Math.floor(ms / DAY_MS)), true);
        }
        if (typeof value === "number" || value instanceof DateValue) return value;
        return num(value, scope);
      }
      case "string-length":
        return (args.length ? string(0) : scope.currentValue()).length;
      case "normalize-space":
        return normalizeSpace(args.length ? string(0) : scope.currentValue());
      case "concat":
        return flattenStrings(args.map((_, i) => arg(i))).join("");
      case "join": {
        const glue = string(0);
        return flattenStrings(args.slice(1).map((_, i) => arg(i + 1))).join(glue);
      }
      case "coalesce": {
        const first = string(0);
        return first !== "" ? first : string(1);
      }
      case "contains":
        return string(0).includes(string(1));
      case "starts-with":
        return string(0).startsWith(string(1));
      case "ends-with":
        return string(0).endsWith(string(1));
      case "substring-before": {
        const haystack = string(0);
        const needle = string(1);
        const index = haystack.indexOf(needle);
        return index < 0 || haystack === "" ? "" : haystack.slice(0, index);
      }
      case "substring-after": {
        const haystack = string(0);
        const needle = string(1);
        const index = haystack.indexOf(needle);
        return index < 0 ? "" : haystack.slice(index + needle.length);
      }
      case "substring":
        return substring(string(0), number(1), args.length > 2 ? number(2) : null);
      case "substr": {
        const text = string(0);
        const length = text.length;
        if (length === 0) return "";
        let start = parseInt(string(1), 10);
        let end = args.length > 2 ? parseInt(string(2), 10) : length;
        if (Number.isNaN(start) || Number.isNaN(end)) return "";
        if (start < 0) start = length + start;
        if (end < 0) end = length + end;
        start = Math.min(Math.max(0, start), length);
        end = Math.min(Math.max(0, end), length);
        return start <= end ? text.slice(start, end) : "";
      }
      case "translate": {
        const haystack = string(0);
        const needles = string(1);
        const replacements = string(2);
        const mapping = new Map();
        for (let i = 0; i < needles.length; i += 1) {
          if (!mapping.has(needles[i])) mapping.set(needles[i], i < replacements.length ? replacements[i] : "");
        }
        let out = "";
        for (let i = 0; i < haystack.length; i += 1) out += mapping.has(haystack[i]) ? mapping.get(haystack[i]) : haystack[i];
        return out;
      }
      case "regex": {
        const compiled = compiledRegex(string(1));
        const value = string(0);
        return compiled !== null && compiled.test(value);
      }
      case "selected":
        return xmlSplit(string(0)).includes(trimXml(string(1)));
      case "count-selected": {
        const text = trimXml(string(0));
        return text === "" ? 0 : xmlSplit(text).length;
      }
      case "selected-at": {
        const words = xmlSplit(string(0));
        const index = parseInt(string(1), 10);
        return !Number.isNaN(index) && index >= 0 && index < words.length ? words[index] : "";
      }
      case "count": {
        const value = arg(0);
        return value instanceof NodeSet ? value.nodes.length : NaN;
      }
      case "count-non-empty": {
        const value = arg(0);
        return value instanceof NodeSet ? value.values.filter((item) => item !== "").length : NaN;
      }
      case "sum": {
        const value = arg(0);
        let total = 0;
        for (const item of items(value)) {
          const n = num(item, scope);
          if (Number.isNaN(n)) return NaN;
          total += n;
        }
        return total;
      }
      case "min":
      case "max": {
        const numbers = [];
        for (let i = 0; i < args.length; i += 1) {
          const value = arg(i);
          for (const item of items(value)) {
            const n = num(item, scope);
            if (Number.isNaN(n)) return NaN;
            numbers.push(n);
          }
        }
        if (!numbers.length) return NaN;
        return name === "max" ? Math.max(...numbers) : Math.min(...numbers);
      }
      case "floor":
        return Math.floor(number(0));
      case "ceiling":
        return Math.ceil(number(0));
      case "abs":
        return Math.abs(number(0));
      case "int": {
        const n = number(0);
        return n > 0 ? Math.floor(n) : Math.ceil(n);
      }
      case "round": {
        const value = number(0);
        if (Number.isNaN(value)) return NaN;
        const decimals = args.length > 1 ? number(1) : 0;
        if (Number.isNaN(decimals)) return NaN;
        const sign = value < 0 ? -1 : 1;
        const multiplier = 10 ** decimals;
        return (jsRound(Math.abs(value) * multiplier) / multiplier) * sign;
      }
      case "pow": {
        const base = number(0);
        if (Number.isNaN(base)) return NaN;
        return Math.pow(base, number(1));
      }
      case "today": {
        const f = localFields(scope.nowMs, scope.offset);
        return new DateValue(daysFromCivil(f.year, f.month, f.day) * DAY_MS - scope.offset * 60000, scope.offset);
      }
      case "now":
        return new DateValue(scope.nowMs, scope.offset);
      case "date":
      case "date-time": {
        const value = arg(0);
        if (typeof value === "boolean") return "";
        if (value instanceof NodeSet || typeof value === "string") {
          let text = toString(value);
          if (text === "") return "";
          if (!DATE_PREFIX.test(text)) {
            const match = UNPADDED_DATE.exec(text);
            if (match === null) return new DateValue(null, scope.offset);
            text = `${match[1]}-${match[2].padStart(2, "0")}-${match[3].padStart(2, "0")}${match[4] || ""}`;
          }
          return new DateValue(parseDateTime(text, scope.offset), scope.offset);
        }
        return dateFromMs(num(value, scope) * DAY_MS, scope.offset);
      }
      case "decimal-date-time": {
        const value = arg(0);
        if (typeof value === "boolean") return NaN;
        if (value instanceof NodeSet || typeof value === "string") {
          const ms = parseDateTime(toString(value), scope.offset);
          return ms === null ? NaN : ms / DAY_MS;
        }
        return dateFromMs(num(value, scope) * DAY_MS, scope.offset).number;
      }
      case "format-date":
      case "format-date-time":
        return formatDate(string(0), string(1), scope.offset);
      case "position":
        return evalNode(args[0], scope);
      case "indexed-repeat":
        return indexedRepeat(args, scope);
      case "once": {
        const current = scope.currentValue();
        return current !== "" ? current : string(0);
      }
      case "uuid": {
        const base =
          context.uuid !== undefined && context.uuid !== null ? context.uuid : globalThis.crypto.randomUUID();
        if (!args.length) return base;
        const length = Math.min(number(0), 1000);
        if (Number.isNaN(length) || length < 1 || !base) return "";
        let result = base;
        while (result.length < length) result += base;
        return result.slice(0, Math.trunc(length));
      }
      case "jr:choice-name": {
        const labels = context.choice_labels || {};
        const byValue = has(labels, node.question) ? labels[node.question] : {};
        const value = string(0);
        return has(byValue, value) ? String(byValue[value]) : "";
      }
      case "pulldata": {
        const data = context.data || {};
        const file = args[0].value;
        return has(data, file) ? pulldata(data[file], string(1), string(2), string(3)) : "";
      }
      default:
        throw new TypeError(`not a supported function: ${name}`);
    }
  }

  // pulldata's rows ([{column: text}]) indexed by key column on first use: a lookup is a Map lookup.
  const dataIndexes = new WeakMap();
  function pulldata(rows, column, keyColumn, key) {
    if (!Array.isArray(rows)) return "";
    let indexes = dataIndexes.get(rows);
    if (indexes === undefined) {
      indexes = new Map();
      dataIndexes.set(rows, indexes);
    }
    let index = indexes.get(keyColumn);
    if (index === undefined) {
      index = new Map();
      for (const row of rows) {
        if (has(row, keyColumn) && !index.has(String(row[keyColumn]))) index.set(String(row[keyColumn]), row);
      }
      indexes.set(keyColumn, index);
    }
    const row = index.get(key);
    return row !== undefined && has(row, column) ? String(row[column]) : "";
  }

  function substring(text, start, length) {
    if (text === "") return "";
    const first = jsRound(start);
    const last = length === null ? Infinity : first + jsRound(length);
    if (Number.isNaN(first) || Number.isNaN(last)) return "";
    const begin = Math.max(first, 1);
    if (begin >= last || begin > text.length) return "";
    const end = Math.min(last, text.length + 1);
    return text.slice(begin - 1, end - 1);
  }

  function indexedRepeat(args, scope) {
    const pairs = [];
    for (let i = 1; i < args.length; i += 2) {
      const position = num(evalNode(args[i + 1], scope), scope);
      if (Number.isNaN(position)) return EMPTY_NODESET;
      const repeats = scope.resolve(args[i].name, true);
      if (!repeats.nodes.length) return EMPTY_NODESET;
      pairs.push([repeats.nodes, position]);
    }
    pairs.sort((a, b) => {
      for (const repeatA of a[0]) {
        for (const repeatB of b[0]) {
          if (scope.contains(repeatA, repeatB)) return -1;
          if (scope.contains(repeatB, repeatA)) return 1;
        }
      }
      return 0;
    });
    let chosen = null;
    for (let number = 0; number < pairs.length; number += 1) {
      let [repeats, position] = pairs[number];
      if (number > 0) repeats = repeats.filter((repeat) => scope.contains(chosen, repeat));
      if (!(Number.isInteger(position) && position >= 1 && position <= repeats.length)) return EMPTY_NODESET;
      chosen = repeats[position - 1];
    }
    const target = scope.resolve(args[0].name, true);
    const nodes = [];
    const values = [];
    target.nodes.forEach((node, i) => {
      if (scope.contains(chosen, node)) {
        nodes.push(node);
        values.push(target.values[i]);
      }
    });
    return new NodeSet(nodes, values);
  }

  function describe(value, offset) {
    let kind = "string";
    if (typeof value === "boolean") kind = "boolean";
    else if (typeof value === "number") kind = "number";
    else if (value instanceof NodeSet) kind = "nodeset";
    else if (value instanceof DateValue) kind = "date";
    const n = toNumber(value, offset || 0);
    const summary = {
      kind,
      string: toString(value),
      number: Number.isNaN(n) ? "NaN" : String(n),
      boolean: toBoolean(value),
    };
    if (value instanceof NodeSet) summary.values = value.values.slice();
    return summary;
  }

  window.CasebookExpressions = {
    parse,
    check,
    evaluate,
    references,
    functions,
    choiceColumns,
    toString,
    toNumber,
    toBoolean,
    describe,
    setMessages,
    formatMessage,
    regexProblem,
    pathKey,
    FUNCTIONS,
    MAX_LENGTH,
    MAX_DEPTH,
    ExpressionError,
    NodeSet,
    DateValue,
  };
})();
