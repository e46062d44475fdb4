"""The expression language: hand-worked ODK examples for every function, conversion and corner."""

import datetime

import pytest
from django.utils import translation

from surveys.expressions import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    PARSES,
    Context,
    DataTable,
    DateValue,
    ExpressionError,
    NodeSet,
    check,
    choice_columns,
    evaluate,
    functions,
    js_number,
    js_number_to_string,
    message_table,
    parse,
    pulldata_files,
    references,
    regex_problem,
    to_boolean,
    to_number,
    to_string,
)

LIMA = datetime.timezone(datetime.timedelta(hours=-5))
NOW = datetime.datetime(2024, 3, 10, 15, 4, 5, 678000, tzinfo=LIMA)  # a Sunday afternoon in Lima
# A form: top-level a, b, d; a repeat "crop" with "area" and a nested repeat "plot" with "size".
REPEATS = {"a": [], "b": [], "d": [], "crop": [], "area": ["crop"], "plot": ["crop"], "size": ["crop", "plot"]}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def context(values=None, here=None, path=(), **extra):
    counts = extra.pop("counts", {"crop": {(): 3}, "plot": {(1,): 2, (2,): 0, (3,): 1}})
    by_path = {}
    for name, value in (values or {}).items():
        by_path[name] = value if isinstance(value, dict) else {(): value}
    return Context(values=by_path, repeats=REPEATS, counts=counts, here=here, path=path, now=NOW, **extra)


def value(text, **kwargs):
    return evaluate(parse(text), context(**kwargs))


def string(text, **kwargs):
    return to_string(value(text, **kwargs))


def number(text, **kwargs):
    return to_number(value(text, **kwargs), -300)


def holds(text, **kwargs):
    return to_boolean(value(text, **kwargs))


# --- Parsing ----------------------------------------------------------------------------------------


def test_trees_are_plain_json_with_xpath_precedence():
    assert parse("1 + 2 * 3") == {
        "type": "ops",
        "first": {"type": "number", "value": 1.0},
        "rest": [
            [
                "+",
                {
                    "type": "ops",
                    "first": {"type": "number", "value": 2.0},
                    "rest": [["*", {"type": "number", "value": 3.0}]],
                },
            ]
        ],
    }
    assert parse("${a} = 'x' or ${b} != 2 and not(.)")["rest"][0][0] == "or"
    assert parse("-${a}") == {"type": "negate", "operand": {"type": "ref", "name": "a", "position": 3}, "position": 0}


def test_a_long_flat_chain_makes_one_shallow_node():
    tree = parse(" + ".join(["1"] * 2000))
    assert tree["type"] == "ops" and len(tree["rest"]) == 1999


def test_operator_words_are_names_where_a_value_is_expected():
    assert parse("div")["type"] == "name"
    assert parse("div div div")["rest"] == [["div", {"type": "name", "name": "div", "position": 8}]]
    assert parse("a-1") == {"type": "name", "name": "a-1", "position": 0}
    assert parse("${a}-1")["rest"][0][0] == "-"


def test_references_functions_and_columns_are_listed():
    tree = parse("if(selected(${a}, 'x'), jr:choice-name(${b}, '${d}'), count(${area})) and state = ${a}")
    assert references(tree) == frozenset({"a", "b", "d", "area"})
    assert functions(tree) == frozenset({"if", "selected", "jr:choice-name", "count"})
    assert choice_columns(tree) == frozenset({"state"})


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("", 0, "The expression is empty."),
        ("1 +", 3, "Unexpected end of the expression at character 4: expected a value"),
        ("(1", 2, "Unexpected end of the expression at character 3: expected ')'."),
        ("1 1", 2, "Unexpected '1' at character 3: expected an operator or the end of the expression."),
        ("'open", 0, "The text starting at character 1 is not closed: end it with '."),
        ("${a b}", 0, "Invalid reference at character 1"),
        (
            "${last-saved#a}",
            0,
            "${last-saved#a} at character 1 (the answer in the last form saved on the device, as ODK Collect offers "
            "it) is not supported",
        ),
        ("1 + ${last-saved#precio", 4, "${last-saved#precio} at character 5"),
        ("/data/a = 1", 0, "Paths and predicates ('/') are not supported at character 1: write ${name}."),
        ("${a}[1]", 4, "Paths and predicates ('[')"),
        ("1 & 2", 2, "Unexpected character '&' at character 3."),
        ("digest(${a}, 'SHA-256')", 0, "The function 'digest' at character 1 is not supported."),
        ("pulldata(${a}, 'name', 'key', ${a})", 0, "pulldata() at character 1 needs the file's name as quoted text"),
        ("pulldata('fruits', 'name', 'key')", 0, "cannot take 3 arguments: it takes 4."),
        (
            "pulldata('fruits.csv', 'name', 'key', 1)",
            0,
            "pulldata() at character 1 names the file with its extension, 'fruits.csv': ODK Collect and Web Forms "
            "would look for a file called fruits.csv.csv. Write the name without .csv: 'fruits'.",
        ),
        ("1 + pulldata(' Fruits.CSV ', 'name', 'key', 1)", 4, "Write the name without .csv: 'Fruits'."),
        ("jr:itext('x')", 0, "The function 'jr:itext' at character 1 is not supported."),
        ("round()", 0, "cannot take 0 arguments: it takes 1 to 2."),
        ("if(1, 2)", 0, "The function 'if' at character 1 cannot take 2 arguments: it takes 3."),
        ("concat()", 0, "it takes 1 or more."),
        ("indexed-repeat(${size}, ${crop})", 0, "it takes 3, 5, 7 or more (an odd number)."),
        ("count(1)", 0, "The function 'count' at character 1 needs a reference such as ${name} here."),
        ("indexed-repeat(${size}, 'crop', 1)", 0, "needs a reference"),
        ("position(1)", 0, "position() at character 1 only takes '..'"),
        ("jr:choice-name(${a}, ${a})", 0, "needs the question as quoted text, like '${name}'."),
        ("regex(${a}, '(?<year>[0-9]{4})')", 0, "cannot be used (see character 1 of the pattern)."),
        ("regex(${a}, 'a**')", 0, "(see character 3 of the pattern)"),
        ("jr:x", 4, "Unexpected end of the expression at character 5: expected '('."),
        ("1 + ..", 4, "Unexpected '..' at character 5"),
    ],
)
def test_syntax_errors_say_what_and_where(text, position, message):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.position == position
    assert message in caught.value.message
    assert str(caught.value) == caught.value.message


def test_messages_are_spanish_first():
    with pytest.raises(ExpressionError) as caught:
        parse("digest('a', 'b')")
    with translation.override("es"):  # translated when read
        assert caught.value.message == "La función 'digest' en el carácter 1 no está soportada."
        assert message_table()["empty"] == "La expresión está vacía."


def test_check_refuses_unknown_names_and_bare_words_at_their_position():
    with pytest.raises(ExpressionError) as caught:
        check("${a} = 1 and ${zz} = 2", ["a", "b"])
    assert (caught.value.position, caught.value.message) == (15, "Unknown question 'zz' at character 16.")
    with pytest.raises(ExpressionError) as caught:
        check("${a} = yes", ["a"])
    assert (
        caught.value.message == "'yes' at character 8 is not a question: write ${yes} for a question or 'yes' for text."
    )
    assert check("state = ${a}", ["a"], columns=["name", "state"])["type"] == "ops"
    with pytest.raises(ExpressionError, match=r"The choices have no column 'region' \(character 1\)\."):
        check("region = ${a}", ["a"], columns=["name", "state"])
    with pytest.raises(ExpressionError, match="Unknown question 'q'"):
        check("jr:choice-name(${a}, '${q}')", ["a"])


def test_limits_are_clear_and_never_recursion_errors():
    parse("(" * (MAX_DEPTH - 1) + "1" + ")" * (MAX_DEPTH - 1))
    with pytest.raises(ExpressionError, match="nests too deeply at character 100: at most 100 levels"):
        parse("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH)
    with pytest.raises(ExpressionError, match="nests too deeply"):
        parse("(" * 4999 + "1" + ")" * 4999)
    with pytest.raises(ExpressionError, match="nests too deeply"):
        parse("-" * 9999 + "1")
    with pytest.raises(ExpressionError, match="nests too deeply"):
        parse("1" + "".join(f" {op} (1" for op in "+-*=<" * 30) + ")" * 150)
    with pytest.raises(ExpressionError) as caught:
        parse("x" * 100_000)
    assert caught.value.message == f"The expression is too long: 100000 characters, at most {MAX_LENGTH}."
    with pytest.raises(ExpressionError, match="too long"):
        parse("(" * 10_000 + "1" + ")" * 10_000)


def test_trees_are_parsed_once_per_text():
    parse("${a} + 41")
    before = PARSES["count"]
    for _ in range(5):
        parse("${a} + 41")
    assert PARSES["count"] == before


def test_the_supported_functions_are_exposed_for_the_importer():
    for name in ("selected", "count-selected", "jr:choice-name", "indexed-repeat", "format-date", "regex", "once"):
        assert name in FUNCTIONS
    assert "pulldata" in FUNCTIONS and "random" not in FUNCTIONS


# --- Conversions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12.0),
        (" 1.5 ", 1.5),
        ("-.5", -0.5),
        ("5.", 5.0),
        ("+2", 2.0),
        ("1e3", 1000.0),
        ("0x1F", 31.0),
        ("Infinity", float("inf")),
        ("1 000", float("nan")),
        ("abc", float("nan")),
        ("", 0.0),  # as Number(''); to_number('') is NaN, see below
        ("   ", 0.0),
        ("١٢", float("nan")),  # only ASCII digits, as JavaScript
        ("1_000", float("nan")),
    ],
)
def test_strings_read_as_numbers_like_javascript(text, expected):
    result = js_number(text)
    assert result == expected or (result != result and expected != expected)


@pytest.mark.parametrize(
    ("number_value", "text"),
    [
        (5.0, "5"),
        (0.5, "0.5"),
        (-0.0, "0"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e21, "1e+21"),
        (123456789012345680000.0, "123456789012345680000"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (2**53, "9007199254740992"),
        (float("inf"), "Infinity"),
        (-1.5e-300, "-1.5e-300"),
    ],
)
def test_numbers_print_like_javascript(number_value, text):
    assert js_number_to_string(number_value) == text


def test_the_three_conversions_of_every_kind_of_value():
    assert [to_string(v) for v in (True, 2.0, float("nan"), "x", NodeSet((), ()))] == ["true", "2", "", "x", ""]
    assert to_number(True) == 1.0 and to_number(NodeSet((("a", ()),), ("7",))) == 7.0
    assert to_number("") != to_number("")  # NaN
    assert to_number(" ") == 0.0  # a computed blank string, as Web Forms
    assert to_number(NodeSet((("a", ()),), (" \t",))) != 0.0  # an answer of spaces is no number (NaN)
    assert to_number(NodeSet((), ())) != to_number(NodeSet((), ()))  # NaN
    assert to_boolean(NodeSet((("a", ()),), ("",)))  # a node that exists is true even when empty
    assert not to_boolean(NodeSet((), ())) and not to_boolean(float("nan")) and not to_boolean("")
    assert to_boolean("false")  # a non-empty string
    assert not to_boolean(DateValue(None)) and to_boolean(DateValue(86_400_000))


# --- Comparisons and arithmetic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("${a} = 5", {"a": "5.0"}, True),  # a node against a number compares numbers
        ("${a} = '5'", {"a": "5.0"}, False),  # against a string, strings
        ("${a} = ''", {}, True),  # unanswered reads ''
        ("${a} != ''", {}, False),
        ("${a} = true()", {"a": ""}, True),  # against a boolean: the node exists
        ("'b' > 'a'", {}, False),  # ordering always compares numbers
        ("'10' > '9'", {}, True),
        ("${a} < 3", {"a": "abc"}, False),
        ("${a} < 3", {"a": " "}, False),  # an answer of spaces is NaN
        ("concat(' ', '') < 3", {}, True),  # a computed blank string is 0
        ("${area} > 4", {"area": {(1,): " ", (2,): "5", (3,): ""}}, True),
        ("${d} > '2024-01-01'", {"d": "2024-01-31"}, True),  # dates compare as days
        ("${d} = date('2024-01-31')", {"d": "2024-01-31"}, True),
        ("${area} = 2", {"area": {(1,): "1", (2,): "2", (3,): ""}}, True),  # some node
        ("${area} != 2", {"area": {(1,): "1", (2,): "2", (3,): ""}}, True),  # and some other node
        ("${size} = 1", {"size": {}}, False),  # no node holds 1
        ("1 = 1 = 1", {}, True),  # (1 = 1) = 1: true = 1
        ("${a} and ${b}", {}, True),  # nodes exist
        ("not(${a})", {}, False),
    ],
)
def test_comparisons(text, values, expected):
    assert holds(text, values=values) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 div 2", "3.5"),
        ("7 mod 3", "1"),
        ("-7 mod 3", "-1"),
        ("7 mod -3", "1"),
        ("5 mod 0", ""),
        ("1 div 0", "Infinity"),
        ("-1 div 0", "-Infinity"),
        ("0 div 0", ""),
        ("1 div -0", "-Infinity"),
        ("'3' + '4'", "7"),
        ("'a' + 1", ""),
        ("true() + 1", "2"),
        ("--2", "2"),
        ("2 * -3", "-6"),
    ],
)
def test_arithmetic(text, expected):
    assert string(text) == expected


def test_empty_answers_make_arithmetic_nan_which_prints_empty():
    assert string("${a} + 1", values={"a": ""}) == ""
    assert string("coalesce(${a}, 0) + 1", values={"a": ""}) == "1"


# --- Functions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("selected(${a}, 'eu')", {"a": "usa  eu"}, "true"),
        ("selected(${a}, ' eu ')", {"a": "usa eu"}, "true"),
        ("selected(${a}, 'e')", {"a": "usa eu"}, "false"),
        ("count-selected(${a})", {"a": " usa\teu "}, "2"),
        ("count-selected(${a})", {"a": ""}, "0"),
        ("selected-at(${a}, 1)", {"a": "usa eu asia"}, "eu"),
        ("selected-at(${a}, 3)", {"a": "usa eu asia"}, ""),
        ("selected-at(${a}, '1.9')", {"a": "usa eu asia"}, "eu"),
        ("string-length(${a})", {"a": "ñandú"}, "5"),
        ("string-length('😀')", {}, "2"),  # UTF-16 code units, as ODK in JavaScript
        ("substr('hello', 1, 3)", {}, "el"),
        ("substr('hello', -3)", {}, "llo"),
        ("substr('hello', 2, -1)", {}, "ll"),
        ("substr('hello', 4, 2)", {}, ""),
        ("substring('12345', 2, 3)", {}, "234"),
        ("substring('12345', 1.5, 2.6)", {}, "234"),
        ("substring('12345', 0, 3)", {}, "12"),
        ("substring('12345', -42, 1 div 0)", {}, "12345"),
        ("substring('12345', -1 div 0, 1 div 0)", {}, ""),
        ("substring-before('1999/04/01', '/')", {}, "1999"),
        ("substring-after('1999/04/01', '/')", {}, "04/01"),
        ("substring-after('abc', '')", {}, "abc"),
        ("concat('a', 1, true(), ${area})", {"area": {(1,): "x", (2,): "y"}}, "a1truexy"),
        ("join(', ', ${area})", {"area": {(1,): "x", (2,): "y", (3,): "z"}}, "x, y, z"),
        ("contains('Cusco', 'sc')", {}, "true"),
        ("starts-with('Cusco', 'Cu')", {}, "true"),
        ("ends-with('Cusco', 'co')", {}, "true"),
        ("translate('bar', 'abc', 'ABC')", {}, "BAr"),
        ("translate('--aaa--', 'abc-', 'ABC')", {}, "AAA"),
        ("normalize-space('  a \t b  ')", {}, "a b"),
        ("string(1 div 3)", {}, "0.3333333333333333"),
        ("number('12')", {}, "12"),
        ("number('2024-01-31')", {}, "19753"),
        ("boolean('0')", {}, "true"),
        ("boolean(0)", {}, "false"),
        ("boolean-from-string('true')", {}, "true"),
        ("boolean-from-string('yes')", {}, "false"),
        ("int(-3.7)", {}, "-3"),
        ("int(3.7)", {}, "3"),
        ("round(2.5)", {}, "3"),
        ("round(-2.5)", {}, "-3"),
        ("round(3.14159, 2)", {}, "3.14"),
        ("round(1234.5, -2)", {}, "1200"),
        ("floor(-1.5)", {}, "-2"),
        ("ceiling(1.2)", {}, "2"),
        ("abs(-4)", {}, "4"),
        ("pow(2, 10)", {}, "1024"),
        ("pow(-8, 1 div 3)", {}, ""),
        ("min(3, ${area}, 2)", {"area": {(1,): "1", (2,): "5", (3,): "4"}}, "1"),
        ("max(${area})", {"area": {(1,): "1", (2,): "5", (3,): "4"}}, "5"),
        ("max(${area})", {"area": {(1,): "1", (2,): "", (3,): "4"}}, ""),  # an empty one is NaN
        ("sum(${area})", {"area": {(1,): "1", (2,): "5", (3,): "4"}}, "10"),
        ("sum(${area})", {"area": {(1,): "1", (2,): "", (3,): "4"}}, ""),
        ("if(${a} = 'x', 'yes', 'no')", {"a": "x"}, "yes"),
        ("coalesce(${a}, 'none')", {"a": ""}, "none"),
        ("coalesce(${a}, 'none')", {"a": "some"}, "some"),
        ("regex(${a}, '^[0-9]{11}$')", {"a": "20123456789"}, "true"),
        ("regex(${a}, '^[0-9]{11}$')", {"a": "2012345678"}, "false"),
        ("regex(${a}, '^\\w+@\\w+\\.pe$')", {"a": "ana@gob.pe"}, "true"),
        ("regex(${a}, 'a.c')", {"a": "a\nc"}, "false"),  # '.' skips line breaks, as JavaScript
        ("regex(${a}, '^a\\sc$')", {"a": "a\u00a0c"}, "true"),  # \s includes the no-break space
        ("regex(${a}, '^\\d+$')", {"a": "١٢"}, "false"),  # \d is ASCII
        ("regex(${a}, '^ab$')", {"a": "ab\n"}, "false"),  # $ is the very end
        ("regex(${a}, '^.$')", {"a": "😀"}, "false"),  # two code units
        ("regex(${a}, ${b})", {"a": "x", "b": "(("}, "false"),  # a bad pattern from an answer: false
        ("count-non-empty(${area})", {"area": {(1,): "1", (2,): "", (3,): "4"}}, "2"),
    ],
)
def test_functions(text, values, expected):
    assert string(text, values=values) == expected


def test_once_keeps_the_current_value_and_uuid_comes_from_the_context():
    assert string("once(uuid())", here="a", values={"a": ""}, uuid="abc-1") == "abc-1"
    assert string("once(uuid())", here="a", values={"a": "kept"}, uuid="abc-1") == "kept"
    assert string("uuid(12)", uuid="abc-1") == "abc-1abc-1ab"
    assert string(".", here="a", values={"a": "v"}) == "v"
    assert string(". + 1", here="a", current="41") == "42"


def test_jr_choice_name_reads_the_label_in_the_current_language():
    labels = {"a": {"usa": "Estados Unidos", "eu": "Unión Europea"}}
    assert string("jr:choice-name(${a}, '${a}')", values={"a": "eu"}, choice_labels=labels) == "Unión Europea"
    assert string("jr:choice-name('zz', '${a}')", choice_labels=labels) == ""


PRICES = [
    {"code": "1", "crop": "maíz", "price": "2.5"},
    {"code": "1.0", "crop": "papa", "price": "1.2"},
    {"code": "7", "crop": "quinua", "price": "9"},
    {"code": "7", "crop": "second seven", "price": "0"},
]


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("pulldata('prices', 'crop', 'code', '7')", {}, "quinua"),  # the first row that matches
        ("pulldata('prices', 'price', 'code', ${a})", {"a": "1.0"}, "1.2"),
        ("pulldata('prices', 'crop', 'code', 1)", {}, "maíz"),  # keys compare as strings: 1 is '1'
        ("pulldata('prices', 'crop', 'code', 1.0)", {}, "maíz"),  # string(1.0) is '1', never '1.0'
        ("pulldata('prices', 'crop', 'code', ${a} + 0)", {"a": "1.0"}, "maíz"),
        ("pulldata('prices', 'crop', 'code', '8')", {}, ""),  # no row
        ("pulldata('prices', 'colour', 'code', '7')", {}, ""),  # no such column
        ("pulldata('prices', 'crop', 'colour', '7')", {}, ""),  # no such key column
        ("pulldata('elsewhere', 'crop', 'code', '7')", {}, ""),  # no such file
        ("pulldata('prices', 'price', 'code', '7') * 2", {}, 18.0),
    ],
)
def test_pulldata_reads_the_first_matching_row_of_a_csv(text, values, expected):
    data = {"prices": DataTable(PRICES)}
    result = value(text, values=values, data=data)
    assert (to_number(result) if isinstance(expected, float) else to_string(result)) == expected
    assert pulldata_files(parse(text)) == {text.split("'")[1] + ".csv"}


def test_pulldata_looks_rows_up_in_an_index_built_once_per_key_column():
    table = DataTable([{"k": str(n), "v": f"row {n}"} for n in range(10_000)])
    assert table.lookup("v", "k", "9999") == "row 9999"
    assert list(table._indexes) == ["k"]
    table.rows = []  # the index is what answers now
    assert table.lookup("v", "k", "5") == "row 5"


# --- Dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("today()", {}, "2024-03-10"),
        ("now()", {}, "2024-03-10T15:04:05.678-05:00"),
        ("string(today() + 1)", {}, "19793.208333333332"),  # a sum is a number of days
        ("date(today() + 1)", {}, "2024-03-11"),
        ("format-date(date(today() + 1), '%e %b %Y')", {}, "11 Mar 2024"),
        ("format-date(today() + 1, '%Y')", {}, ""),  # a number is not a date string
        ("format-date(${d}, '%a %d/%m/%y %n')", {"d": "2024-03-10"}, "Sun 10/03/24 3"),
        ("format-date-time(now(), '%H:%M:%S.%3 %h')", {}, "15:04:05.678 15"),
        ("format-date('2024-03-10T02:00:00Z', '%d %H')", {}, "09 21"),  # shown in Lima
        ("today() - date(${d})", {"d": "2024-01-31"}, "39"),
        ("${d} + 1 > today()", {"d": "2024-03-10"}, "true"),
        ("date('2024-1-5')", {}, "2024-01-05"),
        ("date('2024-02-30')", {}, "Invalid Date"),
        ("date('')", {}, ""),
        ("date(0)", {}, "1969-12-31T19:00:00.000-05:00"),
        ("date(19753.5)", {}, "2024-01-31T07:00:00.000-05:00"),
        ("decimal-date-time('1970-01-02T12:00:00Z')", {}, "1.5"),
        ("decimal-date-time('abc')", {}, ""),
        ("number(${d}) - number('2024-01-01')", {"d": "2024-01-31"}, "30"),
        ("${d} < '2024-01-31T10:00:00'", {"d": "2024-01-31"}, "true"),
    ],
)
def test_dates(text, values, expected):
    assert string(text, values=values) == expected


def test_the_time_zone_comes_from_now_or_is_given():
    utc = evaluate(parse("today()"), Context(now=datetime.datetime(2024, 3, 10, 3, 0, tzinfo=datetime.UTC)))
    assert to_string(utc) == "2024-03-10"
    lima = evaluate(
        parse("today()"), Context(now=datetime.datetime(2024, 3, 10, 3, 0, tzinfo=datetime.UTC), utc_offset=-300)
    )
    assert to_string(lima) == "2024-03-09"


# --- References and repeats ----------------------------------------------------------------------------

CROPS = {
    "a": "top",
    "area": {(1,): "2", (2,): "3", (3,): "5"},
    "size": {(1, 1): "10", (1, 2): "20", (3, 1): "30"},
}


@pytest.mark.parametrize(
    ("text", "here", "path", "expected"),
    [
        ("count(${crop})", None, (), "3"),
        ("count(${crop})", "area", (2,), "3"),  # the repeat itself: every instance, even from inside
        ("sum(${area})", None, (), "10"),
        ("sum(${size})", None, (), "60"),
        ("${area}", "area", (2,), "3"),  # a sibling in the same instance
        ("${area} * 10", "size", (3, 1), "50"),  # the instance around
        ("sum(${size})", "area", (1,), "30"),  # the nested repeat inside this instance only
        ("count(${plot})", "area", (2,), "0"),
        ("count(${plot})", "size", (1, 2), "2"),
        ("${a}", "size", (1, 1), "top"),
        ("position(..)", "area", (3,), "3"),
        ("position(..)", "size", (1, 2), "2"),
        ("position(..)", "plot", (1, 2), "1"),  # a repeat's own expression: the instance around it
        ("position(..)", "a", (), "1"),
        ("indexed-repeat(${area}, ${crop}, 2)", None, (), "3"),
        ("indexed-repeat(${size}, ${crop}, 1, ${plot}, 2)", "a", (), "20"),
        ("indexed-repeat(${area}, ${crop}, 4)", None, (), ""),
        ("indexed-repeat(${area}, ${crop}, 1.5)", None, (), ""),
        ("indexed-repeat(${size}, ${crop}, 3)", None, (), "30"),
        ("indexed-repeat(${area}, ${crop}, position(..) - 1)", "area", (3,), "3"),  # the previous instance
        ("concat(${size})", None, (), "102030"),
        ("${zz}", None, (), ""),  # unknown names read as an empty node
    ],
)
def test_references_resolve_like_pyxform_relative_paths(text, here, path, expected):
    assert string(text, values=CROPS, here=here, path=path) == expected


def test_a_group_or_repeat_reads_empty_and_a_value_never_given_reads_empty():
    assert string("concat('[', ${crop}, ']')", values=CROPS) == "[]"
    assert holds("${area} = ''", values={}, here="area", path=(1,))


def test_bare_names_are_the_columns_of_the_choice_being_filtered():
    choice = {"name": "cusco_city", "state": "cusco", "label": "Cusco"}
    assert holds("state = ${a}", values={"a": "cusco"}, choice=choice)
    assert not holds("state = ${a}", values={"a": "lima"}, choice=choice)
    assert holds("name != 'x'", choice=choice)
    assert not holds("region = 'x'", choice=choice) and not holds("region != 'x'", choice=choice)
    assert not holds("state = 'cusco'")  # outside a choice filter: an empty node-set


def test_regex_patterns_are_checked_when_written():
    assert regex_problem("^[0-9]{8}$") is None
    assert regex_problem("^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$") is None
    assert regex_problem("(?<=a)b") == 0
    assert regex_problem("(a)\\1") == 3
    assert regex_problem("[z-a]") == 0
    assert regex_problem("a{5,2}") == 1
    assert regex_problem("(?=a)*") == 5
    assert regex_problem("a{99999}") == 1
