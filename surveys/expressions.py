"""The one expression language of questionnaires: XLSForm expressions with ODK's XPath semantics.

``relevant``, ``constraint``, ``calculation``, ``choice_filter``, ``required``, ``repeat_count`` and
dynamic ``default`` are all written in it. It is parsed into a small JSON tree (dicts and lists) and
evaluated, never ``eval``-ed. ``static/surveys/js/expressions.js`` implements exactly the same rules
(this docstring is its spec); parity is property-tested in Chromium, and a corpus is compared with ODK's
own evaluator (@getodk/xpath, the engine of ODK Web Forms).

Syntax (XPath 1.0 as people write it in XLSForm)
    ``${name}`` a question, group or repeat; ``.`` the value of the node being evaluated; ``'text'`` or
    ``"text"`` (no escapes); numbers ``12``, ``3.5``, ``.5`` (no exponent); operators, loosest first:
    ``or``, ``and``, ``= !=``, ``< <= > >=``, ``+ -``, ``* div mod``, unary ``-``; all binary ones are
    left-associative. Parentheses; function calls ``name(arg, ...)`` (names may contain ``-`` and the
    prefix ``jr:``). A bare name such as ``state`` is a column of the choice in a ``choice_filter``
    (elsewhere it is an empty node-set, and ``check`` refuses it). ``..`` is only accepted as
    ``position(..)``. As in XPath, ``and or div mod`` and ``*`` are operators only after a value; a
    name may contain ``-`` and ``.``, so ``a-1`` is one name (write ``${a} - 1``).
    Whitespace (space, tab, CR, LF, no-break space) separates tokens. At most ``MAX_LENGTH`` characters
    and a tree ``MAX_DEPTH`` levels deep: chains like ``1 + 1 + ... + 1`` make one flat node, so only
    nesting (parentheses, calls, unary minus, mixed operators) counts. Positions are 0-based code point
    offsets; messages count characters from 1.

Values
    A result is a boolean, a number (IEEE double), a string, a node-set (``NodeSet``: nodes with their
    string values, in document order) or a date (``DateValue``: a number of days since 1970-01-01T00:00Z
    that also remembers how to print itself). Answers are strings; unanswered is ``''``;
    select_multiple answers are space-separated values.

    to_string: true/false -> ``'true'``/``'false'``; a number as JavaScript prints it (``5``, ``0.5``,
    ``1e+21``, ``Infinity``) except NaN, which prints as ``''`` (ODK Web Forms; JavaRosa prints
    ``NaN``); a node-set -> its first node's value or ``''``; a date -> ``YYYY-MM-DD`` when it falls at
    midnight in the context's time zone, else ``YYYY-MM-DDTHH:MM:SS.mmm+HH:MM``; an invalid date ->
    ``'Invalid Date'`` (as Web Forms).

    to_number: true/false -> 1/0; a node-set -> its first node's value read as a string (none: NaN);
    a date -> its days (a fraction when not at midnight UTC). A string: ``''`` is NaN; an ISO date or
    date-time (see below) reads as its days in the context's time zone; otherwise JavaScript's
    ``Number()``: ``'12'``, ``' 1.5 '``, ``'-.5'``, ``'1e3'``, ``'+2'``, ``'0x1F'``, ``'Infinity'``, and
    ``' '`` is 0 (as Web Forms); anything else is NaN. A node whose text is only spaces, tabs and line
    breaks is NaN (an answer of ``' '`` is no number). Node-sets convert node by node wherever they are
    compared, summed or bounded.

    to_boolean: a number is true unless 0 or NaN; a string unless ``''``; a node-set unless empty (a
    question that exists is true even when unanswered: write ``${q} != ''``); a date unless it is
    1970-01-01T00:00Z or invalid.

    ``=`` / ``!=``: when a side is a node-set the comparison holds if it holds for some node (so both
    ``${rep_q} = 1`` and ``${rep_q} != 1`` can be true, and nothing compares with an empty node-set).
    A boolean on either side compares booleans; otherwise a number (or date) on either side compares
    numbers; otherwise strings. ``<  <=  >  >=`` always compare numbers (node-sets existentially), so
    ``'b' > 'a'`` is false and dates compare as days. ``+ - * div mod`` work on numbers (JavaScript's
    ``%`` for mod); NaN in, NaN out; ``1 div 0`` is Infinity.

Dates
    A date string is ``YYYY-MM-DD``, optionally followed by ``THH``, ``THH:MM``, ``THH:MM:SS`` or
    ``THH:MM:SS.fff...`` and optionally ``Z`` or ``+HH:MM``/``-HH:MM`` (offset hours 00-14); the whole
    string must match and be a real calendar date between years 0001 and 9999 (else it is not a date).
    Without an offset it is local time in the context's time zone (a fixed UTC offset, by default the
    offset of ``now``). Fractions of seconds are truncated to milliseconds.
    ``today()`` is local midnight today; ``now()`` the context's instant. ``date(x)``: a number of days
    -> that instant; a string that is a date -> that date (``2024-1-5`` is padded); ``''`` -> ``''``;
    anything else an invalid date; a boolean -> ``''``. ``date-time`` is the same function.
    ``decimal-date-time(x)`` -> days as a number. ``format-date(x, fmt)`` and ``format-date-time`` (the
    same function, as in Web Forms) read ``string(x)`` as a date (``''`` when it is not one) and replace
    ``%Y %y %m %n %b %d %e %a %H %h %M %S %3``. So ``format-date(today() + 1, ...)`` is ``''`` (a sum
    is a number): write ``format-date(date(today() + 1), ...)``.

References (pyxform's relative paths)
    ``${x}`` evaluated for node ``here`` at repeat path ``path``: let ``k`` be the length of the common
    prefix of the repeats enclosing ``here`` and those enclosing ``x``. If ``x`` is not repeated beyond
    that prefix (a repeat counts as repeated itself), it is the single node ``x`` at ``path[:k]``;
    otherwise the node-set of every instance of ``x`` under ``path[:k]``, in document order (instances
    come from ``counts``; a value never given reads ``''``). So ``${q}`` in its own repeat is the
    sibling in the same instance, ``count(${rep})`` counts instances (all of them, even from inside),
    and ``sum(${q_in_rep})`` outside the repeat sums every instance. A group or repeat reads as ``''``
    (ODK concatenates the text inside it; use count()).

Functions (``FUNCTIONS``; any other name is refused at parse time)
    XPath: ``boolean ceiling concat contains count floor normalize-space not number round string
    string-length starts-with substring substring-after substring-before sum translate true false``;
    ODK: ``abs boolean-from-string coalesce count-non-empty count-selected date date-time
    decimal-date-time ends-with format-date format-date-time if indexed-repeat int join jr:choice-name
    max min now once position pow pulldata regex selected selected-at substr today uuid``.
    Where ODK Web Forms and the XPath 1.0 / ODK XForms specification disagree we follow Web Forms,
    except in these documented corners, where we follow the specification (and JavaRosa, which runs
    ODK Collect): ``sum`` of an empty node-set is 0 (Web Forms: NaN); ``substring-after`` skips the
    whole separator (Web Forms skips one character); ``substring`` never swaps its ends;
    ``normalize-space`` turns a single tab or newline into a space; ``format-date`` prints Sundays as
    ``Sun``; ``and``/``or`` return booleans (Web Forms returns the deciding operand).
    Details that Web Forms shares: ``concat`` and ``join`` take every node of a node-set;
    ``round(x, n)`` rounds half away from zero; ``int`` truncates; ``substr(s, start[, end])`` takes
    0-based, end-exclusive, possibly negative indices read with ``parseInt``; ``selected-at(list, n)``
    is 0-based; ``string-length``, ``substr``, ``substring`` and ``translate`` count UTF-16 code units,
    as JavaScript does; ``selected``/``count-selected``/``selected-at`` split on XML whitespace;
    ``boolean-from-string`` is true for ``'1'`` and ``'true'`` only; ``if`` evaluates one branch;
    ``coalesce(a, b)`` is the first non-empty string; ``min``/``max`` of nothing is NaN.
    ``position(..)`` is the index of the instance of the innermost repeat around the node (1 outside
    repeats; in a repeat's own expressions, the instance of the repeat around it). ODK counts the
    parent element, which differs inside a non-repeated group nested in a repeat.
    ``indexed-repeat(${q}, ${rep}, n [, ${rep2}, m ...])`` reads its references as absolute paths (as
    pyxform writes them): the n-th ``rep`` of the whole form, then the m-th ``rep2`` inside it, then
    the ``q`` nodes inside that. ``jr:choice-name(value, '${q}')`` is the label of a choice of
    ``q`` in the form's current language (``choice_labels``). ``once(x)`` keeps the node's current value
    if it has one. ``today``, ``now`` and ``uuid`` read ``Context.now`` and ``Context.uuid`` so that
    tests can fix them; ``uuid(n)`` repeats the id up to n characters.
    ``pulldata('file', column, key_column, key)`` reads ``file.csv`` attached to the form (``data``):
    ``column`` of the first row whose ``key_column`` equals ``string(key)`` (strings: ``'1'`` is not
    ``'1.0'``), else ``''`` (no such row, column or file). The file's name must be quoted text.
    ``regex(value, pattern)`` uses JavaScript's syntax without flags, on UTF-16 code units. The server
    translates the pattern for Python's ``re``; patterns with named groups, lookbehind, inline flags,
    quantified assertions or ambiguous octal escapes are refused ("cannot be used") in both languages.
    A pathological pattern (nested unbounded repetition) is the form author's responsibility.

Evaluation never raises for a parsed tree: every function is total over every value.

What it copies from JavaScript (regular expressions, UTF-16 strings, numbers, dates) is in surveys/jsvalues.py.
"""

import datetime
import math
import re
import uuid as uuid_module
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cmp_to_key, lru_cache

from django.utils.translation import gettext_lazy as _

from surveys.jsvalues import (
    _DATE_PREFIX,
    _EPOCH,
    _UNPADDED_DATE,
    DAY_MS,
    INF,
    NAN,
    DateValue,
    _compiled_regex,
    _date_from_ms,
    _format_date,
    _from_units,
    _js_div,
    _js_mod,
    _js_pow,
    _local_fields,
    _to_units,
    js_number,
    js_number_to_string,
    js_parse_int,
    js_round,
    parse_date_time,
    regex_problem,
)

MAX_LENGTH = 10_000
MAX_DEPTH = 100

# --- Messages ---------------------------------------------------------------------------------------
# One table, keyed like the JavaScript twin's: message_table() hands it to the browser translated.

MESSAGES = {
    "empty": _("The expression is empty."),
    "too_long": _("The expression is too long: %(length)d characters, at most %(limit)d."),
    "too_deep": _("The expression nests too deeply at character %(column)d: at most %(limit)d levels."),
    "unterminated": _("The text starting at character %(column)d is not closed: end it with %(quote)s."),
    "bad_reference": _("Invalid reference at character %(column)d: write ${name} with letters, digits, _, - or ."),
    "last_saved": _(
        "${last-saved#%(name)s} at character %(column)d (the answer in the last form saved on the device, as "
        "ODK Collect offers it) is not supported: the web form and the server have no such form to read it from. "
        "Write a default value or ask the question instead."
    ),
    "bad_character": _("Unexpected character '%(char)s' at character %(column)d."),
    "path": _("Paths and predicates ('%(char)s') are not supported at character %(column)d: write ${name}."),
    "unexpected": _("Unexpected %(found)s at character %(column)d: expected %(expected)s."),
    "unknown_function": _("The function '%(name)s' at character %(column)d is not supported."),
    "arity": _(
        "The function '%(name)s' at character %(column)d cannot take %(count)d arguments: it takes %(expected)s."
    ),
    "needs_reference": _("The function '%(name)s' at character %(column)d needs a reference such as ${name} here."),
    "position": _("position() at character %(column)d only takes '..': write position(..)."),
    "choice_name": _("jr:choice-name() at character %(column)d needs the question as quoted text, like '${name}'."),
    "pulldata_file": _(
        "pulldata() at character %(column)d needs the file's name as quoted text, like 'prices' for prices.csv."
    ),
    "pulldata_extension": _(
        "pulldata() at character %(column)d names the file with its extension, '%(file)s': ODK Collect and Web Forms "
        "would look for a file called %(file)s.csv. Write the name without .csv: '%(name)s'."
    ),
    "bad_regex": _(
        "The regular expression at character %(column)d cannot be used (see character %(index)d of the pattern)."
    ),
    "unknown_name": _("Unknown question '%(name)s' at character %(column)d."),
    "bare_name": _(
        "'%(name)s' at character %(column)d is not a question: write ${%(name)s} for a question or '%(name)s' for text."
    ),
    "unknown_column": _("The choices have no column '%(name)s' (character %(column)d)."),
    # Fragments used inside the messages above.
    "end": _("end of the expression"),
    "expect_value": _("a value: ${name}, 'text', a number, a function or '('"),
    "expect_operator": _("an operator or the end of the expression"),
    "expect_close": _("')'"),
    "expect_argument": _("',' or ')'"),
    "expect_open": _("'('"),
    "args_exact": _("%(min)d"),
    "args_range": _("%(min)d to %(max)d"),
    "args_more": _("%(min)d or more"),
    "args_odd": _("3, 5, 7 or more (an odd number)"),
}


def message_table() -> dict[str, str]:
    """The message templates in the active language, for CasebookExpressions.setMessages()."""
    return {key: str(template) for key, template in MESSAGES.items()}


@dataclass(frozen=True, slots=True)
class Msg:
    """A message fragment used as a parameter of another message, translated when the message is read."""

    key: str
    params: tuple = ()


def format_message(key: str, params: Mapping, table: Mapping | None = None) -> str:
    table = MESSAGES if table is None else table
    resolved = {}
    for name, value in params.items():
        if isinstance(value, Msg):
            value = format_message(value.key, dict(value.params), table)
        resolved[name] = value
    return str(table[key]) % resolved


class ExpressionError(ValueError):
    """An expression that cannot be used; ``message`` is translated when read, ``position`` is 0-based."""

    def __init__(self, key: str, position: int, **params):
        self.key = key
        self.position = position
        self.params = params
        super().__init__(key, position)

    @property
    def template(self):
        return MESSAGES[self.key]

    @property
    def message(self) -> str:
        return format_message(self.key, self.params)

    def __str__(self):
        return self.message


# --- Functions --------------------------------------------------------------------------------------

# name: (fewest arguments, most arguments or None for any number)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "boolean": (1, 1),
    "boolean-from-string": (1, 1),
    "ceiling": (1, 1),
    "coalesce": (2, 2),
    "concat": (1, None),
    "contains": (2, 2),
    "count": (1, 1),
    "count-non-empty": (1, 1),
    "count-selected": (1, 1),
    "date": (1, 1),
    "date-time": (1, 1),
    "decimal-date-time": (1, 1),
    "ends-with": (2, 2),
    "false": (0, 0),
    "floor": (1, 1),
    "format-date": (2, 2),
    "format-date-time": (2, 2),
    "if": (3, 3),
    "indexed-repeat": (3, None),
    "int": (1, 1),
    "join": (2, None),
    "jr:choice-name": (2, 2),
    "max": (1, None),
    "min": (1, None),
    "normalize-space": (0, 1),
    "not": (1, 1),
    "now": (0, 0),
    "number": (0, 1),
    "once": (1, 1),
    "position": (1, 1),
    "pow": (2, 2),
    "pulldata": (4, 4),
    "regex": (2, 2),
    "round": (1, 2),
    "selected": (2, 2),
    "selected-at": (2, 2),
    "starts-with": (2, 2),
    "string": (0, 1),
    "string-length": (0, 1),
    "substr": (2, 3),
    "substring": (2, 3),
    "substring-after": (2, 2),
    "substring-before": (2, 2),
    "sum": (1, 1),
    "today": (0, 0),
    "translate": (3, 3),
    "true": (0, 0),
    "uuid": (0, 1),
}
# Arguments that must be node-sets (references), by function: argument indexes, or "odd" for
# indexed-repeat's 0, 1, 3, 5, ...
NODESET_ARGUMENTS = {"count": (0,), "count-non-empty": (0,), "indexed-repeat": "repeat"}

# --- Tokens -----------------------------------------------------------------------------------------

WHITESPACE = frozenset(" \t\r\n\u00a0")
DIGITS = frozenset("0123456789")
ASCII_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
ASCII_NAME_CHARS = ASCII_NAME_START | DIGITS | frozenset(".-")
OPERATOR_NAMES = ("and", "or", "div", "mod")
LEVELS = {
    "or": 0,
    "and": 1,
    "=": 2,
    "!=": 2,
    "<": 3,
    "<=": 3,
    ">": 3,
    ">=": 3,
    "+": 4,
    "-": 4,
    "*": 5,
    "div": 5,
    "mod": 5,
}


def _name_start(char: str) -> bool:
    return char in ASCII_NAME_START or (char > "\x7f" and char.isalpha())


def _name_char(char: str) -> bool:
    return char in ASCII_NAME_CHARS or (char > "\x7f" and char.isalpha())


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # ref, string, number, name, qname, op, open, close, comma, dot, dotdot, end
    text: str
    position: int
    raw: str = ""


def _value_ends(token: _Token | None) -> bool:
    """XPath's rule: after these tokens, 'and', 'or', 'div', 'mod' and '*' are operators."""
    if token is None:
        return False
    return token.kind in ("ref", "string", "number", "name", "close", "dot", "dotdot")


def _tokens(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        previous = tokens[-1] if tokens else None
        if char in WHITESPACE:
            i += 1
        elif char == "$":
            if source[i + 1 : i + 2] != "{" or i + 2 >= n or not _name_start(source[i + 2]):
                raise ExpressionError("bad_reference", i, column=i + 1)
            j = i + 3
            while j < n and _name_char(source[j]):
                j += 1
            if j < n and source[j] == "#" and source[i + 2 : j] == "last-saved":
                end = source.find("}", j)
                raise ExpressionError("last_saved", i, column=i + 1, name=source[j + 1 : end if end != -1 else n])
            if j >= n or source[j] != "}":
                raise ExpressionError("bad_reference", i, column=i + 1)
            tokens.append(_Token("ref", source[i + 2 : j], i, source[i : j + 1]))
            i = j + 1
        elif char in "'\"":
            end = source.find(char, i + 1)
            if end < 0:
                raise ExpressionError("unterminated", i, column=i + 1, quote=char)
            tokens.append(_Token("string", source[i + 1 : end], i, source[i : end + 1]))
            i = end + 1
        elif char in DIGITS or (char == "." and source[i + 1 : i + 2] in DIGITS and i + 1 < n):
            j = i
            while j < n and source[j] in DIGITS:
                j += 1
            if j < n and source[j] == ".":
                j += 1
                while j < n and source[j] in DIGITS:
                    j += 1
            tokens.append(_Token("number", source[i:j], i, source[i:j]))
            i = j
        elif char == ".":
            if source[i + 1 : i + 2] == ".":
                tokens.append(_Token("dotdot", "..", i, ".."))
                i += 2
            else:
                tokens.append(_Token("dot", ".", i, "."))
                i += 1
        elif source.startswith(("!=", "<=", ">="), i):
            tokens.append(_Token("op", source[i : i + 2], i, source[i : i + 2]))
            i += 2
        elif char in "=<>+-":
            tokens.append(_Token("op", char, i, char))
            i += 1
        elif char == "*":
            if not _value_ends(previous):
                raise ExpressionError("path", i, char=char, column=i + 1)
            tokens.append(_Token("op", "*", i, "*"))
            i += 1
        elif char == "(":
            tokens.append(_Token("open", char, i, char))
            i += 1
        elif char == ")":
            tokens.append(_Token("close", char, i, char))
            i += 1
        elif char == ",":
            tokens.append(_Token("comma", char, i, char))
            i += 1
        elif char in "/[]@|":
            raise ExpressionError("path", i, char=char, column=i + 1)
        elif _name_start(char):
            j = i + 1
            while j < n and _name_char(source[j]):
                j += 1
            name = source[i:j]
            if name in OPERATOR_NAMES and _value_ends(previous):
                tokens.append(_Token("op", name, i, name))
                i = j
                continue
            if j + 1 < n and source[j] == ":" and _name_start(source[j + 1]):
                k = j + 2
                while k < n and _name_char(source[k]):
                    k += 1
                tokens.append(_Token("qname", source[i:k], i, source[i:k]))
                i = k
                continue
            tokens.append(_Token("name", name, i, name))
            i = j
        else:
            raise ExpressionError("bad_character", i, char=char, column=i + 1)
    tokens.append(_Token("end", "", n))
    return tokens


# --- Parser -----------------------------------------------------------------------------------------
# Trees are plain dicts and lists (JSON), identical to the ones expressions.js builds:
#   {"type": "number", "value": 1.5}           {"type": "string", "value": "x"}
#   {"type": "ref", "name": "q", "position": 2}  (position of the name, after "${")
#   {"type": "name", "name": "col", "position": 0}   {"type": "current", "position": 0}
#   {"type": "parent", "position": 9}  (only as position(..))
#   {"type": "call", "name": "concat", "args": [...], "position": 0}  (+ "question" for jr:choice-name)
#   {"type": "negate", "operand": {...}, "position": 0}
#   {"type": "ops", "first": {...}, "rest": [["+", {...}], ...]}  (a left-to-right chain of one level)


class _Parser:
    def __init__(self, source: str):
        self.tokens = _tokens(source)
        self.index = 0

    def peek(self, offset=0) -> _Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.index += 1
        return token

    def fail(self, expected: str):
        token = self.peek()
        if token.kind == "end":
            found = Msg("end")
        else:
            raw = token.raw if len(token.raw) <= 30 else token.raw[:29] + "…"
            found = raw if token.kind == "string" else f"'{raw}'"
        raise ExpressionError(
            "unexpected", token.position, found=found, column=token.position + 1, expected=Msg(expected)
        )

    def deep(self, depth: int, position: int) -> int:
        if depth > MAX_DEPTH:
            raise ExpressionError("too_deep", position, column=position + 1, limit=MAX_DEPTH)
        return depth

    def parse(self) -> dict:
        node, _depth = self.expression(1)
        if self.peek().kind != "end":
            self.fail("expect_operator")
        return node

    def expression(self, nesting: int) -> tuple[dict, int]:
        """Binary operators by an explicit stack (no recursion per precedence level)."""
        operands = [self.unary(nesting)]
        operators: list[tuple[str, int]] = []  # (op, position)
        while self.peek().kind == "op":
            token = self.take()
            while operators and LEVELS[operators[-1][0]] >= LEVELS[token.text]:
                self.reduce(operands, operators)
            operators.append((token.text, token.position))
            operands.append(self.unary(nesting))
        while operators:
            self.reduce(operands, operators)
        return operands[0]

    def reduce(self, operands: list, operators: list):
        op, position = operators.pop()
        right, right_depth = operands.pop()
        left, left_depth = operands.pop()
        if left["type"] == "ops" and LEVELS[left["rest"][0][0]] == LEVELS[op]:
            node = {"type": "ops", "first": left["first"], "rest": [*left["rest"], [op, right]]}
            depth = max(left_depth, right_depth + 1)
        else:
            node = {"type": "ops", "first": left, "rest": [[op, right]]}
            depth = max(left_depth, right_depth) + 1
        operands.append((node, self.deep(depth, position)))

    def unary(self, nesting: int) -> tuple[dict, int]:
        token = self.peek()
        if token.kind == "op" and token.text == "-":
            self.deep(nesting + 1, token.position)
            self.take()
            operand, depth = self.unary(nesting + 1)
            return {"type": "negate", "operand": operand, "position": token.position}, self.deep(
                depth + 1, token.position
            )
        return self.primary(nesting)

    def primary(self, nesting: int) -> tuple[dict, int]:
        token = self.peek()
        if token.kind == "number":
            self.take()
            return {"type": "number", "value": float(token.text)}, 1
        if token.kind == "string":
            self.take()
            return {"type": "string", "value": token.text}, 1
        if token.kind == "ref":
            self.take()
            return {"type": "ref", "name": token.text, "position": token.position + 2}, 1
        if token.kind == "dot":
            self.take()
            return {"type": "current", "position": token.position}, 1
        if token.kind == "open":
            self.deep(nesting + 1, token.position)
            self.take()
            node, depth = self.expression(nesting + 1)
            if self.peek().kind != "close":
                self.fail("expect_close")
            self.take()
            return node, depth
        if token.kind in ("name", "qname"):
            if self.peek(1).kind == "open":
                return self.call(nesting)
            if token.kind == "qname":
                self.take()
                self.fail("expect_open")
            self.take()
            return {"type": "name", "name": token.text, "position": token.position}, 1
        self.fail("expect_value")

    def call(self, nesting: int) -> tuple[dict, int]:
        name = self.take()
        if name.text not in FUNCTIONS:
            raise ExpressionError("unknown_function", name.position, name=name.text, column=name.position + 1)
        self.deep(nesting + 1, name.position)
        self.take()  # (
        args, depth = [], 1
        if name.text == "position":
            if self.peek().kind != "dotdot" or self.peek(1).kind != "close":
                raise ExpressionError("position", name.position, column=name.position + 1)
            args.append({"type": "parent", "position": self.take().position})
        elif self.peek().kind != "close":
            while True:
                arg, arg_depth = self.expression(nesting + 1)
                args.append(arg)
                depth = max(depth, arg_depth)
                if self.peek().kind == "comma":
                    self.take()
                    continue
                if self.peek().kind != "close":
                    self.fail("expect_argument")
                break
        self.take()  # )
        node = {"type": "call", "name": name.text, "args": args, "position": name.position}
        _check_call(node)
        return node, self.deep(depth + 1, name.position)


CHOICE_NAME_ARGUMENT = re.compile(r"[ \t\r\n\u00a0]*\$\{([^{}]*)\}[ \t\r\n\u00a0]*")


def _check_call(node: dict):
    name, args, position = node["name"], node["args"], node["position"]
    low, high = FUNCTIONS[name]
    count = len(args)
    if count < low or (high is not None and count > high) or (name == "indexed-repeat" and count % 2 == 0):
        if name == "indexed-repeat":
            expected = Msg("args_odd")
        elif high is None:
            expected = Msg("args_more", (("min", low),))
        elif high == low:
            expected = Msg("args_exact", (("min", low),))
        else:
            expected = Msg("args_range", (("min", low), ("max", high)))
        raise ExpressionError("arity", position, name=name, column=position + 1, count=count, expected=expected)
    wanted = NODESET_ARGUMENTS.get(name)
    if wanted == "repeat":
        indexes = [0, *list(range(1, count, 2))]
        kinds = ("ref",)
    else:
        indexes = wanted or ()
        kinds = ("ref", "name", "current", "indexed-repeat")
    for index in indexes:
        arg = args[index]
        kind = "indexed-repeat" if arg["type"] == "call" and arg["name"] == "indexed-repeat" else arg["type"]
        if kind not in kinds:
            raise ExpressionError("needs_reference", position, name=name, column=position + 1)
    if name == "jr:choice-name":
        arg = args[1]
        match = CHOICE_NAME_ARGUMENT.fullmatch(arg["value"]) if arg["type"] == "string" else None
        if match is None or not _is_name(match.group(1)):
            raise ExpressionError("choice_name", position, column=position + 1)
        node["question"] = match.group(1)
    if name == "pulldata" and (args[0]["type"] != "string" or not args[0]["value"].strip()):
        raise ExpressionError("pulldata_file", position, column=position + 1)
    if name == "pulldata" and args[0]["value"].strip().lower().endswith(".csv"):
        # pyxform adds the extension itself (jr://file-csv/NAME.csv), and ODK looks the name up as it is.
        file = args[0]["value"].strip()
        raise ExpressionError("pulldata_extension", position, column=position + 1, file=file, name=file[:-4])
    if name == "regex" and args[1]["type"] == "string":
        problem = regex_problem(args[1]["value"])
        if problem is not None:
            raise ExpressionError("bad_regex", position, column=position + 1, index=problem + 1)


def _is_name(text: str) -> bool:
    return bool(text) and _name_start(text[0]) and all(_name_char(char) for char in text)


def parse(text: str) -> dict:
    """The tree of an expression; raises ExpressionError pointing at the first problem.

    Trees are cached by text and shared: do not modify them.
    """
    return _parse_cached(text)


PARSES = {"count": 0}  # how many texts were actually parsed (tests check that trees are reused)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> dict:
    PARSES["count"] += 1
    if len(text) > MAX_LENGTH:
        raise ExpressionError("too_long", MAX_LENGTH, length=len(text), limit=MAX_LENGTH)
    if all(char in WHITESPACE for char in text):
        raise ExpressionError("empty", 0)
    return _Parser(text).parse()


def walk(tree: dict) -> Iterable[dict]:
    """Every node of a tree, parents before children, left to right (without recursion)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        kind = node["type"]
        if kind == "call":
            stack.extend(reversed(node["args"]))
        elif kind == "negate":
            stack.append(node["operand"])
        elif kind == "ops":
            stack.extend(operand for _op, operand in reversed(node["rest"]))
            stack.append(node["first"])


def _ordered_refs(tree: dict) -> list[tuple[str, int]]:
    found = []
    for node in walk(tree):
        if node["type"] == "ref":
            found.append((node["name"], node["position"]))
        elif node["type"] == "call" and "question" in node:
            found.append((node["question"], node["position"]))  # the '${q}' inside jr:choice-name's text
    return sorted(found, key=lambda item: item[1])


def references(tree: dict) -> frozenset[str]:
    """The names of the questions, groups and repeats an expression reads (``${x}``)."""
    return frozenset(name for name, _position in _ordered_refs(tree))


def functions(tree: dict) -> frozenset[str]:
    """The functions an expression calls."""
    return frozenset(node["name"] for node in walk(tree) if node["type"] == "call")


def pulldata_files(tree: dict) -> frozenset[str]:
    """The CSV files (``name.csv``) an expression reads with pulldata()."""
    calls = (node for node in walk(tree) if node["type"] == "call" and node["name"] == "pulldata")
    return frozenset(node["args"][0]["value"] + ".csv" for node in calls)


def choice_columns(tree: dict) -> frozenset[str]:
    """The bare names (choice columns, in a choice_filter) an expression reads."""
    return frozenset(node["name"] for node in walk(tree) if node["type"] == "name")


def check(text: str, names: Iterable[str], *, columns: Iterable[str] | None = None) -> dict:
    """Parse an expression and make sure every ``${x}`` is one of ``names``.

    Bare names are choice columns: refused unless ``columns`` is given (a choice_filter), and then
    they must be among them.
    """
    tree = parse(text)
    known = set(names)
    problems = [(position, name, "unknown_name") for name, position in _ordered_refs(tree) if name not in known]
    allowed = None if columns is None else set(columns)
    for node in walk(tree):
        if node["type"] == "name" and (allowed is None or node["name"] not in allowed):
            problems.append((node["position"], node["name"], "bare_name" if allowed is None else "unknown_column"))
    if problems:
        position, name, key = min(problems)
        raise ExpressionError(key, position, name=name, column=position + 1)
    return tree


# --- Values -----------------------------------------------------------------------------------------

Path = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class NodeSet:
    """Nodes (name, repeat path) in document order, with their string values."""

    nodes: tuple[tuple[str, Path], ...]
    values: tuple[str, ...]


Value = bool | float | str | NodeSet | DateValue

EMPTY_NODESET = NodeSet((), ())


def _string_number(text: str, offset: int) -> float:
    """A string's number, as ODK's number(): '' is NaN, a date its days, else JavaScript's Number()."""
    if text == "":
        return NAN
    ms = parse_date_time(text, offset)
    if ms is not None:
        return ms / DAY_MS
    return js_number(text)


def _node_number(text: str, offset: int) -> float:
    """A node's number: NaN when its text is only XML whitespace, else its text's number."""
    return NAN if text.strip(" \t\r\n") == "" else _string_number(text, offset)


def _items(value: Value) -> list[Value]:
    """A node-set as one-node node-sets (each compared and converted as a node), or the value alone."""
    if isinstance(value, NodeSet):
        return [NodeSet((node,), (text,)) for node, text in zip(value.nodes, value.values, strict=True)]
    return [value]


def to_string(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if value != value else js_number_to_string(value)
    if isinstance(value, NodeSet):
        return value.values[0] if value.values else ""
    if isinstance(value, DateValue):
        return value.string
    raise TypeError(value)


def to_number(value: Value, offset: int = 0) -> float:
    """The number of a value; ``offset`` (minutes east of UTC) is the zone of local date strings."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        return _string_number(value, offset)
    if isinstance(value, NodeSet):
        return _node_number(value.values[0], offset) if value.values else NAN
    if isinstance(value, DateValue):
        return value.number
    raise TypeError(value)


def to_boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value == value and value != 0
    if isinstance(value, str):
        return value != ""
    if isinstance(value, NodeSet):
        return bool(value.nodes)
    if isinstance(value, DateValue):
        return value.boolean
    raise TypeError(value)


def _is_numeric(value: Value) -> bool:
    return isinstance(value, float | DateValue)


# --- Context ----------------------------------------------------------------------------------------


@dataclass
class Context:
    """What an expression can see. Paths are tuples of 1-based instance numbers, outermost first.

    values: {name: {path: answer}}; repeats: {name: enclosing repeat names, outermost first};
    counts: {repeat: {parent path: instances}}; here/path: the node being evaluated and its instance;
    current: the value of ``.`` (default values[here][path]); choice: the columns of the choice being
    filtered; choice_labels: {question: {value: label}}; data: {file name without .csv: DataTable}
    for pulldata(); now: an aware datetime (default: the clock);
    utc_offset: the time zone in minutes east of UTC (default: now's offset); uuid: what uuid() returns.
    """

    values: Mapping[str, Mapping[Path, str]] = field(default_factory=dict)
    repeats: Mapping[str, Sequence[str]] = field(default_factory=dict)
    counts: Mapping[str, Mapping[Path, int]] = field(default_factory=dict)
    here: str | None = None
    path: Path = ()
    current: str | None = None
    choice: Mapping[str, str] | None = None
    choice_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    data: Mapping[str, "DataTable"] = field(default_factory=dict)
    now: datetime.datetime | None = None
    utc_offset: int | None = None
    uuid: str | None = None
    repeat_names: frozenset[str] | None = None  # derived from repeats and counts when not given
    _clock: tuple | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping) -> "Context":
        """A context from the JSON shape expressions.js takes (paths as "2.1" strings)."""
        now = data.get("now")
        return cls(
            values={
                name: {path_from_key(key): value for key, value in by_path.items()}
                for name, by_path in (data.get("values") or {}).items()
            },
            repeats={name: tuple(chain) for name, chain in (data.get("repeats") or {}).items()},
            counts={
                name: {path_from_key(key): int(count) for key, count in by_path.items()}
                for name, by_path in (data.get("counts") or {}).items()
            },
            here=data.get("here"),
            path=path_from_key(data.get("path") or ""),
            current=data.get("current"),
            choice=data.get("choice"),
            choice_labels=data.get("choice_labels") or {},
            data={name: DataTable(rows) for name, rows in (data.get("data") or {}).items()},
            now=datetime.datetime.fromisoformat(now) if now else None,
            utc_offset=data.get("utc_offset"),
            uuid=data.get("uuid"),
        )


class DataTable:
    """The rows of a CSV a form reads with pulldata() ([{column: text}], in file order), indexed on demand:
    one dict per key column, so that a lookup is a dict lookup."""

    __slots__ = ("_indexes", "rows")

    def __init__(self, rows: Sequence[Mapping[str, str]]):
        self.rows = rows
        self._indexes: dict[str, dict[str, Mapping[str, str]]] = {}

    def lookup(self, column: str, key_column: str, key: str) -> str:
        index = self._indexes.get(key_column)
        if index is None:
            index = {}
            for row in self.rows:
                if key_column in row:
                    index.setdefault(str(row[key_column]), row)
            self._indexes[key_column] = index
        row = index.get(key)
        return "" if row is None else str(row.get(column, ""))


def path_key(path: Path) -> str:
    """A repeat path as expressions.js writes it: (2, 1) -> "2.1", () -> ""."""
    return ".".join(str(index) for index in path)


def path_from_key(key: str) -> Path:
    return tuple(int(part) for part in key.split(".")) if key else ()


def _clock(now: datetime.datetime | None, utc_offset: int | None) -> tuple[int, int]:
    """(milliseconds since the epoch, zone offset in minutes) of a context's clock."""
    if now is None:
        now = datetime.datetime.now(datetime.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=datetime.UTC)
    offset = int(utc_offset) if utc_offset is not None else int(now.utcoffset().total_seconds() // 60)
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    return (now - epoch) // datetime.timedelta(milliseconds=1), offset


def context_offset(context: Context) -> int:
    """The time zone of a context in minutes east of UTC (utc_offset, else now's offset, else 0)."""
    return _Scope(context).offset


class _Scope:
    """Per-evaluation derived facts of a context."""

    __slots__ = ("context", "now_ms", "offset", "repeat_names")

    def __init__(self, context: Context):
        self.context = context
        if context.repeat_names is not None:
            self.repeat_names = context.repeat_names
        else:
            names = set(context.counts)
            for chain in context.repeats.values():
                names.update(chain)
            self.repeat_names = frozenset(names)
        derived = context._clock
        if derived is None or derived[0] is not context.now or derived[1] != context.utc_offset:
            derived = (context.now, context.utc_offset, *_clock(context.now, context.utc_offset))
            if context.now is not None:
                context._clock = derived  # reused while now and utc_offset stay the same
        self.now_ms, self.offset = derived[2], derived[3]

    def chain(self, name: str) -> tuple[str, ...]:
        enclosing = tuple(self.context.repeats.get(name, ()))
        return (*enclosing, name) if name in self.repeat_names else enclosing

    def value(self, name: str, path: Path) -> str:
        by_path = self.context.values.get(name)
        if not by_path:
            return ""
        value = by_path.get(path)
        return value if isinstance(value, str) else ""

    def instances(self, chain: Sequence[str], prefix: Path) -> list[Path]:
        paths = [prefix]
        counts = self.context.counts
        for repeat in chain:
            by_parent = counts.get(repeat, {})
            paths = [(*path, index) for path in paths for index in range(1, int(by_parent.get(path, 0)) + 1)]
        return paths

    def resolve(self, name: str, absolute: bool = False) -> NodeSet:
        context = self.context
        enclosing = tuple(context.repeats.get(name, ()))
        k = 0
        if not absolute and context.here is not None:
            here_chain = tuple(context.repeats.get(context.here, ()))
            while k < len(here_chain) and k < len(enclosing) and here_chain[k] == enclosing[k]:
                k += 1
            k = min(k, len(context.path))
        prefix = context.path[:k]
        chain = self.chain(name)
        if len(chain) <= k:
            return NodeSet(((name, prefix),), (self.value(name, prefix),))
        paths = self.instances(chain[k:], prefix)
        return NodeSet(tuple((name, path) for path in paths), tuple(self.value(name, path) for path in paths))

    def current_value(self) -> str:
        context = self.context
        if context.current is not None:
            return context.current
        if context.here is None:
            return ""
        return self.value(context.here, context.path)

    def contains(self, instance: tuple[str, Path], node: tuple[str, Path]) -> bool:
        """Whether ``node`` lies strictly inside the repeat instance ``instance``."""
        repeat, path = instance
        name, node_path = node
        chain = self.chain(name)
        depth = len(path)
        if depth == 0 or len(chain) < depth or chain[depth - 1] != repeat or node_path[:depth] != path:
            return False
        return not (name == repeat and node_path == path)


# --- Evaluation -------------------------------------------------------------------------------------


def evaluate(tree: dict, context: Context) -> Value:
    """The value of a parsed expression in a context (never raises for a parsed tree)."""
    return _eval(tree, _Scope(context))


def _number(value: Value, scope: _Scope) -> float:
    return to_number(value, scope.offset)


def _eval(node: dict, scope: _Scope) -> Value:
    kind = node["type"]
    if kind == "string":
        return node["value"]
    if kind == "number":
        return float(node["value"])
    if kind == "ref":
        return scope.resolve(node["name"])
    if kind == "ops":
        return _eval_ops(node, scope)
    if kind == "call":
        return _call(node, scope)
    if kind == "negate":
        return _number(_eval(node["operand"], scope), scope) * -1.0
    if kind == "current":
        here = scope.context.here
        return NodeSet(((here or "", scope.context.path),), (scope.current_value(),))
    if kind == "name":
        choice = scope.context.choice
        if choice is None or node["name"] not in choice:
            return EMPTY_NODESET
        return NodeSet((("#choice", (0,)),), (str(choice[node["name"]]),))
    if kind == "parent":
        path = scope.context.path
        if scope.context.here in scope.repeat_names:
            path = path[:-1]  # a repeat's own expression: '..' is the instance around it
        return float(path[-1]) if path else 1.0
    raise TypeError(f"not an expression: {node!r}")


def _eval_ops(node: dict, scope: _Scope) -> Value:
    result = _eval(node["first"], scope)
    for op, operand in node["rest"]:
        if op == "or":
            if to_boolean(result):
                return True
            result = to_boolean(_eval(operand, scope))
        elif op == "and":
            if not to_boolean(result):
                return False
            result = to_boolean(_eval(operand, scope))
        elif op in ("=", "!="):
            result = _equals(result, _eval(operand, scope), op == "!=", scope)
        elif op in ("<", "<=", ">", ">="):
            result = _relate(op, result, _eval(operand, scope), scope)
        else:
            left = _number(result, scope)
            if left != left:
                result = NAN
                continue
            right = _number(_eval(operand, scope), scope)
            if right != right:
                result = NAN
            elif op == "+":
                result = left + right
            elif op == "-":
                result = left - right
            elif op == "*":
                result = left * right
            elif op == "div":
                result = _js_div(left, right)
            else:
                result = _js_mod(left, right)
    return result


def _scalar_equals(left: Value, right: Value, scope: _Scope) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if _is_numeric(left) or _is_numeric(right):
        return _number(left, scope) == _number(right, scope)
    return to_string(left) == to_string(right)


def _equals(left: Value, right: Value, negate: bool, scope: _Scope) -> bool:
    if isinstance(left, NodeSet) or isinstance(right, NodeSet):
        if isinstance(left, bool) or isinstance(right, bool):
            same = to_boolean(left) == to_boolean(right)
            return not same if negate else same
        return any(_scalar_equals(a, b, scope) != negate for a in _items(left) for b in _items(right))
    same = _scalar_equals(left, right, scope)
    return not same if negate else same


def _relate(op: str, left: Value, right: Value, scope: _Scope) -> bool:
    rights = _items(right)
    for a in _items(left):
        x = _number(a, scope)
        for b in rights:
            y = _number(b, scope)
            if (op == "<" and x < y) or (op == "<=" and x <= y) or (op == ">" and x > y) or (op == ">=" and x >= y):
                return True
    return False


def _xml_split(text: str) -> list[str]:
    """XPath's whitespace-separated list (after normalizing): '' gives ['']."""
    return _normalize_space(text).split(" ")


def _normalize_space(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text.strip(" \t\r\n"))


def _flatten_strings(values: Iterable[Value]) -> list[str]:
    out = []
    for value in values:
        if isinstance(value, NodeSet):
            out.extend(value.values)
        else:
            out.append(to_string(value))
    return out


def _call(node: dict, scope: _Scope) -> Value:
    name = node["name"]
    args = node["args"]
    context = scope.context

    def arg(index: int) -> Value:
        return _eval(args[index], scope)

    def string(index: int) -> str:
        return to_string(arg(index))

    def number(index: int) -> float:
        return _number(arg(index), scope)

    if name == "if":
        return arg(1) if to_boolean(arg(0)) else arg(2)
    if name in ("true", "false"):
        return name == "true"
    if name == "not":
        return not to_boolean(arg(0))
    if name == "boolean":
        return to_boolean(arg(0))
    if name == "boolean-from-string":
        return string(0) in ("1", "true")
    if name == "string":
        return scope.current_value() if not args else string(0)
    if name == "number":
        value = NodeSet(((context.here or "", context.path),), (scope.current_value(),)) if not args else arg(0)
        if isinstance(value, NodeSet | str):
            text = to_string(value)
            ms = parse_date_time(text, scope.offset)
            if ms is not None:
                return DateValue(ms, scope.offset, text=js_number_to_string(float(math.floor(ms / DAY_MS))), truth=True)
        if isinstance(value, float | DateValue):
            return value
        return _number(value, scope)
    if name == "string-length":
        return float(len(_to_units(scope.current_value() if not args else string(0))))
    if name == "normalize-space":
        return _normalize_space(scope.current_value() if not args else string(0))
    if name == "concat":
        return "".join(_flatten_strings(arg(index) for index in range(len(args))))
    if name == "join":
        glue = string(0)
        return glue.join(_flatten_strings(arg(index) for index in range(1, len(args))))
    if name == "coalesce":
        first = string(0)
        return first if first != "" else string(1)
    if name in ("contains", "starts-with", "ends-with"):
        haystack, needle = _to_units(string(0)), _to_units(string(1))
        if name == "contains":
            return needle in haystack
        return haystack.startswith(needle) if name == "starts-with" else haystack.endswith(needle)
    if name == "substring-before":
        haystack, needle = string(0), string(1)
        index = haystack.find(needle)
        return "" if index < 0 or haystack == "" else haystack[:index]
    if name == "substring-after":
        haystack, needle = string(0), string(1)
        index = haystack.find(needle)
        return "" if index < 0 else haystack[index + len(needle) :]
    if name == "substring":
        return _substring(_to_units(string(0)), number(1), number(2) if len(args) > 2 else None)
    if name == "substr":
        units = _to_units(string(0))
        length = len(units)
        if length == 0:
            return ""
        start = js_parse_int(string(1))
        end = js_parse_int(string(2)) if len(args) > 2 else float(length)
        if start != start or end != end:
            return ""
        start = length + start if start < 0 else start
        end = length + end if end < 0 else end
        start = min(max(0.0, start), length)
        end = min(max(0.0, end), length)
        return _from_units(units[int(start) : int(end)]) if start <= end else ""
    if name == "translate":
        haystack, needles, replacements = _to_units(string(0)), _to_units(string(1)), _to_units(string(2))
        mapping: dict[str, str] = {}
        for index, needle in enumerate(needles):
            mapping.setdefault(needle, replacements[index] if index < len(replacements) else "")
        return _from_units("".join(mapping.get(char, char) for char in haystack))
    if name == "regex":
        compiled = _compiled_regex(string(1))
        value = string(0)
        return compiled is not None and compiled.search(_to_units(value)) is not None
    if name == "selected":
        words = _xml_split(string(0))
        return string(1).strip(" \t\r\n") in words
    if name == "count-selected":
        text = string(0).strip(" \t\r\n")
        return 0.0 if text == "" else float(len(_xml_split(text)))
    if name == "selected-at":
        words = _xml_split(string(0))
        index = js_parse_int(string(1))
        return words[int(index)] if index == index and 0 <= index < len(words) else ""
    if name == "count":
        value = arg(0)
        return float(len(value.nodes)) if isinstance(value, NodeSet) else NAN
    if name == "count-non-empty":
        value = arg(0)
        return float(sum(1 for item in value.values if item != "")) if isinstance(value, NodeSet) else NAN
    if name == "sum":
        value = arg(0)
        total = 0.0
        for item in _items(value):
            number_value = _number(item, scope)
            if number_value != number_value:
                return NAN
            total += number_value
        return total
    if name in ("min", "max"):
        numbers = []
        for index in range(len(args)):
            value = arg(index)
            for item in _items(value):
                number_value = _number(item, scope)
                if number_value != number_value:
                    return NAN
                numbers.append(number_value)
        if not numbers:
            return NAN
        return _js_extreme(numbers, name == "max")
    if name in ("floor", "ceiling", "abs"):
        value = number(0)
        if value != value or value in (INF, -INF):
            return abs(value) if name == "abs" else value
        if name == "abs":
            return abs(value)
        return float(math.floor(value) if name == "floor" else math.ceil(value)) or math.copysign(0.0, value)
    if name == "int":
        value = number(0)
        if value != value or value in (INF, -INF):
            return value
        return float(math.floor(value) if value > 0 else math.ceil(value)) or math.copysign(0.0, value)
    if name == "round":
        value = number(0)
        if value != value:
            return NAN
        decimals = number(1) if len(args) > 1 else 0.0
        if decimals != decimals:
            return NAN
        sign = -1.0 if value < 0 else 1.0
        multiplier = _js_pow(10.0, decimals)
        return _js_div(js_round(abs(value) * multiplier), multiplier) * sign
    if name == "pow":
        base = number(0)
        if base != base:
            return NAN
        exponent = number(1)
        return _js_pow(base, exponent)
    if name == "today":
        local = _local_fields(scope.now_ms, scope.offset)
        midnight = datetime.datetime(local.year, local.month, local.day)
        return DateValue(
            (midnight - _EPOCH) // datetime.timedelta(milliseconds=1) - scope.offset * 60_000, scope.offset
        )
    if name == "now":
        return DateValue(scope.now_ms, scope.offset)
    if name in ("date", "date-time"):
        value = arg(0)
        if isinstance(value, bool):
            return ""
        if isinstance(value, NodeSet | str):
            text = to_string(value)
            if text == "":
                return ""
            if not _DATE_PREFIX.match(text):
                match = _UNPADDED_DATE.fullmatch(text)
                if match is None:
                    return DateValue(None, scope.offset)
                year, month, day, rest = match.groups()
                text = f"{year}-{month.rjust(2, '0')}-{day.rjust(2, '0')}{rest or ''}"
            return DateValue(parse_date_time(text, scope.offset), scope.offset)
        return _date_from_ms(_number(value, scope) * DAY_MS, scope.offset)
    if name == "decimal-date-time":
        value = arg(0)
        if isinstance(value, bool):
            return NAN
        if isinstance(value, NodeSet | str):
            ms = parse_date_time(to_string(value), scope.offset)
            return NAN if ms is None else ms / DAY_MS
        date = _date_from_ms(_number(value, scope) * DAY_MS, scope.offset)
        return date.number
    if name in ("format-date", "format-date-time"):
        return _format_date(string(0), string(1), scope.offset)
    if name == "position":
        return _eval(args[0], scope)
    if name == "indexed-repeat":
        return _indexed_repeat(args, scope)
    if name == "once":
        current = scope.current_value()
        return current if current != "" else string(0)
    if name == "uuid":
        base = context.uuid if context.uuid is not None else str(uuid_module.uuid4())
        if not args:
            return base
        length = min(number(0), 1000.0)  # uuid(n) gives at most 1,000 characters
        if length != length or length < 1 or not base:
            return ""
        result = base
        while len(result) < length:
            result += base
        return result[: int(length)]
    if name == "jr:choice-name":
        return str(context.choice_labels.get(node["question"], {}).get(string(0), ""))
    if name == "pulldata":
        table = context.data.get(args[0]["value"])
        return table.lookup(string(1), string(2), string(3)) if table is not None else ""
    raise TypeError(f"not a supported function: {name}")


def _js_extreme(numbers: list[float], biggest: bool) -> float:
    result = numbers[0]
    for value in numbers[1:]:
        if biggest:
            if value > result or (value == 0 and result == 0 and math.copysign(1.0, result) < 0):
                result = value
        elif value < result or (value == 0 and result == 0 and math.copysign(1.0, value) < 0):
            result = value
    return result


def _substring(units: str, start: float, length: float | None) -> str:
    """XPath 1.0 substring(): the units at positions p, round(start) <= p < round(start) + round(length)."""
    if units == "":
        return ""
    first = js_round(start)
    last = INF if length is None else first + js_round(length)
    if first != first or last != last:
        return ""
    begin = max(first, 1.0)
    if begin >= last or begin > len(units):
        return ""
    end = min(last, len(units) + 1.0)
    return _from_units(units[int(begin) - 1 : int(end) - 1])


def _indexed_repeat(args: list[dict], scope: _Scope) -> NodeSet:
    pairs = []
    for index in range(1, len(args), 2):
        position = _number(_eval(args[index + 1], scope), scope)
        if position != position:
            return EMPTY_NODESET
        repeats = scope.resolve(args[index]["name"], absolute=True)
        if not repeats.nodes:
            return EMPTY_NODESET
        pairs.append((repeats.nodes, position))

    def order(a, b):
        for repeat_a in a[0]:
            for repeat_b in b[0]:
                if scope.contains(repeat_a, repeat_b):
                    return -1
                if scope.contains(repeat_b, repeat_a):
                    return 1
        return 0

    pairs.sort(key=cmp_to_key(order))
    chosen = None
    for number, (repeats, position) in enumerate(pairs):
        if number > 0:
            repeats = [repeat for repeat in repeats if scope.contains(chosen, repeat)]
        if not (1 <= position <= len(repeats) and position == math.floor(position)):
            return EMPTY_NODESET
        chosen = repeats[int(position) - 1]
    target = scope.resolve(args[0]["name"], absolute=True)
    kept = [
        (node, value) for node, value in zip(target.nodes, target.values, strict=True) if scope.contains(chosen, node)
    ]
    return NodeSet(tuple(node for node, _value in kept), tuple(value for _node, value in kept))


def describe(value: Value, offset: int = 0) -> dict:
    """A JSON summary of a value (its kind and its three conversions), to compare evaluators."""
    kind = {bool: "boolean", float: "number", str: "string", NodeSet: "nodeset", DateValue: "date"}[type(value)]
    summary = {
        "kind": kind,
        "string": to_string(value),
        "number": js_number_to_string(to_number(value, offset)),
        "boolean": to_boolean(value),
    }
    if isinstance(value, NodeSet):
        summary["values"] = list(value.values)
    return summary
