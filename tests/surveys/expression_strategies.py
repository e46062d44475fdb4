"""Hypothesis strategies for expressions and their contexts, shared by the Python, browser and ODK tests.

The form behind every context: top-level questions ``a b d m n``; a repeat ``r`` with questions ``q s``
and a nested repeat ``r2`` holding ``t``. Contexts are JSON (paths as "2.1"), as expressions.js takes.
"""

import json

from hypothesis import strategies as st

REPEATS = {
    "a": [],
    "b": [],
    "d": [],
    "m": [],
    "n": [],
    "r": [],
    "q": ["r"],
    "s": ["r"],
    "r2": ["r"],
    "t": ["r", "r2"],
}
QUESTIONS = ("a", "b", "d", "m", "n", "q", "s", "t")
NAMES = tuple(REPEATS)

# Texts that exercise the conversions: numerals, dates, date-times, spaces, select lists, accents, emoji.
WORDS = (
    "",
    "5",
    "05",
    "-1.5",
    " 7 ",
    "0",
    "10",
    "2.5",
    "1e3",
    "0x1F",
    "Infinity",
    "abc",
    "a b",
    "usa eu",
    "usa",
    "eu",
    "true",
    "1",
    "yes",
    "2024-01-31",
    "2024-02-29",
    "2023-12-31",
    "2024-1-5",
    "2024-01-31T10:30:00",
    "2024-01-31T23:59:59.5Z",
    "2024-03-10T00:00:00-05:00",
    "2024-01-31T10:00:00.250+05:30",
    "2024-02-30",
    "ñandú",
    "😀x",
    "a\tb",
)
word = st.sampled_from(WORDS)
free_text = st.text(alphabet="ab 01.-:T😀ñ", max_size=6)
value_text = st.one_of(word, word, free_text)


def quote(text: str) -> str:
    return f'"{text}"' if "'" in text else f"'{text}'"


literal_texts = value_text.filter(lambda text: not ("'" in text and '"' in text)).map(quote)
numbers = st.sampled_from(["0", "1", "2", "3", "5", "10", "0.5", ".5", "2.5", "3.14", "100", "19753", "1.005"])
refs = st.sampled_from([f"${{{name}}}" for name in QUESTIONS])
repeat_refs = st.sampled_from(["${q}", "${s}", "${t}", "${r}", "${r2}"])
bare_names = st.sampled_from(["name", "state", "zzz"])
zero_arity = st.sampled_from(["today()", "now()", "true()", "false()", "uuid()", "position(..)"])
PATTERNS = ("^[a-z]+$", "^\\d{1,3}$", "[aeiou]", "^$", "\\s", "^.{2,4}$", "b|c", "^(ab)+$", "[^a-z]", "\\bu", "😀")
FORMATS = ("%Y-%m-%d", "%a %e %b %y", "%n/%d", "%H:%M:%S.%3 %h", "%Y%%")

leaves = st.one_of(refs, refs, literal_texts, numbers, st.just("."), bare_names, zero_arity)

ONE = (
    "string",
    "number",
    "boolean",
    "not",
    "boolean-from-string",
    "int",
    "round",
    "floor",
    "ceiling",
    "abs",
    "string-length",
    "normalize-space",
    "count-selected",
    "date",
    "decimal-date-time",
    "once",
    "uuid",
)
TWO = (
    "selected",
    "selected-at",
    "contains",
    "starts-with",
    "ends-with",
    "substring-before",
    "substring-after",
    "coalesce",
    "round",
    "pow",
    "substr",
    "substring",
    "concat",
    "join",
    "min",
    "max",
)
THREE = ("if", "substr", "substring", "translate", "concat", "join", "min", "max")
OPERATORS = ("or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod")


def _extend(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(OPERATORS), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, st.sampled_from(OPERATORS), children).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        children.map(lambda x: f"-{x}"),
        st.tuples(st.sampled_from(ONE), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(TWO), children, children).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(THREE), children, children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]}, {t[3]})"
        ),
        st.tuples(st.sampled_from(["count", "count-non-empty", "sum"]), repeat_refs | refs).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(children, st.sampled_from(PATTERNS)).map(lambda t: f"regex({t[0]}, {quote(t[1])})"),
        st.tuples(children, st.sampled_from(FORMATS), st.sampled_from(["format-date", "format-date-time"])).map(
            lambda t: f"{t[2]}({t[0]}, '{t[1]}')"
        ),
        st.tuples(children, children).map(lambda t: f"indexed-repeat(${{t}}, ${{r}}, {t[0]}, ${{r2}}, {t[1]})"),
        children.map(lambda x: f"indexed-repeat(${{q}}, ${{r}}, {x})"),
        children.map(lambda x: f"jr:choice-name({x}, '${{m}}')"),
        children.map(lambda x: f"date({x}) + 1"),
        children.map(lambda x: f"format-date(date({x}), '%Y-%m-%d %a')"),
    )


untyped = st.recursive(leaves, _extend, max_leaves=8)

# Typed expressions, so that most of the corpus computes something meaningful rather than NaN.
num_refs = st.sampled_from(["${n}", "${q}", "${a}", "${t}", "${s}"])
date_refs = st.sampled_from(["${d}", "${a}", "${b}"])


def _numbers(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "div", "mod"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(["int", "round", "floor", "ceiling", "abs", "number", "-"]), children).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(children, st.sampled_from(["0", "1", "2", "-1"])).map(lambda t: f"round({t[0]}, {t[1]})"),
        st.tuples(children, st.sampled_from(["0", "1", "2", "3", "0.5", "-1"])).map(lambda t: f"pow({t[0]}, {t[1]})"),
        st.tuples(st.sampled_from(["min", "max"]), children, children).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    )


number_leaves = st.one_of(
    numbers,
    num_refs,
    st.sampled_from(["count(${q})", "count(${r})", "count(${t})", "sum(${q})", "sum(${t})", "count-non-empty(${s})"]),
    st.sampled_from(["position(..)", "string-length(${a})", "count-selected(${m})", "decimal-date-time(${d})"]),
    st.sampled_from(["today() - date(${d})", "date(${d}) - date('2024-01-01')", "number(${d})", "max(${q})"]),
)
number_exprs = st.recursive(number_leaves, _numbers, max_leaves=5)
string_exprs = st.one_of(
    literal_texts,
    refs,
    st.tuples(refs, number_exprs).map(lambda t: f"substr({t[0]}, {t[1]})"),
    st.tuples(refs, number_exprs, number_exprs).map(lambda t: f"substring({t[0]}, {t[1]}, {t[2]})"),
    st.tuples(refs, literal_texts).map(lambda t: f"substring-before({t[0]}, {t[1]})"),
    st.tuples(refs, literal_texts).map(lambda t: f"substring-after({t[0]}, {t[1]})"),
    st.tuples(refs, literal_texts, literal_texts).map(lambda t: f"translate({t[0]}, {t[1]}, {t[2]})"),
    st.tuples(refs, number_exprs).map(lambda t: f"concat({t[0]}, '-', {t[1]})"),
    st.tuples(refs, refs).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
    st.tuples(st.sampled_from(["${m}", "${a}"]), number_exprs).map(lambda t: f"selected-at({t[0]}, {t[1]})"),
    st.tuples(date_refs, st.sampled_from(FORMATS)).map(lambda t: f"format-date({t[0]}, '{t[1]}')"),
    st.tuples(date_refs, st.sampled_from(FORMATS)).map(lambda t: f"format-date-time({t[0]}, '{t[1]}')"),
    st.sampled_from(["format-date(today(), '%Y-%m-%d %a %b')", "string(now())", "join(' ', ${q})"]),
    st.sampled_from(["jr:choice-name(${m}, '${m}')", "normalize-space(${a})", "string(today() + 1)"]),
    number_exprs.map(lambda x: f"string({x})"),
    number_exprs.map(lambda x: f"format-date(date({x}), '%Y-%m-%d %H:%M')"),
)
date_exprs = st.one_of(
    st.sampled_from(["today()", "now()", "date(${d})", "date(${a})", "date('2024-1-5')", "date-time(${b})"]),
    number_exprs.map(lambda x: f"date({x})"),
    st.tuples(date_refs, number_exprs).map(lambda t: f"date(date({t[0]}) + {t[1]})"),
)


def _conditions(children):
    return st.one_of(
        children.map(lambda x: f"not({x})"),
        st.tuples(children, st.sampled_from(["and", "or"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, children, children).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
    )


comparison_leaves = st.one_of(
    st.tuples(number_exprs, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), number_exprs).map(" ".join),
    st.tuples(refs, st.sampled_from(["=", "!=", "<", ">="]), literal_texts | numbers).map(" ".join),
    st.tuples(string_exprs, st.sampled_from(["=", "!="]), string_exprs).map(" ".join),
    st.tuples(date_exprs, st.sampled_from(["=", "<", ">", "!="]), date_exprs | date_refs).map(" ".join),
    st.tuples(st.sampled_from(["${m}", "${a}", "${q}"]), literal_texts).map(lambda t: f"selected({t[0]}, {t[1]})"),
    st.tuples(refs, st.sampled_from(PATTERNS)).map(lambda t: f"regex({t[0]}, {quote(t[1])})"),
    st.tuples(st.sampled_from(["contains", "starts-with", "ends-with"]), refs, literal_texts).map(
        lambda t: f"{t[0]}({t[1]}, {t[2]})"
    ),
    st.tuples(refs, st.sampled_from(["=", "!="]), st.sampled_from(["true()", "false()"])).map(" ".join),
    st.sampled_from(["name = 'usa' or state = ${a}", "boolean-from-string(${a})", "boolean(${q})", ". != ''"]),
)
conditions = st.recursive(comparison_leaves, _conditions, max_leaves=4)
KINDS = {
    "untyped": untyped,
    "number": number_exprs,
    "string": string_exprs,
    "date": date_exprs,
    "condition": conditions,
}
expressions = st.sampled_from(["untyped", "number", "string", "date", "condition", "condition"]).flatmap(KINDS.get)

NOWS = (
    "2026-12-06T16:09:53.123-05:00",
    "2024-02-29T00:00:00.000+00:00",
    "2024-03-10T23:30:00.500+05:30",
    "1999-12-31T19:00:00.000-05:00",
)


@st.composite
def contexts(draw, here_names=NAMES, texts=value_text, fewest=0, extras=True):
    """A JSON context: counts for r and r2, values for every instance, a node and path to evaluate at.

    ``fewest`` is the fewest instances of each repeat; ``extras`` adds ``current``, ``choice`` and
    sometimes leaves the time zone to ``now``.
    """
    value_text = texts
    r_count = draw(st.integers(max(fewest, 0), 3))
    counts = {"r": {"": r_count}, "r2": {str(i): draw(st.integers(fewest, 2)) for i in range(1, r_count + 1)}}
    values: dict[str, dict[str, str]] = {}
    for name in ("a", "b", "d", "m", "n"):
        if draw(st.booleans()) or name == "a":
            values[name] = {"": draw(value_text)}
    for i in range(1, r_count + 1):
        for name in ("q", "s"):
            if draw(st.integers(0, 4)):
                values.setdefault(name, {})[str(i)] = draw(value_text)
        for j in range(1, counts["r2"][str(i)] + 1):
            if draw(st.integers(0, 4)):
                values.setdefault("t", {})[f"{i}.{j}"] = draw(value_text)
    here = draw(st.sampled_from(here_names))
    chain = REPEATS[here] + (["r"] if here == "r" else []) + (["r2"] if here == "r2" else [])
    path = []
    for repeat in chain:
        available = counts[repeat].get(".".join(map(str, path)), 0)
        path.append(draw(st.integers(1, max(1, available))))
    context = {
        "values": values,
        "repeats": REPEATS,
        "counts": counts,
        "here": here,
        "path": ".".join(map(str, path)),
        "now": draw(st.sampled_from(NOWS)),
        "uuid": "9f5d2a1a-3bed-4f31-8e0f-000000000001",
        "choice_labels": {"m": {"usa": "EE.UU.", "eu": "Unión Europea", "5": "cinco"}},
    }
    if draw(st.booleans()) or not extras:
        context["utc_offset"] = draw(st.sampled_from([-300, 0, 330]))
    if extras and draw(st.integers(0, 3)) == 0:
        context["current"] = draw(value_text)
    if extras and draw(st.booleans()):
        context["choice"] = {"name": draw(word), "state": draw(st.sampled_from(["lima", "cusco", ""]))}
    return context


def offset_of(context: dict) -> int:
    """The time zone of a JSON context, in minutes (as the evaluators derive it)."""
    if context.get("utc_offset") is not None:
        return context["utc_offset"]
    now = context.get("now") or ""
    if now.endswith("Z") or len(now) < 6 or now[-6] not in "+-":
        return 0
    sign = -1 if now[-6] == "-" else 1
    return sign * (int(now[-5:-3]) * 60 + int(now[-2:]))


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- Forms for the form-logic engine ------------------------------------------------------------------

FORM_SKELETON = (
    {"name": "a", "kind": "question", "type": "text"},
    {"name": "g", "kind": "group", "type": "group"},
    {"name": "b", "kind": "question", "type": "text", "parent": "g"},
    {"name": "d", "kind": "question", "type": "date"},
    {"name": "m", "kind": "question", "type": "select_multiple"},
    {"name": "n", "kind": "question", "type": "integer"},
    {"name": "r", "kind": "repeat", "type": "repeat"},
    {"name": "q", "kind": "question", "type": "integer", "parent": "r"},
    {"name": "s", "kind": "question", "type": "calculate", "parent": "r"},
    {"name": "r2", "kind": "repeat", "type": "repeat", "parent": "r"},
    {"name": "t", "kind": "question", "type": "select_one", "parent": "r2"},
    {"name": "tot", "kind": "question", "type": "calculate"},
    {"name": "note", "kind": "question", "type": "note"},
)
FORM_CHOICES = {
    "m": [{"name": "usa", "state": "lima"}, {"name": "eu", "state": "cusco"}, {"name": "5", "state": ""}],
    "t": [{"name": "usa", "state": "lima"}, {"name": "a b", "state": "lima"}, {"name": "10", "state": "cusco"}],
}
# What the user just changed (trigger questions), as evaluate_form / evaluateForm take it.
CHANGED = ({}, {}, {"a": [""]}, {"q": ["1"]}, {"q": ["2"]}, {"t": ["1.2"]}, {"n": [""], "q": ["1"]}, {"a": ["", ""]})
optional_condition = st.one_of(st.just(""), st.just(""), conditions)
choice_filters = st.sampled_from(
    ["", "name != 'eu'", "state = 'lima' or name = ${a}", "selected(${m}, name)", "state != ''"]
)


@st.composite
def forms(draw):
    """A form (the skeleton with generated expressions) and JSON input for evaluate_form / evaluateForm."""
    form = []
    for skeleton in FORM_SKELETON:
        node = dict(skeleton)
        node["relevant"] = draw(optional_condition)
        if node["kind"] == "question":
            node["constraint"] = draw(
                st.one_of(st.just(""), conditions, st.sampled_from([". != 'abc'", ". < 5", "regex(., '^[0-9]+$')"]))
            )
            node["required"] = draw(st.one_of(st.sampled_from(["", "yes", "no", "true()"]), conditions))
        if node["name"] in ("s", "tot"):
            node["calculation"] = draw(
                st.one_of(number_exprs, string_exprs, st.sampled_from(["once(uuid())", "sum(${q})"]))
            )
        if node["name"] in ("a", "q"):
            node["default"] = draw(st.sampled_from(["", "5", "abc", "${n} + 1", "concat(${b}, 'x')"]))
        if node["name"] == "r":
            node["repeat_count"] = draw(st.sampled_from(["", "", "${n}", "2", "count(${m})", "${tot}"]))
        if node["name"] in FORM_CHOICES:
            node["choice_filter"] = draw(choice_filters)
        if node["name"] == "b":
            node["read_only"] = draw(st.sampled_from(["", "yes", "${a} = '5'"]))
            node["trigger"] = draw(st.sampled_from(["", "", "${a}", "${n}, ${q}"]))
        if node["name"] == "s":
            node["trigger"] = draw(st.sampled_from(["", "", "${q}", "${a} ${t}", "n"]))
        form.append(node)
    context = draw(contexts())
    values = {name: dict(by_path) for name, by_path in context["values"].items() if draw(st.integers(0, 5))}
    input_ = {
        "values": values,
        "counts": context["counts"],
        "now": context["now"],
        "uuid": context["uuid"],
        "choices": FORM_CHOICES,
        "choice_labels": context["choice_labels"],
        "changed": draw(st.sampled_from(CHANGED)),
    }
    if "utc_offset" in context:
        input_["utc_offset"] = context["utc_offset"]
    return form, input_
