"""Skip logic: the XLSForm ``relevant`` language, parsed into a small tree and evaluated, never ``eval``-ed.

The language
    ``${code}`` references a question; ``'text'`` or ``"text"`` is text (no escapes, as in XPath);
    ``12``, ``-3.5``, ``.5`` are numbers. A condition is a comparison ``value OP value`` with OP one of
    ``=  !=  <  >  <=  >=``, ``selected(${code}, 'value')``, ``not(condition)``, ``true()``, ``false()``,
    a parenthesised condition, or conditions joined by ``and`` / ``or`` (``or`` binds loosest, then
    ``and``, then comparison). A bare value is not a condition: write ``${q} != ''``.
    Spaces, tabs, line breaks and no-break spaces may separate tokens. At most ``MAX_LENGTH``
    characters and ``MAX_DEPTH`` nested parentheses / ``not(`` are accepted.

Values (``static/surveys/js/relevance.js`` implements exactly the same rules)
    * A value is unanswered (``None``), text (str), a number (int, float, Decimal) or a collection of
      texts (list, tuple, set: multiple choice and actor relationship). ``''``, an empty collection and
      NaN count as unanswered; ``True``/``False`` read as ``'yes'``/``'no'``; a ``datetime.date`` reads as
      ``'YYYY-MM-DD'``; a collection reads as its texts sorted and joined with one space; anything else
      reads as unanswered. A text is *numeric* when it is ``-?digits[.digits]`` or ``-?.digits``.
    * ``=`` / ``!=``: two numerics (numbers or numeric texts) compare as numbers (IEEE doubles, as in
      JavaScript); otherwise a number never equals a non-numeric side, and texts compare as texts with
      unanswered read as ``''``. ``!=`` is exactly ``not =``.
    * ``<  >  <=  >=``: false when either side is unanswered; two numerics compare as numbers; two texts
      compare as texts in UTF-16 code unit order (so ISO dates work); a number against a non-numeric
      text is false.
    * ``selected(${q}, 'x')``: true when ``'x'`` is one of the chosen texts of a collection, or one of
      the space-separated words of a text (so a single choice ``'x'`` is selected); never for numbers.

Positions are 0-based character offsets; messages count characters from 1, like an editor.
"""

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 1000
MAX_DEPTH = 50

WHITESPACE = frozenset(" \t\r\n\u00a0")
NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
NAME_CHARS = NAME_START | frozenset("0123456789.-")
DIGITS = frozenset("0123456789")
COMPARISONS = ("=", "!=", "<", ">", "<=", ">=")
NUMERIC_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")

EMPTY = _("The condition is empty.")
TOO_LONG = _("The condition is too long: %(length)d characters, at most %(limit)d.")
TOO_DEEP = _("The condition nests too deeply at character %(column)d: at most %(limit)d levels.")
UNTERMINATED = _("The text starting at character %(column)d is not closed: end it with %(quote)s.")
BAD_REFERENCE = _("Invalid question reference at character %(column)d: write ${code} with letters, digits and _.")
BAD_CHARACTER = _("Unexpected character '%(char)s' at character %(column)d.")
UNEXPECTED = _("Unexpected %(found)s at character %(column)d: expected %(expected)s.")
UNKNOWN_FUNCTION = _("Unknown function '%(name)s' at character %(column)d: use selected(), not(), true() or false().")
UNKNOWN_QUESTION = _("Unknown question '%(code)s' at character %(column)d.")
SELF_REFERENCE = _("A question cannot depend on itself: '%(code)s' at character %(column)d.")

END = _("end of the condition")
EXPECT_CONDITION = _("a condition")
EXPECT_VALUE = _("a ${question}, 'quoted text' or a number")
EXPECT_COMPARISON = _("a comparison (=, !=, <, >, <=, >=)")
EXPECT_CONTINUATION = _("'and', 'or' or the end of the condition")
EXPECT_CLOSE = _("'and', 'or' or ')'")
EXPECT_REFERENCE = _("a question reference like ${code}")
EXPECT_QUOTED = _("quoted text")


class RelevanceError(ValueError):
    """A condition that cannot be used; ``message`` is translated when read, ``position`` is 0-based."""

    def __init__(self, template, position: int, **params):
        self.template = template
        self.position = position
        self.params = params
        super().__init__(template, position)

    @property
    def message(self) -> str:
        return str(self.template) % self.params

    def __str__(self):
        return self.message


# --- The tree ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    code: str
    position: int = field(default=-1, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Text:
    value: str


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Ref | Text | Number
    right: Ref | Text | Number


@dataclass(frozen=True, slots=True)
class Selected:
    ref: Ref
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    operand: "Node"


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple["Node", ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple["Node", ...]


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool


Value = Ref | Text | Number
Node = Compare | Selected | Not | And | Or | Bool


# --- Tokens -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # ref, text, number, word, op, punct, end
    text: str  # the source text (for ref: the code, for text: the content)
    position: int
    raw: str = ""


def _tokens(source: str) -> list[_Token]:
    tokens = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char in WHITESPACE:
            i += 1
        elif char == "$":
            if source[i + 1 : i + 2] != "{" or i + 2 >= n or source[i + 2] not in NAME_START:
                raise RelevanceError(BAD_REFERENCE, i, column=i + 1)
            j = i + 3
            while j < n and source[j] in NAME_CHARS:
                j += 1
            if j >= n or source[j] != "}":
                raise RelevanceError(BAD_REFERENCE, i, column=i + 1)
            tokens.append(_Token("ref", source[i + 2 : j], i, source[i : j + 1]))
            i = j + 1
        elif char in "'\"":
            end = source.find(char, i + 1)
            if end < 0:
                raise RelevanceError(UNTERMINATED, i, column=i + 1, quote=char)
            tokens.append(_Token("text", source[i + 1 : end], i, source[i : end + 1]))
            i = end + 1
        elif _starts_number(source, i):
            j = i + 1 if char == "-" else i
            while j < n and source[j] in DIGITS:
                j += 1
            if j < n and source[j] == ".":
                j += 1
                while j < n and source[j] in DIGITS:
                    j += 1
            tokens.append(_Token("number", source[i:j], i, source[i:j]))
            i = j
        elif source.startswith(("!=", "<=", ">="), i):
            tokens.append(_Token("op", source[i : i + 2], i, source[i : i + 2]))
            i += 2
        elif char in "=<>":
            tokens.append(_Token("op", char, i, char))
            i += 1
        elif char in "(),":
            tokens.append(_Token("punct", char, i, char))
            i += 1
        elif char in NAME_START:
            j = i + 1
            while j < n and source[j] in NAME_CHARS:
                j += 1
            tokens.append(_Token("word", source[i:j], i, source[i:j]))
            i = j
        else:
            raise RelevanceError(BAD_CHARACTER, i, char=char, column=i + 1)
    tokens.append(_Token("end", "", n))
    return tokens


def _starts_number(source: str, i: int) -> bool:
    if source[i] == "-":
        i += 1
    if i < len(source) and source[i] in DIGITS:
        return True
    return source[i : i + 1] == "." and source[i + 1 : i + 2] in DIGITS


# --- Parser -----------------------------------------------------------------------------------------


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

    def fail(self, expected):
        token = self.peek()
        if token.kind == "end":
            found = END
        else:
            raw = token.raw if len(token.raw) <= 30 else token.raw[:29] + "…"
            found = raw if token.kind == "text" else f"'{raw}'"
        raise RelevanceError(UNEXPECTED, token.position, found=found, column=token.position + 1, expected=expected)

    def expect(self, kind, text, expected) -> _Token:
        token = self.peek()
        if token.kind != kind or (text is not None and token.text != text):
            self.fail(expected)
        return self.take()

    def parse(self) -> Node:
        node = self.parse_or(0)
        if self.peek().kind != "end":
            self.fail(EXPECT_CONTINUATION)
        return node

    def parse_or(self, depth) -> Node:
        operands = [self.parse_and(depth)]
        while self.peek().kind == "word" and self.peek().text == "or":
            self.take()
            operands.append(self.parse_and(depth))
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self, depth) -> Node:
        operands = [self.parse_atom(depth)]
        while self.peek().kind == "word" and self.peek().text == "and":
            self.take()
            operands.append(self.parse_atom(depth))
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def nest(self, depth) -> int:
        if depth >= MAX_DEPTH:
            token = self.peek()
            raise RelevanceError(TOO_DEEP, token.position, column=token.position + 1, limit=MAX_DEPTH)
        return depth + 1

    def parse_group(self, inner_depth) -> Node:
        inner = self.parse_or(inner_depth)
        self.expect("punct", ")", EXPECT_CLOSE)
        return inner

    def parse_atom(self, depth) -> Node:
        token = self.peek()
        if token.kind == "punct" and token.text == "(":
            inner_depth = self.nest(depth)
            self.take()
            return self.parse_group(inner_depth)
        if token.kind == "word" and token.text not in ("and", "or"):
            return self.parse_function(depth)
        if token.kind in ("ref", "text", "number"):
            left = self.parse_value()
            if self.peek().kind != "op":
                self.fail(EXPECT_COMPARISON)
            op = self.take().text
            return Compare(op, left, self.parse_value())
        self.fail(EXPECT_CONDITION)

    def parse_function(self, depth) -> Node:
        name = self.peek()
        if name.text not in ("not", "selected", "true", "false"):
            if self.peek(1).kind == "punct" and self.peek(1).text == "(":
                raise RelevanceError(UNKNOWN_FUNCTION, name.position, name=name.text, column=name.position + 1)
            self.fail(EXPECT_CONDITION)
        inner_depth = self.nest(depth) if name.text == "not" else depth
        self.take()
        self.expect("punct", "(", "'('")
        if name.text == "not":
            return Not(self.parse_group(inner_depth))
        if name.text == "selected":
            ref = self.expect("ref", None, EXPECT_REFERENCE)
            self.expect("punct", ",", "','")
            value = self.expect("text", None, EXPECT_QUOTED)
            self.expect("punct", ")", "')'")
            return Selected(Ref(ref.text, ref.position + 2), value.text)
        self.expect("punct", ")", "')'")
        return Bool(name.text == "true")

    def parse_value(self) -> Value:
        token = self.peek()
        if token.kind == "ref":
            return Ref(self.take().text, token.position + 2)  # points at the code, after "${"
        if token.kind == "text":
            return Text(self.take().text)
        if token.kind == "number":
            return Number(Decimal(self.take().text))
        self.fail(EXPECT_VALUE)


def parse(expression: str) -> Node:
    """The tree of a condition; raises RelevanceError pointing at the first problem."""
    if len(expression) > MAX_LENGTH:
        raise RelevanceError(TOO_LONG, MAX_LENGTH, length=len(expression), limit=MAX_LENGTH)
    if not any(char not in WHITESPACE for char in expression):
        raise RelevanceError(EMPTY, 0)
    return _Parser(expression).parse()


_parse_cached = lru_cache(maxsize=2048)(parse)


def _refs(node: Node) -> Iterable[Ref]:
    match node:
        case Compare(left=left, right=right):
            yield from (value for value in (left, right) if isinstance(value, Ref))
        case Selected(ref=ref):
            yield ref
        case Not(operand=operand):
            yield from _refs(operand)
        case And(operands=operands) | Or(operands=operands):
            for operand in operands:
                yield from _refs(operand)


def references(node: Node) -> frozenset[str]:
    """The codes of the questions a condition reads."""
    return frozenset(ref.code for ref in _refs(node))


def check(expression: str, known_codes: Iterable[str], own_code: str | None = None) -> Node:
    """Parse a condition and make sure it only reads other, existing questions."""
    node = parse(expression)
    known = set(known_codes)
    for ref in sorted(_refs(node), key=lambda ref: ref.position):
        if own_code is not None and ref.code == own_code:
            raise RelevanceError(SELF_REFERENCE, ref.position, code=ref.code, column=ref.position + 1)
        if ref.code not in known:
            raise RelevanceError(UNKNOWN_QUESTION, ref.position, code=ref.code, column=ref.position + 1)
    return node


# --- Evaluation -------------------------------------------------------------------------------------


def _utf16(text: str) -> bytes:
    # JavaScript orders strings by UTF-16 code units; big-endian bytes sort the same way.
    return text.encode("utf-16-be", "surrogatepass")


def _scalar(value) -> str | float | None:
    """None, a non-empty text or a float (see the module docstring)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return None if value.is_nan() else float(value)
    if isinstance(value, int):
        return float(Decimal(value))  # float(int) overflows past 1e308; JavaScript gives Infinity
    if isinstance(value, float):
        return None if value != value else value
    if isinstance(value, str):
        return value or None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        texts = sorted((item for item in value if isinstance(item, str)), key=_utf16)
        return " ".join(texts) or None
    return None


def _is_numeric(value) -> bool:
    return isinstance(value, float) or (isinstance(value, str) and NUMERIC_TEXT.fullmatch(value) is not None)


def _operand(value: Value, values: Mapping[str, object]):
    if isinstance(value, Ref):
        return _scalar(values.get(value.code))
    if isinstance(value, Number):
        return float(value.value)
    return value.value or None


def _equal(left, right) -> bool:
    if _is_numeric(left) and _is_numeric(right):
        return float(left) == float(right)
    if isinstance(left, float) or isinstance(right, float):
        return False
    return (left or "") == (right or "")


def _order(op: str, left, right) -> bool:
    if left is None or right is None:
        return False
    if _is_numeric(left) and _is_numeric(right):
        left, right = float(left), float(right)
    elif isinstance(left, str) and isinstance(right, str):
        left, right = _utf16(left), _utf16(right)
    else:
        return False
    if op == "<":
        return left < right
    if op == ">":
        return left > right
    if op == "<=":
        return left <= right
    return left >= right


def _chosen(value) -> set[str]:
    if isinstance(value, list | tuple | set | frozenset):
        return {item for item in value if isinstance(item, str)}
    text = _scalar(value)
    return set(text.split(" ")) - {""} if isinstance(text, str) else set()


def evaluate(node: Node, values: Mapping[str, object]) -> bool:
    """Whether a condition holds for these answers (question code -> value)."""
    match node:
        case Bool(value=value):
            return value
        case Not(operand=operand):
            return not evaluate(operand, values)
        case And(operands=operands):
            return all(evaluate(operand, values) for operand in operands)
        case Or(operands=operands):
            return any(evaluate(operand, values) for operand in operands)
        case Selected(ref=ref, value=value):
            return value in _chosen(values.get(ref.code))
        case Compare(op=op, left=left, right=right):
            left, right = _operand(left, values), _operand(right, values)
            if op == "=":
                return _equal(left, right)
            if op == "!=":
                return not _equal(left, right)
            return _order(op, left, right)
    raise TypeError(f"not a condition: {node!r}")


def relevant_codes(questions: Sequence[tuple[str, str]], values: Mapping[str, object]) -> set[str]:
    """The codes of the questions to show, given (code, relevant) pairs in questionnaire order.

    A question is hidden when its condition is false or when a question it reads was already found
    hidden earlier in the order (the cascade). A blank condition always shows; so does one that does
    not parse, as in the browser (conditions are checked when they are saved).
    """
    shown, hidden = set(), set()
    for code, expression in questions:
        if expression and expression.strip():
            try:
                node = _parse_cached(expression)
            except RelevanceError:
                node = None
            if node is not None and (references(node) & hidden or not evaluate(node, values)):
                hidden.add(code)
                continue
        shown.add(code)
    return shown
