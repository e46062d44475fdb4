"""expressions.js agrees with surveys/expressions.py: same trees, same errors, same values, in Chromium."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.expressions import (
    MAX_DEPTH,
    Context,
    ExpressionError,
    check,
    describe,
    evaluate,
    message_table,
    parse,
    to_boolean,
)
from tests.surveys.expression_strategies import contexts, expressions, offset_of

SCRIPT = Path(django_settings.BASE_DIR) / "static" / "surveys" / "js" / "expressions.js"
GRAMMAR_ALPHABET = "${}()'\".,-+*=!<>/[|:abdmnoqrstu0123456789 \t\u00a0_é😀"


@pytest.fixture
def blank(page):
    page.set_content("<!doctype html><title>expressions</title>")
    page.add_script_tag(path=SCRIPT)
    return page


def hypothesis_corpus(strategy, size):
    """``size`` examples that hypothesis generates from ``strategy``, to send to the browser in one go."""
    corpus = []

    @given(strategy)
    # derandomize: the same corpus on every run, so that CI is reproducible (a random one found a difference
    # once: formatting date() of a fractional day with %H:%M, noted in the wave-2 closing note).
    @settings(
        max_examples=size, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def collect(example):
        corpus.append(example)

    collect()
    return corpus


def python_outcome(text, context):
    try:
        tree = parse(text)
    except ExpressionError as error:
        return {"error": [error.position, error.message]}
    return {"value": describe(evaluate(tree, Context.from_json(context)), offset_of(context))}


JS_OUTCOMES = """([cases, offsets]) => cases.map(([text, context], i) => {
    const E = CasebookExpressions;
    let tree;
    try {
        tree = E.parse(text);
    } catch (error) {
        if (!(error instanceof E.ExpressionError)) return {crash: String(error)};
        return {error: [error.position, error.message]};
    }
    try {
        return {value: E.describe(E.evaluate(tree, context), offsets[i])};
    } catch (error) {
        return {crash: String(error.stack)};
    }
})"""


def compare(page, cases):
    with translation.override("en"):
        expected = [python_outcome(text, context) for text, context in cases]
    actual = page.evaluate(JS_OUTCOMES, [cases, [offset_of(context) for _text, context in cases]])
    disagreements = [(case, py, js) for case, py, js in zip(cases, expected, actual, strict=True) if py != js]
    return expected, disagreements


def test_the_script_never_evaluates_code():
    source = SCRIPT.read_text()
    assert not re.search(r"\beval\(|new Function|\bFunction\(|innerHTML|setTimeout\(\s*['\"`]", source)


def test_javascript_evaluates_like_python(blank):
    cases = hypothesis_corpus(st.tuples(expressions, contexts()), 500)
    expected, disagreements = compare(blank, cases)
    assert disagreements == []
    values = [outcome["value"] for outcome in expected if "value" in outcome]
    assert len(values) >= 400
    assert {value["boolean"] for value in values} == {True, False}
    assert {value["kind"] for value in values} == {"boolean", "number", "string", "nodeset", "date"}


HAND_PICKED = [
    "${q} = 5",
    "${q} != 5",
    "count(${q}) + count(${t}) * 10",
    "sum(${t})",
    "${t}",
    "position(..) + 0",
    "indexed-repeat(${t}, ${r}, 2, ${r2}, 1)",
    "indexed-repeat(${q}, ${r}, 1)",
    "concat(${q}, '|', ${t})",
    "join(',', ${s})",
    "max(${q})",
    "today() - date('2024-01-31')",
    "format-date(now(), '%Y-%m-%d %H')",
    "format-date-time(now(), '%H:%M:%S.%3')",
    "string(now())",
    "decimal-date-time(now())",
    "date(today() + 0.5)",
    "number(${d})",
    "string(number(${d}))",
    "substr(${a}, -2)",
    "substring(${a}, 0, 3)",
    "string-length('😀a')",
    "translate('😀ab', 'ab', 'B')",
    "regex('😀', '^..$')",
    "regex('a\nb', '^a.b$')",
    "regex('a b', 'a\\sb')",
    "regex('a\u00a0b', 'a[\\S]b')",
    "name = 'x' or state != ''",
    "jr:choice-name(${m}, '${m}')",
    "once(concat('x', uuid(40)))",
    "1 div 0 = -1 div -0",
    "0.1 + 0.2",
    "1000000000000000000000 * 10",
    "0.0000001 * 1",
    "round(1.005, 2)",
    "round(-2.5)",
    "int(-0.5) = 0",
    "pow(2, 0.5)",
    "10 mod -3",
    "-10 mod 3",
]


def test_the_documented_corners_agree_in_every_context(blank):
    context_list = hypothesis_corpus(contexts(), 25)
    cases = [(text, context) for text in HAND_PICKED for context in context_list]
    _expected, disagreements = compare(blank, cases)
    assert disagreements == []


def test_javascript_parses_and_rejects_like_python(blank):
    texts = hypothesis_corpus(st.text(alphabet=GRAMMAR_ALPHABET, max_size=30), 300)
    texts += hypothesis_corpus(expressions, 100)
    texts += [
        "",
        "   ",
        "(" * (MAX_DEPTH - 1) + "1" + ")" * (MAX_DEPTH - 1),
        "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH,
        "-" * 200 + "1",
        "x" * 10_001,
        "😀" * 10_000,
        "${a} = '" + "é" * 40 + "'",
        "digest('a', 'b')",
        "pulldata(${a}, 'b', 'c', 'd')",
        "pulldata('prices.csv', 'b', 'c', 'd')",
        "${last-saved#a} + 1",
        "concat('x', ${last-saved#a",
        "pulldata(' Prices.CSV', 'b', 'c', 'd')",
        "${a} = yes",
        "/data/a",
        "${a}[1]",
        "count(1)",
        "count-selected()",
        "indexed-repeat(${q}, ${r})",
        "position(1)",
        "jr:choice-name(${m}, ${m})",
        "jr:itext('x')",
        "regex(${a}, '(?<n>a)')",
        "regex(${a}, 'a**')",
        "regex(${a}, '[b-a]')",
        "regex(${a}, '(a')",
        "regex(${a}, '\\1')",
        "regex(${a}, 'a{2,1}')",
        "1 + 2 * 3 - 4 div 5 mod 6",
        "${a} and ${b} or not(${a})",
        "a-b + div",
        "5 * * 2",
        "$ {a}",
        "${a",
        "concat('a' 'b')",
        "if(1, 2)",
        "round(1, 2, 3)",
    ]
    with translation.override("en"):
        expected = []
        for text in texts:
            try:
                expected.append({"tree": parse(text)})
            except ExpressionError as error:
                expected.append({"error": [error.position, error.message]})
    actual = blank.evaluate(
        """texts => texts.map(text => {
            try { return {tree: CasebookExpressions.parse(text)}; }
            catch (error) {
                if (!(error instanceof CasebookExpressions.ExpressionError)) return {crash: String(error)};
                return {error: [error.position, error.message]};
            }
        })""",
        texts,
    )
    assert any("tree" in outcome for outcome in expected) and any("error" in outcome for outcome in expected)
    disagreements = [(text, py, js) for text, py, js in zip(texts, expected, actual, strict=True) if py != js]
    assert disagreements == []


def test_pulldata_agrees(blank):
    rows = [{"code": "1", "crop": "maíz"}, {"code": "1.0", "crop": "papa"}, {"code": "7", "crop": "a"}]
    rows.append({"code": "7", "crop": "b"})
    texts = [
        "pulldata('prices', 'crop', 'code', '7')",
        "pulldata('prices', 'crop', 'code', 1.0)",
        "pulldata('prices', 'crop', 'code', '1.0')",
        "pulldata('prices', 'crop', 'code', 8)",
        "pulldata('prices', 'colour', 'code', 7)",
        "pulldata('prices', 'crop', 'colour', 7)",
        "pulldata('other', 'crop', 'code', 7)",
        "pulldata('prices', 'crop', 'code', now())",
        "concat(pulldata('prices', 'crop', 'code', '1'), pulldata('prices', 'crop', 'code', '7'))",
    ]
    cases = [(text, {"data": {"prices": rows}}) for text in texts] + [(text, {}) for text in texts]
    expected, disagreements = compare(blank, cases)
    assert disagreements == []
    assert [outcome["value"]["string"] for outcome in expected[:3]] == ["a", "maíz", "papa"]


def test_the_browser_speaks_the_servers_language_through_the_message_table(blank):
    texts = ["digest('a')", "${a} = ", "${a} = 'x", "round()", "((1)", "count(1)"]
    with translation.override("es"):
        table = message_table()
        expected = []
        for text in texts:
            try:
                parse(text)
            except ExpressionError as error:
                expected.append(error.message)
    blank.evaluate("table => CasebookExpressions.setMessages(table)", table)
    actual = blank.evaluate(
        "texts => texts.map(t => { try { CasebookExpressions.parse(t); } catch (e) { return e.message; } })", texts
    )
    assert actual == expected
    assert "La función 'digest' en el carácter 1 no está soportada." in actual


def test_huge_and_deep_expressions_are_refused_quickly_in_the_browser(blank):
    outcomes = blank.evaluate(
        """() => ["(".repeat(10000) + "1" + ")".repeat(10000), "x".repeat(100000), "-".repeat(9999) + "1",
                   "(".repeat(4999) + "1" + ")".repeat(4999), "not(".repeat(1900) + "true()" + ")".repeat(1900),
                   "1" + " + 1".repeat(2499)].map(text => {
            try { CasebookExpressions.parse(text); return "parsed"; } catch (e) { return e.key; }
        })"""
    )
    assert outcomes == ["too_long", "too_long", "too_deep", "too_deep", "too_deep", "parsed"]


REGEX_ALPHABET = "ab.^$|()[]{}-*+?\\dswDSWbBnu0123,:!=<😀 \u00a0"


def test_regular_expressions_match_alike_or_are_refused_alike(blank):
    patterns = hypothesis_corpus(st.text(alphabet=REGEX_ALPHABET, max_size=10), 400)
    patterns += ["[\\s\\S]", "[^\\S]", "[a\\S]", "[^a\\S]", "[]", "[^]", "\\cA", "[\\c1]", "\\x4", "\\u00e9", "a{,2}"]
    subjects = ["", "a", "ab", "a b", "a\u00a0b", "😀", "ab\n", "\n", "0", "ba{,2}", "\x01", "é"]
    with translation.override("en"):
        cases, expected = [], []
        for pattern in patterns:
            for subject in subjects:
                text = f"regex({as_literal(subject)}, {as_literal(pattern)})"
                cases.append(text)
                try:
                    expected.append(to_boolean(evaluate(parse(text), Context())))
                except ExpressionError as error:
                    expected.append(error.key)
    actual = blank.evaluate(
        """texts => texts.map(text => {
            const E = CasebookExpressions;
            try { return E.toBoolean(E.evaluate(E.parse(text), {})); }
            catch (error) { return error.key || String(error); }
        })""",
        cases,
    )
    disagreements = [(text, py, js) for text, py, js in zip(cases, expected, actual, strict=True) if py != js]
    assert disagreements == []
    assert {True, False, "bad_regex"} <= set(expected)


def as_literal(text: str) -> str:
    """A string literal for any text: concat() of quoted parts when it holds both kinds of quote."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", ".join(f"'{part}'" if part != "'" else '"\'"' for part in re.split("(')", text) if part) + ")"


def test_checking_names_agrees(blank):
    cases = [
        ("${a} = 1 and ${zz} = 2", ["a"], None),
        ("${a} = yes", ["a"], None),
        ("state = ${a} or name = 'x'", ["a"], ["name", "state"]),
        ("region = ${a}", ["a"], ["name", "state"]),
        ("jr:choice-name(${a}, '${q}')", ["a"], None),
        ("zz = ${zz}", ["a"], None),
        ("${a} + 1", ["a"], None),
    ]
    with translation.override("en"):
        expected = []
        for text, names, columns in cases:
            try:
                expected.append({"tree": check(text, names, columns=columns)})
            except ExpressionError as error:
                expected.append({"error": [error.position, error.message]})
    actual = blank.evaluate(
        """cases => cases.map(([text, names, columns]) => {
            try { return {tree: CasebookExpressions.check(text, names, columns)}; }
            catch (error) { return {error: [error.position, error.message]}; }
        })""",
        [list(case) for case in cases],
    )
    assert actual == expected
    assert sum("error" in outcome for outcome in expected) == 5
