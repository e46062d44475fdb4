"""What the expression language copies from JavaScript, so that the server (surveys/expressions.py) and the
browser (static/surveys/js/expressions.js) give the same answer: regular expressions in JavaScript's syntax
(translated to Python's, or refused), strings as UTF-16 code units, numbers as JavaScript reads, rounds
and prints them, and dates as ``Date`` parses and formats them."""

import datetime
import math
import re
from dataclasses import dataclass
from functools import lru_cache

DIGITS = frozenset("0123456789")

# --- Regular expressions (JavaScript syntax, no flags) ------------------------------------------------
# Both twins run the same scanner: it refuses what one engine would read differently from the other
# (named groups, lookbehind, inline flags, backreferences, octal escapes, quantified assertions,
# repetition counts over 65,535). What it accepts, JavaScript runs natively and Python through the
# translation below, on UTF-16 code units.

JS_WHITESPACE = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_JS_WS_CLASS = "".join(f"\\u{ord(char):04x}" for char in JS_WHITESPACE)
_CLASS_ESCAPES = {"d": r"\d", "D": r"\D", "w": r"\w", "W": r"\W", "s": _JS_WS_CLASS}
_CONTROL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "f": "\f", "v": "\v"}
_HEX = frozenset("0123456789abcdefABCDEF")
_QUANTIFIER = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
MAX_REPETITION = 65_535


class _RegexRefused(Exception):
    def __init__(self, index: int):
        self.index = index


def _unit(char: str) -> str:
    return f"\\u{ord(char):04x}"


def _read_escape(pattern: str, i: int, in_class: bool) -> tuple[str, str, int]:
    """The escape at pattern[i] == '\\' as (kind, value, next index).

    kind: 'char' (value is one character), 'class' (value is one of d D w W s S) or 'assert' (b B).
    """
    if i + 1 >= len(pattern):
        raise _RegexRefused(i)
    char = pattern[i + 1]
    if char in "dDwWsS":
        return "class", char, i + 2
    if char in "bB":
        if in_class:
            return "char", "\b" if char == "b" else "B", i + 2
        return "assert", char, i + 2
    if char in _CONTROL_ESCAPES:
        return "char", _CONTROL_ESCAPES[char], i + 2
    if char == "0" and not (i + 2 < len(pattern) and pattern[i + 2] in DIGITS):
        return "char", "\0", i + 2
    if char in DIGITS or char == "k":
        raise _RegexRefused(i)  # backreferences and octal escapes
    if char == "x":
        digits = pattern[i + 2 : i + 4]
        if len(digits) == 2 and all(d in _HEX for d in digits):
            return "char", chr(int(digits, 16)), i + 4
        return "char", "x", i + 2
    if char == "u":
        digits = pattern[i + 2 : i + 6]
        if len(digits) == 4 and all(d in _HEX for d in digits):
            return "char", chr(int(digits, 16)), i + 6
        return "char", "u", i + 2
    if char == "c":
        letter = pattern[i + 2 : i + 3]
        if letter and (("a" <= letter.lower() <= "z") or (in_class and (letter in DIGITS or letter == "_"))):
            return "char", chr(ord(letter) % 32), i + 3
        return "char", "\\", i + 1  # a backslash; the 'c' is read next as itself
    return "char", char, i + 2  # identity escape


def _class_atom(pattern: str, i: int, start: int) -> tuple[str, str, int]:
    if i >= len(pattern):
        raise _RegexRefused(start)
    if pattern[i] == "\\":
        return _read_escape(pattern, i, True)
    return "char", pattern[i], i + 1


def _translate_class(pattern: str, i: int) -> tuple[str, int]:
    """Translate the character class starting at pattern[i] == '['; returns (python, next index)."""
    start = i
    i += 1
    negated = pattern[i : i + 1] == "^"
    if negated:
        i += 1
    items: list[str] = []
    not_space = False
    while True:
        if i >= len(pattern):
            raise _RegexRefused(start)
        if pattern[i] == "]":
            i += 1
            break
        kind, value, i = _class_atom(pattern, i, start)
        if pattern[i : i + 1] == "-" and i + 1 < len(pattern) and pattern[i + 1] != "]":
            high_kind, high, after = _class_atom(pattern, i + 1, start)
            if kind == "char" and high_kind == "char":
                if ord(value) > ord(high):
                    raise _RegexRefused(start)
                items.append(f"{_unit(value)}-{_unit(high)}")
                i = after
                continue
            # [\d-z] or [a-\d]: without the u flag JavaScript reads the '-' as itself.
            atoms = [(kind, value), ("char", "-"), (high_kind, high)]
            i = after
        else:
            atoms = [(kind, value)]
        for atom_kind, atom in atoms:
            if atom_kind == "char":
                items.append(_unit(atom))
            elif atom == "S":
                not_space = True
            else:
                items.append(_CLASS_ESCAPES[atom])
    body = "".join(items)
    if not_space:
        others = f"[{body}]" if body else "(?!)"
        if negated:
            return f"(?:(?!{others})[{_JS_WS_CLASS}])", i
        return f"(?:{others}|[^{_JS_WS_CLASS}])", i
    if not body:
        return ("(?s:.)" if negated else "(?!)"), i
    return f"[{'^' if negated else ''}{body}]", i


def _quantifier_at(pattern: str, i: int):
    if i >= len(pattern):
        return None
    if pattern[i] in "*+?":
        return pattern[i]
    if pattern[i] == "{":
        match = _QUANTIFIER.match(pattern, i)
        return match.group(0) if match else None
    return None


def _translate_regex(pattern: str) -> str:
    """The Python pattern (over UTF-16 code units) equivalent to a JavaScript one; raises _RegexRefused."""
    out: list[str] = []
    groups: list[bool] = []  # for each open group: is it an assertion (not quantifiable)
    quantifiable = False
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        quantifier = _quantifier_at(pattern, i)
        if quantifier is not None:
            if not quantifiable:
                raise _RegexRefused(i)
            if quantifier.startswith("{"):
                match = _QUANTIFIER.match(pattern, i)
                low, high = int(match.group(1)), match.group(3)
                if low > MAX_REPETITION or (high and (int(high) > MAX_REPETITION or int(high) < low)):
                    raise _RegexRefused(i)
            out.append(quantifier)
            i += len(quantifier)
            if pattern[i : i + 1] == "?":
                out.append("?")
                i += 1
            if _quantifier_at(pattern, i) is not None:
                raise _RegexRefused(i)
            quantifiable = False
        elif char == "\\":
            kind, value, i = _read_escape(pattern, i, False)
            if kind == "char":
                out.append(_unit(value))
            elif kind == "assert":
                out.append("\\" + value)
            elif value == "s":
                out.append(f"[{_JS_WS_CLASS}]")
            elif value == "S":
                out.append(f"[^{_JS_WS_CLASS}]")
            else:
                out.append(_CLASS_ESCAPES[value])
            quantifiable = kind != "assert"
        elif char == "[":
            translated, i = _translate_class(pattern, i)
            out.append(translated)
            quantifiable = True
        elif char == "(":
            if pattern.startswith("(?:", i):
                out.append("(?:")
                groups.append(False)
                i += 3
            elif pattern.startswith(("(?=", "(?!"), i):
                out.append(pattern[i : i + 3])
                groups.append(True)
                i += 3
            elif pattern.startswith("(?", i):
                raise _RegexRefused(i)  # lookbehind, named groups, inline flags
            else:
                out.append("(")
                groups.append(False)
                i += 1
            quantifiable = False
        elif char == ")":
            if not groups:
                raise _RegexRefused(i)
            quantifiable = not groups.pop()
            out.append(")")
            i += 1
            if not quantifiable and _quantifier_at(pattern, i) is not None:
                raise _RegexRefused(i)
        elif char == ".":
            out.append("[^\\n\\r\\u2028\\u2029]")
            quantifiable = True
            i += 1
        elif char in "^$|":
            out.append({"^": "^", "$": "\\Z", "|": "|"}[char])
            quantifiable = False
            i += 1
        else:
            out.append(_unit(char))
            quantifiable = True
            i += 1
    if groups:
        raise _RegexRefused(n)
    return "".join(out)


@lru_cache(maxsize=512)
def _compiled_regex(pattern: str):
    try:
        return re.compile(_translate_regex(_to_units(pattern)), re.ASCII)
    except (_RegexRefused, re.error):
        return None


def regex_problem(pattern: str) -> int | None:
    """None when a pattern can be used, else the 0-based index (in UTF-16 units) of the problem."""
    try:
        re.compile(_translate_regex(_to_units(pattern)), re.ASCII)
    except _RegexRefused as refused:
        return refused.index
    except re.error:  # pragma: no cover - the scanner refuses first
        return 0
    return None


# --- Strings as JavaScript sees them (UTF-16 code units) ---------------------------------------------


def _to_units(text: str) -> str:
    """The text with every astral character split into its two surrogates, as JavaScript indexes it."""
    if text.isascii() or all(ord(char) < 0x10000 for char in text):
        return text
    out = []
    for char in text:
        code = ord(char)
        if code < 0x10000:
            out.append(char)
        else:
            code -= 0x10000
            out.append(chr(0xD800 + (code >> 10)))
            out.append(chr(0xDC00 + (code & 0x3FF)))
    return "".join(out)


def _from_units(units: str) -> str:
    """Join surrogate pairs back into characters; a lone surrogate stays as it is."""
    if not any("\ud800" <= char <= "\udfff" for char in units):
        return units
    out = []
    i = 0
    while i < len(units):
        char = units[i]
        if "\ud800" <= char <= "\udbff" and i + 1 < len(units) and "\udc00" <= units[i + 1] <= "\udfff":
            out.append(chr(0x10000 + ((ord(char) - 0xD800) << 10) + (ord(units[i + 1]) - 0xDC00)))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


# --- Numbers as JavaScript reads and prints them -----------------------------------------------------

NAN = float("nan")
INF = float("inf")
_JS_NUMBER = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_JS_RADIX = re.compile(r"0(?:([xX])[0-9a-fA-F]+|([oO])[0-7]+|([bB])[01]+)")
_JS_INT_PREFIX = re.compile(r"[+-]?[0-9]+")


def _strip_js(text: str) -> str:
    return text.strip(JS_WHITESPACE)


def js_number(text: str) -> float:
    """JavaScript's Number(text) (a blank text is 0)."""
    text = _strip_js(text)
    if not text:
        return 0.0
    if _JS_NUMBER.fullmatch(text):
        return float(text)
    match = _JS_RADIX.fullmatch(text)
    if match:
        base = 16 if match.group(1) else 8 if match.group(2) else 2
        try:
            return float(int(text[2:], base))
        except OverflowError:
            return INF
    return NAN


def js_parse_int(text: str) -> float:
    """JavaScript's parseInt(text, 10)."""
    match = _JS_INT_PREFIX.match(text.lstrip(JS_WHITESPACE))
    if not match:
        return NAN
    value = int(match.group(0))
    try:
        return float(value)
    except OverflowError:
        return INF if value > 0 else -INF


def js_number_to_string(value: float) -> str:
    """JavaScript's String(number) (ECMAScript Number::toString)."""
    if value != value:
        return "NaN"
    if value == 0:
        return "0"
    if value in (INF, -INF):
        return "Infinity" if value > 0 else "-Infinity"
    sign = "-" if value < 0 else ""
    digits, exponent = _shortest_digits(abs(value))
    k = len(digits)
    n = exponent + k  # value = 0.digits * 10**n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    e = n - 1
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def _shortest_digits(value: float) -> tuple[str, int]:
    """The shortest round-tripping decimal digits of a positive float and the exponent of the last one."""
    text = repr(value)
    mantissa, _, exp = text.partition("e")
    exponent = int(exp) if exp else 0
    whole, _, fraction = mantissa.partition(".")
    if fraction == "0":
        fraction = ""
    digits = (whole + fraction).lstrip("0")
    exponent -= len(fraction)
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    return stripped, exponent


def js_round(value: float) -> float:
    """JavaScript's Math.round: to the nearest integer, halves towards +Infinity."""
    if value != value or value in (INF, -INF):
        return value
    floor = math.floor(value)
    return float(floor + 1 if value - floor >= 0.5 else floor)


def _js_div(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)
    return a / b


def _js_mod(a: float, b: float) -> float:
    if a != a or b != b or b == 0 or a in (INF, -INF):
        return NAN
    if b in (INF, -INF) or a == 0:
        return a
    return math.fmod(a, b)


def _js_pow(x: float, y: float) -> float:
    if y != y:
        return NAN
    if y == 0:
        return 1.0
    if x != x:
        return NAN
    if abs(x) == 1 and y in (INF, -INF):
        return NAN
    odd_integer = y == math.floor(y) and abs(y) < 2**53 and int(y) % 2 == 1
    try:
        return math.pow(x, y)
    except OverflowError:
        return -INF if x < 0 and odd_integer else INF
    except ValueError:
        if x == 0:
            return -INF if math.copysign(1.0, x) < 0 and odd_integer else INF
        return NAN


# --- Dates -------------------------------------------------------------------------------------------

DAY_MS = 86_400_000
_EPOCH = datetime.datetime(1970, 1, 1)
_MIN_MS = round((datetime.datetime(1, 1, 1) - _EPOCH).total_seconds() * 1000)
_MAX_MS = round((datetime.datetime(9999, 12, 31, 23, 59, 59, 999000) - _EPOCH).total_seconds() * 1000)
_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2})(?::([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?)?(Z|[-+][0-9]{2}:[0-9]{2})?)?"
)
_DATE_PREFIX = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[-+][0-9]{2}:[0-9]{2})?)?"
)
_UNPADDED_DATE = re.compile(r"([0-9]{4})-([1-9]|[0-9]{2})-([1-9]|[0-9]{2})(T[^\n\r\u2028\u2029]*)?")
_VALID_OFFSET = re.compile(r"[+-](?:0[0-9]|1[0-4]):[0-5][0-9]")
_MIDNIGHT = re.compile(r"T00:00:00(\.0+)?(Z|[-+][0-9]{2}:[0-9]{2})?")
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _local_fields(ms: int, offset: int) -> datetime.datetime:
    return _EPOCH + datetime.timedelta(milliseconds=ms + offset * 60_000)


def parse_date_time(text: str, offset: int) -> int | None:
    """Milliseconds since the epoch of an ISO date or date-time (local to ``offset`` minutes), else None."""
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if zone is not None and zone != "Z" and not _VALID_OFFSET.fullmatch(zone):
        return None
    try:
        moment = datetime.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "").ljust(3, "0")[:3]) * 1000,
        )
    except ValueError:
        return None
    ms = (moment - _EPOCH) // datetime.timedelta(milliseconds=1)
    if zone is None:
        ms -= offset * 60_000
    elif zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        ms -= sign * (int(zone[1:3]) * 60 + int(zone[4:6])) * 60_000
    return ms if _MIN_MS <= ms + offset * 60_000 <= _MAX_MS else None


def _offset_text(offset: int) -> str:
    sign = "-" if offset < 0 else "+"
    return f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date or date-time: ``ms`` since the epoch (None: invalid), printed in the zone ``offset``."""

    ms: int | None
    offset: int = 0
    text: str | None = None  # number('2024-01-31') prints as its whole days
    truth: bool | None = None

    @property
    def number(self) -> float:
        return NAN if self.ms is None else self.ms / DAY_MS

    @property
    def boolean(self) -> bool:
        if self.truth is not None:
            return self.truth
        return self.ms is not None and self.ms != 0

    @property
    def string(self) -> str:
        if self.text is not None:
            return self.text
        if self.ms is None:
            return "Invalid Date"
        local = _local_fields(self.ms, self.offset)
        millis = local.microsecond // 1000
        fraction = ".000" if millis == 0 else "." + f"{millis:03d}".rstrip("0")
        stamp = (
            f"{local.year:04d}-{local.month:02d}-{local.day:02d}T{local.hour:02d}:{local.minute:02d}:{local.second:02d}"
        )
        return _MIDNIGHT.sub("", stamp + fraction + _offset_text(self.offset), count=1)


def _date_from_ms(ms: float, offset: int) -> DateValue:
    if ms != ms or ms in (INF, -INF):
        return DateValue(None, offset)
    ms = int(js_round(ms))
    if not _MIN_MS <= ms + offset * 60_000 <= _MAX_MS:
        return DateValue(None, offset)
    return DateValue(ms, offset)


def _format_date(text: str, pattern: str, offset: int) -> str:
    ms = parse_date_time(text, offset)
    if ms is None:
        return ""
    local = _local_fields(ms, offset)
    tokens = {
        "%Y": f"{local.year:04d}",
        "%y": f"{local.year:04d}"[2:],
        "%m": f"{local.month:02d}",
        "%n": str(local.month),
        "%b": SHORT_MONTHS[local.month - 1],
        "%d": f"{local.day:02d}",
        "%e": str(local.day),
        "%a": SHORT_DAYS[local.weekday()],
        "%H": f"{local.hour:02d}",
        "%h": str(local.hour),
        "%M": f"{local.minute:02d}",
        "%S": f"{local.second:02d}",
        "%3": f"{local.microsecond // 1000:03d}",
    }
    return re.sub("|".join(tokens), lambda match: tokens[match.group(0)], pattern)
