import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from surveys.relevance import (
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    Bool,
    Compare,
    Not,
    Number,
    Or,
    Ref,
    RelevanceError,
    Selected,
    Text,
    check,
    evaluate,
    parse,
    references,
    relevant_codes,
)
from tests.surveys.relevance_strategies import CODES, answer_maps, conditions, render


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def holds(expression, **values):
    return evaluate(parse(expression), values)


# --- Parsing ----------------------------------------------------------------------------------------


def test_a_comparison_parses_into_a_small_tree():
    assert parse("${exports} = 'yes'") == Compare("=", Ref("exports"), Text("yes"))
    assert parse("${sales}>=-2.5") == Compare(">=", Ref("sales"), Number(Decimal("-2.5")))
    assert parse('${a} != "it\'s"') == Compare("!=", Ref("a"), Text("it's"))


def test_every_comparison_operator_is_understood():
    for op in ("=", "!=", "<", ">", "<=", ">="):
        assert parse(f"${{a}} {op} 1") == Compare(op, Ref("a"), Number(Decimal(1)))


def test_functions_parse():
    assert parse("selected(${markets}, 'usa')") == Selected(Ref("markets"), "usa")
    assert parse("not(${a} = 1)") == Not(Compare("=", Ref("a"), Number(Decimal(1))))
    assert parse("true() or false()") == Or((Bool(True), Bool(False)))


def test_and_binds_tighter_than_or():
    a, b, c = (Compare("=", Ref(code), Number(Decimal(1))) for code in "abc")
    assert parse("${a} = 1 or ${b} = 1 and ${c} = 1") == Or((a, And((b, c))))
    assert parse("(${a} = 1 or ${b} = 1) and ${c} = 1") == And((Or((a, b)), c))
    assert parse("${a} = 1 and ${b} = 1 and ${c} = 1") == And((a, b, c))


def test_whitespace_is_free_between_tokens():
    assert parse(" \t${a}\n=\u00a0'x'  ") == parse("${a}='x'")


def test_references_are_the_codes_read():
    node = parse("${a} = 1 or selected(${b}, 'x') and not(${c} < ${a})")
    assert references(node) == frozenset({"a", "b", "c"})
    assert references(parse("true()")) == frozenset()


@pytest.mark.parametrize(
    ("expression", "position", "message"),
    [
        ("${a} = 1 )", 9, "Unexpected ')' at character 10: expected 'and', 'or' or the end of the condition."),
        ("${a} =", 6, "Unexpected end of the condition at character 7: expected a ${question}"),
        ("(${a} = 1", 9, "Unexpected end of the condition at character 10: expected 'and', 'or' or ')'."),
        ("${a} = yes", 7, "Unexpected 'yes' at character 8"),
        ("${a} == 1", 6, "Unexpected '=' at character 7"),
        ("${a}", 4, "expected a comparison (=, !=, <, >, <=, >=)"),
        ("${a} = 1 ${b} = 2", 9, "Unexpected '${b}' at character 10"),
        ("${a} = 'open", 7, "The text starting at character 8 is not closed: end it with '."),
        ("${a b} = 1", 0, "Invalid question reference at character 1"),
        ("$a = 1", 0, "Invalid question reference at character 1"),
        ("${a} = 1 & ${b} = 2", 9, "Unexpected character '&' at character 10."),
        ("count-selected(${a}) > 1", 0, "Unknown function 'count-selected' at character 1"),
        ("not ${a} = 1", 4, "Unexpected '${a}' at character 5: expected '('."),
        ("selected('a', 'b')", 9, "expected a question reference like ${code}"),
        ("selected(${a}, b)", 15, "Unexpected 'b' at character 16: expected quoted text."),
        ("${a} = 1 and", 12, "Unexpected end of the condition at character 13: expected a condition."),
        ("   ", 0, "The condition is empty."),
    ],
)
def test_syntax_errors_say_what_and_where(expression, position, message):
    with pytest.raises(RelevanceError) as caught:
        parse(expression)
    assert caught.value.position == position
    assert message in caught.value.message
    assert str(caught.value) == caught.value.message


def test_an_unknown_question_is_reported_at_its_code():
    with pytest.raises(RelevanceError) as caught:
        check("${exports} = 'yes' and ${exportz} = 'no'", known_codes=["exports", "sales"])
    assert caught.value.position == 25
    assert caught.value.message == "Unknown question 'exportz' at character 26."


def test_a_question_cannot_depend_on_itself():
    with pytest.raises(RelevanceError) as caught:
        check("selected(${markets}, 'usa')", known_codes=["markets"], own_code="markets")
    assert caught.value.position == 11
    assert "cannot depend on itself: 'markets'" in caught.value.message


def test_check_returns_the_tree_of_a_good_condition():
    assert check("${a} = 1", ["a", "b"], own_code="b") == Compare("=", Ref("a"), Number(Decimal(1)))


def test_messages_are_translated_when_read():
    with pytest.raises(RelevanceError) as caught:
        parse("")
    assert caught.value.template == "The condition is empty."  # the English msgid, for gettext


def test_nesting_is_capped_without_recursion_errors():
    inside = "(" * MAX_DEPTH + "${a} = 1" + ")" * MAX_DEPTH
    assert parse(inside) == parse("${a} = 1")
    with pytest.raises(RelevanceError, match="nests too deeply at character 51"):
        parse("(" * (MAX_DEPTH + 1) + "${a} = 1" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(RelevanceError, match="nests too deeply"):
        parse("not(" * 150 + "true()" + ")" * 150)


def test_length_is_capped():
    condition = " or ".join(["${a} = 1"] * 83).ljust(MAX_LENGTH)
    parse(condition)
    with pytest.raises(RelevanceError) as caught:
        parse(condition + " ")
    assert caught.value.message == "The condition is too long: 1001 characters, at most 1000."


def test_a_long_flat_chain_makes_a_shallow_tree():
    node = parse(" and ".join(["${a} = 1"] * 70))
    assert isinstance(node, And) and len(node.operands) == 70


# --- Evaluation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        # = and != : numbers numerically, else text; unanswered reads as ''
        ("${a} = 'yes'", {"a": "yes"}, True),
        ("${a} = 'yes'", {"a": "no"}, False),
        ("${a} != 'yes'", {"a": "no"}, True),
        ("${a} = 5", {"a": 5}, True),
        ("${a} = 5", {"a": Decimal("5.00")}, True),
        ("${a} = 5", {"a": "5.0"}, True),
        ("${a} = '05'", {"a": 5}, True),
        ("${a} = 0.1", {"a": 0.1}, True),
        ("${a} = 0.1", {"a": Decimal("0.1")}, True),
        ("${a} = 5", {"a": "five"}, False),
        ("${a} != 5", {"a": "five"}, True),
        ("${a} = ''", {}, True),
        ("${a} = ''", {"a": ""}, True),
        ("${a} != ''", {"a": None}, False),
        ("${a} = 0", {}, False),
        ("${a} != 0", {}, True),
        ("${a} = ${b}", {}, True),
        # < > <= >= : false when unanswered, numbers numerically, texts as texts (ISO dates)
        ("${a} > 3", {"a": 10}, True),
        ("${a} > 3", {"a": "10"}, True),
        ("${a} < 3", {"a": 10}, False),
        ("${a} <= 10", {"a": 10}, True),
        ("${a} < 10", {"a": 10}, False),
        ("${a} > 10", {"a": "10.0"}, False),
        ("${a} >= 10", {"a": 10}, True),
        ("${a} <= 'abc'", {"a": "abc"}, True),
        ("${a} < 'abc'", {"a": "abc"}, False),
        ("${a} >= 10.5", {"a": 10}, False),
        ("${a} < 3", {}, False),
        ("${a} >= 3", {"a": None}, False),
        ("${a} < 'b'", {"a": "abc"}, True),
        ("${a} >= '2024-01-01'", {"a": "2024-03-05"}, True),
        ("${a} < '2024-01-01'", {"a": datetime.date(2023, 12, 31)}, True),
        ("${a} > 3", {"a": "many"}, False),
        ("${a} < 3", {"a": "many"}, False),
        # selected(): chosen values of a collection, or the words of a single choice
        ("selected(${m}, 'usa')", {"m": ["eu", "usa"]}, True),
        ("selected(${m}, 'usa')", {"m": {"eu"}}, False),
        ("selected(${m}, 'usa')", {"m": "usa"}, True),
        ("selected(${m}, 'usa')", {"m": "eu usa"}, True),
        ("selected(${m}, 'usa')", {}, False),
        ("selected(${m}, '5')", {"m": 5}, False),
        # a multiple choice compared with = reads as its sorted values joined by spaces
        ("${m} = 'eu usa'", {"m": ["usa", "eu"]}, True),
        ("${m} = ''", {"m": []}, True),
        ("${m} = '😀 \uffff'", {"m": ["\uffff", "😀"]}, True),  # sorted by UTF-16 code units, as JavaScript does
        ("${a} < '\uffff'", {"a": "😀"}, True),
        # yes/no answers stored as booleans read as 'yes' / 'no'
        ("${e} = 'yes'", {"e": True}, True),
        ("${e} = 'no'", {"e": False}, True),
        # and, or, not, true(), false()
        ("${a} = 1 and ${b} = 2", {"a": 1, "b": 2}, True),
        ("${a} = 1 and ${b} = 2", {"a": 1, "b": 3}, False),
        ("${a} = 1 or ${b} = 2", {"a": 0, "b": 2}, True),
        ("${a} = 1 or ${b} = 2", {"a": 0, "b": 0}, False),
        ("not(${a} = 1)", {"a": 1}, False),
        ("true() and not(false())", {}, True),
        ("${a} = 1 or ${a} = 2 and ${b} = 3", {"a": 1, "b": 0}, True),
        ("(${a} = 1 or ${a} = 2) and ${b} = 3", {"a": 1, "b": 0}, False),
    ],
)
def test_evaluation_follows_the_value_rules(expression, values, expected):
    assert holds(expression, **values) is expected


def test_odd_values_read_as_unanswered():
    for odd in (float("nan"), Decimal("NaN"), Decimal("sNaN"), object(), {"a": 1}, b"bytes"):
        assert holds("${a} = ''", a=odd)
        assert not holds("${a} < 1", a=odd)


def test_huge_numbers_do_not_overflow():
    assert holds("${a} > 1", a=10**400)
    assert holds("${a} = ${b}", a=10**400, b=Decimal("1e999"))


# --- Properties -------------------------------------------------------------------------------------


@given(conditions, st.sampled_from([" ", "", "\t", "\n  ", "\u00a0"]))
@settings(max_examples=300, deadline=None)
def test_any_tree_renders_to_text_that_parses_back_to_it(tree, space):
    assert parse(render(tree, space)) == tree


@given(st.text() | st.text(alphabet="${}()'\"=!<>,.- \tabnotselectedrufs0123456789", max_size=60))
@settings(max_examples=500, deadline=None)
@example("(" * 999)
@example("not(" * 250)
@example("x" * 5000)
def test_parse_fails_only_with_relevance_errors(text):
    try:
        parse(text)
    except RelevanceError as error:
        assert 0 <= error.position <= len(text)
        assert error.message


@given(conditions, st.dictionaries(st.sampled_from(CODES), st.recursive(
    st.none() | st.text() | st.integers() | st.floats() | st.decimals() | st.booleans() | st.dates()
    | st.datetimes() | st.binary() | st.fractions(),
    lambda inner: st.lists(inner) | st.sets(st.text()) | st.tuples(inner) | st.dictionaries(st.text(), inner),
    max_leaves=5,
)))  # fmt: skip
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_evaluate_is_total_for_any_answers(tree, values):
    assert evaluate(tree, values) in (True, False)


@given(conditions, answer_maps)
@settings(max_examples=200, deadline=None)
def test_not_equal_is_the_negation_of_equal_and_not_negates(tree, values):
    assert evaluate(Not(tree), values) is not evaluate(tree, values)
    if isinstance(tree, Compare) and tree.op == "=":
        assert evaluate(Compare("!=", tree.left, tree.right), values) is not evaluate(tree, values)


# --- The cascade ------------------------------------------------------------------------------------

QUESTIONNAIRE = [
    ("exports", ""),
    ("markets", "${exports} = 'yes'"),
    ("usa_share", "selected(${markets}, 'usa')"),
    ("usa_buyers", "${usa_share} > 50"),
    ("employees", ""),
    ("broken", "${employees} >"),
]


def test_relevant_codes_cascade_in_questionnaire_order():
    answers = {"exports": "yes", "markets": ["usa"], "usa_share": 60}
    assert relevant_codes(QUESTIONNAIRE, answers) == {
        "exports",
        "markets",
        "usa_share",
        "usa_buyers",
        "employees",
        "broken",
    }
    # Exporting no more hides markets; what hangs on markets hides too, although its answers remain.
    answers["exports"] = "no"
    assert relevant_codes(QUESTIONNAIRE, answers) == {"exports", "employees", "broken"}


def test_a_condition_that_does_not_parse_shows_its_question():
    assert "broken" in relevant_codes(QUESTIONNAIRE, {})


def test_a_forward_reference_reads_the_answer_without_cascading():
    questions = [("first", "${second} = 1"), ("second", "${third} = 'x'"), ("third", "")]
    assert relevant_codes(questions, {"second": 1}) == {"first", "third"}


@given(answer_maps)
@settings(max_examples=100, deadline=None)
def test_a_question_shows_only_if_its_condition_holds_and_what_it_reads_shows(values):
    questions = [("a", ""), ("b", "${a} != ''"), ("c", "${b} = 'yes' or ${a} = 5"), ("d.x", "not(${c} = '')")]
    shown = relevant_codes(questions, values)
    assert "a" in shown
    for code, expression in questions[1:]:
        node = parse(expression)
        expected = evaluate(node, values) and references(node) <= shown
        assert (code in shown) is expected
